import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CCM, plain } from './runtime.mjs';

const R = CCM.pathwayResults;
const done = (score, passed, competencies) => ({ result: { score, passed, competencies } });

test('a pathway passes when every module is passed; its score is the mean of the scores given', () => {
  const ps = { modules: [done(80, true, []), done(null, true, []), done(91, true, [])] };
  assert.equal(R.allFinished(ps), true);
  assert.equal(R.passed(ps), true);
  assert.equal(R.score(ps), 86);
  assert.deepEqual([0, 1, 2].map((i) => R.kind(ps, i)), ['passed', 'completed', 'passed']);
  const open = { modules: [done(40, false, []), { state: {} }, null] };
  assert.deepEqual([0, 1, 2].map((i) => R.kind(open, i)), ['failed', 'open', 'new']);
  assert.equal(R.allFinished(open), false);
  assert.equal(R.passedCount(open), 0);
  assert.equal(R.score({ modules: [null] }), null);
});

test('competencies across modules: mean score; failed beats passed beats completed; first-seen order', () => {
  const ps = { modules: [
    done(80, true, [{ id: 'b', score: 100, status: 'passed' }, { id: 'a', score: null, status: 'completed' }]),
    done(50, false, [{ id: 'b', score: 50, status: 'failed' }, { id: 'c', score: 90, status: 'passed' }]),
    done(null, true, [{ id: 'a', score: null, status: 'completed' }])] };
  assert.deepEqual(plain(R.competencies(ps)), [{ id: 'b', score: 75, status: 'failed' },
    { id: 'a', score: null, status: 'completed' }, { id: 'c', score: 90, status: 'passed' }]);
});
