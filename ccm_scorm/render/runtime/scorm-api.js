/* ccm-scorm learner runtime: SCORM plumbing shared by adapter-scorm12.js and adapter-scorm2004.js.
 * API discovery (window.parent chain, then window.opener), Initialize with back-off, a local
 * shadow copy of everything not yet committed (localStorage), commit throttling, retry with
 * back-off, LMS error logging (GetLastError / GetErrorString / GetDiagnostic) and the
 * synchronous Commit + Finish from pagehide. The edition adapters supply names and formats.
 *
 * Commits: on every status change and quiz submission (at the next tick, so the state saved in
 * the same click goes with it), from finish (pagehide or the learner's Finish), and otherwise
 * at most once every COMMIT_MS; never one per answer.
 */
(function (CCM) {
  'use strict';
  var DEPTH = 12;            // how far up the parent chain to look for the API
  var COMMIT_MS = 30000;     // throttle for commits that no status change asks for
  var BACKOFF_MS = 500;      // first retry after a failed Commit; doubles up to MAX_BACKOFF_MS
  var MAX_BACKOFF_MS = 30000;
  var INIT_TRIES = 4;
  var pad = CCM.pad, scoring = CCM.scoring;

  function centis(ms) { return Math.max(0, Math.round(ms / 10)); }

  var fmt = {
    // SCORM 1.2 CMITimespan HHHH:MM:SS.SS
    timespan: function (ms) {
      var c = centis(ms), h = Math.min(9999, Math.floor(c / 360000));
      return pad(h, 4) + ':' + pad(Math.floor(c / 6000) % 60, 2) + ':' + pad(Math.floor(c / 100) % 60, 2) + '.' + pad(c % 100, 2);
    },
    // SCORM 2004 timeinterval (ISO 8601 duration), e.g. PT1H2M3.45S
    duration: CCM.isoDuration,
    // SCORM 1.2 CMITime (time of day, learner's clock) HH:MM:SS
    clock: function (iso) {
      var d = iso ? new Date(iso) : new Date();
      return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
    },
    // SCORM 2004 time(second,10,0): at most two decimals of a second
    stamp: function (iso) {
      return (iso || new Date().toISOString()).replace(/(\.\d\d)\d*Z$/, '$1Z');
    }
  };

  var TYPES = { single: 'choice', multiple: 'choice', 'true-false': 'true-false', matching: 'matching',
    ordering: 'sequencing', 'short-text': 'fill-in' };
  // Learner response and correct-response patterns in an edition's format.
  // d = {list: ",", pair: ".", t: "t", f: "f", text: function (s) {...}, caseMatters: "{case_matters=true}"|""}
  function respond(q, r, d) {
    if (q.type === 'true-false') return r[0] ? d.t : d.f;
    if (q.type === 'matching') return r.map(function (p) { return p[0] + d.pair + p[1]; }).join(d.list);
    if (q.type === 'short-text') return d.text(String(r[0]));
    return r.join(d.list);
  }
  function patterns(q, d) {
    if (!CCM.key.open(q)) return []; // show_answers: false: the page does not know the key (docs/runtime.md)
    if (q.type === 'true-false') return [q.correct ? d.t : d.f];
    if (q.type === 'matching') {
      return [q.pairs.map(function (p) { return p.id + d.pair + scoring.rightTarget(q, p); }).join(d.list)];
    }
    if (q.type === 'ordering') return [CCM.key.order(q).join(d.list)];
    if (q.type === 'short-text') {
      // answers with a wildcard cannot be written as a pattern; none left declares no correct response
      return scoring.literalAnswers(q).slice(0, 5).map(function (a) { return (q.caseSensitive ? d.caseMatters : '') + d.text(a); });
    }
    return [q.correct.join(d.list)];
  }

  function findIn(win, name) {
    for (var n = 0; win && n <= DEPTH; n++) {
      try { if (win[name]) return win[name]; } catch (e) { /* another origin: keep climbing */ }
      var up;
      try { up = win.parent; } catch (e) { up = null; }
      if (!up || up === win) break;
      win = up;
    }
    return null;
  }
  function discover(name) {
    var api = findIn(window, name);
    try { if (!api && window.opener) api = findIn(window.opener, name); } catch (e) { api = null; }
    try { if (!api && window.top && window.top.opener) api = findIn(window.top.opener, name); } catch (e) { api = null; }
    return api;
  }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  /* ---------------------------------------------------------------- the SCO
   * k, one per launch: {course, ed, api, ready, ended, readOnly, report, key, shadow, store, timer,
   * failures, lastCommit, t0, objectives, objectiveCount, questions, pathway, ctx}.
   * shadow: what the LMS should hold {s: state, l: location, b: the state the LMS last
   * acknowledged, p: events not yet committed, n: interactions written}, kept in localStorage. */

  function keep(k) {
    if (!k.store) return;
    try { k.store.setItem(k.key, JSON.stringify(k.shadow)); } catch (e) { k.store = null; }
  }
  function load(k, key) {
    try { var v = k.store && k.store.getItem(key); return v ? JSON.parse(v) : null; } catch (e) { return null; }
  }

  /* LMS calls, each logged with the LMS's own error text when it fails */
  function logError(k, what) {
    var api = k.api, fn = k.ed.fn;
    try {
      var code = String(api[fn.err]());
      if (code === '0') return code;
      var text = api[fn.str](code), diag = api[fn.diag](code);
      if (window.console) console.warn('ccm SCORM: ' + what + ' failed with error ' + code + ' (' + text + ')' + (diag ? ': ' + diag : ''));
      return code;
    } catch (e) { return '?'; }
  }
  function call(k, fn, arg, what) {
    var r;
    try { r = String(k.api[k.ed.fn[fn]](arg === undefined ? '' : arg)); } catch (e) { r = 'false'; }
    if (r !== 'true') k.code = k.ed.fn[fn] + '-' + logError(k, what || k.ed.fn[fn]);  // for the learner to pass on
    return r === 'true';
  }
  function get(k, el) {
    var v, code;
    try { v = k.api[k.ed.fn.get](el); } catch (e) { return null; }
    try { code = String(k.api[k.ed.fn.err]()); } catch (e) { code = '0'; }
    return code === '0' ? String(v === null || v === undefined ? '' : v) : null;
  }
  function write(k, el, value) {
    var r;
    try { r = String(k.api[k.ed.fn.set](el, String(value))); } catch (e) { r = 'false'; }
    if (r !== 'true') logError(k, k.ed.fn.set + '(' + el + ', "' + String(value).slice(0, 60) + '")');
    return r === 'true';
  }
  function set(k, el, value) { return !k.readOnly && k.ready && write(k, el, value); }

  /* objectives are found by id: the LMS may have preloaded them, in any order */
  function objective(k, id) {
    if (k.objectives[id] === undefined) {
      var i = k.objectiveCount;
      if (!set(k, 'cmi.objectives.' + i + '.id', id)) return null;
      k.objectives[id] = i;
      k.objectiveCount += 1;
    }
    return 'cmi.objectives.' + k.objectives[id] + '.';
  }
  function readObjectives(k) {
    var count = parseInt(get(k, 'cmi.objectives._count'), 10) || 0;
    for (var i = 0; i < count; i++) {
      var id = get(k, 'cmi.objectives.' + i + '.id');
      if (id && k.objectives[id] === undefined) k.objectives[id] = i;
    }
    k.objectiveCount = count;
  }

  // What the edition sees (adapter-scorm12.js, adapter-scorm2004.js).
  function editionContext(k) {
    var course = k.course;
    return {
      course: course, fmt: fmt,
      set: function (el, value) { return set(k, el, value); },
      get: function (el) { return get(k, el); },
      objective: function (id) { return objective(k, id); },
      isNew: function (id) { return k.objectives[id] === undefined; },
      interactionId: function (ev) { return (ev.m || course.id) + '.' + ev.q + (ev.attempt > 1 ? '.a' + ev.attempt : ''); }
    };
  }

  /* commits: soon (a status change), touch (throttled), commit (now) */
  function schedule(k, ms) {
    if (k.timer) clearTimeout(k.timer);
    k.timer = setTimeout(function () { k.timer = null; commit(k, false); }, ms);
  }
  function soon(k) { if (k.ready && !k.ended) schedule(k, 0); }
  function touch(k) {
    if (!k.ready || k.ended || k.timer) return;
    schedule(k, Math.max(0, k.lastCommit + COMMIT_MS - Date.now()));
  }
  function commit(k, sync) {
    if (!k.ready || k.ended) return false;
    if (k.timer) { clearTimeout(k.timer); k.timer = null; }
    if (!sync) k.report({ kind: 'saving' });
    var ok = call(k, 'commit');
    if (!ok && sync) ok = call(k, 'commit'); // pagehide: no time to wait, one more try at once
    k.lastCommit = Date.now();
    if (ok) {
      k.failures = 0;
      k.shadow.b = k.shadow.s;
      k.shadow.p = [];
      keep(k);
      k.report({ kind: 'saved' });
    } else {
      k.failures += 1;
      keep(k);
      k.report({ kind: 'offline', code: k.code });
      if (!sync) schedule(k, Math.min(MAX_BACKOFF_MS, BACKOFF_MS * Math.pow(2, k.failures - 1)));
    }
    return ok;
  }

  function compact(ev) {
    if (ev.type !== 'answer') return ev;
    return { type: 'answer', q: ev.question.id, m: ev.module, response: ev.response, correct: ev.correct,
      latencyMs: ev.latencyMs, attempt: ev.attempt, competency: ev.competency, time: ev.time };
  }
  // Events that change what the LMS holds, in the form kept in the shadow copy. -> commit soon?
  function apply(k, ev) {
    var ed = k.ed, ctx = k.ctx;
    if (ev.type === 'answer') {
      var q = k.questions[(k.pathway ? ev.m + '/' : '') + ev.q];
      if (!q) return false;
      ed.interaction('cmi.interactions.' + k.shadow.n + '.', ev, q, ctx);
      k.shadow.n += 1;
      return false;
    }
    if (k.pathway) {
      if (ev.type === 'pathway-result') (ev.score === null ? ed.complete : ed.submit)(ev, ctx);
      return true; // a module's result is in the state: commit it
    }
    if (ev.type === 'submit') { ed.submit(ev, ctx); return true; }
    if (ev.type === 'complete') { ed.complete(ev, ctx); return true; }
    return false;
  }

  function launchFrom(state, location, learner, mode, recording, mastery) {
    return { state: state || null, location: location || null, learner: learner, mode: mode || 'normal',
      recording: recording, masteryScore: mastery, returnURL: null };
  }

  function initialize(k, tries) {
    if (call(k, 'init')) return Promise.resolve(true);
    // Already initialised (a reload in the same frame) is fine.
    if (get(k, k.ed.el.status) !== null) return Promise.resolve(true);
    if (tries + 1 >= INIT_TRIES) return Promise.resolve(false);
    k.report({ kind: 'connecting' });
    return wait(BACKOFF_MS * Math.pow(2, tries)).then(function () { return initialize(k, tries + 1); });
  }

  // No LMS to record anything (no API, or Initialize refused): runs on this device's copy; `code`
  // (no-API, LMSInitialize-101) is for the learner to pass on.
  function offline(k, code) {
    var saved = load(k, k.key) || {};
    k.shadow.s = saved.s || '';
    k.shadow.l = saved.l || '';
    var launch = launchFrom(k.shadow.s, k.shadow.l, null, 'normal', false, null);
    launch.code = code;
    return launch;
  }

  // The shadow copy at launch: what the LMS holds, or a newer local copy that never reached it
  // (commit failed, window closed), if the LMS still holds exactly what we last knew it had.
  function resumeShadow(k) {
    var el = k.ed.el, entry = get(k, el.entry) || '';
    var lmsState = entry === 'ab-initio' ? '' : get(k, el.suspend) || '', lmsLocation = get(k, el.location) || '';
    var saved = load(k, k.key), state = lmsState, location = lmsLocation, replay = [];
    if (saved && saved.s && saved.s !== lmsState && (saved.b || '') === lmsState) {
      state = saved.s;
      location = saved.l || location;
      replay = saved.p || [];
    }
    k.shadow = { s: state, l: location, b: lmsState, p: replay.slice(), n: 0 };
    var count = parseInt(get(k, 'cmi.interactions._count'), 10);
    k.shadow.n = isNaN(count) ? (saved && saved.n) || 0 : count;
    return replay;
  }
  // -> whether anything was written that should be committed at once
  function begin(k, replay) {
    var el = k.ed.el, shadow = k.shadow, changed = false;
    readObjectives(k);
    changed = k.ed.begin(k.ctx) || changed;
    set(k, el.exit, 'suspend');
    replay.forEach(function (ev) { changed = apply(k, ev) || changed; });
    if (shadow.s !== shadow.b) {
      set(k, el.suspend, shadow.s);
      set(k, el.location, shadow.l);
      changed = true;
    }
    return changed || replay.length > 0;
  }
  function connected(k, base) {
    var el = k.ed.el;
    k.ready = true;
    var mode = get(k, el.mode) || 'normal';
    // Review and browse record nothing: browsed answers "will not count" and must not reach a
    // later attempt. SCORM 1.2 alone has a status for a browse launch (`browsed`).
    k.readOnly = mode === 'review' || mode === 'browse';
    var learner = { id: get(k, el.learnerId) || '', name: get(k, el.learnerName) || '' };
    k.key = base + ':' + learner.id;
    var mastery = k.ed.mastery(get(k, el.mastery));
    var replay = resumeShadow(k), changed = !k.readOnly && begin(k, replay);
    keep(k);
    if (changed) soon(k);
    if (mode === 'browse' && k.ed.browse && k.ed.browse(function (e, v) { return write(k, e, v); }, k.ctx)) commit(k, false);
    return launchFrom(k.shadow.s, k.shadow.l, learner, mode, true, mastery);
  }
  function start(k, base) {
    k.api = discover(k.ed.api);
    if (!k.api) return Promise.resolve(offline(k, 'no-' + k.ed.api));
    return initialize(k, 0).then(function (ok) {
      if (ok) return connected(k, base);
      k.api = null;
      return offline(k, k.code);
    });
  }

  var KEPT = { answer: 1, submit: 1, complete: 1, 'pathway-result': 1 };
  function record(k, ev) {
    if (ev.type === 'exit') {
      if (k.ready && !k.readOnly && !k.ended) k.ed.exit(ev, k.ctx, ev.durationMs === undefined ? Date.now() - k.t0 : ev.durationMs);
      return;
    }
    if (!KEPT[ev.type] || !k.ready || k.readOnly) return;
    ev = compact(ev);
    k.shadow.p.push(ev);
    var urgent = apply(k, ev);
    keep(k);
    if (urgent) soon(k); else touch(k);
  }
  function save(k, state, location) {
    if (k.readOnly) return;
    k.shadow.s = state;
    k.shadow.l = location;
    keep(k);
    if (!k.ready) k.report({ kind: k.store ? 'device' : 'unsaved' });
    if (!k.ready || k.ended) return;
    set(k, k.ed.el.suspend, state);
    set(k, k.ed.el.location, location);
    touch(k);
  }
  // -> true when the LMS acknowledged the last commit, false when it did not, null: nothing to tell it
  function finish(k) {
    var told = null;
    if (k.ended) return told;
    if (k.ready) {
      if (!k.readOnly) told = commit(k, true);
      if (!call(k, 'finish')) call(k, 'finish');
    }
    k.ended = true;
    if (k.timer) { clearTimeout(k.timer); k.timer = null; }
    return told;
  }

  /* ed: the edition (see adapter-scorm12.js). A pathway (course.kind "pathway") is one SCO:
   * its modules' answers become interactions "<module>.<question>", their submit/complete only
   * commit (the state holds the result), and pathway-result sets the SCO's status, score and
   * objectives (ed.submit, or ed.complete when no module has a quiz). */
  function create(course, ed) {
    var pathway = course.kind === 'pathway';
    var base = 'ccm:scorm:' + (pathway ? 'pathway:' : '') + course.id + ':' + course.version;
    var k = { course: course, ed: ed, api: null, ready: false, ended: false, readOnly: false, report: function () {},
      pathway: pathway, key: base, shadow: { s: '', l: '', b: '', p: [], n: 0 }, store: CCM.storage(),
      timer: null, failures: 0, lastCommit: Date.now(), t0: Date.now(), objectives: {}, objectiveCount: 0, questions: {} };
    (pathway ? course.modules : [course]).forEach(function (m) {
      (m.questions || []).forEach(function (q) { k.questions[(pathway ? m.id + '/' : '') + q.id] = q; });
    });
    k.ctx = editionContext(k);
    return {
      onStatus: function (callback) { k.report = callback; },
      start: function () { return start(k, base); },
      record: function (ev) { record(k, ev); },
      save: function (state, location) { save(k, state, location); },
      finish: function () { return finish(k); }
    };
  }

  CCM.scorm = { create: create, discover: discover, fmt: fmt, types: TYPES, respond: respond, patterns: patterns };
})(window.CCM);
