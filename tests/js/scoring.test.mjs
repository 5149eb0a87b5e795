import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CCM, plain } from './runtime.mjs';
import { SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, MATCHING_TARGETS, ORDERING, SHORT_TEXT, course } from './fixtures.mjs';

const { isCorrect, responseIds, literalAnswers, attemptResults } = CCM.scoring;

test('each question type: the right answer is right and a wrong one is not', () => {
  const cases = [[SINGLE, 1, 0], [MULTIPLE, [0, 2], [0]], [TRUE_FALSE, false, true], [MATCHING, [0, 1, 2], [1, 0, 2]],
    [ORDERING, [0, 1, 2], [0, 2, 1]], [SHORT_TEXT, 'Open question', 'closed question']];
  for (const [q, right, wrong] of cases) {
    assert.equal(isCorrect(q, right), true, q.type + ' right');
    assert.equal(isCorrect(q, wrong), false, q.type + ' wrong');
  }
});

test('short text is normalised on both sides: NFC, trimmed, spaces collapsed, lower-cased', () => {
  assert.equal(isCorrect(SHORT_TEXT, '  OPEN \t  Question '), true);
  const cafe = { ...SHORT_TEXT, answers: ['caf\u00e9'] };
  assert.equal(isCorrect(cafe, 'cafe\u0301'), true); // e + combining acute is NFC é
  const exact = { ...SHORT_TEXT, caseSensitive: true };
  assert.equal(isCorrect(exact, 'Open question'), true);
  assert.equal(isCorrect(exact, 'open question'), false);
});

test('short-text answers are Moodle patterns: * is any run of characters, \\* a literal asterisk', () => {
  for (const given of ['openended', 'open ended', 'Open-and-closed-ended']) assert.equal(isCorrect(SHORT_TEXT, given), true, given);
  for (const given of ['opened', 'open end', 'reopen ended']) assert.equal(isCorrect(SHORT_TEXT, given), false, given);
  assert.equal(isCorrect(SHORT_TEXT, '5 * 3'), true);
  assert.equal(isCorrect(SHORT_TEXT, '5 x 3'), false, '\\* is not a wildcard');
  const regexChars = { ...SHORT_TEXT, answers: ['a.b (c)?'] };
  assert.equal(isCorrect(regexChars, 'a.b (c)?'), true);
  assert.equal(isCorrect(regexChars, 'axb (c)'), false, 'other characters are literal');
});

test('only answers without a wildcard can be declared as correct responses, \\* written as *', () => {
  assert.deepEqual(plain(literalAnswers(SHORT_TEXT)), ['Open question', '5 * 3']);
  assert.deepEqual(plain(literalAnswers({ ...SHORT_TEXT, answers: ['*', 'a*'] })), []);
});

test('matching with targets: right when the chosen target is the pair\'s; shared targets and spares', () => {
  // targets: 0 tea, 1 milk, 2 coffee (spare)
  assert.equal(isCorrect(MATCHING_TARGETS, [0, 0, 1]), true);
  assert.equal(isCorrect(MATCHING_TARGETS, [0, 2, 1]), false);
  assert.equal(isCorrect(MATCHING_TARGETS, [1, 0, 0]), false);
  assert.deepEqual(plain(responseIds(MATCHING_TARGETS, [0, 2, 1])), [['x', 't1'], ['y', 't3'], ['z', 't2']]);
});

test('matching without targets: the pairs\' own matches under the pairs\' ids, as before', () => {
  assert.deepEqual(plain(CCM.scoring.matchTargets(MATCHING)), [{ id: 'p', text: 'mp' }, { id: 'q', text: 'mq' }, { id: 'r', text: 'mr' }]);
  assert.deepEqual(plain(responseIds(MATCHING, [1, 0, 2])), [['p', 'q'], ['q', 'p'], ['r', 'r']]);
});

test('response ids of the other types', () => {
  assert.deepEqual(plain(responseIds(SINGLE, 2)), ['c']);
  assert.deepEqual(plain(responseIds(MULTIPLE, [0, 1])), ['a', 'b']);
  assert.deepEqual(plain(responseIds(TRUE_FALSE, true)), [true]);
  assert.deepEqual(plain(responseIds(ORDERING, [2, 0, 1])), ['c', 'a', 'b']);
  assert.deepEqual(plain(responseIds(SHORT_TEXT, '  x y ')), ['x y']);
});

test('attempt results: overall score, per competency, cross-linked competencies only when judged', () => {
  const q2 = { ...TRUE_FALSE, id: 'q2', competency: 'c2' };
  const q3 = { ...SINGLE, id: 'q3', competency: 'c3' };
  const c = course([SINGLE, q2, q3]);
  c.competencies.push({ id: 'c3', title: 'Third', iri: 'https://example.org/c3', primary: false, crossLink: true });
  const r = plain(attemptResults(c, { draw: [0, 1], answers: [1, true] }, 50));
  assert.deepEqual(r.ok, [true, false]);
  assert.equal(r.score, 50);
  assert.equal(r.passed, true);
  assert.deepEqual(r.competencies, [{ id: 'c1', title: 'First', score: 100, status: 'passed', asked: 1 },
    { id: 'c2', title: 'Second', score: 0, status: 'failed', asked: 1 }]);
  const withC3 = plain(attemptResults(c, { draw: [2], answers: [0] }, 80));
  assert.deepEqual(withC3.competencies.map((x) => [x.id, x.score, x.status]),
    [['c1', null, 'not-assessed'], ['c2', null, 'not-assessed'], ['c3', 0, 'failed']]);
});

test('the competency rule: judged at two questions asked, or every question the bank has when fewer', () => {
  const { judge } = CCM.scoring;
  assert.deepEqual(plain(judge(1, 0, 3, 80)), { score: null, status: 'not-assessed' }, 'one of three asked');
  assert.deepEqual(plain(judge(0, 0, 1, 80)), { score: null, status: 'not-assessed' }, 'the only one not asked');
  assert.deepEqual(plain(judge(1, 0, 1, 80)), { score: 0, status: 'failed' }, 'the only one asked');
  assert.deepEqual(plain(judge(2, 1, 9, 50)), { score: 50, status: 'passed' }, 'two asked, at the pass mark');
  assert.deepEqual(plain(judge(3, 2, 9, 80)), { score: 67, status: 'failed' });
  assert.deepEqual(plain(judge(0, 0, 0, 80)), { score: null, status: 'completed' }, 'no question in the bank');
});

test('a draw with one question on a competency leaves it not assessed, not failed at 0 %', () => {
  const qs = ['a', 'b', 'c', 'd'].map((id, i) => ({ ...TRUE_FALSE, id, competency: i < 3 ? 'c1' : 'c2' }));
  qs.push({ ...TRUE_FALSE, id: 'e', competency: 'c2' });
  const r = plain(attemptResults(course(qs), { draw: [0, 1, 2, 3], answers: [false, false, false, true] }, 75));
  assert.equal(r.passed, true);
  assert.deepEqual(r.competencies.map((x) => [x.id, x.score, x.status, x.asked]),
    [['c1', 100, 'passed', 3], ['c2', null, 'not-assessed', 1]]);
  assert.equal(CCM.scoring.unscored(course(qs), 'c2'), 'not-assessed');
  assert.equal(CCM.scoring.unscored(course(qs), 'c9'), 'completed');
});
