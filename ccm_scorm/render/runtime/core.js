/* ccm-scorm learner runtime: the tracking core.
 * State, scoring, navigation, quiz and results. Talks to the outside world only
 * through the adapter interface described in docs/runtime.md. No network, no framework.
 */
(function () {
  'use strict';

  var STATE_VERSION = 'c1';
  var MAX_ATTEMPT = 999;      // attempts are capped here, so the attempt field has at most 3 digits
  var DEFAULT_MAX_LENGTH = 60;
  var adapters = {};

  /* ------------------------------------------------------------------ helpers */

  function range(n) { var a = []; for (var i = 0; i < n; i++) a.push(i); return a; }
  function b36(n) { return n.toString(36); }
  // width of a fixed-width base36 index for `count` things (indexes 0..count-1)
  function width36(count) { return count > 1 ? b36(count - 1).length : 1; }
  function pad(s, w) { while (s.length < w) s = '0' + s; return s; }
  function fail(why) { throw new Error('state: ' + why); }
  function parseIntStrict(s, re, radix) { if (!re.test(s)) fail('number'); return parseInt(s, radix); }
  function maxLengthOf(q) { return q.maxLength > 0 ? q.maxLength : DEFAULT_MAX_LENGTH; }

  function randomInt(n) { // unbiased, from crypto.getRandomValues
    var c = window.crypto || window.msCrypto;
    if (!c || !c.getRandomValues) return Math.floor(Math.random() * n);
    var buf = new Uint32Array(1), limit = Math.floor(4294967296 / n) * n;
    do { c.getRandomValues(buf); } while (buf[0] >= limit);
    return buf[0] % n;
  }

  // Deterministic shuffle for one (attempt, question id): resume shows the same order without storing it.
  function seeded(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return function () { // mulberry32
      h = (h + 0x6D2B79F5) | 0;
      var t = Math.imul(h ^ (h >>> 15), h | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffleFor(attempt, q, n) {
    var rnd = seeded(attempt + ':' + q.id), a = range(n);
    for (var i = n - 1; i > 0; i--) { var j = Math.floor(rnd() * (i + 1)), t = a[i]; a[i] = a[j]; a[j] = t; }
    if (n > 1 && a.every(function (v, k) { return v === k; })) a.push(a.shift()); // never show the answer
    return a;
  }

  function normaliseText(s, caseSensitive) {
    s = String(s).normalize('NFC').trim().replace(/\s+/g, ' ');
    return caseSensitive ? s : s.toLowerCase();
  }

  /* ------------------------------------------------------------- compact state
   * The state is one short string, so that it fits SCORM 1.2's 4096-character
   * cmi.suspend_data. ccm_scorm/render/state_size.py mirrors this exactly: change both.
   *
   *   c1|V|S|A|P|U|D|R|T0|T1|...|Tk-1      ("|" separates fields; k = questions drawn)
   *
   *   c1  format version
   *   V   current view, base36: 0..n-1 content pages, n quiz, n+1 results
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
   *                     match, base36 padded to the width of (pairs - 1)
   *         ordering    item indexes in the learner's order, padded like matching
   *         short-text  the trimmed text as UTF-8, every byte other than A-Z a-z 0-9
   *                     and space written %XX (upper-case hex): at most 9 characters
   *                     per UTF-16 unit, and the text is at most maxLength units
   * Anything that does not decode exactly is rejected: the learner starts afresh.
   */

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
  function fixedList(s, count, w) {
    if (s.length !== count * w) fail('list');
    var out = [];
    for (var i = 0; i < count; i++) {
      var v = parseIntStrict(s.substr(i * w, w), /^[0-9a-z]+$/, 36);
      if (v >= count) fail('index');
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

  function encodeAnswer(q, a) {
    if (a === null || a === undefined) return '';
    switch (q.type) {
      case 'single': return b36(a);
      case 'multiple': return bitsToHex(q.options.map(function (o, i) { return a.indexOf(i) >= 0; }), q.options.length);
      case 'true-false': return a ? 't' : 'f';
      case 'matching': case 'ordering':
        var w = width36((q.pairs || q.items).length);
        return a.map(function (v) { return pad(b36(v), w); }).join('');
      case 'short-text': return percentEncode(a);
    }
    fail('type');
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
      case 'matching':
        return fixedList(s, q.pairs.length, width36(q.pairs.length));
      case 'ordering':
        var order = fixedList(s, q.items.length, width36(q.items.length));
        if (order.slice().sort(function (x, y) { return x - y; }).some(function (x, i) { return x !== i; })) fail('order');
        return order;
      case 'short-text':
        var text = percentDecode(s);
        if (!text.trim() || text.length > maxLengthOf(q)) fail('text');
        return text;
    }
    fail('type');
  }

  function freshState(course) {
    return { view: 0, seen: course.pages.map(function () { return false; }), attempt: 0, qpos: 0,
      submitted: false, draw: [], answers: [], score: null };
  }

  function encodeState(st, course) {
    var qs = course.questions || [], n = course.pages.length, bw = width36(qs.length);
    var fields = [STATE_VERSION, b36(st.view), bitsToHex(st.seen, n), String(st.attempt), b36(st.qpos),
      st.submitted ? '1' : '0', st.draw.map(function (i) { return pad(b36(i), bw); }).join(''),
      st.score === null || st.score === undefined ? '' : String(st.score)];
    st.draw.forEach(function (qi, i) { fields.push(encodeAnswer(qs[qi], st.answers[i])); });
    return fields.join('|');
  }

  function decodeState(text, course) {
    if (typeof text !== 'string') fail('not text');
    var f = text.split('|'), qs = course.questions || [], n = course.pages.length;
    var hasQuiz = qs.length > 0, k = hasQuiz ? perAttempt(course) : 0;
    if (f[0] !== STATE_VERSION || f.length < 8) fail('version');
    var st = freshState(course);
    st.view = parseIntStrict(f[1], /^[0-9a-z]+$/, 36);
    if (st.view >= (hasQuiz ? n + 2 : n)) fail('view');
    st.seen = hexToBits(f[2], n);
    st.attempt = parseIntStrict(f[3], /^(0|[1-9][0-9]{0,2})$/, 10);
    st.qpos = parseIntStrict(f[4], /^[0-9a-z]+$/, 36);
    if (f[5] !== '0' && f[5] !== '1') fail('submitted');
    st.submitted = f[5] === '1';
    var drawCount = st.attempt ? k : 0;
    if (!hasQuiz && st.attempt) fail('attempt');
    var bw = width36(qs.length);
    if (f[6].length !== drawCount * bw) fail('draw');
    for (var i = 0; i < drawCount; i++) {
      var qi = parseIntStrict(f[6].substr(i * bw, bw), /^[0-9a-z]+$/, 36);
      if (qi >= qs.length || st.draw.indexOf(qi) >= 0) fail('draw index');
      st.draw.push(qi);
    }
    if (f[7] !== '') { st.score = parseIntStrict(f[7], /^(0|[1-9][0-9]?|100)$/, 10); }
    if (f.length !== 8 + drawCount) fail('answers');
    st.answers = st.draw.map(function (qi, j) { return decodeAnswer(qs[qi], f[8 + j]); });
    if (drawCount && st.qpos >= drawCount) fail('position');
    if (!drawCount && st.qpos) fail('position');
    if (st.submitted && st.answers.some(function (a) { return a === null; })) fail('submitted');
    if (st.view === n + 1 && !st.submitted) st.view = n;
    return st;
  }

  function perAttempt(course) {
    var qs = course.questions || [];
    return course.draw ? Math.min(course.draw.count, qs.length) : qs.length;
  }

  /* --------------------------------------------------------------- scoring */

  function isCorrect(q, a) {
    switch (q.type) {
      case 'single': return q.correct.indexOf(q.options[a].id) >= 0;
      case 'multiple':
        return q.options.every(function (o, i) { return (q.correct.indexOf(o.id) >= 0) === (a.indexOf(i) >= 0); });
      case 'true-false': return a === q.correct;
      case 'matching': case 'ordering': return a.every(function (v, i) { return v === i; });
      case 'short-text':
        var given = normaliseText(a, q.caseSensitive);
        return q.answers.some(function (ok) { return normaliseText(ok, q.caseSensitive) === given; });
    }
    return false;
  }
  function responseIds(q, a) {
    switch (q.type) {
      case 'single': return [q.options[a].id];
      case 'multiple': return a.map(function (i) { return q.options[i].id; });
      case 'true-false': return [a];
      case 'matching': return a.map(function (t, s) { return [q.pairs[s].id, q.pairs[t].id]; });
      case 'ordering': return a.map(function (i) { return q.items[i].id; });
      case 'short-text': return [a.trim()];
    }
  }

  /* ------------------------------------------------------------------ the UI */

  var TEXT = {
    saving: 'Saving your progress…', saved: 'Progress saved', offline: 'Offline: will try again',
    error: 'Progress not saved', 'not-recording': 'Progress is not being recorded'
  };
  var NOTICE = {
    error: 'Something went wrong while saving your progress.',
    'not-recording': 'Your progress is not being recorded. You can still read the pages and try the quiz.'
  };

  function make(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') e.textContent = v; else if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : v);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function byId(id) { return document.getElementById(id); }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function srOnly(t) { return make('span', { 'class': 'ccm-sr', text: t }); }

  function start(course, adapter) {
    var pages = course.pages, n = pages.length, qs = course.questions || [], hasQuiz = qs.length > 0;
    var K = hasQuiz ? perAttempt(course) : 0;
    var maxAttempt = course.attempts > 0 ? Math.min(course.attempts, MAX_ATTEMPT) : MAX_ATTEMPT;
    var passMark = course.passMark;
    var comps = course.competencies || [];
    var primary = (comps.filter(function (c) { return c.primary; })[0] || comps[0] || {}).id;
    var st = freshState(course);
    var t0 = Date.now(), shownAt = t0, lastSaved = null, ended = false, launch = {};
    var work = null; // ordering: the learner's unchecked order for the question on screen
    var sections = pages.map(function (p) { return byId('page-' + p.id); });
    sections.push(byId('ccm-quiz'), byId('ccm-results'));
    var polite = byId('ccm-polite'), assertive = byId('ccm-assertive');

    function safe(fn) { try { return fn(); } catch (e) { status({ kind: 'error', message: NOTICE.error }); } }
    function record(ev) { ev.time = new Date().toISOString(); safe(function () { adapter.record(ev); }); }
    function locationOf(v) { return v < n ? pages[v].id : v === n ? 'quiz' : 'results'; }
    function save() {
      if (ended) return;
      var s = encodeState(st, course);
      if (s === lastSaved) return;
      lastSaved = s;
      safe(function () { adapter.save(s, locationOf(st.view)); });
    }
    function say(region, text) {
      clear(region);
      setTimeout(function () { region.textContent = text; }, 60);
    }
    var notices = {};
    function notice(text) {
      if (notices[text]) return;
      notices[text] = true;
      byId('ccm-notices').appendChild(make('p', { 'class': 'ccm-notice', text: text }));
      say(assertive, text);
    }
    function status(s) {
      s = s || {};
      var line = byId('ccm-status');
      if (line) line.textContent = TEXT[s.kind] || '';
      if (s.kind === 'error' || s.kind === 'not-recording') notice(s.message || NOTICE[s.kind]);
    }
    function compOf(q) { return q.competency || primary; }
    function allSeen() { return st.seen.every(Boolean); }
    function passMarkNow() { return passMark; }
    function passed() { return st.score !== null && st.score >= passMarkNow(); }
    function isFinished() {
      return hasQuiz ? st.submitted && (passed() || st.attempt >= maxAttempt) : allSeen();
    }

    function results() {
      var ok = st.draw.map(function (qi, i) { return isCorrect(qs[qi], st.answers[i]); });
      var pct = function (a, b) { return Math.round((100 * a) / b); };
      var score = pct(ok.filter(Boolean).length, ok.length || 1);
      var ids = comps.map(function (c) { return c.id; });
      st.draw.forEach(function (qi) { if (ids.indexOf(compOf(qs[qi])) < 0) ids.push(compOf(qs[qi])); });
      var list = [];
      ids.forEach(function (id) {
        var c = comps.filter(function (x) { return x.id === id; })[0] || { id: id, title: id };
        var mine = ok.filter(function (x, i) { return compOf(qs[st.draw[i]]) === id; });
        if (!mine.length) {
          if (!c.crossLink) list.push({ id: id, title: c.title, score: null, status: 'completed' });
          return;
        }
        var s = pct(mine.filter(Boolean).length, mine.length);
        list.push({ id: id, title: c.title, score: s, status: s >= passMarkNow() ? 'passed' : 'failed' });
      });
      return { ok: ok, score: score, passed: score >= passMarkNow(), competencies: list };
    }
    function compsForEvent(list) { return list.map(function (c) { return { id: c.id, score: c.score, status: c.status }; }); }

    /* navigation */
    function show(view, focus) {
      if (!hasQuiz && view >= n) view = n - 1;
      if (hasQuiz && view === n && st.submitted) view = n + 1;
      if (view === n + 1 && !st.submitted) view = n;
      st.view = view;
      sections.forEach(function (s, i) { if (s) s.hidden = i !== view; });
      var title;
      if (view < n) {
        title = pages[view].title;
        var wasComplete = allSeen();
        st.seen[view] = true;
        record({ type: 'page', pageId: pages[view].id, index: view, title: title });
        if (!hasQuiz && !wasComplete && allSeen()) {
          record({ type: 'complete', competencies: comps.filter(function (c) { return !c.crossLink; })
            .map(function (c) { return { id: c.id, score: null, status: 'completed' }; }) });
        }
      } else if (view === n) {
        title = renderQuiz();
      } else {
        title = renderResults();
      }
      chrome(view, title);
      save();
      if (focus) {
        var h = sections[view].querySelector('h1');
        if (h) h.focus();
        if (window.scrollTo) window.scrollTo(0, 0);
      }
    }
    function chrome(view, title) {
      document.title = title + ' – ' + course.title;
      var links = document.querySelectorAll('#ccm-toc-list a[data-view]');
      Array.prototype.forEach.call(links, function (a) {
        var v = +a.getAttribute('data-view');
        if (v === view || (v === n && view === n + 1)) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
        var mark = a.querySelector('.ccm-seen');
        if (mark) mark.hidden = v < n ? !st.seen[v] : !st.submitted;
        if (v === n) a.firstChild.textContent = st.submitted ? 'Quiz results' : 'Quiz';
      });
      var prog = byId('ccm-progress');
      prog.textContent = view < n ? 'Page ' + (view + 1) + ' of ' + n
        : view === n ? (st.attempt ? 'Quiz: question ' + (st.qpos + 1) + ' of ' + K : 'Quiz') : 'Quiz results';
      var pager = byId('ccm-pager'), prev = byId('ccm-prev'), next = byId('ccm-next');
      pager.hidden = view >= n;
      prev.hidden = view === 0;
      next.textContent = view < n - 1 ? 'Next page' : hasQuiz ? 'Go to the quiz' : 'Finish';
    }

    /* quiz */
    function heading(text) { var h = byId('ccm-quiz-title'); h.textContent = text; return text; }
    function button(text, action, cls) {
      return make('button', { type: 'button', 'class': cls || 'ccm-button', 'data-action': action, text: text });
    }
    function attemptsText() {
      if (course.attempts > 0) return 'You can take it ' + (maxAttempt === 1 ? 'once.' : 'up to ' + maxAttempt + ' times.');
      return 'You can take it as many times as you need.';
    }
    function renderQuiz() {
      var body = byId('ccm-quiz-body');
      clear(body);
      if (!st.attempt) {
        body.appendChild(make('p', { text: 'This quiz has ' + K + (K === 1 ? ' question' : ' questions') +
          '. You need ' + passMarkNow() + '% or more to pass. ' + attemptsText() }));
        body.appendChild(make('p', { text: 'You will see whether each answer is right, and why, as you go.' }));
        body.appendChild(button('Start the quiz', 'begin'));
        return heading('Quiz');
      }
      var pos = st.qpos, q = qs[st.draw[pos]], a = st.answers[pos], locked = a !== null && a !== undefined;
      var id = 'ccm-q' + pos, err = id + '-error';
      var form = make('form', { 'class': 'ccm-question', id: id + '-form', novalidate: true, 'data-pos': pos, 'data-question': q.id });
      var legend = make('legend', { 'class': 'ccm-prompt', text: q.prompt });
      var fs = make('fieldset', { 'aria-describedby': err }, [legend]);
      function choice(type, name, i, label, checked) {
        var input = make('input', { type: type, name: name, id: id + '-' + i, value: i, checked: checked, disabled: locked });
        return make('div', { 'class': checked ? 'ccm-choice ccm-chosen' : 'ccm-choice' }, [input,
          make('label', { 'for': id + '-' + i }, [label, checked ? make('strong', { 'class': 'ccm-yours', text: ' (your answer)' }) : null])]);
      }
      if (q.type === 'single' || q.type === 'multiple') {
        if (q.type === 'multiple') fs.appendChild(make('p', { 'class': 'ccm-hint', text: 'Choose all that apply.' }));
        q.options.forEach(function (o, i) {
          var on = locked && (q.type === 'single' ? a === i : a.indexOf(i) >= 0);
          fs.appendChild(choice(q.type === 'single' ? 'radio' : 'checkbox', id, i, o.text, on));
        });
      } else if (q.type === 'true-false') {
        fs.appendChild(choice('radio', id, 't', 'True', locked && a === true));
        fs.appendChild(choice('radio', id, 'f', 'False', locked && a === false));
      } else if (q.type === 'matching') {
        fs.appendChild(make('p', { 'class': 'ccm-hint', text: 'Choose the best match for each one.' }));
        var targets = shuffleFor(st.attempt, q, q.pairs.length);
        q.pairs.forEach(function (p, s) {
          var sel = make('select', { id: id + '-' + s, disabled: locked },
            [make('option', { value: '', text: 'Choose…' })].concat(targets.map(function (t) {
              return make('option', { value: t, text: q.pairs[t].match, selected: locked && a[s] === t });
            })));
          fs.appendChild(make('div', { 'class': 'ccm-match' }, [make('label', { 'for': id + '-' + s, text: p.prompt }), sel]));
        });
      } else if (q.type === 'ordering') {
        if (!locked && (!work || work.pos !== pos || work.attempt !== st.attempt)) {
          work = { pos: pos, attempt: st.attempt, order: shuffleFor(st.attempt, q, q.items.length) };
        }
        fs.appendChild(make('p', { 'class': 'ccm-hint', text: locked ? 'Your order:' : 'Use the Move up and Move down buttons to put the list in order, first at the top.' }));
        fs.appendChild(orderList(q, locked ? a : work.order, locked, id));
      } else if (q.type === 'short-text') {
        fs = make('div', { 'class': 'ccm-short' }, [
          make('label', { 'for': id + '-text', 'class': 'ccm-prompt', text: q.prompt }),
          make('p', { 'class': 'ccm-hint', id: id + '-hint', text: 'Type your answer (up to ' + maxLengthOf(q) + ' characters).' }),
          make('input', { type: 'text', id: id + '-text', maxlength: maxLengthOf(q), autocomplete: 'off', spellcheck: 'false',
            'aria-describedby': id + '-hint ' + err, disabled: locked, value: locked ? a : null })]);
      }
      form.appendChild(fs);
      form.appendChild(make('p', { 'class': 'ccm-error', id: err, hidden: true }));
      if (locked) {
        var ok = isCorrect(q, a), parts = feedback(q, a, ok);
        form.appendChild(make('div', { 'class': 'ccm-feedback ' + (ok ? 'ccm-right' : 'ccm-wrong') },
          [make('p', { 'class': 'ccm-verdict', text: parts[0] })].concat(parts.slice(1).map(function (t) { return make('p', { text: t }); }))));
        form.appendChild(pos < K - 1 ? button('Next question', 'next-question') : button('See your results', 'submit'));
      } else {
        form.appendChild(make('button', { type: 'submit', 'class': 'ccm-button', text: 'Check answer' }));
        shownAt = Date.now();
      }
      body.appendChild(form);
      return heading('Question ' + (pos + 1) + ' of ' + K);
    }
    function orderList(q, order, locked, id) {
      var ol = make('ol', { 'class': 'ccm-order', id: id + '-order' });
      order.forEach(function (item, p) {
        var text = q.items[item].text, li = make('li', { 'class': 'ccm-order-item' }, [make('span', { 'class': 'ccm-order-text', text: text })]);
        if (!locked) {
          var up = make('button', { type: 'button', 'class': 'ccm-move', 'data-action': 'move', 'data-dir': '-1', 'data-item': item,
            'aria-disabled': p === 0 ? 'true' : null }, ['Move up', srOnly(': ' + text)]);
          var down = make('button', { type: 'button', 'class': 'ccm-move', 'data-action': 'move', 'data-dir': '1', 'data-item': item,
            'aria-disabled': p === order.length - 1 ? 'true' : null }, ['Move down', srOnly(': ' + text)]);
          li.appendChild(make('span', { 'class': 'ccm-move-buttons' }, [up, down]));
        }
        ol.appendChild(li);
      });
      return ol;
    }
    function move(btn) {
      var q = qs[st.draw[st.qpos]], item = +btn.getAttribute('data-item'), dir = +btn.getAttribute('data-dir');
      var order = work.order, p = order.indexOf(item), to = p + dir, text = q.items[item].text;
      if (to < 0 || to >= order.length) {
        say(polite, text + (to < 0 ? ' is already first.' : ' is already last.'));
        return;
      }
      order[p] = order[to]; order[to] = item;
      var old = byId('ccm-q' + st.qpos + '-order');
      old.parentNode.replaceChild(orderList(q, order, false, 'ccm-q' + st.qpos), old);
      var again = document.querySelector('#ccm-q' + st.qpos + '-order button[data-item="' + item + '"][data-dir="' + dir + '"]');
      if (again) again.focus();
      say(polite, text + ': now number ' + (to + 1) + ' of ' + order.length + '.');
    }
    function feedback(q, a, ok) {
      var parts = [ok ? '✓ Correct.' : '✗ Not quite right.'];
      var fb = q.feedback, t = typeof fb === 'string' ? fb : fb ? (ok ? fb.correct : fb.incorrect) : '';
      if (t) parts.push(t);
      if (q.type === 'single' || q.type === 'multiple') {
        (q.type === 'single' ? [a] : a).forEach(function (i) {
          var o = q.options[i];
          if (o.feedback) parts.push('You chose “' + o.text + '”: ' + o.feedback);
        });
      }
      return parts;
    }
    function readAnswer(q, form) {
      var id = 'ccm-q' + st.qpos;
      if (q.type === 'single' || q.type === 'true-false') {
        var on = form.querySelector('input:checked');
        if (!on) return { missing: q.type === 'single' ? 'Choose an answer, then check it.' : 'Choose True or False, then check your answer.' };
        return { value: q.type === 'single' ? +on.value : on.value === 't' };
      }
      if (q.type === 'multiple') {
        var chosen = Array.prototype.map.call(form.querySelectorAll('input:checked'), function (i) { return +i.value; });
        return chosen.length ? { value: chosen } : { missing: 'Choose at least one answer, then check it.' };
      }
      if (q.type === 'matching') {
        var vals = q.pairs.map(function (p, s) { return byId(id + '-' + s).value; });
        var gaps = q.pairs.filter(function (p, s) { return vals[s] === ''; }).map(function (p) { return '“' + p.prompt + '”'; });
        if (gaps.length) return { missing: 'Choose a match for ' + gaps.join(', ') + '.' };
        return { value: vals.map(Number) };
      }
      if (q.type === 'ordering') return { value: work.order.slice() };
      var text = byId(id + '-text').value.slice(0, maxLengthOf(q)).trim();
      return text ? { value: text } : { missing: 'Type your answer, then check it.' };
    }
    function check(form) {
      var q = qs[st.draw[st.qpos]], r = readAnswer(q, form), err = byId('ccm-q' + st.qpos + '-error');
      if (r.missing) {
        err.textContent = r.missing;
        err.hidden = false;
        say(assertive, r.missing);
        return;
      }
      var ok = isCorrect(q, r.value);
      st.answers[st.qpos] = r.value;
      record({ type: 'answer', question: q, response: responseIds(q, r.value), correct: ok,
        latencyMs: Date.now() - shownAt, attempt: st.attempt, competency: compOf(q) });
      work = null;
      renderQuiz();
      save();
      say(polite, feedback(q, r.value, ok).join(' '));
      var nextBtn = byId('ccm-quiz-body').querySelector('button[data-action]');
      if (nextBtn) nextBtn.focus();
    }
    function begin() {
      if (st.attempt >= maxAttempt) return;
      st.attempt += 1;
      st.submitted = false;
      st.qpos = 0;
      var idx = range(qs.length);
      if (course.draw) {
        for (var i = 0; i < K; i++) { var j = i + randomInt(qs.length - i), t = idx[i]; idx[i] = idx[j]; idx[j] = t; }
        idx = idx.slice(0, K);
        if (course.draw.shuffle === false) idx.sort(function (x, y) { return x - y; });
      }
      st.draw = idx;
      st.answers = idx.map(function () { return null; });
      work = null;
      show(n, true);
    }
    function submit() {
      if (st.answers.some(function (a) { return a === null; })) return;
      var r = results();
      st.submitted = true;
      st.score = r.score;
      record({ type: 'submit', attempt: st.attempt, score: r.score, passed: r.passed,
        competencies: compsForEvent(r.competencies), durationMs: Date.now() - t0 });
      show(n + 1, true);
    }

    /* results */
    function renderResults() {
      var body = byId('ccm-results-body'), r = results();
      clear(body);
      body.appendChild(make('p', { 'class': 'ccm-score', text: 'You scored ' + r.score + '%. The pass mark is ' + passMarkNow() + '%.' }));
      body.appendChild(make('p', { 'class': 'ccm-outcome ' + (r.passed ? 'ccm-right' : 'ccm-wrong'),
        text: r.passed ? '✓ You have passed.' : '✗ You have not passed this time.' }));
      var rows = r.competencies.map(function (c) {
        return make('tr', {}, [make('th', { scope: 'row', text: c.title || c.id }),
          make('td', { text: c.score === null ? 'No questions this time' : c.score + '%' }),
          make('td', { text: c.status === 'passed' ? 'Passed' : c.status === 'failed' ? 'Not passed yet' : 'Completed' })]);
      });
      body.appendChild(make('table', { 'class': 'ccm-table' }, [
        make('caption', { text: 'Your results by competency' }),
        make('thead', {}, [make('tr', {}, [make('th', { scope: 'col', text: 'Competency' }),
          make('th', { scope: 'col', text: 'Score' }), make('th', { scope: 'col', text: 'Result' })])]),
        make('tbody', {}, rows)]));
      body.appendChild(make('h2', { text: 'Your answers' }));
      body.appendChild(make('ol', { 'class': 'ccm-answers' }, st.draw.map(function (qi, i) {
        return make('li', {}, [qs[qi].prompt + ' ', make('strong', { text: r.ok[i] ? '(right)' : '(not right)' })]);
      })));
      var canRetry = !r.passed && st.attempt < maxAttempt;
      if (course.attempts > 0) {
        body.appendChild(make('p', { text: 'You have used ' + st.attempt + ' of ' + maxAttempt + (maxAttempt === 1 ? ' attempt.' : ' attempts.') }));
      }
      var actions = make('div', { 'class': 'ccm-actions' });
      if (canRetry) actions.appendChild(button('Try again', 'retry'));
      actions.appendChild(button('Finish', 'exit', canRetry ? 'ccm-button ccm-secondary' : 'ccm-button'));
      body.appendChild(actions);
      return 'Your results';
    }

    /* leaving */
    function finish(reason) {
      if (ended) return;
      record({ type: 'exit', finished: isFinished(), durationMs: Date.now() - t0 });
      ended = true;
      safe(function () { adapter.finish(reason); });
      if (reason !== 'exit') return;
      sections.forEach(function (s) { if (s) s.hidden = true; });
      byId('ccm-pager').hidden = true;
      byId('ccm-toc').hidden = true;
      var end = byId('ccm-end');
      end.hidden = false;
      document.title = 'Finished – ' + course.title;
      byId('ccm-progress').textContent = '';
      end.querySelector('h1').focus();
      if (launch.returnURL) window.location.assign(launch.returnURL);
    }

    /* wiring */
    function bind() {
      document.addEventListener('click', function (e) {
        if (ended) return;
        var t = e.target.closest('a[data-view], button');
        if (!t) return;
        if (t.matches('a[data-view]')) {
          e.preventDefault();
          byId('ccm-toc').classList.remove('ccm-toc-open');
          byId('ccm-toc-toggle').setAttribute('aria-expanded', 'false');
          show(+t.getAttribute('data-view'), true);
          return;
        }
        if (t.id === 'ccm-toc-toggle') {
          var open = byId('ccm-toc').classList.toggle('ccm-toc-open');
          t.setAttribute('aria-expanded', String(open));
          return;
        }
        if (t.id === 'ccm-prev') return show(st.view - 1, true);
        if (t.id === 'ccm-next') return st.view === n - 1 && !hasQuiz ? finish('exit') : show(st.view + 1, true);
        var act = t.getAttribute('data-action');
        if (act === 'begin') begin();
        else if (act === 'move') move(t);
        else if (act === 'next-question') { st.qpos += 1; show(n, true); }
        else if (act === 'submit') submit();
        else if (act === 'retry') begin();
        else if (act === 'exit') finish('exit');
      });
      document.addEventListener('submit', function (e) {
        e.preventDefault();
        if (!ended && e.target.classList.contains('ccm-question')) check(e.target);
      });
      window.addEventListener('pagehide', function () { finish('pagehide'); });
      window.addEventListener('pageshow', function (e) { if (e.persisted && ended) window.location.reload(); });
    }

    safe(function () { adapter.onStatus(status); });
    return Promise.resolve().then(function () { return adapter.start(course); }).then(function (l) {
      launch = l || {};
      if (typeof launch.masteryScore === 'number') passMark = Math.round(launch.masteryScore * 1000) / 10;
      var entry = 'ab-initio';
      if (launch.state) {
        try {
          st = decodeState(launch.state, course);
          lastSaved = launch.state;
          entry = 'resume';
        } catch (e) {
          st = freshState(course);
          status({ kind: 'error', message: 'Your saved progress could not be read, so you are starting from the beginning.' });
        }
      } else if (launch.location) {
        var at = pages.map(function (p) { return p.id; }).indexOf(launch.location);
        if (at > 0) { st.view = at; entry = 'resume'; }
      }
      if (launch.recording === false) status({ kind: 'not-recording' });
      if (launch.mode === 'browse' || launch.mode === 'review') {
        notice(launch.mode === 'review' ? 'You are reviewing this module. Nothing you do now changes your result.'
          : 'You are browsing this module. Your answers will not count.');
      }
      record({ type: 'start', entry: entry });
      bind();
      show(st.view, false);
    });
  }

  window.CCM = {
    version: STATE_VERSION,
    maxAttempt: MAX_ATTEMPT,
    registerAdapter: function (name, factory) { adapters[name] = factory; },
    adapter: function (name) { return adapters[name] || null; },
    start: start,
    state: { encode: encodeState, decode: decodeState, fresh: freshState },
    shuffleFor: shuffleFor,
    isCorrect: isCorrect
  };
})();
