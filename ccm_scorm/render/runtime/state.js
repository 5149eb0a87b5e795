/* ccm-scorm learner runtime: the compact state codecs (CCM.state, CCM.pathwayState). Pure.
 *
 * The state is one short string, so that it fits SCORM 1.2's 4096-character
 * cmi.suspend_data. ccm_scorm/render/state_size.py mirrors this exactly: change both.
 *
 *   c1|V|S|A|P|U|D|R|T0|T1|...|Tk-1      ("|" separates fields; k = questions drawn)
 *
 *   c1  format version
 *   V   the view, base36: 0..n-1 content page (view "page"), n "quiz", n+1 "results"
 *   S   pages seen: hex, exactly ceil(n/4) digits; digit j holds pages 4j..4j+3,
 *       bit 0 (value 1) is page 4j
 *   A   attempt, decimal, 0 (quiz not started) to 999 (attempts are capped at 999)
 *   P   position of the current question in the draw, base36
 *   U   "1" if the current attempt has been submitted, else "0"
 *   D   the draw: k question-bank indexes in the order asked, each base36 padded to
 *       the width of (bank size - 1); empty before the first attempt
 *   R   score of the last submitted attempt, decimal 0-100, empty if none
 *   Ti  the checked (locked) answer to the i-th question asked; empty = not yet checked
 *         single      option index, base36
 *         multiple    options chosen as hex bits, exactly ceil(options/4) digits (as S)
 *         true-false  "t" or "f"
 *         matching    for each prompt in written order, the index of the chosen
 *                     target, base36 padded to the width of (targets - 1); the targets
 *                     are the question's `targets`, else its pairs' matches
 *         ordering    item indexes in the learner's order, padded to the width of (items - 1)
 *         short-text  the trimmed text as UTF-8, every byte other than A-Z a-z 0-9
 *                     and space written %XX (upper-case hex): at most 9 characters
 *                     per UTF-16 unit, and the text is at most maxLength units
 * Anything that does not decode exactly is rejected: the learner starts afresh.
 *
 * In memory the view is named: st.view is "page", "quiz" or "results", st.page the page.
 */
