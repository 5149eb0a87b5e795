"""Pathway packages in headless Chromium: the module menu, each module's pages and quiz,
progress kept across reloads, the pathway event stream, the compact pathway state
(JavaScript worst case = Python's figure) and the bundled pathways' menus.

The offline, end-to-end walk through the web package with the certificate printed to PDF
is in test_certificate_pathway.py."""

from __future__ import annotations

import re

from support.pathway_course import (
    PATHWAY_TITLE,
    RIGHT_FIRST,
    RIGHT_SECOND,
    build_pathway,
    make_pathway_course,
    write_files,
)
from support.pathway_learner import give
from support.recording import rendered
from support.worst_state import WORST_MODULE_STATE_JS

from ccm_scorm.render import render_pathway
from ccm_scorm.render.state_size import (
    SCORM12_SUSPEND_DATA_LIMIT,
    max_attempt,
    worst_case_answer_length,
    worst_case_pathway_state_length,
    worst_case_progress_length,
    worst_case_result_length,
)
from ccm_scorm.source import load_course

STARTED = "() => !!document.querySelector('#ccm-menu-summary p, #ccm-pages section')"


def open_pathway(page, url):
    page.goto(url)
    page.wait_for_function(STARTED)


def events(page):
    return [c["args"][0] for c in page.evaluate("() => window.__ccmRecording") if c["method"] == "record"]


def focused(page, selector):
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def do_module(page, index, pages, responses, reload_after=None):
    """From the menu: open module `index`, read its pages, take the quiz with `responses`, back to the menu."""
    page.click(f"#ccm-menu-open-{index}")
    assert focused(page, "#ccm-h-0")
    for _ in range(pages - 1):
        page.click("#ccm-next")
    page.click("#ccm-next")  # Go to the quiz
    page.get_by_role("button", name="Start the quiz").click()
    for position, response in enumerate(responses):
        give(page, response)
        if reload_after == position:
            page.reload()
            page.wait_for_function(STARTED)
            page.wait_for_selector(".ccm-feedback")  # the checked answer is back, locked
        page.locator("#ccm-quiz-body button[data-action]").click()
    assert focused(page, "#ccm-results-title")


def test_menu_modules_events_resume_and_pathway_result(page, tmp_path, http_server, axe_check, format_violations):
    build_pathway(tmp_path / "p")
    url = http_server(tmp_path / "p").url("index.html")
    page.add_init_script("window.__ccmLaunch = {learner: {id: 'u1', name: 'Evans, Jane'}}")
    open_pathway(page, url)
    # the menu: title, each module with minutes and status in words
    assert page.inner_text("#ccm-menu-title") == PATHWAY_TITLE
    assert page.inner_text("#ccm-menu-status-0") == "Not started"
    assert "About 5 minutes" in page.inner_text("#ccm-menu-item-1")
    assert page.inner_text("#ccm-menu-open-0").startswith("Start")
    assert page.is_hidden("#ccm-toc") and page.is_hidden("#ccm-pager")
    violations = axe_check(page)
    assert violations == [], format_violations(violations)

    do_module(page, 0, 3, RIGHT_FIRST)
    page.get_by_role("button", name="Back to all modules").click()
    assert focused(page, "#ccm-menu-title")
    assert page.inner_text("#ccm-menu-status-0") == "Passed"
    assert page.inner_text("#ccm-menu-detail-0") == "Score 100%."
    assert page.inner_text("#ccm-menu-open-0").startswith("Review")
    assert "1 of 2 modules passed" in page.inner_text("#ccm-menu-summary")

    # module 2, reloaded after the first answer: the learner is back in the quiz with the answer kept
    do_module(page, 1, 1, RIGHT_SECOND, reload_after=0)
    results = page.inner_text("#ccm-results-body")
    assert "You scored 100%" in results
    evs = events(page)  # this session only (the page was reloaded)
    assert evs[0]["type"] == "start" and evs[0]["entry"] == "resume"
    assert evs[1]["type"] == "module-start" and evs[1]["module"] == "keeping-safe" and evs[1]["entry"] == "resume"
    for ev in evs:
        if ev["type"] in ("page", "answer", "submit", "complete"):
            assert ev["module"] == "keeping-safe", ev
    submit = [e for e in evs if e["type"] == "submit"][-1]
    assert submit["passed"] and submit["score"] == 100
    [result] = [e for e in evs if e["type"] == "pathway-result"]
    assert evs.index(result) == evs.index(submit) + 1
    assert result["passed"] is True and result["score"] == 100
    assert result["modules"] == [
        {"id": "runtime-test", "score": 100, "passed": True},
        {"id": "keeping-safe", "score": 100, "passed": True},
    ]
    assert result["competencies"] == [
        {"id": "ccm.communication", "score": 100, "status": "passed"},
        {"id": "ccm.person-centred", "score": 100, "status": "passed"},
        {"id": "ccm.teamwork", "score": 100, "status": "passed"},
    ]
    # the certificate is offered on the last results, with the LMS's "Last, First" shown "First Last"
    page.get_by_role("button", name="See your certificate").click()
    assert focused(page, "#ccm-certificate-title")
    cert = " ".join(page.inner_text("#ccm-cert").split())  # the name has a line of its own
    assert "This is a record that Jane Evans completed the pathway “Befriending basics” on" in cert
    assert page.locator(".ccm-name-form").count() == 0  # the name comes from the platform
    saved = [c["args"] for c in page.evaluate("() => window.__ccmRecording") if c["method"] == "save"][-1]
    assert saved[1] == "certificate" and re.fullmatch(r"p2;;[1-9a-z][0-9a-z]{0,3};=100p,100,100,n;=100p,100", saved[0])
    page.get_by_role("button", name="Back to all modules").click()
    assert focused(page, "#ccm-menu-title")
    page.get_by_role("button", name="Finish for now").click()
    assert focused(page, "#ccm-end-title")
    evs = events(page)
    assert evs[-1]["type"] == "exit" and evs[-1]["finished"] is True
    assert page.ccm_errors == []


