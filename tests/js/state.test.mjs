import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CCM, plain } from './runtime.mjs';
import { SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, MATCHING_TARGETS, ORDERING, SHORT_TEXT, course } from './fixtures.mjs';

const { encode, decode, fresh } = CCM.state;
const ALL = course([SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, ORDERING, SHORT_TEXT, MATCHING_TARGETS]);

function submitted(c, answers) {
  const st = fresh(c);
  Object.assign(st, { view: 'results', seen: [true, true, true], attempt: 2, qpos: answers.length - 1, submitted: true,
    draw: answers.map((a, i) => i), answers, score: 67 });
  return st;
}

test('a fresh state, and the named views on the wire: page n, quiz, results', () => {
  assert.equal(encode(fresh(ALL), ALL), 'c1|0|0|0|0|0||');
  const st = fresh(ALL);
  st.page = 2;
  assert.equal(encode(st, ALL).split('|')[1], '2');
  st.view = 'quiz';
  assert.equal(encode(st, ALL).split('|')[1], '3');
  assert.deepEqual([decode('c1|2|7|0|0|0||', ALL).view, decode('c1|2|7|0|0|0||', ALL).page], ['page', 2]);
  assert.equal(decode('c1|3|7|0|0|0||', ALL).view, 'quiz');
});

test('every answer type encodes as documented and decodes to itself', () => {
  const answers = [2, [0, 2], false, [2, 0, 1], [2, 1, 0], 'Caf\u00e9 5%', [2, 0, 1]];
  const text = encode(submitted(ALL, answers), ALL);
  assert.equal(text, 'c1|4|7|2|6|1|0123456|67|2|5|f|201|210|Caf%C3%A9 5%25|201');
  const back = plain(decode(text, ALL));
  assert.deepEqual(back.answers, answers);
  assert.equal(back.view, 'results');
  assert.equal(encode(decode(text, ALL), ALL), text);
});

test('results of an attempt not submitted open on the quiz', () => {
  assert.equal(decode('c1|4|7|1|0|0|0123456||||||||', ALL).view, 'quiz');
});

test('foreign and damaged states are refused', () => {
  const bad = ['', 'c2|0|0|0|0|0||', 'c1|0|0|0|0|0|', 'c1|5|0|0|0|0||', 'c1|0|8|0|0|0||', 'c1|0|0|1|0|0|0123455||||||||',
    'c1|0|0|1|0|1|0123456||||||||', 'c1|0|0|0|0|0||101', 'c1|0|0|1|0|0|0123456||||||%ZZ|', 'c1|0|0|1|0|0|0123456|||||||203'];
  for (const text of bad) assert.throws(() => decode(text, ALL), /state: /, JSON.stringify(text));
});

test('matching with targets: the index into targets, as wide as the targets need', () => {
  const targets = Array.from({ length: 37 }, (_, i) => ({ id: 't' + i, text: 'T' + i }));
  const wide = { ...MATCHING_TARGETS, pairs: MATCHING_TARGETS.pairs.slice(0, 2).map((p, i) => ({ ...p, target: 't' + i })), targets };
  const c = course([wide]);
  const text = encode(submitted(c, [[36, 0]]), c);
  assert.equal(text.split('|').pop(), '1000', 'index 36 is "10": two digits each');
  assert.deepEqual(plain(decode(text, c).answers), [[36, 0]]);
  assert.throws(() => decode(text.replace(/1000$/, '1100'), c), /state: index/, 'index 37 is out of range');
  // three targets for three prompts: a spare index (2) is a valid choice for any prompt
  const small = course([MATCHING_TARGETS]);
  assert.deepEqual(plain(decode('c1|4|7|1|0|1|0|0|222', small).answers), [[2, 2, 2]]);
});

test('pathway state: the module open (or the menu), the passing day, each module', () => {
  const m = course([SINGLE]);
  const p = { kind: 'pathway', modules: [m, course([])] };
  const ps = CCM.pathwayState.fresh(p);
  assert.equal(ps.open, null);
  assert.equal(CCM.pathwayState.encode(ps, p), 'p1;;;;');
  ps.open = 0;
  ps.modules[0] = { state: fresh(m) };
  ps.modules[1] = { result: { score: null, passed: true, competencies: [{ id: 'c1', score: null, status: 'completed' }] } };
  const text = CCM.pathwayState.encode(ps, p);
  assert.equal(text, 'p1;0;;0|0|0|0|0||;=c,n,x');
  const back = CCM.pathwayState.decode(text, p);
  assert.equal(back.open, 0);
  assert.equal(CCM.pathwayState.encode(back, p), text);
  assert.throws(() => CCM.pathwayState.decode('p1;2;;;', p), /state: view/);
});
