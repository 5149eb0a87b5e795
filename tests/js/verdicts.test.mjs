import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CCM, plain } from './runtime.mjs';
import { TRUE_FALSE, course } from './fixtures.mjs';

// One competency rule everywhere: a finished module's saved result and a pathway's aggregate keep
// "not assessed" apart from "completed" (no question in the bank) and from failed.
const tf = (id, competency) => ({ ...TRUE_FALSE, id, competency });

test('a saved result keeps a competency the quiz could not judge as not assessed, not completed', () => {
  const m = course([tf('a', 'c1'), tf('b', 'c1'), tf('c', 'c2'), tf('d', 'c2')]);
  const p = { kind: 'pathway', modules: [m] };
  const ps = CCM.pathwayState.fresh(p);
  ps.modules[0] = { result: { score: 100, passed: true, competencies: [
    { id: 'c1', score: 100, status: 'passed' }, { id: 'c2', score: null, status: 'not-assessed' }] } };
  const back = CCM.pathwayState.decode(CCM.pathwayState.encode(ps, p), p);
  assert.deepEqual(plain(back.modules[0].result.competencies),
    [{ id: 'c1', score: 100, status: 'passed' }, { id: 'c2', score: null, status: 'not-assessed' }]);
});

test('across a pathway: judged beats not assessed, which beats completed', () => {
  const done = (competencies) => ({ result: { score: 90, passed: true, competencies } });
  const ps = { modules: [
    done([{ id: 'a', score: null, status: 'not-assessed' }, { id: 'b', score: null, status: 'not-assessed' }]),
    done([{ id: 'a', score: 100, status: 'passed' }, { id: 'c', score: null, status: 'completed' }]),
    done([{ id: 'b', score: null, status: 'completed' }])] };
  assert.deepEqual(plain(CCM.pathwayResults.competencies(ps)), [{ id: 'a', score: 100, status: 'passed' },
    { id: 'b', score: null, status: 'not-assessed' }, { id: 'c', score: null, status: 'completed' }]);
});

test('the competency-results extension names a competency the attempt could not judge as not assessed', () => {
  const m = course([tf('a', 'c1'), tf('b', 'c1'), tf('c', 'c2'), tf('d', 'c2')]);
  const r = CCM.scoring.attemptResults(m, { draw: [0, 1, 2], answers: [false, false, true] }, 80);
  const build = new CCM.xapi.Statements({ course: m, actor: {} });
  const ext = plain(build.competencyResults(CCM.scoring.forEvent(r.competencies)));
  assert.deepEqual(Object.values(ext)[0], [
    { id: 'https://example.org/c1', competency: 'c1', score: 100, status: 'passed', asked: 2 },
    { id: 'https://example.org/c2', competency: 'c2', score: null, status: 'not-assessed', asked: 1 }]);
});