def test_state_in_progress_keeps_every_answer_and_bad_states_start_afresh(page, tmp_path, http_server):
    build_pathway(tmp_path / "p")
    url = http_server(tmp_path / "p").url("index.html")
    open_pathway(page, url)
    page.click("#ccm-menu-open-0")
    page.click('#ccm-toc-list a[data-view="3"]')
    page.get_by_role("button", name="Start the quiz").click()
    give(page, ["a"])  # wrong, in progress
    state = page.evaluate("() => localStorage.getItem('ccm:pathway:befriending-basics:2.0.0')")
    # no draw kept (the whole bank in order): only the bank's print, 3 characters
    assert re.fullmatch(r"p2;0;;3\|1\|1\|0\|0\|[^|;]{3}\|\|0\|;", state), state
    decoded = page.evaluate(
        """s => {
        const course = JSON.parse(document.getElementById('ccm-course').textContent);
        return CCM.pathwayState.decode(s, course);
    }""",
        state,
    )
    assert decoded["open"] == 0 and decoded["modules"][1] is None
    assert decoded["modules"][0]["state"]["answers"] == [0, None]
    rejected = page.evaluate("""() => {
        const course = JSON.parse(document.getElementById('ccm-course').textContent);
        const bad = ['', 'c1|0|0|0|0|0||', 'p1;;;', 'p1;2;;;', 'p1;;;=100p,100,100,n', 'p1;;zz;=100p,100,100,n;=40f,40'];
        // one module's token damaged: that module starts again, the others are kept (ps.lost names it)
        const oneBad = ['p1;;;=100p,100,100,n;=50q,100', 'p1;;;9|1|1|0|0|01||0|;', 'p1;;;=c,n,n,n;'];
        return [bad.map(s => { try { CCM.pathwayState.decode(s, course); return s; } catch (e) { return null; } }),
                oneBad.map(s => CCM.pathwayState.decode(s, course).lost)];
    }""")
    assert rejected == [[None] * 6, [[1], [0], [0]]]
    page.evaluate("() => localStorage.setItem('ccm:pathway:befriending-basics:2.0.0', 'p1;nonsense')")
    page.reload()
    page.wait_for_function(STARTED)
    assert "could not be read" in page.inner_text("#ccm-notices")
    assert page.inner_text("#ccm-menu-status-0") == "Not started"


WORST_PATHWAY_JS = (
    """([draws, attempts]) => {
"""
    + WORST_MODULE_STATE_JS
    + """
    const course = JSON.parse(document.getElementById('ccm-course').textContent);
    const ps = CCM.pathwayState.fresh(course);
    ps.open = course.modules.length - 1;
    ps.modules = course.modules.map((m, j) => {
        if (!m.questions.length) {  // every page but one seen
            const st = CCM.state.fresh(m);
            st.page = m.pages.length - 1;
            return {state: st};
        }
        return {state: worstModuleState(m, draws[j], attempts[j])};
    });
    const inProgress = CCM.pathwayState.encode(ps, course);
    const again = CCM.pathwayState.encode(CCM.pathwayState.decode(inProgress, course), course);
    ps.date = 36 ** 4 - 1;
    ps.modules = course.modules.map(m => ({result: {score: m.questions.length ? 100 : null, passed: true,
        competencies: m.competencies.map(c => ({id: c.id, score: m.questions.length ? 100 : null,
                                               status: m.questions.length ? 'passed' : 'completed'}))}}));
    const passed = CCM.pathwayState.encode(ps, course);
    const again2 = CCM.pathwayState.encode(CCM.pathwayState.decode(passed, course), course);
    return [inProgress, again, passed, again2];
}"""
)


