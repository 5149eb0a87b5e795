/* ccm-scorm learner runtime: the compact state codecs (CCM.state, CCM.pathwayState). Pure.
 *
 * The state is one short string, so that it fits SCORM 1.2's 4096-character
 * cmi.suspend_data. ccm_scorm/render/state_size.py mirrors this exactly: change both.
 *
 *   c2|V|S|A|P|U|X|R|T0|T1|...|Tk-1      ("|" separates fields; k = questions asked)
 *
 *   c2  format version
 *   V   the view, base36: 0..n-1 content page (view "page"), n "quiz", n+1 "results"
 *   S   pages seen: hex, exactly ceil(n/4) digits; digit j holds pages 4j..4j+3,
 *       bit 0 (value 1) is page 4j
 *   A   attempt, decimal, 0 (quiz not started) to 999 (attempts are capped at 999)
 *   P   position of the current question in the attempt, base36
 *   U   "1" if the current attempt has been submitted, else "0"
 *   X   the draw, never stored question by question: empty before the first attempt; else the
 *       bank's print (3 digits of DIGITS below, base 85: bankPrint, which changes when the
 *       questions do, so that an attempt is never read against other questions), then nothing
 *       for a module that asks its whole bank in written order; for a module that draws, the
 *       attempt's seed, 3 digits (never starting "~"), from which drawOf derives the draw; "~" and the bank indexes
 *       (base36, padded to the width of bank size - 1) only for a draw read from a c1 state,
 *       until the next attempt
 *   R   score of the last submitted attempt, decimal 0-100, empty if none
 *   Ti  the checked (locked) answer to the i-th question asked; empty = not yet checked
 *         single      option index, base36
 *         multiple    options chosen as hex bits, exactly ceil(options/4) digits (as S)
 *         true-false  "t" or "f"
 *         matching    for each prompt in written order, the index of the chosen
 *                     target, base36 padded to the width of (targets - 1); the targets
 *                     are the question's `targets`, else its pairs' matches
 *         ordering    item indexes in the learner's order, padded to the width of (items - 1)
 *         short-text  the trimmed text, UTF-16 unit by unit, the shorter of
 *                       literal  space and DIGITS but "!" and "~" as themselves, any other
 *                                unit "~" and its code in 3 digits (a literal never starts "!")
 *                       dense    "!" then 5 digits for each two units (a * 65536 + b) and
 *                                3 for a last odd one: at most 1 + 2.5 characters per unit
 *                     (literal when both are as long); the text is at most maxLength units
 * DIGITS are the 85 printable ASCII characters other than " & ' < > \ ` | ; (nothing an LMS
 * might escape or cut, and neither separator). Anything that does not decode exactly (to a state
 * that encodes back to the same text) is rejected: the learner starts afresh.
 *
 * Format c1 (before the draw seed and the dense text) is still read: its draw is kept as
 * "~" and its indexes, its short texts were UTF-8 with every byte other than A-Z a-z 0-9 and
 * space written %XX.
 *
 * In memory the view is named: st.view is "page", "quiz" or "results", st.page the page;
 * st.seed is the draw's seed (null: no draw, or a draw read from c1).
 */
