// The runtime's own encoder on the longest state each module can produce: reads
// [{course, draw, attempt}] (course: the module's course JSON) on stdin and writes
// [{text, again}] (again: text decoded and encoded once more). Used by tests/test_runtime_state_size.py.
import { readFileSync } from 'node:fs';
import { CCM } from './runtime.mjs';

function longestAnswer(q) {
  switch (q.type) {
    case 'single': return q.options.length - 1;
    case 'multiple': return q.options.map((o, k) => k);
    case 'true-false': return false;
    case 'matching': return q.pairs.map(() => CCM.scoring.matchTargets(q).length - 1);
    case 'ordering': return q.items.map((o, k) => q.items.length - 1 - k);
    default: return '\u20ac'.repeat(CCM.scoring.maxLengthOf(q)); // "%E2%82%AC": 9 characters each
  }
}

// Every page seen, the last attempt submitted and on its results (a module without a quiz: on its last page).
export function worstState(course, draw, attempt) {
  const st = CCM.state.fresh(course), hasQuiz = course.questions.length > 0;
  Object.assign(st, { seen: st.seen.map(() => true), view: hasQuiz ? 'results' : 'page', page: course.pages.length - 1 });
  if (!hasQuiz) return st;
  Object.assign(st, { attempt, qpos: draw.length - 1, submitted: true, draw, score: 100,
    answers: draw.map((i) => longestAnswer(course.questions[i])) });
  return st;
}

const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = cases.map(({ course, draw, attempt }) => {
  const text = CCM.state.encode(worstState(course, draw, attempt), course);
  return { text, again: CCM.state.encode(CCM.state.decode(text, course), course) };
});
process.stdout.write(JSON.stringify(out));
