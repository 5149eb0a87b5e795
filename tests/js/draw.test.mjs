// The balanced draw (CCM.state.drawOf): on every bundled module that draws, over every seed a
// state can hold (3 base-85 digits, the first not "~"), each competency gets the questions a verdict needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { CCM, plain } from './runtime.mjs';
import { course, TRUE_FALSE } from './fixtures.mjs';

vm.runInThisContext(readFileSync(new URL('worst-state.js', import.meta.url), 'utf8'), { filename: 'worst-state.js' });

const SEEDS = 84 * 85 ** 2; // a seed never starts with the last digit, "~"
const BUNDLED = `
import json, sys
from ccm_scorm.render import course_data
from ccm_scorm.render.state_size import max_attempt, worst_case_state_length
from ccm_scorm.source import load_course
catalogue = load_course("modules")
json.dump([{"course": course_data(catalogue, m, "standalone"), "worst": worst_case_state_length(m),
            "attempt": max_attempt(m)} for m in catalogue.modules if m.draw], sys.stdout)
`;
const modules = JSON.parse(execFileSync(process.env.PYTHON || 'python3', ['-c', BUNDLED],
  { cwd: new URL('../..', import.meta.url), maxBuffer: 1 << 26, encoding: 'utf8' }));

// What a competency is owed: judgeAt of its questions, or all it has when fewer.
function owed(c) {
  const counts = c.competencies.map((x) => c.questions.filter((q) => q.competency === x.id).length);
  return counts.map((n) => Math.min(CCM.scoring.judgeAt, n));
}

// One pass over every seed: the seeds whose draw is wrong, and the longest draw by answer length.
function scan(c) {
  const k = CCM.scoring.perAttempt(c), need = owed(c), lengths = answerLengths(c); // eslint-disable-line no-undef
  const comp = c.questions.map((q) => c.competencies.findIndex((x) => x.id === q.competency));
  const out = { bad: [], longest: -1, longestDraw: null, first: new Set() };
  for (let seed = 0; seed < SEEDS; seed++) {
    const draw = CCM.state.drawOf(c, seed), got = need.map(() => 0);
    draw.forEach((i) => { got[comp[i]]++; });
    if (draw.length !== k || new Set(draw).size !== k || draw.some((i) => !(i >= 0 && i < c.questions.length)) ||
        got.some((n, j) => n < need[j])) out.bad.push(seed);
    out.first.add(draw[0]);
    const total = draw.reduce((sum, i) => sum + lengths[i], 0);
    if (total > out.longest) Object.assign(out, { longest: total, longestDraw: draw });
  }
  return out;
}
const scans = new Map();
function scanned(m) { if (!scans.has(m)) scans.set(m, scan(m.course)); return scans.get(m); }

test('there are bundled modules that draw, with a competency of 3 questions in a bank of 12', () => {
  assert.ok(modules.length >= 10);
  assert.ok(modules.some((m) => owed(m.course).includes(2) && m.course.questions.length > m.course.draw.count));
});

test('every seed gives every competency of every bundled module its minimum, without duplicates', () => {
  for (const m of modules) {
    const found = scanned(m);
    assert.deepEqual(found.bad.slice(0, 5), [], m.course.id + ': seeds whose draw misses a competency');
    // still random: any question can come first, not only the primary competency's
    assert.equal(found.first.size, m.course.questions.length, m.course.id);
  }
});

test('the longest draw any seed makes is the one state_size.py counts, and its state is that long', () => {
  for (const m of modules) {
    const st = worstModuleState(m.course, scanned(m).longestDraw, m.attempt); // eslint-disable-line no-undef
    assert.equal(CCM.state.encode(st, m.course).length, m.worst, m.course.id);
  }
});

test('the same seed gives the same draw, and a saved state gives it back; without shuffle in bank order', () => {
  const c = modules[0].course, inOrder = { ...c, draw: { ...c.draw, shuffle: false } };
  for (let seed = 0; seed < SEEDS; seed += 4099) {
    const draw = plain(CCM.state.drawOf(c, seed)), st = CCM.state.fresh(c);
    assert.deepEqual(plain(CCM.state.drawOf(c, seed)), draw);
    Object.assign(st, { attempt: 1, seed, draw, answers: draw.map(() => null) });
    assert.deepEqual(plain(CCM.state.decode(CCM.state.encode(st, c), c).draw), draw);
    assert.deepEqual(plain(CCM.state.drawOf(inOrder, seed)), [...draw].sort((x, y) => x - y));
  }
});

// Competencies c1 (primary) and c2 of the fixtures, and c3 named by a question only.
function bank(spec) {
  return spec.flatMap(([competency, n]) => Array.from({ length: n }, (_, i) => ({ ...TRUE_FALSE, id: competency + i, competency })));
}
function competencyCounts(c, seed) {
  const counts = {};
  CCM.state.drawOf(c, seed).forEach((i) => { const x = c.questions[i].competency; counts[x] = (counts[x] || 0) + 1; });
  return counts;
}

test('a count too small for every minimum gives them in order, primary first, while they fit', () => {
  const three = { id: 'c3', title: 'Third', iri: 'https://example.org/c3', primary: false, crossLink: true };
  const base = course(bank([['c1', 1], ['c2', 3], ['c3', 4]]));
  const c = { ...base, competencies: [...base.competencies, three], draw: { count: 2, shuffle: true } };
  for (let seed = 0; seed < 500; seed++) {
    // c1 takes its one question; c2's two do not fit in what is left; c3's two do not either; then at random
    const counts = competencyCounts(c, seed);
    assert.ok(counts.c1 === 1, JSON.stringify(counts));
  }
  const skip = { ...c, questions: bank([['c1', 1], ['c2', 3], ['c3', 1]]), draw: { count: 2, shuffle: true } };
  for (let seed = 0; seed < 500; seed++) assert.deepEqual(competencyCounts(skip, seed), { c1: 1, c3: 1 }, 'c2 skipped, c3 fits');
});

test('a new attempt\'s seed always resumes: never one starting "~", the mark of a c1 draw', () => {
  const c = modules[0].course, random = CCM.randomInt;
  CCM.randomInt = (n) => n - 1; // the highest seed newDraw can pick
  try {
    const st = CCM.state.fresh(c);
    st.attempt = 1;
    CCM.state.newDraw(st, c);
    st.answers = st.draw.map(() => null);
    assert.deepEqual(plain(CCM.state.decode(CCM.state.encode(st, c), c).draw), plain(st.draw));
  } finally {
    CCM.randomInt = random;
  }
});
