import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CCM, plain } from './runtime.mjs';
import { SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, MATCHING_TARGETS, ORDERING, SHORT_TEXT, course } from './fixtures.mjs';

const { encode, decode, fresh } = CCM.state;
const ALL = course([SINGLE, MULTIPLE, TRUE_FALSE, MATCHING, ORDERING, SHORT_TEXT, MATCHING_TARGETS]);
// ten single-choice questions, four drawn per attempt
const BANK = course(Array.from({ length: 10 }, (_, i) => ({ ...SINGLE, id: 's' + i })), { draw: { count: 4, shuffle: true } });

function submitted(c, answers) {
  const st = fresh(c);
  Object.assign(st, { view: 'results', seen: [true, true, true], attempt: 2, qpos: answers.length - 1, submitted: true,
    draw: answers.map((a, i) => i), answers, score: 67 });
  return st;
}
// The 3-digit print of a course's bank that every attempt carries (a hash: only its changes matter).
function print(c) {
  const st = fresh(c);
  st.attempt = 1;
  CCM.state.newDraw(st, c);
  st.answers = st.draw.map(() => null);
  return encode(st, c).split('|')[6].slice(0, 3);
}
const P = print(ALL);
function withText(text) { const st = submitted(ALL, [2, [0, 2], false, [2, 0, 1], [2, 1, 0], text, [2, 0, 1]]); return st; }
function textToken(text) { return encode(withText(text), ALL).split('|')[13]; }

test('a fresh state, and the named views on the wire: page n, quiz, results', () => {
  assert.equal(encode(fresh(ALL), ALL), 'c2|0|0|0|0|0||');
  const st = fresh(ALL);
  st.page = 2;
  assert.equal(encode(st, ALL).split('|')[1], '2');
  st.view = 'quiz';
  assert.equal(encode(st, ALL).split('|')[1], '3');
  assert.deepEqual([decode('c2|2|7|0|0|0||', ALL).view, decode('c2|2|7|0|0|0||', ALL).page], ['page', 2]);
  assert.equal(decode('c2|3|7|0|0|0||', ALL).view, 'quiz');
});

