// The answer key (answer-key.js) against its Python writer (ccm_scorm/render/answer_key.py): the same hash,
// the same scrambling, exact scoring from a scrambled or a hashed key, and no correct responses reported
// when the page only holds hashes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CCM, plain } from './runtime.mjs';

const ROOT = new URL('../../', import.meta.url);
const TRICKY = ['', 'a', 'Open', '  OPEN \t question ', 'caf\u00e9', 'cafe\u0301', 'Ŵyn a ŷd', '\u00a0non\u2003breaking\ufeff',
  'İstanbul', 'ΣΑΣ', 'emoji 😀', 'a\nb'];

// The test module's questions as the build writes them (tests/support/runtime_build.py), both ways.
function python(script, arg) {
  const root = new URL('.', ROOT).pathname, env = { ...process.env, PYTHONPATH: root + ':' + root + 'tests' };
  const out = execFileSync('python3', ['-c', script, JSON.stringify(arg)], { cwd: root, env, encoding: 'utf8' });
  return JSON.parse(out);
}
const BUILT = python(`
import json, sys
from support.runtime_build import make_course, RIGHT, WRONG
from ccm_scorm.render import course_data
from ccm_scorm.render.answer_key import digest, normalise_text
texts = json.loads(sys.argv[1])
out = {"right": RIGHT, "wrong": WRONG, "hash": [digest(t) for t in texts],
       "normal": [[normalise_text(t, False), normalise_text(t, True)] for t in texts]}
for show in (True, False):
    course, module = make_course(show_answers=show)
    out["shown" if show else "hidden"] = course_data(course, module, "standalone")["questions"]
print(json.dumps(out))
`, TRICKY);

// An answer in the ids the tests write (runtime_build RIGHT/WRONG) as the runtime holds it (indexes).
function indexes(q, ids) {
  switch (q.type) {
    case 'single': return q.options.findIndex(o => o.id === ids[0]);
    case 'multiple': return ids.map(id => q.options.findIndex(o => o.id === id));
    case 'true-false': return ids[0];
    case 'matching': return ids.map(([, target]) => q.targets.findIndex(t => t.id === target));
    case 'ordering': return ids.map(id => q.items.findIndex(i => i.id === id));
  }
  return ids[0];
}
// ...worked out on an opened copy, so that the question itself is opened only by scoring
function answerOf(q, ids) { const copy = plain(q); CCM.key.open(copy); return indexes(copy, ids); }
const fresh = show => plain(BUILT[show ? 'shown' : 'hidden']);

test('the hash and the text normalisation are the same in Python and in the runtime', () => {
  assert.deepEqual(TRICKY.map(CCM.key.hash), BUILT.hash);
  const { normaliseText } = CCM.scoring;
  assert.deepEqual(TRICKY.map(t => [normaliseText(t, false), normaliseText(t, true)]), BUILT.normal);
});

test('no question carries its key in the clear', () => {
  for (const show of [true, false]) {
    for (const q of fresh(show)) {
      for (const field of ['correct', 'answers', 'order']) assert.equal(field in q, false, `${q.id} ${field}`);
      for (const p of q.pairs || []) assert.deepEqual(Object.keys(p).sort(), ['id', 'prompt'], q.id);
      assert.equal(show ? typeof q.key : q.hashes.length > 0, show ? 'string' : true, q.id);
    }
  }
  const ordering = fresh(true).find(q => q.type === 'ordering');
  assert.notDeepEqual(ordering.items.map(i => i.id), BUILT.right[ordering.id], 'items are not shipped in order');
});

test('a scrambled key opens on the first scoring, and scores every type exactly', () => {
  const questions = fresh(true);
  for (const q of questions) {
    const matchTargets = q.targets && q.targets.map(t => t.text);
    const right = answerOf(q, BUILT.right[q.id]);
    assert.equal('key' in q, true, q.id + ' still closed');
    assert.equal(CCM.scoring.isCorrect(q, answerOf(q, BUILT.wrong[q.id])), false, q.id);
    assert.equal('key' in q, false, q.id + ' opened');
    if (matchTargets) assert.deepEqual(q.targets.map(t => t.text), matchTargets, 'the targets keep their order');
    assert.equal(CCM.scoring.isCorrect(q, right), true, q.id);
  }
  const single = questions[0];
  assert.deepEqual(plain(single.correct), ['b']);
});

test('a hashed key scores every type exactly, and marks each part of an answer', () => {
  for (const q of fresh(false)) {
    // hidden targets are named by place: the tests' right matches (by the pairs' own ids) map through the texts
    const seen = fresh(true).find(x => x.id === q.id);
    CCM.key.open(seen);
    const by = ids => (q.type === 'matching'
      ? ids.map(([p, t]) => [p, q.targets.find(x => x.text === seen.targets.find(s => s.id === t).text).id]) : ids);
    assert.equal(CCM.scoring.isCorrect(q, indexes(q, by(BUILT.right[q.id]))), true, q.id + ' right');
    assert.equal(CCM.scoring.isCorrect(q, indexes(q, by(BUILT.wrong[q.id]))), false, q.id + ' wrong');
    assert.equal(CCM.key.open(q), false, 'a hashed key never opens');
    if (q.type === 'matching') assert.deepEqual(CCM.key.marks(q, indexes(q, by(BUILT.wrong[q.id]))), [false, false, true]);
  }
  const multiple = fresh(false).find(q => q.type === 'multiple');
  assert.equal(CCM.scoring.isCorrect(multiple, [0]), false, 'one of the two right options is not enough');
  assert.deepEqual(CCM.key.marks(multiple, [0, 2]), [true, false]);
  const short = fresh(false).find(q => q.type === 'short-text');
  assert.equal(CCM.scoring.isCorrect(short, '  OPEN '), true, 'normalised as in the clear');
});

test('short-text wildcards, which cannot be hashed, are still matched without show_answers', () => {
  const q = { id: 'w', iri: 'https://example.org/w', type: 'short-text', caseSensitive: false, maxLength: 40,
    hashes: [CCM.key.hash('https://example.org/w\nexact')], wild: btoaScrambled('https://example.org/w', ['open*ended']) };
  assert.equal(CCM.scoring.isCorrect(q, 'Exact'), true);
  assert.equal(CCM.scoring.isCorrect(q, 'open and ended'), true);
  assert.equal(CCM.scoring.isCorrect(q, 'closed'), false);
});
function btoaScrambled(salt, data) {
  return python(`
import sys, json
from ccm_scorm.render.answer_key import scramble
salt, data = json.loads(sys.argv[1])
print(json.dumps(scramble(salt, data)))
`, [salt, data]);
}

test('correct responses are reported with show_answers, and not at all without', () => {
  const FORMAT = { list: ',', pair: '.', t: 't', f: 'f', text: s => s, caseMatters: '' };
  for (const show of [true, false]) {
    for (const q of fresh(show)) {
      CCM.key.open(q); // as checking the question does
      const patterns = CCM.scorm.patterns(q, FORMAT), definition = CCM.xapi.interaction({ language: 'en-GB' }, q);
      assert.equal(patterns.length > 0, show, q.id);
      assert.equal('correctResponsesPattern' in definition, show, q.id);
    }
  }
  const ordering = fresh(true).find(q => q.type === 'ordering');
  CCM.key.open(ordering);
  assert.deepEqual(CCM.scorm.patterns(ordering, FORMAT), ['a,b,c,d']);
});