def _worst_draws(course, pathway):
    draws, attempts = [], []
    for module_id in pathway.module_ids:
        module = course.module(module_id)
        ranked = sorted(range(len(module.questions)), key=lambda i: -worst_case_answer_length(module.questions[i]))
        draws.append(ranked[: min(module.questions_per_attempt, len(module.questions))])
        attempts.append(max_attempt(module))
    return draws, attempts


def test_worst_case_pathway_state_matches_python_and_bundled_pathways_fit(page, tmp_path, repo_root):
    course = load_course(repo_root / "modules")
    figures = {}
    for pathway in course.pathways:
        index = write_files(tmp_path / pathway.id, rendered(render_pathway, course, pathway, "recording"))
        page.goto(index.as_uri())
        page.wait_for_function(STARTED)
        # the menu renders: every module, with its minutes and a status
        items = page.locator(".ccm-menu-item")
        assert items.count() == len(pathway.module_ids)
        for i, module_id in enumerate(pathway.module_ids):
            assert course.module(module_id).title in items.nth(i).inner_text()
            assert page.inner_text(f"#ccm-menu-status-{i}") == "Not started"
        in_progress, again, passed, again2 = page.evaluate(WORST_PATHWAY_JS, list(_worst_draws(course, pathway)))
        assert in_progress == again and passed == again2, "worst-case states decode and re-encode to themselves"
        modules = [course.module(m) for m in pathway.module_ids]
        head = 2 + len(format(len(modules) - 1, "x")) + 2 + len(modules)
        assert len(in_progress) == head + sum(worst_case_progress_length(m) for m in modules)
        assert len(passed) == head + sum(worst_case_result_length(m) for m in modules) + 4
        figure = worst_case_pathway_state_length(course, pathway)
        assert max(len(in_progress), len(passed)) == figure
        assert figure <= SCORM12_SUSPEND_DATA_LIMIT, pathway.id
        figures[pathway.id] = figure
    assert figures == {"care-coordination-foundations": 1463, "volunteer-induction": 586}
    assert page.ccm_errors == []


def test_pathway_course_data(tmp_path):
    course, pathway = make_pathway_course()
    from ccm_scorm.render import pathway_data

    data = pathway_data(course, pathway, "standalone")
    assert data["kind"] == "pathway" and data["id"] == "befriending-basics" and data["version"] == "2.0.0"
    assert data["iri"] == "https://example.org/ccm/pathway/befriending-basics"
    assert [m["id"] for m in data["modules"]] == ["runtime-test", "keeping-safe"]
    assert all(m["kind"] == "module" and "organisation" not in m for m in data["modules"])
    assert [c["id"] for c in data["competencies"]] == ["ccm.communication", "ccm.person-centred", "ccm.teamwork"]
    assert data["organisation"]["name"] == "Riverside Befriending Network"
    assert data["organisation"]["logo"] == "organisation/logo.png"
    assert data["organisation"]["logoData"].startswith("data:image/png;base64,")


def tab_to(page, selector, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def no_sideways_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_keyboard_and_a_phone_sized_screen(browser, tmp_path, http_server, axe_check, format_violations):
    build_pathway(tmp_path / "p")
    url = http_server(tmp_path / "p").url("index.html")
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        open_pathway(page, url)
        assert no_sideways_scroll(page)
        tab_to(page, "#ccm-menu-open-1")
        page.keyboard.press("Enter")
        assert focused(page, "#ccm-h-0") and page.is_visible("#page-01-worried")
        tab_to(page, "a[data-menu]")
        page.keyboard.press("Enter")
        assert focused(page, "#ccm-menu-title")
        assert page.inner_text("#ccm-menu-status-1") == "In progress"
        # a passed pathway (state as the runtime writes it) and a typed name: the certificate on a phone
        page.evaluate("""() => {
            localStorage.setItem('ccm:pathway:befriending-basics:2.0.0', 'p1;;fqo;=100p,100,100,n;=50p,50');
            localStorage.setItem('ccm:pathway:befriending-basics:2.0.0:name', 'Jo Bloggs');
        }""")
        page.reload()
        page.wait_for_function(STARTED)
        assert page.inner_text("#ccm-menu-status-1") == "Passed"
        assert page.inner_text("#ccm-menu-detail-1") == "Score 50%."
        assert "overall score of 75%" in page.inner_text("#ccm-menu-summary")
        tab_to(page, "#ccm-menu-summary button")
        page.keyboard.press("Enter")
        assert focused(page, "#ccm-certificate-title")
        cert = " ".join(page.inner_text("#ccm-cert").split())
        assert "Jo Bloggs completed the pathway" in cert
        assert "on 8 November 2025" in cert  # day 20400 = "fqo" in base 36
        assert no_sideways_scroll(page)
        violations = axe_check(page)
        assert violations == [], format_violations(violations)
    finally:
        context.close()
