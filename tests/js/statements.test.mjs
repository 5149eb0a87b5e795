import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CCM, plain } from './runtime.mjs';
import { MATCHING, MATCHING_TARGETS, ORDERING, SINGLE, SHORT_TEXT, TRUE_FALSE, course } from './fixtures.mjs';

const X = CCM.xapi;
const SCORM2004 = { list: '[,]', pair: '[.]', t: 'true', f: 'false', caseMatters: '{case_matters=true}', text: (s) => s };

test('interaction definitions and correct-response patterns', () => {
  const c = course([]);
  assert.deepEqual(plain(X.interaction(c, SINGLE).correctResponsesPattern), ['b']);
  assert.deepEqual(plain(X.interaction(c, TRUE_FALSE).correctResponsesPattern), ['false']);
  assert.deepEqual(plain(X.interaction(c, ORDERING).correctResponsesPattern), ['a[,]b[,]c']);
  const m = plain(X.interaction(c, MATCHING));
  assert.deepEqual(m.correctResponsesPattern, ['p[.]p[,]q[.]q[,]r[.]r']);
  assert.deepEqual(m.target.map((t) => t.id), ['p', 'q', 'r']);
});

test('matching with targets: the targets once each, the pattern by target id', () => {
  const d = plain(X.interaction(course([]), MATCHING_TARGETS));
  assert.deepEqual(d.target, [{ id: 't1', description: { 'en-GB': 'tea' } }, { id: 't2', description: { 'en-GB': 'milk' } },
    { id: 't3', description: { 'en-GB': 'coffee' } }]);
  assert.deepEqual(d.correctResponsesPattern, ['x[.]t1[,]y[.]t1[,]z[.]t2']);
  assert.deepEqual(plain(CCM.scorm.patterns(MATCHING_TARGETS, SCORM2004)), ['x[.]t1[,]y[.]t1[,]z[.]t2']);
  assert.equal(X.responseText(MATCHING_TARGETS, [['x', 't1'], ['y', 't3']]), 'x[.]t1[,]y[.]t3');
});

test('short text: wildcard answers are left out of the patterns; none left, none declared', () => {
  assert.deepEqual(plain(X.interaction(course([]), SHORT_TEXT).correctResponsesPattern),
    ['{case_matters=false}Open question', '{case_matters=false}5 * 3']);
  assert.deepEqual(plain(CCM.scorm.patterns(SHORT_TEXT, SCORM2004)), ['Open question', '5 * 3']);
  const wild = { ...SHORT_TEXT, answers: ['open*'] };
  assert.equal('correctResponsesPattern' in X.interaction(course([]), wild), false);
  assert.deepEqual(plain(CCM.scorm.patterns(wild, SCORM2004)), []);
});

test('statements: ADL verb, competencies as context activities, registration only when a UUID', () => {
  const c = course([]);
  const actor = { objectType: 'Agent', mbox: 'mailto:a@example.org' };
  const build = new X.Statements({ course: c, actor, registration: 'not-a-uuid' });
  const s = plain(build.make('completed', build.module(), '2026-01-01T00:00:00.000Z', { result: X.score(66.6) }));
  assert.equal(s.verb.id, 'http://adlnet.gov/expapi/verbs/completed');
  assert.ok(X.isUuid(s.id));
  assert.deepEqual(s.result, { scaled: 0.67, raw: 67, min: 0, max: 100 });
  assert.deepEqual(s.context.contextActivities.other.map((a) => a.id), ['https://example.org/c1', 'https://example.org/c2']);
  assert.equal(s.context.registration, undefined);
  const registered = new X.Statements({ course: c, actor, registration: '0b9a1b6e-36a1-4b8e-9c1e-2f1c3d4e5f60' });
  assert.equal(registered.make('initialized', registered.module()).context.registration, '0b9a1b6e-36a1-4b8e-9c1e-2f1c3d4e5f60');
});

test('timestamps strictly increase within a launch, even for the same instant', () => {
  const build = new X.Statements({ course: course([]), actor: {} });
  const t = '2026-01-01T00:00:00.000Z';
  const stamps = [1, 2, 3].map(() => build.make('experienced', build.module(), t).timestamp);
  assert.deepEqual(stamps, ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.002Z']);
});
