/* global CCM */
/* eslint no-unused-vars: ["error", { "varsIgnorePattern": "^worstModuleState$" }] -- used by the scripts that include this file */
/* The longest saved state of one module, built by the runtime's own state objects (CCM.state):
 * plain function declarations, loaded by tests/js/worst-state.mjs (Node) and included in the
 * browser tests' page scripts by tests/support/worst_state.py. Mirrors state_size.py's worst case. */

function longestAnswer(q) {
  switch (q.type) {
    case 'single': return q.options.length - 1;
    case 'multiple': return q.options.map((o, k) => k);
    case 'true-false': return false;
    case 'matching': return q.pairs.map(() => CCM.scoring.matchTargets(q).length - 1);
    case 'ordering': return q.items.map((o, k) => q.items.length - 1 - k);
    default: return '\u20ac'.repeat(CCM.scoring.maxLengthOf(q)); // no unit written literally: the dense form
  }
}

// The length of each bank question's longest answer token, as the encoder writes it.
function answerLengths(course) {
  const st = CCM.state.fresh(course), all = course.questions.map((q, i) => i);
  Object.assign(st, { attempt: 1, draw: all, answers: course.questions.map(longestAnswer) });
  return CCM.state.encode(st, course).split('|').slice(8).map((token) => token.length);
}

// A seed whose draw is as long as `draw` (e.g. the longest questions): that state must be reachable.
function seedLike(course, draw) {
  const lengths = answerLengths(course), total = (d) => d.reduce((sum, i) => sum + lengths[i], 0), wanted = total(draw);
  for (let seed = 0; seed < 84 * 85 ** 2; seed++) if (total(CCM.state.drawOf(course, seed)) === wanted) return seed;
  throw new Error(course.id + ': no seed draws questions as long as ' + JSON.stringify(draw));
}

// Every page seen, the last attempt submitted and on its results, each answer as long as it can be
// (a module without a quiz: on its last page). A module that draws asks what a seed gives: one
// whose draw is as long as `draw`.
function worstModuleState(course, draw, attempt) {
  const st = CCM.state.fresh(course), hasQuiz = course.questions.length > 0;
  Object.assign(st, { seen: st.seen.map(() => true), view: hasQuiz ? 'results' : 'page', page: course.pages.length - 1 });
  if (!hasQuiz) return st;
  st.seed = course.draw ? seedLike(course, draw) : null;
  const drawn = CCM.state.drawOf(course, st.seed);
  Object.assign(st, { attempt, qpos: drawn.length - 1, submitted: true, draw: drawn, score: 100,
    answers: drawn.map((i) => longestAnswer(course.questions[i])) });
  return st;
}
