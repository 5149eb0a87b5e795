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
    'not-recording': 'Your progress is not being recorded. You can still read the pages and try the quiz.',
    unsent: 'Your learning system could not be reached, so the end of this session has not been recorded yet. ' +
      'Nothing is lost: it is kept on this device. Open the module again from your learning system on this ' +
      'device when you are back online, and it will carry on from where you stopped.'
  };
  /* Review and browse launches: the LMS keeps nothing of what the learner does (Moodle opens a
   * finished attempt in review unless the learner starts a new one), so the learner is told so,
   * and how to make it count. Plain words: many learners are not confident with computers. */
  var READ_ONLY = {
    review: {
      notice: function (what) {
        return 'You are reviewing a ' + what + ' you have already finished, so nothing you do now is saved. ' +
          READ_ONLY.review.again;
      },
      again: 'To try again and have it count, go back to the page you opened this from and start a new attempt ' +
        '(in Moodle: tick \u201cStart a new attempt\u201d, then press \u201cEnter\u201d).'
    },
    browse: {
      notice: function (what) {
        return 'You are browsing this ' + what + ' as a preview, so nothing you do now is saved. ' + READ_ONLY.browse.again;
      },
      again: 'To have it count, go back to the page you opened this from and open it in the usual way ' +
        '(in Moodle: press \u201cEnter\u201d, not \u201cPreview\u201d).'
    }
  };
  function readOnlyMode(launch) { return launch.mode === 'browse' || launch.mode === 'review' ? launch.mode : null; }

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

  // SCORM gives "Last, First": show "First Last". Anything else is shown as given.
  function displayName(name) {
    var s = String(name || '').trim().replace(/\s+/g, ' ');
    var m = /^([^,]+),\s*([^,]+)$/.exec(s);
    return m ? m[2] + ' ' + m[1] : s;
  }
  function longDate(d, lang) {
    try {
      return d.toLocaleDateString(lang || 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    } catch (e) { return d.toISOString().slice(0, 10); }
  }
  function today() { return Math.floor(Date.now() / 86400000); } // days since 1 January 1970 (UTC)

  /* -------------------------------------------------------------- the session
   * What every view shares: the adapter calls, the status line, notices and the
   * live regions. One per page load, in module and pathway packages alike. */
  function session(adapter) {
    var s = { ended: false, t0: Date.now(), lastSaved: null, launch: {} };
    var polite = byId('ccm-polite'), assertive = byId('ccm-assertive'), notices = {};
    s.safe = function (fn) { try { return fn(); } catch (e) { s.status({ kind: 'error', message: NOTICE.error }); } };
    s.record = function (ev) { ev.time = new Date().toISOString(); s.safe(function () { adapter.record(ev); }); };
    s.save = function (text, location) {
      if (s.ended || text === s.lastSaved) return;
      s.lastSaved = text;
      s.safe(function () { adapter.save(text, location); });
    };
    s.say = function (which, text) {
      var region = which === 'assertive' ? assertive : polite;
      clear(region);
      setTimeout(function () { region.textContent = text; }, 60);
    };
    s.notice = function (text) {
      if (notices[text]) return;
      notices[text] = true;
      byId('ccm-notices').appendChild(make('p', { 'class': 'ccm-notice', text: text }));
      s.say('assertive', text);
    };
    s.status = function (st) {
      st = st || {};
      var line = byId('ccm-status');
      if (line) line.textContent = TEXT[st.kind] || '';
      if (st.kind === 'error' || st.kind === 'not-recording') s.notice(st.message || NOTICE[st.kind]);
    };
    // The learner's name: from the platform (fixed), else typed on this device (optional adapter methods).
    s.name = function () {
      var l = s.launch.learner;
      if (l && l.name) return { text: displayName(l.name), typed: false };
      var kept = typeof adapter.loadName === 'function' ? s.safe(function () { return adapter.loadName(); }) : null;
      if (!kept && s.typedName) kept = s.typedName;
      return { text: kept ? displayName(kept) : '', typed: true };
    };
    s.keepName = function (text) {
      s.typedName = text;
      if (typeof adapter.keepName === 'function') s.safe(function () { adapter.keepName(text); });
    };
    s.startAdapter = function (course) {
      s.safe(function () { adapter.onStatus(s.status); });
      return Promise.resolve().then(function () { return adapter.start(course); }).then(function (l) {
        s.launch = l || {};
        return s.launch;
      });
    };
    // -> null when already ended, else Promise<boolean>: false when the platform could not be told
    // everything (what is left stays on this device for the next launch).
    s.finish = function (reason, finished) {
      if (s.ended) return null;
      s.record({ type: 'exit', finished: finished, durationMs: Date.now() - s.t0 });
      s.ended = true;
      return Promise.resolve(s.safe(function () { return adapter.finish(reason); })).then(function (told) {
        return told !== false;
      }, function () { return false; });
    };
    // After Finish: back to the platform once it has everything; otherwise say what happened.
    // <html data-ccm-session> says where the end of the session is: "closing" while the platform is
    // being told, then "closed" (it has everything) or "kept" (the rest waits on this device).
    s.leaveTo = function (closing) {
      var status = byId('ccm-status'), html = document.documentElement;
      if (status) status.textContent = TEXT.saving || '';
      html.setAttribute('data-ccm-session', 'closing');
      closing.then(function (told) {
        html.setAttribute('data-ccm-session', told ? 'closed' : 'kept');
        if (told) {
          if (status) status.textContent = TEXT.saved || '';
          if (s.launch.returnURL) window.location.assign(s.launch.returnURL);
          return;
        }
        if (status) status.textContent = '';
        s.notice(NOTICE.unsent);
        if (s.launch.returnURL) {
          var back = make('p', {});
          back.appendChild(make('a', { href: s.launch.returnURL, text: 'Go back to your learning system' }));
          byId('ccm-notices').appendChild(back);
        }
      });
    };
    s.bind = function (onClick, onSubmit, onFinish) {
      document.addEventListener('click', function (e) {
        if (s.ended) return;
        var t = e.target.closest('a[data-view], a[data-menu], button');
        if (!t || t.hasAttribute('download')) return;
        if (t.matches('a[data-view], a[data-menu]')) e.preventDefault();
        if (t.id === 'ccm-toc-toggle') {
          var open = byId('ccm-toc').classList.toggle('ccm-toc-open');
          t.setAttribute('aria-expanded', String(open));
          return;
        }
        onClick(t);
      });
      document.addEventListener('submit', function (e) {
        e.preventDefault();
        if (!s.ended) onSubmit(e.target);
      });
      window.addEventListener('pagehide', function () { onFinish('pagehide'); });
      window.addEventListener('pageshow', function (e) { if (e.persisted && s.ended) window.location.reload(); });
      document.documentElement.classList.add('ccm-ready'); // started: the controls now work
    };
    return s;
  }

  /* ------------------------------------------------------------ one module
   * Pages, quiz and results of one module, in the page's #page-<id>, #ccm-quiz and
   * #ccm-results sections. `host` is the module or pathway session around it:
   *   record(ev), save(), passMark(), leave() (Finish / back to the menu),
   *   onResult() (after submit or complete), leaveLabel, done (a collapsed result or
   *   null), certificate (null, or {label, show()} offered on a passed result). */
  function moduleRunner(course, state, sess, host) {
    var pages = course.pages, n = pages.length, qs = course.questions || [], hasQuiz = qs.length > 0;
    var K = hasQuiz ? perAttempt(course) : 0;
    var maxAttempt = course.attempts > 0 ? Math.min(course.attempts, MAX_ATTEMPT) : MAX_ATTEMPT;
    var comps = course.competencies || [];
    var primary = (comps.filter(function (c) { return c.primary; })[0] || comps[0] || {}).id;
    var st = state || freshState(course);
    var shownAt = Date.now();
    var work = null; // ordering: the learner's unchecked order for the question on screen
    var sections = pages.map(function (p) { return byId('page-' + p.id); });
    sections.push(byId('ccm-quiz'), byId('ccm-results'));
    var record = host.record, save = host.save, say = sess.say;
    var done = host.done || null;
    if (done) st.seen = st.seen.map(function () { return true; });

    function compOf(q) { return q.competency || primary; }
    function allSeen() { return st.seen.every(Boolean); }
    function passMarkNow() { return host.passMark(); }
    function passed() { return st.score !== null && st.score >= passMarkNow(); }
    function isFinished() {
      if (done) return true;
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
    function completedComps() {
      return comps.filter(function (c) { return !c.crossLink; }).map(function (c) { return { id: c.id, score: null, status: 'completed' }; });
    }
    // The final result of a finished module: what a pathway keeps once the module is done.
    function summary() {
      if (done) return done;
      if (!hasQuiz) return { score: null, passed: allSeen(), competencies: completedComps() };
      var r = results();
      return { score: r.score, passed: r.passed, competencies: compsForEvent(r.competencies) };
    }

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
          record({ type: 'complete', competencies: completedComps() });
          host.onResult();
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
        if (mark) mark.hidden = v < n ? !st.seen[v] : !(st.submitted || done);
        if (v === n) a.firstChild.textContent = st.submitted || done ? 'Quiz results' : 'Quiz';
      });
      var prog = byId('ccm-progress');
      prog.hidden = false;
      prog.textContent = view < n ? 'Page ' + (view + 1) + ' of ' + n
        : view === n ? (st.attempt ? 'Quiz: question ' + (st.qpos + 1) + ' of ' + K : 'Quiz') : 'Quiz results';
      var pager = byId('ccm-pager'), prev = byId('ccm-prev'), next = byId('ccm-next');
      pager.hidden = view >= n;
      prev.hidden = view === 0;
      next.textContent = view < n - 1 ? 'Next page' : hasQuiz ? 'Go to the quiz' : host.leaveLabel;
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
    function renderDone(body) {
      body.appendChild(make('p', { 'class': 'ccm-score', text: 'You scored ' + done.score + '%. The pass mark is ' + passMarkNow() + '%.' }));
      body.appendChild(make('p', { 'class': 'ccm-outcome ' + (done.passed ? 'ccm-right' : 'ccm-wrong'),
        text: done.passed ? '✓ You have passed this module.' : '✗ You did not pass this module, and you have no attempts left.' }));
      var actions = make('div', { 'class': 'ccm-actions' });
      if (host.certificate) actions.appendChild(button(host.certificate.label, 'certificate'));
      actions.appendChild(button(host.leaveLabel, 'exit', host.certificate ? 'ccm-button ccm-secondary' : 'ccm-button'));
      body.appendChild(actions);
      return heading('Quiz results');
    }
    function renderQuiz() {
      var body = byId('ccm-quiz-body');
      clear(body);
      if (done) return renderDone(body);
      if (!st.attempt && host.readOnly) {
        body.appendChild(make('p', { text: 'This quiz has ' + K + (K === 1 ? ' question' : ' questions') +
          '. You can try it for practice, but your answers will not be saved and will not change your result.' }));
        body.appendChild(make('p', { text: READ_ONLY[host.readOnly].again }));
        body.appendChild(button('Start the practice quiz', 'begin'));
        return heading('Practice quiz');
      }
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
        say('polite', text + (to < 0 ? ' is already first.' : ' is already last.'));
        return;
      }
      order[p] = order[to]; order[to] = item;
      var old = byId('ccm-q' + st.qpos + '-order');
      old.parentNode.replaceChild(orderList(q, order, false, 'ccm-q' + st.qpos), old);
      var again = document.querySelector('#ccm-q' + st.qpos + '-order button[data-item="' + item + '"][data-dir="' + dir + '"]');
      if (again) again.focus();
      say('polite', text + ': now number ' + (to + 1) + ' of ' + order.length + '.');
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
        say('assertive', r.missing);
        return;
      }
      var ok = isCorrect(q, r.value);
      st.answers[st.qpos] = r.value;
      record({ type: 'answer', question: q, response: responseIds(q, r.value), correct: ok,
        latencyMs: Date.now() - shownAt, attempt: st.attempt, competency: compOf(q) });
      work = null;
      renderQuiz();
      save();
      say('polite', feedback(q, r.value, ok).join(' '));
      var nextBtn = byId('ccm-quiz-body').querySelector('button[data-action]');
      if (nextBtn) nextBtn.focus();
    }
    function begin() {
      if (done || st.attempt >= maxAttempt) return;
      if (host.readOnly && st.submitted) return; // no retry that would look as if it counts
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
      if (host.readOnly) st.practice = true; // in memory only (never encoded): this result is saved nowhere
      record({ type: 'submit', attempt: st.attempt, score: r.score, passed: r.passed,
        competencies: compsForEvent(r.competencies), durationMs: Date.now() - sess.t0 });
      host.onResult();
      show(n + 1, true);
    }

    /* results */
    function renderResults() {
      var body = byId('ccm-results-body'), r = results();
      clear(body);
      var practised = !!st.practice;
      if (practised) {
        body.appendChild(make('p', { 'class': 'ccm-score', text: 'Your practice score is ' + r.score + '%. The pass mark is ' + passMarkNow() + '%.' }));
        body.appendChild(make('p', { 'class': 'ccm-outcome', text: 'This practice was not saved, so your result has not changed.' }));
      } else {
        body.appendChild(make('p', { 'class': 'ccm-score', text: 'You scored ' + r.score + '%. The pass mark is ' + passMarkNow() + '%.' }));
        body.appendChild(make('p', { 'class': 'ccm-outcome ' + (r.passed ? 'ccm-right' : 'ccm-wrong'),
          text: host.readOnly ? (r.passed ? '✓ You passed this attempt.' : '✗ You did not pass this attempt.')
            : r.passed ? '✓ You have passed.' : '✗ You have not passed this time.' }));
      }
      var rows = r.competencies.map(function (c) {
        return make('tr', {}, [make('th', { scope: 'row', text: c.title || c.id }),
          make('td', { text: c.score === null ? 'No questions this time' : c.score + '%' }),
          make('td', { text: c.status === 'passed' ? 'Passed' : c.status === 'failed' ? 'Not passed yet' : 'Completed' })]);
      });
      body.appendChild(make('table', { 'class': 'ccm-table' }, [
        make('caption', { text: practised ? 'Your practice results by competency (not saved)' : 'Your results by competency' }),
        make('thead', {}, [make('tr', {}, [make('th', { scope: 'col', text: 'Competency' }),
          make('th', { scope: 'col', text: 'Score' }), make('th', { scope: 'col', text: 'Result' })])]),
        make('tbody', {}, rows)]));
      body.appendChild(make('h2', { text: 'Your answers' }));
      body.appendChild(make('ol', { 'class': 'ccm-answers' }, st.draw.map(function (qi, i) {
        return make('li', {}, [qs[qi].prompt + ' ', make('strong', { text: r.ok[i] ? '(right)' : '(not right)' })]);
      })));
      var canRetry = !r.passed && st.attempt < maxAttempt && !host.readOnly;
      if (host.readOnly && (practised || !r.passed)) body.appendChild(make('p', { 'class': 'ccm-try-again', text: READ_ONLY[host.readOnly].again }));
      if (course.attempts > 0) {
        body.appendChild(make('p', { text: 'You have used ' + st.attempt + ' of ' + maxAttempt + (maxAttempt === 1 ? ' attempt.' : ' attempts.') }));
      }
      var actions = make('div', { 'class': 'ccm-actions' });
      var cert = r.passed && !practised && host.certificate;
      if (canRetry) actions.appendChild(button('Try again', 'retry'));
      if (cert) actions.appendChild(button(host.certificate.label, 'certificate'));
      actions.appendChild(button(host.leaveLabel, 'exit', canRetry || cert ? 'ccm-button ccm-secondary' : 'ccm-button'));
      body.appendChild(actions);
      return 'Your results';
    }

    function click(t) {
      if (t.matches('a[data-view]')) {
        byId('ccm-toc').classList.remove('ccm-toc-open');
        byId('ccm-toc-toggle').setAttribute('aria-expanded', 'false');
        return show(+t.getAttribute('data-view'), true);
      }
      if (t.id === 'ccm-prev') return show(st.view - 1, true);
      if (t.id === 'ccm-next') return st.view === n - 1 && !hasQuiz ? host.leave() : show(st.view + 1, true);
      var act = t.getAttribute('data-action');
      if (act === 'begin' || act === 'retry') begin();
      else if (act === 'move') move(t);
      else if (act === 'next-question') { st.qpos += 1; show(n, true); }
      else if (act === 'submit') submit();
      else if (act === 'exit') host.leave();
      else if (act === 'certificate' && host.certificate) host.certificate.show();
    }

    return {
      state: function () { return st; },
      show: show,
      click: click,
      check: function (form) { if (form.classList.contains('ccm-question')) check(form); },
      isFinished: isFinished,
      summary: summary,
      location: function () { return st.view < n ? pages[st.view].id : st.view === n ? 'quiz' : 'results'; },
      sections: sections
    };
  }

  /* ------------------------------------------------------------- certificate
   * The record a learner can print (one A4 page) or download as one HTML file.
   * info: {kind: "pathway"|"module", id, title, date (Date), language, organisation {name, logo,
   * logoData}, modules [{title, score, passed}], competencies [titles], back: label} */
  var CERT_CSS = 'body{margin:0;padding:2rem;font:12pt/1.5 system-ui,Arial,sans-serif;color:#1d1d1d;background:#fff}' +
    '.ccm-cert{max-width:44rem;margin:0 auto;padding:2rem;border:3px double #003087}' +
    '.ccm-cert h1{font-size:1.8rem;margin:0.25rem 0 1rem;color:#003087}.ccm-cert h2{font-size:1.1rem;margin:1rem 0 0.25rem}' +
    '.ccm-cert-logo{max-height:3.5rem;max-width:12rem}.ccm-cert-org{font-weight:700;margin:0}' +
    '.ccm-cert-record{font-size:1.2rem}.ccm-cert-name{font-weight:700}' +
    'table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:0.2rem 0.4rem;border-bottom:1px solid #6b6b6b}' +
    '@media print,(min-width:30em){td{white-space:nowrap}}.ccm-cert-competencies{columns:2 16rem}' +
    'caption{text-align:left;font-weight:700}.ccm-cert-small{font-size:0.9rem}' +
    '@page{size:A4;margin:12mm}@media print{body{padding:0}}';

  function certificateView(sess, info) {
    var box = byId('ccm-certificate-body'), blobUrl = null;
    function render(focus) {
      clear(box);
      var who = sess.name(), org = info.organisation || {};
      var cert = make('div', { 'class': 'ccm-cert', id: 'ccm-cert' });
      if (org.logo || org.name) {
        var head = make('div', { 'class': 'ccm-cert-head' });
        if (org.logo) head.appendChild(make('img', { 'class': 'ccm-cert-logo', src: org.logo, alt: org.name ? '' : 'Organisation logo' }));
        if (org.name) head.appendChild(make('p', { 'class': 'ccm-cert-org', text: org.name }));
        cert.appendChild(head);
      }
      var h1 = make('h1', { id: 'ccm-certificate-title', tabindex: '-1', text: 'Certificate of completion' });
      cert.appendChild(h1);
      var actions = make('div', { 'class': 'ccm-cert-actions' });
      if (!who.text) {
        box.appendChild(cert);
        actions.appendChild(make('p', { text: 'Add your name to see your certificate. Your name is kept on this device only.' }));
        actions.appendChild(nameForm(''));
        actions.appendChild(make('button', { type: 'button', 'class': 'ccm-button ccm-secondary', 'data-action': 'certificate-back', text: info.back }));
        box.appendChild(actions);
        if (focus) h1.focus();
        return;
      }
      // Only a pathway's state keeps the day it was passed; otherwise say when this copy was made.
      var when = longDate(info.date, info.language);
      cert.appendChild(make('p', { 'class': 'ccm-cert-record' }, ['This is a record that ',
        make('span', { 'class': 'ccm-cert-name', text: who.text }), ' completed the ' + info.kind + ' “' + info.title + '”' +
        (info.dated ? ' on ' + when + '.' : '. This copy was made on ' + when + '.')]));
      if (info.modules.length) {
        cert.appendChild(make('table', { 'class': 'ccm-table ccm-cert-modules' }, [
          make('caption', { text: info.kind === 'pathway' ? 'Modules and scores' : 'Score' }),
          make('thead', {}, [make('tr', {}, [make('th', { scope: 'col', text: 'Module' }),
            make('th', { scope: 'col', text: 'Score' }), make('th', { scope: 'col', text: 'Result' })])]),
          make('tbody', {}, info.modules.map(function (m) {
            return make('tr', {}, [make('th', { scope: 'row', text: m.title }),
              make('td', { text: m.score === null ? 'No quiz' : m.score + '%' }),
              make('td', { text: m.score === null ? 'Completed' : m.passed ? 'Passed' : 'Failed' })]);
          }))]));
      }
      if (info.competencies.length) {
        cert.appendChild(make('h2', { text: 'Competencies evidenced' }));
        cert.appendChild(make('ul', { 'class': 'ccm-cert-competencies' }, info.competencies.map(function (t) { return make('li', { text: t }); })));
      }
      cert.appendChild(make('p', { 'class': 'ccm-cert-small', text: 'This certificate was made by the e-learning course itself. ' +
        'It is not a qualification, and it cannot prove who took the quiz.' }));
      box.appendChild(cert);
      actions.appendChild(make('button', { type: 'button', 'class': 'ccm-button', 'data-action': 'print', text: 'Print this certificate' }));
      var link = downloadLink(cert, who.text);
      if (link) actions.appendChild(link);
      if (who.typed) {
        var change = make('details', { 'class': 'ccm-cert-change' }, [make('summary', { text: 'Change the name on the certificate' }), nameForm(who.text)]);
        actions.appendChild(change);
      }
      actions.appendChild(make('button', { type: 'button', 'class': 'ccm-button ccm-secondary', 'data-action': 'certificate-back', text: info.back }));
      box.appendChild(actions);
      if (focus) h1.focus();
    }
    function nameForm(value) {
      return make('form', { 'class': 'ccm-name-form', novalidate: true }, [
        make('label', { 'for': 'ccm-learner-name', text: 'Your name, as it should appear on the certificate' }),
        make('input', { type: 'text', id: 'ccm-learner-name', autocomplete: 'name', maxlength: '80', value: value || null,
          'aria-describedby': 'ccm-name-error' }),
        make('p', { 'class': 'ccm-error', id: 'ccm-name-error', hidden: true }),
        make('button', { type: 'submit', 'class': 'ccm-button', text: 'Save my name' })]);
    }
    function downloadLink(cert, name) {
      if (!window.Blob || !window.URL || !URL.createObjectURL) return null;
      var copy = cert.cloneNode(true), org = info.organisation || {};
      var title = copy.querySelector('h1');
      title.removeAttribute('tabindex');
      var img = copy.querySelector('img');
      if (img) { if (org.logoData) img.setAttribute('src', org.logoData); else img.parentNode.removeChild(img); }
      var esc = make('p', { text: 'Certificate – ' + name + ' – ' + info.title }).innerHTML;
      var html = '<!DOCTYPE html>\n<html lang="' + (info.language || 'en-GB') + '">\n<head>\n<meta charset="utf-8">\n' +
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>' + esc + '</title>\n<style>' + CERT_CSS +
        '</style>\n</head>\n<body>\n' + copy.outerHTML + '\n</body>\n</html>\n';
      if (blobUrl) URL.revokeObjectURL(blobUrl);
      blobUrl = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      return make('a', { 'class': 'ccm-button ccm-secondary ccm-download', href: blobUrl, download: 'certificate-' + info.id + '.html',
        text: 'Download a copy (HTML file)' });
    }
    function saveName(form) {
      var input = form.querySelector('input'), text = input.value.trim().replace(/\s+/g, ' ');
      if (!text) {
        var err = form.querySelector('.ccm-error');
        err.textContent = 'Type your name, then save it.';
        err.hidden = false;
        sess.say('assertive', err.textContent);
        input.focus();
        return;
      }
      sess.keepName(text);
      render(true);
      sess.say('polite', 'Your name is on the certificate.');
    }
    return {
      show: function () {
        document.body.classList.add('ccm-cert-open');
        byId('ccm-certificate').hidden = false;
        document.title = 'Certificate of completion – ' + info.title;
        render(true);
        if (window.scrollTo) window.scrollTo(0, 0);
      },
      hide: function () {
        document.body.classList.remove('ccm-cert-open');
        byId('ccm-certificate').hidden = true;
      },
      click: function (t) {
        var act = t.getAttribute('data-action');
        if (act === 'print') { window.print(); return true; }
        return false;
      },
      submit: function (form) { if (form.classList.contains('ccm-name-form')) { saveName(form); return true; } return false; }
    };
  }

  function evidenced(list, titles) { // competency titles with status passed or completed, without repeats
    var out = [];
    list.forEach(function (c) {
      var t = titles[c.id] || c.id;
      if ((c.status === 'passed' || c.status === 'completed') && out.indexOf(t) < 0) out.push(t);
    });
    return out;
  }
  function titlesOf(comps) { var m = {}; (comps || []).forEach(function (c) { m[c.id] = c.title; }); return m; }

  /* ---------------------------------------------------------- module package */
  function startModule(course, adapter) {
    var sess = session(adapter), runner = null, cert = null, passMark = course.passMark;
    function finish(reason) {
      var closing = sess.finish(reason, runner.isFinished());
      if (!closing || reason !== 'exit') return;
      runner.sections.forEach(function (s) { if (s) s.hidden = true; });
      if (cert) cert.hide();
      byId('ccm-pager').hidden = true;
      byId('ccm-toc').hidden = true;
      byId('ccm-toc').parentNode.classList.add('ccm-solo');   // the end screen takes the whole width
      var end = byId('ccm-end');
      end.hidden = false;
      document.title = 'Finished – ' + course.title;
      byId('ccm-progress').textContent = '';
      end.querySelector('h1').focus();
      sess.leaveTo(closing);
    }
    function showCertificate() {
      var s = runner.summary();
      cert = certificateView(sess, { kind: 'module', id: course.id, title: course.title, date: new Date(), dated: false,
        language: course.language,
        organisation: course.organisation, modules: [{ title: course.title, score: s.score, passed: s.passed }],
        competencies: evidenced(s.competencies, titlesOf(course.competencies)), back: 'Back to your results' });
      runner.sections.forEach(function (sec) { if (sec) sec.hidden = true; });
      byId('ccm-pager').hidden = true;
      byId('ccm-progress').hidden = true;
      cert.show();
    }
    var host = {
      record: function (ev) { sess.record(ev); },
      save: function () { if (runner) sess.save(encodeState(runner.state(), course), runner.location()); },
      passMark: function () { return passMark; },
      leave: function () { finish('exit'); },
      onResult: function () {},
      leaveLabel: 'Finish',
      readOnly: null, // 'review' or 'browse': nothing is saved, the quiz is practice only
      done: null,
      certificate: byId('ccm-certificate') ? { label: 'Get your certificate', show: showCertificate } : null
    };
    return sess.startAdapter(course).then(function (launch) {
      if (typeof launch.masteryScore === 'number') passMark = Math.round(launch.masteryScore * 1000) / 10;
      var entry = 'ab-initio', st = freshState(course);
      if (launch.state) {
        try {
          st = decodeState(launch.state, course);
          sess.lastSaved = launch.state;
          entry = 'resume';
        } catch (e) {
          st = freshState(course);
          sess.status({ kind: 'error', message: 'Your saved progress could not be read, so you are starting from the beginning.' });
        }
      } else if (launch.location) {
        var at = course.pages.map(function (p) { return p.id; }).indexOf(launch.location);
        if (at > 0) { st.view = at; entry = 'resume'; }
      }
      if (launch.recording === false) sess.status({ kind: 'not-recording' });
      host.readOnly = readOnlyMode(launch);
      if (host.readOnly) sess.notice(READ_ONLY[host.readOnly].notice('module'));
      runner = moduleRunner(course, st, sess, host);
      sess.record({ type: 'start', entry: entry });
      sess.bind(function (t) {
        if (cert && !byId('ccm-certificate').hidden) {
          if (cert.click(t)) return;
          if (t.getAttribute('data-action') === 'certificate-back') {
            cert.hide();
            return runner.show(runner.state().view, true);
          }
        }
        runner.click(t);
      }, function (form) {
        if (cert && cert.submit(form)) return;
        runner.check(form);
      }, finish);
      runner.show(st.view, false);
    });
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
   */
  var PATHWAY_VERSION = 'p1';
  function freshPathway(course) { return { view: -1, date: null, modules: course.modules.map(function () { return null; }) }; }
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
    var f = [PATHWAY_VERSION, ps.view < 0 ? '' : b36(ps.view), ps.date === null ? '' : b36(ps.date)];
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
    if (f[1] !== '') { ps.view = parseIntStrict(f[1], /^[0-9a-z]+$/, 36); if (ps.view >= M || b36(ps.view) !== f[1]) fail('view'); }
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

  /* ---------------------------------------------------------- pathway package */
  function startPathway(course, adapter) {
    var sess = session(adapter), mods = course.modules, M = mods.length;
    var ps = freshPathway(course), runner = null, current = -1, cert = null, mastery = null;
    var titles = titlesOf(course.competencies);
    function passMarkOf(m) { return mastery === null ? m.passMark : mastery; }
    function tokenKind(i) {
      var t = ps.modules[i];
      if (!t) return 'new';
      if (!t.result) return 'open';
      return t.result.score === null ? 'completed' : t.result.passed ? 'passed' : 'failed';
    }
    function allFinished() { return ps.modules.every(function (t) { return t && t.result; }); }
    function pathwayPassed() { return ps.modules.every(function (t) { return t && t.result && t.result.passed; }); }
    function pathwayScore() {
      var scores = ps.modules.filter(function (t) { return t && t.result && t.result.score !== null; })
        .map(function (t) { return t.result.score; });
      if (!scores.length) return null;
      return Math.round(scores.reduce(function (a, b) { return a + b; }, 0) / scores.length);
    }
    // Competencies across modules: mean of the scores given, failed if any module failed it,
    // else passed if any passed it, else completed. Order: first appearance, module by module.
    function pathwayCompetencies() {
      var order = [], by = {};
      ps.modules.forEach(function (t) {
        if (!t || !t.result) return;
        t.result.competencies.forEach(function (c) {
          if (!by[c.id]) { by[c.id] = []; order.push(c.id); }
          by[c.id].push(c);
        });
      });
      return order.map(function (id) {
        var list = by[id], scores = list.filter(function (c) { return c.score !== null; }).map(function (c) { return c.score; });
        var status = list.some(function (c) { return c.status === 'failed'; }) ? 'failed'
          : list.some(function (c) { return c.status === 'passed'; }) ? 'passed' : 'completed';
        return { id: id, score: scores.length ? Math.round(scores.reduce(function (a, b) { return a + b; }, 0) / scores.length) : null,
          status: status };
      });
    }
    function syncCurrent() {
      if (current < 0 || !runner) return;
      var t = ps.modules[current];
      if (!(t && t.result)) ps.modules[current] = { state: runner.state() };
    }
    function location() {
      if (cert && !byId('ccm-certificate').hidden) return 'certificate';
      return current < 0 ? 'menu' : mods[current].id + '/' + runner.location();
    }
    function save() {
      syncCurrent();
      ps.view = current;
      sess.save(encodePathway(ps, course), location());
    }
    function moduleUi(on) {
      byId('ccm-toc').hidden = !on;
      byId('ccm-pager').hidden = !on;
      byId('ccm-progress').hidden = !on;
      byId('ccm-layout').classList.toggle('ccm-solo', !on);
      if (!on) {
        ['ccm-quiz', 'ccm-results'].forEach(function (id) { byId(id).hidden = true; });
        clear(byId('ccm-pages'));
      }
    }
    function onResult() {
      if (host.readOnly) return; // a practice in review or browse never becomes a module result
      if (!runner.isFinished() || (ps.modules[current] && ps.modules[current].result)) return;
      ps.modules[current] = { result: runner.summary() };
      if (!allFinished()) return;
      var passed = pathwayPassed();
      if (passed && ps.date === null) ps.date = today();
      sess.record({ type: 'pathway-result', passed: passed, score: pathwayScore(),
        modules: mods.map(function (m, i) { var r = ps.modules[i].result; return { id: m.id, score: r.score, passed: r.passed }; }),
        competencies: pathwayCompetencies() });
      if (passed) host.certificate = { label: 'See your certificate', show: showCertificate };
    }
    var host = {
      record: function (ev) { ev.module = mods[current].id; sess.record(ev); },
      save: function () { if (runner) save(); },
      passMark: function () { return passMarkOf(mods[current]); },
      leave: function () { showMenu(true); },
      onResult: function () { onResult(); },
      leaveLabel: 'Back to all modules',
      readOnly: null,
      done: null,
      certificate: null
    };
    function openModule(i, focus) {
      if (cert) cert.hide();
      var m = mods[i], t = ps.modules[i], tpl = byId('ccm-module-' + i), toc = byId('ccm-toc-' + i);
      var pagesBox = byId('ccm-pages'), list = byId('ccm-toc-list');
      clear(pagesBox);
      clear(list);
      pagesBox.appendChild(document.importNode(tpl.content, true));
      list.appendChild(document.importNode(toc.content, true));
      moduleUi(true);
      current = i;
      var state = t && t.state ? t.state : null;
      var result = t && t.result ? t.result : null;
      host.done = result;
      host.certificate = pathwayPassed() ? { label: 'See your certificate', show: showCertificate } : null;
      runner = null;
      var r = moduleRunner(m, state || (result ? freshState(m) : null), sess, host);
      sess.record({ type: 'module-start', module: m.id, index: i, title: m.title, entry: t ? 'resume' : 'ab-initio' });
      runner = r;
      var view = state ? state.view : 0;
      runner.show(view, focus);
    }
    function statusText(i) {
      var t = ps.modules[i], k = tokenKind(i);
      if (k === 'new') return 'Not started';
      if (k === 'open') return t.state.score !== null ? 'In progress (last score ' + t.state.score + '%)' : 'In progress';
      if (k === 'completed') return 'Completed';
      return (k === 'passed' ? 'Passed' : 'Failed') + ', score ' + t.result.score + '%';
    }
    function renderMenu() {
      var done = ps.modules.filter(function (t) { return t && t.result && t.result.passed; }).length;
      mods.forEach(function (m, i) {
        var k = tokenKind(i);
        byId('ccm-menu-status-' + i).textContent = statusText(i);
        var li = byId('ccm-menu-item-' + i);
        li.className = 'ccm-menu-item ccm-menu-' + k;
        var b = byId('ccm-menu-open-' + i);
        b.firstChild.textContent = k === 'new' ? 'Start' : k === 'open' ? 'Continue' : 'Review';
        b.className = k === 'new' || k === 'open' ? 'ccm-button' : 'ccm-button ccm-secondary';
      });
      var summary = byId('ccm-menu-summary');
      clear(summary);
      var passed = pathwayPassed(), score = pathwayScore();
      var text = passed ? 'You have passed this pathway' + (score === null ? '.' : ', with an overall score of ' + score + '%.')
        : allFinished() ? 'You have finished every module, but you have not passed them all. Talk to your coordinator about what to do next.'
          : 'You have passed ' + done + ' of ' + M + ' modules.';
      summary.appendChild(make('p', { 'class': 'ccm-menu-progress', text: text }));
      if (passed) summary.appendChild(make('button', { type: 'button', 'class': 'ccm-button', 'data-action': 'certificate', text: 'See your certificate' }));
      return text;
    }
    function showMenu(focus) {
      syncCurrent();
      if (cert) cert.hide();
      current = -1;
      runner = null;
      moduleUi(false);
      byId('ccm-menu').hidden = false;
      var text = renderMenu();
      document.title = course.title;
      save();
      if (focus) {
        byId('ccm-menu-title').focus();
        if (window.scrollTo) window.scrollTo(0, 0);
        sess.say('polite', text);
      }
    }
    function showCertificate() {
      syncCurrent();
      current = -1;
      runner = null;
      moduleUi(false);
      byId('ccm-menu').hidden = true;
      var comps = pathwayCompetencies();
      cert = certificateView(sess, { kind: 'pathway', id: course.id, title: course.title,
        date: new Date((ps.date === null ? today() : ps.date) * 86400000), dated: ps.date !== null,
        language: course.language,
        organisation: course.organisation,
        modules: mods.map(function (m, i) { var r = ps.modules[i].result; return { title: m.title, score: r.score, passed: r.passed }; }),
        competencies: evidenced(comps, titles), back: 'Back to all modules' });
      cert.show();
      save();
      sess.say('polite', 'Your certificate is ready.');
    }
    function finish(reason) {
      if (current >= 0) save();
      var closing = sess.finish(reason, allFinished());
      if (!closing || reason !== 'exit') return;
      moduleUi(false);
      byId('ccm-menu').hidden = true;
      if (cert) cert.hide();
      var end = byId('ccm-end');
      end.hidden = false;
      document.title = 'Finished – ' + course.title;
      end.querySelector('h1').focus();
      sess.leaveTo(closing);
    }
    return sess.startAdapter(course).then(function (launch) {
      if (typeof launch.masteryScore === 'number') mastery = Math.round(launch.masteryScore * 1000) / 10;
      var entry = 'ab-initio';
      if (launch.state) {
        try {
          ps = decodePathway(launch.state, course, passMarkOf);
          sess.lastSaved = launch.state;
          entry = 'resume';
        } catch (e) {
          ps = freshPathway(course);
          sess.status({ kind: 'error', message: 'Your saved progress could not be read, so you are starting from the beginning.' });
        }
      }
      if (launch.recording === false) sess.status({ kind: 'not-recording' });
      host.readOnly = readOnlyMode(launch);
      if (host.readOnly) sess.notice(READ_ONLY[host.readOnly].notice('pathway'));
      sess.record({ type: 'start', entry: entry });
      sess.bind(function (t) {
        var act = t.getAttribute('data-action');
        if (cert && !byId('ccm-certificate').hidden) {
          if (cert.click(t)) return;
          if (act === 'certificate-back') return showMenu(true);
        }
        if (t.matches('a[data-menu]')) return showMenu(true);
        if (act === 'open-module') return openModule(+t.getAttribute('data-module'), true);
        if (act === 'certificate' && current < 0) return showCertificate();
        if (act === 'exit-pathway') return finish('exit');
        if (runner) runner.click(t);
      }, function (form) {
        if (cert && cert.submit(form)) return;
        if (runner) runner.check(form);
      }, finish);
      var open = ps.view;
      if (open >= 0 && !(ps.modules[open] && ps.modules[open].result)) {
        byId('ccm-menu').hidden = true;
        openModule(open, false);
      } else {
        showMenu(false);
      }
    });
  }

  function start(course, adapter) {
    return course.kind === 'pathway' ? startPathway(course, adapter) : startModule(course, adapter);
  }

  window.CCM = {
    version: STATE_VERSION,
    pathwayVersion: PATHWAY_VERSION,
    maxAttempt: MAX_ATTEMPT,
    registerAdapter: function (name, factory) { adapters[name] = factory; },
    adapter: function (name) { return adapters[name] || null; },
    start: start,
    state: { encode: encodeState, decode: decodeState, fresh: freshState },
    pathwayState: { encode: encodePathway, decode: decodePathway, fresh: freshPathway },
    displayName: displayName,
    shuffleFor: shuffleFor,
    isCorrect: isCorrect
  };
})();
