"""The longest saved state of one module, built in the browser by the runtime's own state
objects: mirrors ccm_scorm/render/state_size.py, so tests compare the two."""

# A JavaScript function declaration, for page.evaluate snippets to include before their body.
WORST_MODULE_STATE_JS = """function worstModuleState(course, draw, attempt) {
    // Submitted, every page seen, on the results view, the longest answer to each drawn question.
    const qs = course.questions, n = course.pages.length;
    const st = CCM.state.fresh(course);
    st.view = 'results'; st.seen = st.seen.map(() => true); st.attempt = attempt; st.qpos = draw.length - 1;
    st.submitted = true; st.draw = draw; st.score = 100;
    st.answers = draw.map(i => {
        const q = qs[i];
        switch (q.type) {
            case 'single': return q.options.length - 1;
            case 'multiple': return q.options.map((o, k) => k);
            case 'true-false': return false;
            case 'matching': return q.pairs.map(() => (q.targets || q.pairs).length - 1);
            case 'ordering': return q.items.map((o, k) => q.items.length - 1 - k);
            default: return '€'.repeat(q.maxLength);
        }
    });
    return st;
}
"""