(function (CCM) {
  'use strict';
  var STATE_VERSION = 'c2', OLD_VERSION = 'c1';
  var b36 = CCM.b36, width36 = CCM.width36, pad = CCM.pad, scoring = CCM.scoring;
  var DIGITS = '!#$%()*+,-./0123456789:=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{}~';
  var LITERAL = ' ' + DIGITS.slice(1, -1), SEED_WIDTH = 3, SEEDS = Math.pow(85, SEED_WIDTH), DENSE = '!', ESCAPE = '~';

  function fail(why) { throw new Error('state: ' + why); }
  function parseIntStrict(s, re, radix) { if (!re.test(s)) fail('number'); return parseInt(s, radix); }

  // `value` in `width` base-85 digits, and back (undefined for anything but digits)
  function digits(value, width) {
    var out = '';
    for (var i = 0; i < width; i++) { out = DIGITS.charAt(value % 85) + out; value = Math.floor(value / 85); }
    return out;
  }
  function undigits(s) {
    var v = 0;
    for (var i = 0; i < s.length; i++) { var d = DIGITS.indexOf(s.charAt(i)); if (d < 0) fail('digit'); v = v * 85 + d; }
    return v;
  }

  function bitsToHex(bits, n) {
    var out = '';
    for (var j = 0; j < Math.ceil(n / 4); j++) {
      var v = 0;
      for (var b = 0; b < 4; b++) if (bits[4 * j + b]) v |= 1 << b;
      out += v.toString(16);
    }
    return out;
  }
  // (only hex that encodes back to itself: the right length, lower case, no bit set past n)
  function hexToBits(s, n) {
    var bits = CCM.range(n).map(function (i) { return !!(parseInt(s.charAt(i >> 2), 16) >> (i & 3) & 1); });
    if (bitsToHex(bits, n) !== s) fail('bits');
    return bits;
  }
  // `count` base36 numbers of `limit` possible values, fixed width
  function fixedList(s, count, limit) {
    var w = width36(limit), out = CCM.range(count).map(function (i) { return parseInt(s.substr(i * w, w), 36); });
    if (indexes(out, limit) !== s) fail('list');
    if (out.some(function (v) { return v < 0 || v >= limit; })) fail('index'); // ("-1" encodes back)
    return out;
  }

  // Any UTF-16 unit in 3 digits, two of them in 5 (65536 * 65536 < 85^5); a text as its shorter form.
  function unitDigits(pair) {
    return pair.length > 1 ? digits(pair.charCodeAt(0) * 65536 + pair.charCodeAt(1), 5) : digits(pair.charCodeAt(0), 3);
  }
  function encodeText(text) {
    var literal = text.replace(/[\s\S]/g, function (c) { return LITERAL.indexOf(c) >= 0 ? c : ESCAPE + unitDigits(c); });
    var dense = DENSE + text.replace(/[\s\S]{1,2}/g, unitDigits);
    return literal.length <= dense.length ? literal : dense;
  }
  function digitUnits(group) {
    var v = undigits(group);
    return group.length > 3 ? String.fromCharCode(Math.floor(v / 65536), v % 65536) : String.fromCharCode(v);
  }
  // Read either form; only a text that encodes back to exactly `s` is accepted (so no value is out of range).
  function decodeText(s) {
    var text = s.charAt(0) === DENSE ? s.slice(1).replace(/[\s\S]{1,5}/g, digitUnits)
      : s.replace(/~([\s\S]{0,3})/g, function (all, group) { return digitUnits(group); });
    if (encodeText(text) !== s) fail('text');
    return text;
  }
  function percentDecode(s) { // format c1's short texts
    if (/[^A-Za-z0-9 %]|%(?![0-9A-F]{2})/.test(s)) fail('text');
    var bytes = [];
    for (var i = 0; i < s.length; i++) {
      if (s.charAt(i) === '%') { bytes.push(parseInt(s.substr(i + 1, 2), 16)); i += 2; } else bytes.push(s.charCodeAt(i));
    }
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  }

  function indexes(list, limit) { var w = width36(limit); return list.map(function (v) { return pad(b36(v), w); }).join(''); }
  function encodeAnswer(q, a) {
    if (a === null || a === undefined) return '';
    switch (q.type) {
      case 'single': return b36(a);
      case 'multiple': return bitsToHex(q.options.map(function (o, i) { return a.indexOf(i) >= 0; }), q.options.length);
      case 'true-false': return a ? 't' : 'f';
      case 'matching': return indexes(a, scoring.matchTargets(q).length);
      case 'ordering': return indexes(a, q.items.length);
      case 'short-text': return encodeText(a);
    }
    fail('type');
  }
  function decodeOrder(q, s) {
    var order = fixedList(s, q.items.length, q.items.length);
    if (order.slice().sort(function (x, y) { return x - y; }).some(function (x, i) { return x !== i; })) fail('order');
    return order;
  }
  function decodeAnswer(q, s, old) {
    if (s === '') return null;
    switch (q.type) {
      case 'single':
        var v = parseIntStrict(s, /^[0-9a-z]+$/, 36);
        if (v >= q.options.length || b36(v) !== s) fail('option');
        return v;
      case 'multiple':
        var chosen = [];
        hexToBits(s, q.options.length).forEach(function (on, i) { if (on) chosen.push(i); });
        if (!chosen.length) fail('multiple');
        return chosen;
      case 'true-false':
        if (s !== 't' && s !== 'f') fail('tf');
        return s === 't';
      case 'matching': return fixedList(s, q.pairs.length, scoring.matchTargets(q).length);
      case 'ordering': return decodeOrder(q, s);
      case 'short-text':
        var text = old ? percentDecode(s) : decodeText(s);
        if (!text.trim() || text.length > scoring.maxLengthOf(q)) fail('text');
        return text;
    }
    fail('type');
  }

  /* The questions an attempt asks, as bank indexes. A module that draws walks the bank shuffled by the
   * seed: first each competency (course order, primary first) takes its first judgeAt questions (all it
   * has if fewer) while they fit in the count, then the first others fill the count; they are asked in
   * the shuffled order (bank order when it does not shuffle). Any other asks its whole bank in order. */
  function drawOf(course, seed) {
    var qs = course.questions || [], k = scoring.perAttempt(course), n = 0, taken = [];
    if (!course.draw) return CCM.range(qs.length);
    var order = CCM.shuffleFor('draw', { id: String(seed) }, qs.length);
    function take(list) { if (n + list.length <= k) list.forEach(function (i) { taken[i] = ++n; }); }
    course.competencies.forEach(function (c) {
      take(order.filter(function (i) { return qs[i].competency === c.id; }).slice(0, scoring.judgeAt));
    });
    take(order.filter(function (i) { return !taken[i]; }).slice(0, k - n));
    return (course.draw.shuffle === false ? CCM.range(qs.length) : order).filter(function (i) { return taken[i]; });
  }
  // A new attempt's draw, from a fresh random seed; never one whose first digit is "~", which marks a c1 draw.
  function newDraw(st, course) {
    st.seed = course.draw ? CCM.randomInt(SEEDS - SEEDS / 85) : null;
    st.draw = drawOf(course, st.seed);
  }

  function freshState(course) {
    return { view: 'page', page: 0, seen: course.pages.map(function () { return false; }), attempt: 0, qpos: 0,
      submitted: false, seed: null, draw: [], answers: [], score: null };
  }
  function viewNumber(st, n) { return st.view === 'quiz' ? n : st.view === 'results' ? n + 1 : st.page; }
  function setView(st, number, n) {
    st.view = number < n ? 'page' : number === n ? 'quiz' : 'results';
    st.page = number < n ? number : 0;
  }

  // 3 digits that change with the bank (ids, types, and the order the package ships options, pairs, items and
  // match targets in, which saved answers are positions in): an attempt is never read against other questions.
  function bankPrint(course) {
    var h = 2166136261, t = course.questions.map(function (q) {
      // (targets by text: opening the key gives them their ids)
      return JSON.stringify([q.id, q.type, (q.options || q.pairs || q.items || []).map(function (x) { return x.id; }),
        (q.targets || []).map(function (x) { return x.text; })]);
    }).join(';');
    for (var i = 0; i < t.length; i++) { h ^= t.charCodeAt(i); h = Math.imul(h, 16777619); }
    return digits((h >>> 0) % SEEDS, SEED_WIDTH);
  }
  function encodeDraw(st, course) {
    if (!st.draw.length) return '';
    return bankPrint(course) + (!course.draw ? '' : st.seed != null ? digits(st.seed, SEED_WIDTH) : ESCAPE + indexes(st.draw, course.questions.length));
  }
  function encodeState(st, course) {
    var qs = course.questions || [], n = course.pages.length;
    var fields = [STATE_VERSION, b36(viewNumber(st, n)), bitsToHex(st.seen, n), String(st.attempt), b36(st.qpos),
      st.submitted ? '1' : '0', encodeDraw(st, course), st.score == null ? '' : String(st.score)];
    st.draw.forEach(function (qi, i) { fields.push(encodeAnswer(qs[qi], st.answers[i])); });
    return fields.join('|');
  }

  // Sets st.seed and st.draw: c2 keeps the bank's print and a seed (or "~" and a draw read from c1), c1 the draw itself.
  function decodeDraw(st, field, count, course, old) {
    var print = old || !count ? '' : field.slice(0, SEED_WIDTH), rest = field.slice(print.length);
    if (print && print !== bankPrint(course)) fail('bank changed');
    if (old || rest.charAt(0) === ESCAPE) {
      st.draw = fixedList(old ? rest : rest.slice(1), count, course.questions.length);
      if (st.draw.some(function (qi, i) { return st.draw.indexOf(qi) !== i || (!course.draw && qi !== i); })) fail('draw');
    } else if (count) {
      st.seed = course.draw ? undigits(rest) : null;
      st.draw = drawOf(course, st.seed);
    }
    if (!old && encodeDraw(st, course) !== field) fail('draw');
  }
  function decodeState(text, course) {
    if (typeof text !== 'string') fail('not text');
    var f = text.split('|'), qs = course.questions || [], n = course.pages.length, old = f[0] === OLD_VERSION;
    var hasQuiz = qs.length > 0, k = scoring.perAttempt(course);
    if ((f[0] !== STATE_VERSION && !old) || f.length < 8) fail('version');
    var st = freshState(course), view = parseIntStrict(f[1], /^[0-9a-z]+$/, 36);
    if (view >= (hasQuiz ? n + 2 : n)) fail('view');
    st.seen = hexToBits(f[2], n);
    st.attempt = parseIntStrict(f[3], /^(0|[1-9][0-9]{0,2})$/, 10);
    st.qpos = parseIntStrict(f[4], /^[0-9a-z]+$/, 36);
    if (f[5] !== '0' && f[5] !== '1') fail('submitted');
    st.submitted = f[5] === '1';
    var drawCount = st.attempt ? k : 0;
    if (!hasQuiz && st.attempt) fail('attempt');
    decodeDraw(st, f[6], drawCount, course, old);
    if (f[7] !== '') { st.score = parseIntStrict(f[7], /^(0|[1-9][0-9]?|100)$/, 10); }
    if (f.length !== 8 + drawCount) fail('answers');
    st.answers = st.draw.map(function (qi, j) { return decodeAnswer(qs[qi], f[8 + j], old); });
    if (st.qpos >= (drawCount || 1)) fail('position');
    if (st.submitted && st.answers.some(function (a) { return a === null; })) fail('submitted');
    setView(st, view === n + 1 && !st.submitted ? n : view, n);
    return st;
  }

  /* ---------------------------------------------------------- pathway state
   * A pathway package keeps every module's progress in one string (SCORM 1.2:
   * 4096 characters). ccm_scorm/render/state_size.py mirrors this exactly: change both.
   *
   *   p2;V;D;T0;T1;...;Tm-1           (";" separates fields; m = modules in the pathway)
   *
   *   p2  format version
   *   V   the module open, base36 index into the pathway's modules; empty = the menu
   *   D   the day the pathway was passed, base36 days since 1970-01-01 (UTC); empty if not yet
   *   Ti  module i:
   *         empty              not started
   *         "=" S F C1,...     finished (passed, failed with no attempts left, or no quiz and
   *                            every page seen): S last score (decimal, empty without a quiz),
   *                            F "p" passed, "f" failed, "c" completed (no quiz), then for each
   *                            competency of the module's course data, in order, "," and its
   *                            score (decimal), "n" (completed, no score) or "x" (left out)
   *         anything else      in progress: the module's own state (format c2 above) without
   *                            its leading "c2|"; never shortened, so no answer is lost
   *
   * Format p1 is still read: the same, with its modules in progress in format c1.
   * A module whose token does not decode (the module has changed since: its bank, its
   * competencies) starts again, listed in ps.lost (in memory only) so that the learner is told;
   * the other modules are kept.
   *
   * In memory: ps.open is the index of the module open, null for the menu.
   */
  var PATHWAY_VERSION = 'p2', OLD_PATHWAY = 'p1';
  function freshPathway(course) { return { open: null, date: null, modules: course.modules.map(function () { return null; }) }; }
  function encodeResult(r, m) {
    var hasQuiz = (m.questions || []).length > 0, by = {};
    (r.competencies || []).forEach(function (c) { by[c.id] = c; });
    return '=' + (hasQuiz ? String(r.score) + (r.passed ? 'p' : 'f') : 'c') + m.competencies.map(function (c) {
      var x = by[c.id];
      return ',' + (!x ? 'x' : x.score == null ? 'n' : String(x.score));
    }).join('');
  }
  function decodeResult(s, m, passMark) {
    var hasQuiz = (m.questions || []).length > 0;
    var match = /^=(0|[1-9][0-9]?|100)?([pfc])((?:,(?:x|n|0|[1-9][0-9]?|100))*)$/.exec(s);
    if (!match) fail('result');
    if (hasQuiz !== (match[1] !== undefined) || hasQuiz === (match[2] === 'c')) fail('result kind');
    var values = match[3] ? match[3].slice(1).split(',') : [];
    if (values.length !== m.competencies.length) fail('result competencies');
    var list = [];
    values.forEach(function (v, i) {
      if (v === 'x') return;
      var score = v === 'n' ? null : +v;
      list.push({ id: m.competencies[i].id, score: score,
        status: score === null ? scoring.unscored(m, m.competencies[i].id) : score >= passMark(m) ? 'passed' : 'failed' });
    });
    return { score: hasQuiz ? +match[1] : null, passed: match[2] !== 'f', competencies: list };
  }
  function encodePathway(ps, course) {
    var f = [PATHWAY_VERSION, ps.open === null ? '' : b36(ps.open), ps.date === null ? '' : b36(ps.date)];
    course.modules.forEach(function (m, i) {
      var t = ps.modules[i];
      f.push(!t ? '' : t.result ? encodeResult(t.result, m) : encodeState(t.state, m).slice(STATE_VERSION.length + 1));
    });
    return f.join(';');
  }
  function decodePathway(text, course, passMark) {
    if (typeof text !== 'string') fail('not text');
    passMark = passMark || function (m) { return m.passMark; };
    var f = text.split(';'), M = course.modules.length, ps = freshPathway(course);
    var prefix = (f[0] === OLD_PATHWAY ? OLD_VERSION : STATE_VERSION) + '|';
    if ((f[0] !== PATHWAY_VERSION && f[0] !== OLD_PATHWAY) || f.length !== 3 + M) fail('version');
    if (f[1] !== '') { ps.open = parseIntStrict(f[1], /^[0-9a-z]+$/, 36); if (ps.open >= M || b36(ps.open) !== f[1]) fail('view'); }
    if (f[2] !== '') ps.date = parseIntStrict(f[2], /^[1-9a-z][0-9a-z]{0,3}$/, 36);
    ps.lost = [];
    course.modules.forEach(function (m, i) {
      var t = f[3 + i];
      if (t === '') return;
      try {
        ps.modules[i] = t.charAt(0) === '=' ? { result: decodeResult(t, m, passMark) } : { state: decodeState(prefix + t, m) };
      } catch (e) {
        ps.lost.push(i); // this module changed since (its bank, its competencies): it starts again, the others are kept
      }
    });
    if (ps.date !== null && !ps.modules.every(function (t) { return t && t.result && t.result.passed; })) {
      if (!ps.lost.length) fail('date');
      ps.date = null;
    }
    return ps;
  }

  CCM.version = STATE_VERSION;
  CCM.pathwayVersion = PATHWAY_VERSION;
  CCM.state = { encode: encodeState, decode: decodeState, fresh: freshState, newDraw: newDraw, drawOf: drawOf };
  CCM.pathwayState = { encode: encodePathway, decode: decodePathway, fresh: freshPathway };
})(window.CCM);