test('every answer type encodes as documented and decodes to itself; the whole bank in order stores no draw', () => {
  const answers = [2, [0, 2], false, [2, 0, 1], [2, 1, 0], 'Caf\u00e9 5%', [2, 0, 1]];
  const text = encode(submitted(ALL, answers), ALL);
  // é is U+00E9 = 233 = 2 * 85 + 63: "~" then the digits 0, 2, 63 ("!", "$", "h")
  assert.equal(text, `c2|4|7|2|6|1|${P}|67|2|5|f|201|210|Caf~!$h 5%|201`);
  const back = plain(decode(text, ALL));
  assert.deepEqual(back.answers, answers);
  assert.deepEqual(back.draw, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(back.view, 'results');
  assert.equal(encode(decode(text, ALL), ALL), text);
});

test('short text: literal when it is no longer, else dense; separators and LMS-sensitive characters never appear', () => {
  assert.equal(textToken('Open question'), 'Open question');
  const dense = textToken('\u20ac\u20ac\u20ac'); // three units: one group of 5 digits and a last one of 3
  assert.equal(dense.charAt(0), '!');
  assert.equal(dense.length, 1 + 5 + 3);
  const awkward = 'a|b;c!d~e"f&g\'h<i>j\\k`l\u00a0m\ud83d\ude00';
  const token = textToken(awkward);
  assert.doesNotMatch(token, /[|;"&'<>\\`\u0080-\uffff]/);
  for (const t of ['Open question', '\u20ac\u20ac\u20ac', awkward, '!', '~', ' x ']) {
    assert.equal(plain(decode(encode(withText(t), ALL), ALL)).answers[5], t, JSON.stringify(t));
  }
  assert.ok(textToken('\u20ac'.repeat(40)).length <= 1 + 100, 'at most 1 + 2.5 characters per unit');
});

test('a module that draws keeps a 3-digit seed, from which the same draw comes back', () => {
  const st = fresh(BANK);
  st.attempt = 1;
  CCM.state.newDraw(st, BANK);
  st.answers = st.draw.map(() => null);
  assert.equal(st.draw.length, 4);
  assert.equal(new Set(st.draw).size, 4);
  assert.ok(st.draw.every((i) => i >= 0 && i < 10));
  const text = encode(st, BANK);
  assert.equal(text.split('|')[6], print(BANK) + text.split('|')[6].slice(3), 'the print, then the seed');
  assert.equal(text.split('|')[6].length, 6);
  assert.deepEqual(plain(decode(text, BANK).draw), st.draw);
  assert.deepEqual(CCM.state.drawOf(BANK, st.seed), st.draw);
  const ordered = { ...BANK, draw: { count: 4, shuffle: false } };
  const inOrder = CCM.state.drawOf(ordered, st.seed);
  assert.deepEqual(inOrder, [...st.draw].sort((a, b) => a - b), 'without shuffle: the same questions in bank order');
  const seeds = new Set(Array.from({ length: 50 }, (_, s) => CCM.state.drawOf(BANK, s).join(',')));
  assert.ok(seeds.size > 40, 'different seeds give different draws');
});

test('a state of format c1 is still read and written again as c2', () => {
  const old = 'c1|4|7|2|6|1|0123456|67|2|5|f|201|210|Caf%C3%A9 5%25|201';
  const st = decode(old, ALL);
  assert.deepEqual(plain(st.answers), [2, [0, 2], false, [2, 0, 1], [2, 1, 0], 'Caf\u00e9 5%', [2, 0, 1]]);
  assert.equal(encode(st, ALL), `c2|4|7|2|6|1|${P}|67|2|5|f|201|210|Caf~!$h 5%|201`);
  // a c1 draw has no seed: it is kept as "~" and its indexes until the next attempt
  const drawn = decode('c1|3|0|1|0|0|9270|||||', BANK);
  assert.deepEqual(plain(drawn.draw), [9, 2, 7, 0]);
  const again = encode(drawn, BANK);
  assert.equal(again, `c2|3|0|1|0|0|${print(BANK)}~9270|||||`);
  assert.deepEqual(plain(decode(again, BANK).draw), [9, 2, 7, 0]);
  assert.throws(() => decode('c1|4|7|1|0|0|1023456||||||||', ALL), /state: draw/, 'no draw: only the written order');
});

test('an attempt saved against another bank is refused, even where every answer would still decode', () => {
  const st = submitted(ALL, [2, [0, 2], false, [2, 0, 1], [2, 1, 0], 'open', [2, 0, 1]]);
  const text = encode(st, ALL);
  const renamed = { ...ALL, questions: ALL.questions.map((q, i) => (i === 0 ? { ...q, id: 'q-other' } : q)) };
  const reordered = { ...ALL, questions: [ALL.questions[1], ALL.questions[0], ...ALL.questions.slice(2)] };
  const grownBank = { ...ALL, questions: [...ALL.questions, { ...SINGLE, id: 'q-new' }] };
  // saved orderings and matches are positions in the lists as shipped, which a rebuild may ship in another order
  const shipped = (i, key, list) => ({ ...ALL, questions: ALL.questions.map((q, k) => (k === i ? { ...q, [key]: list(q[key]) } : q)) });
  const itemsMoved = shipped(4, 'items', (items) => [items[1], items[0], items[2]]);
  const targetsMoved = shipped(6, 'targets', (targets) => [targets[2], targets[0], targets[1]]);
  const targetReworded = shipped(6, 'targets', (targets) => [{ ...targets[0], text: 'green tea' }, ...targets.slice(1)]);
  for (const c of [renamed, reordered, grownBank, itemsMoved, targetsMoved, targetReworded]) assert.notEqual(print(c), P);
  assert.throws(() => decode(text, renamed), /state: bank changed/);
  assert.throws(() => decode(text.replace(P, P === '!!!' ? '!!#' : '!!!'), ALL), /state: bank changed/);
});

test('results of an attempt not submitted open on the quiz', () => {
  assert.equal(decode(`c2|4|7|1|0|0|${P}||||||||`, ALL).view, 'quiz');
});

test('foreign and damaged states are refused', () => {
  const bad = ['', 'c3|0|0|0|0|0||', 'c2|0|0|0|0|0|', 'c2|5|0|0|0|0||', 'c2|0|8|0|0|0||', 'c2|0|0|1|0|0|~0123455||||||||',
    'c2|0|0|1|0|1|||||||||', 'c2|0|0|0|0|0||101', 'c2|0|0|1|0|0|||||||%ZZ|', 'c2|0|0|1|0|0||||||||203',
    'c2|0|0|1|0|0||||||||!|', 'c2|0|0|1|0|0||||||||~!!a|', 'c2|0|0|1|0|0||||||||!!!!!!!|', 'c2|0|0|1|0|0||||||||a\u00e9|',
    'c2|0|0|1|0|0|!!!||||||||', 'c1|0|0|1|0|0|0123455||||||||', 'c1|0|0|1|0|0|0123456||||||%ZZ|'];
  for (const text of bad) assert.throws(() => decode(text, ALL), /state: /, JSON.stringify(text));
  for (const text of ['c2|0|0|1|0|0||||||', 'c2|0|0|1|0|0|!!||||', 'c2|0|0|1|0|0|!!!!|||||', 'c2|0|0|1|0|0|~01||||']) {
    assert.throws(() => decode(text, BANK), /state: /, JSON.stringify(text));
  }
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
  assert.deepEqual(plain(decode(`c2|4|7|1|0|1|${print(small)}|0|222`, small).answers), [[2, 2, 2]]);
});

test('pathway state: the module open (or the menu), the passing day, each module', () => {
  const m = course([SINGLE]);
  const p = { kind: 'pathway', modules: [m, course([])] };
  const ps = CCM.pathwayState.fresh(p);
  assert.equal(ps.open, null);
  assert.equal(CCM.pathwayState.encode(ps, p), 'p2;;;;');
  ps.open = 0;
  ps.modules[0] = { state: fresh(m) };
  ps.modules[1] = { result: { score: null, passed: true, competencies: [{ id: 'c1', score: null, status: 'completed' }] } };
  const text = CCM.pathwayState.encode(ps, p);
  assert.equal(text, 'p2;0;;0|0|0|0|0||;=c,n,x');
  const back = CCM.pathwayState.decode(text, p);
  assert.equal(back.open, 0);
  assert.equal(CCM.pathwayState.encode(back, p), text);
  assert.throws(() => CCM.pathwayState.decode('p2;2;;;', p), /state: view/);
});

test('a pathway state of format p1 is still read: its results, and its modules in progress in format c1', () => {
  const m = course([SINGLE, SHORT_TEXT]);
  const p = { kind: 'pathway', modules: [m, m, course([])] };
  const back = CCM.pathwayState.decode('p1;1;;=100p,100,x;3|7|1|1|0|01||1|Caf%C3%A9;', p);
  assert.deepEqual(plain(back.modules[0].result), { score: 100, passed: true, competencies: [{ id: 'c1', score: 100, status: 'passed' }] });
  assert.deepEqual(plain(back.modules[1].state.answers), [1, 'Caf\u00e9']);
  assert.equal(CCM.pathwayState.encode(back, p), `p2;1;;=100p,100,x;3|7|1|1|0|${print(m)}||1|Caf~!$h;`);
  const mixed = CCM.pathwayState.decode(`p1;1;;=100p,100,x;3|7|1|1|0|${print(m)}||1|Caf~!$h;`, p);
  assert.deepEqual(mixed.lost, [1], 'p1 holds c1 tokens: a c2 token there is not read');
});

test('a pathway module that changed since (its bank) starts again alone; the others are kept and listed as kept', () => {
  const m = course([SINGLE, SHORT_TEXT]);
  const p = { kind: 'pathway', modules: [m, m] };
  const ps = CCM.pathwayState.fresh(p);
  ps.modules[0] = { result: { score: 100, passed: true, competencies: [{ id: 'c1', score: 100, status: 'passed' }] } };
  ps.modules[1] = { state: submitted(m, [1, 'open']) };
  ps.open = 1;
  const text = CCM.pathwayState.encode(ps, p);
  const changed = { ...p, modules: [m, { ...m, questions: [...m.questions, { ...SINGLE, id: 'q-added' }] }] };
  const back = CCM.pathwayState.decode(text, changed);
  assert.deepEqual(back.lost, [1]);
  assert.equal(back.modules[1], null);
  assert.deepEqual(plain(back.modules[0]), plain(ps.modules[0]));
  assert.deepEqual(CCM.pathwayState.decode(text, p).lost, []);
  assert.throws(() => CCM.pathwayState.decode('p2;1;;=100p,100,x', changed), /state: version/, 'the header must still be whole');
});