(function (CCM) {
  'use strict';
  var STATE_VERSION = 'c1';
  var b36 = CCM.b36, width36 = CCM.width36, pad = CCM.pad, scoring = CCM.scoring;

  function fail(why) { throw new Error('state: ' + why); }
  function parseIntStrict(s, re, radix) { if (!re.test(s)) fail('number'); return parseInt(s, radix); }

  function bitsToHex(bits, n) {
    var out = '';
    for (var j = 0; j < Math.ceil(n / 4); j++) {
      var v = 0;
      for (var b = 0; b < 4; b++) if (bits[4 * j + b]) v |= 1 << b;
      out += v.toString(16);
    }
    return out;
  }
  function hexToBits(s, n) {
    if (s.length !== Math.ceil(n / 4) || /[^0-9a-f]/.test(s)) fail('bits');
    var bits = [];
    for (var i = 0; i < Math.ceil(n / 4) * 4; i++) {
      var on = (parseInt(s.charAt(i >> 2), 16) >> (i & 3)) & 1;
      if (i < n) bits.push(!!on); else if (on) fail('bits');
    }
    return bits;
  }
  // `count` base36 numbers of `limit` possible values, fixed width
  function fixedList(s, count, limit) {
    var w = width36(limit);
    if (s.length !== count * w) fail('list');
    var out = [];
    for (var i = 0; i < count; i++) {
      var v = parseIntStrict(s.substr(i * w, w), /^[0-9a-z]+$/, 36);
      if (v >= limit) fail('index');
      out.push(v);
    }
    return out;
  }
  function percentEncode(text) {
    var bytes = new TextEncoder().encode(text), out = '';
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      if ((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 32) out += String.fromCharCode(b);
      else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
    }
    return out;
  }
  function percentDecode(s) {
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
      case 'short-text': return percentEncode(a);
    }
    fail('type');
  }
  function decodeOrder(q, s) {
    var order = fixedList(s, q.items.length, q.items.length);
    if (order.slice().sort(function (x, y) { return x - y; }).some(function (x, i) { return x !== i; })) fail('order');
    return order;
  }
  function decodeAnswer(q, s) {
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
        var text = percentDecode(s);
        if (!text.trim() || text.length > scoring.maxLengthOf(q)) fail('text');
        return text;
    }
    fail('type');
  }

  function freshState(course) {
    return { view: 'page', page: 0, seen: course.pages.map(function () { return false; }), attempt: 0, qpos: 0,
      submitted: false, draw: [], answers: [], score: null };
  }
  function viewNumber(st, n) { return st.view === 'quiz' ? n : st.view === 'results' ? n + 1 : st.page; }
  function setView(st, number, n) {
    st.view = number < n ? 'page' : number === n ? 'quiz' : 'results';
    st.page = number < n ? number : 0;
  }

  function encodeState(st, course) {
    var qs = course.questions || [], n = course.pages.length, bw = width36(qs.length);
    var fields = [STATE_VERSION, b36(viewNumber(st, n)), bitsToHex(st.seen, n), String(st.attempt), b36(st.qpos),
      st.submitted ? '1' : '0', st.draw.map(function (i) { return pad(b36(i), bw); }).join(''),
      st.score === null || st.score === undefined ? '' : String(st.score)];
    st.draw.forEach(function (qi, i) { fields.push(encodeAnswer(qs[qi], st.answers[i])); });
    return fields.join('|');
  }

  function decodeDraw(field, count, bank) {
    var bw = width36(bank), draw = [];
    if (field.length !== count * bw) fail('draw');
    for (var i = 0; i < count; i++) {
      var qi = parseIntStrict(field.substr(i * bw, bw), /^[0-9a-z]+$/, 36);
      if (qi >= bank || draw.indexOf(qi) >= 0) fail('draw index');
      draw.push(qi);
    }
    return draw;
  }
  function decodeState(text, course) {
    if (typeof text !== 'string') fail('not text');
    var f = text.split('|'), qs = course.questions || [], n = course.pages.length;
    var hasQuiz = qs.length > 0, k = hasQuiz ? scoring.perAttempt(course) : 0;
    if (f[0] !== STATE_VERSION || f.length < 8) fail('version');
    var st = freshState(course), view = parseIntStrict(f[1], /^[0-9a-z]+$/, 36);
    if (view >= (hasQuiz ? n + 2 : n)) fail('view');
    st.seen = hexToBits(f[2], n);
    st.attempt = parseIntStrict(f[3], /^(0|[1-9][0-9]{0,2})$/, 10);
    st.qpos = parseIntStrict(f[4], /^[0-9a-z]+$/, 36);
    if (f[5] !== '0' && f[5] !== '1') fail('submitted');
    st.submitted = f[5] === '1';
    var drawCount = st.attempt ? k : 0;
    if (!hasQuiz && st.attempt) fail('attempt');
    st.draw = decodeDraw(f[6], drawCount, qs.length);
    if (f[7] !== '') { st.score = parseIntStrict(f[7], /^(0|[1-9][0-9]?|100)$/, 10); }
    if (f.length !== 8 + drawCount) fail('answers');
    st.answers = st.draw.map(function (qi, j) { return decodeAnswer(qs[qi], f[8 + j]); });
    if (drawCount && st.qpos >= drawCount) fail('position');
    if (!drawCount && st.qpos) fail('position');
    if (st.submitted && st.answers.some(function (a) { return a === null; })) fail('submitted');
    setView(st, view === n + 1 && !st.submitted ? n : view, n);
    return st;
  }

  /* ---------------------------------------------------------- pathway state
   * A pathway package keeps every module's progress in one string (SCORM 1.2:
   * 4096 characters). ccm_scorm/render/state_size.py mirrors this exactly: change both.
   *
   *   p1;V;D;T0;T1;...;Tm-1           (";" separates fields; m = modules in the pathway)
   *
   *   p1  format version
   *   V   the module open, base36 index into the pathway's modules; empty = the menu
   *   D   the day the pathway was passed, base36 days since 1970-01-01 (UTC); empty if not yet
   *   Ti  module i:
   *         empty              not started
   *         "=" S F C1,...     finished (passed, failed with no attempts left, or no quiz and
   *                            every page seen): S last score (decimal, empty without a quiz),
   *                            F "p" passed, "f" failed, "c" completed (no quiz), then for each
   *                            competency of the module's course data, in order, "," and its
   *                            score (decimal), "n" (completed, no score) or "x" (left out)
   *         anything else      in progress: the module's own state (format c1 above) without
   *                            its leading "c1|"; never shortened, so no answer is lost
   *
   * In memory: ps.open is the index of the module open, null for the menu.
   */
  var PATHWAY_VERSION = 'p1';
  function freshPathway(course) { return { open: null, date: null, modules: course.modules.map(function () { return null; }) }; }
  function encodeResult(r, m) {
    var hasQuiz = (m.questions || []).length > 0, by = {};
    (r.competencies || []).forEach(function (c) { by[c.id] = c; });
    return '=' + (hasQuiz ? String(r.score) + (r.passed ? 'p' : 'f') : 'c') + m.competencies.map(function (c) {
      var x = by[c.id];
      return ',' + (!x ? 'x' : x.score === null || x.score === undefined ? 'n' : String(x.score));
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
        status: score === null ? 'completed' : score >= passMark(m) ? 'passed' : 'failed' });
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
    if (f[0] !== PATHWAY_VERSION || f.length !== 3 + M) fail('version');
    if (f[1] !== '') { ps.open = parseIntStrict(f[1], /^[0-9a-z]+$/, 36); if (ps.open >= M || b36(ps.open) !== f[1]) fail('view'); }
    if (f[2] !== '') ps.date = parseIntStrict(f[2], /^[1-9a-z][0-9a-z]{0,3}$/, 36);
    course.modules.forEach(function (m, i) {
      var t = f[3 + i];
      if (t === '') return;
      ps.modules[i] = t.charAt(0) === '=' ? { result: decodeResult(t, m, passMark) }
        : { state: decodeState(STATE_VERSION + '|' + t, m) };
    });
    if (ps.date !== null && !ps.modules.every(function (t) { return t && t.result && t.result.passed; })) fail('date');
    return ps;
  }

  CCM.version = STATE_VERSION;
  CCM.pathwayVersion = PATHWAY_VERSION;
  CCM.state = { encode: encodeState, decode: decodeState, fresh: freshState };
  CCM.pathwayState = { encode: encodePathway, decode: decodePathway, fresh: freshPathway };
})(window.CCM);
