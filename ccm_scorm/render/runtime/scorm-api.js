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
(function () {
  'use strict';
  var DEPTH = 12;            // how far up the parent chain to look for the API
  var COMMIT_MS = 30000;     // throttle for commits that no status change asks for
  var BACKOFF_MS = 500;      // first retry after a failed Commit; doubles up to MAX_BACKOFF_MS
  var MAX_BACKOFF_MS = 30000;
  var INIT_TRIES = 4;

  function pad(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }
  function centis(ms) { return Math.max(0, Math.round(ms / 10)); }

  var fmt = {
    // SCORM 1.2 CMITimespan HHHH:MM:SS.SS
    timespan: function (ms) {
      var c = centis(ms), h = Math.min(9999, Math.floor(c / 360000));
      return pad(h, 4) + ':' + pad(Math.floor(c / 6000) % 60, 2) + ':' + pad(Math.floor(c / 100) % 60, 2) + '.' + pad(c % 100, 2);
    },
    // SCORM 2004 timeinterval (ISO 8601 duration), e.g. PT1H2M3.45S
    duration: function (ms) {
      var c = centis(ms), h = Math.floor(c / 360000), m = Math.floor(c / 6000) % 60, s = (c % 6000) / 100;
      return 'PT' + (h ? h + 'H' : '') + (h || m ? m + 'M' : '') + s.toFixed(2).replace(/\.?0+$/, '') + 'S';
    },
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
    if (q.type === 'true-false') return [q.correct ? d.t : d.f];
    if (q.type === 'matching') return [q.pairs.map(function (p) { return p.id + d.pair + p.id; }).join(d.list)];
    if (q.type === 'ordering') return [q.items.map(function (i) { return i.id; }).join(d.list)];
    if (q.type === 'short-text') {
      return q.answers.slice(0, 5).map(function (a) { return (q.caseSensitive ? d.caseMatters : '') + d.text(a); });
    }
    return [q.correct.join(d.list)];
  }

  function findIn(win, name) {
    for (var n = 0; win && n <= DEPTH; n++) {
      try { if (win[name]) return win[name]; } catch (e) { /* another origin: keep climbing */ }
      var up = null;
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

  /* ed: the edition (see adapter-scorm12.js). A pathway (course.kind "pathway") is one SCO:
   * its modules' answers become interactions "<module>.<question>", their submit/complete only
   * commit (the state holds the result), and pathway-result sets the SCO's status, score and
   * objectives (ed.submit, or ed.complete when no module has a quiz). */
  function create(course, ed) {
    var api = null, ready = false, ended = false, readOnly = false, report = function () {};
    var pathway = course.kind === 'pathway';
    var base = 'ccm:scorm:' + (pathway ? 'pathway:' : '') + course.id + ':' + course.version, key = base;
    var shadow = { s: '', l: '', b: '', p: [], n: 0 }, store = null;
    var timer = null, failures = 0, lastCommit = Date.now(), t0 = Date.now();
    var objectives = {}, objectiveCount = 0;
    var questions = {};
    (pathway ? course.modules : [course]).forEach(function (m) {
      (m.questions || []).forEach(function (q) { questions[(pathway ? m.id + '/' : '') + q.id] = q; });
    });
    try { store = window.localStorage; } catch (e) { store = null; }

    function keep() {
      if (!store) return;
      try { store.setItem(key, JSON.stringify(shadow)); } catch (e) { store = null; }
    }
    function load(k) {
      try { var v = store && store.getItem(k); return v ? JSON.parse(v) : null; } catch (e) { return null; }
    }

    function logError(what) {
      try {
        var code = String(api[ed.fn.err]());
        if (code === '0') return code;
        var text = api[ed.fn.str](code), diag = api[ed.fn.diag](code);
        if (window.console) console.warn('ccm SCORM: ' + what + ' failed with error ' + code + ' (' + text + ')' + (diag ? ': ' + diag : ''));
        return code;
      } catch (e) { return '?'; }
    }
    function call(fn, arg, what) {
      var r;
      try { r = String(api[ed.fn[fn]](arg === undefined ? '' : arg)); } catch (e) { r = 'false'; }
      if (r !== 'true') logError(what || ed.fn[fn]);
      return r === 'true';
    }
    function get(el) {
      var v;
      try { v = api[ed.fn.get](el); } catch (e) { return null; }
      var code;
      try { code = String(api[ed.fn.err]()); } catch (e) { code = '0'; }
      return code === '0' ? String(v === null || v === undefined ? '' : v) : null;
    }
    function set(el, value) {
      if (readOnly || !ready) return false;
      return write(el, value);
    }
    function write(el, value) {
      var r;
      try { r = String(api[ed.fn.set](el, String(value))); } catch (e) { r = 'false'; }
      if (r !== 'true') logError(ed.fn.set + '(' + el + ', "' + String(value).slice(0, 60) + '")');
      return r === 'true';
    }

    /* objectives are found by id: the LMS may have preloaded them, in any order */
    function objective(id) {
      if (objectives[id] === undefined) {
        var i = objectiveCount;
        if (!set('cmi.objectives.' + i + '.id', id)) return null;
        objectives[id] = i;
        objectiveCount += 1;
      }
      return 'cmi.objectives.' + objectives[id] + '.';
    }
    function readObjectives() {
      var count = parseInt(get('cmi.objectives._count'), 10) || 0;
      for (var i = 0; i < count; i++) {
        var id = get('cmi.objectives.' + i + '.id');
        if (id && objectives[id] === undefined) objectives[id] = i;
      }
      objectiveCount = count;
    }

    var ctx = {
      course: course, set: set, get: get, objective: objective, fmt: fmt,
      isNew: function (id) { return objectives[id] === undefined; },
      // competencies that no question in the bank assesses: completed when the learner finishes
      // (in a pathway's result, a competency without a score is one that no module's questions assess)
      unassessed: function (id) {
        return pathway || !(course.questions || []).some(function (q) { return q.competency === id; });
      },
      interactionId: function (ev) { return (ev.m || course.id) + '.' + ev.q + (ev.attempt > 1 ? '.a' + ev.attempt : ''); }
    };

    function schedule(ms) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { timer = null; commit(false); }, ms);
    }
    function soon() { if (ready && !ended) schedule(0); }
    function touch() {
      if (!ready || ended || timer) return;
      schedule(Math.max(0, lastCommit + COMMIT_MS - Date.now()));
    }
    function commit(sync) {
      if (!ready || ended) return false;
      if (timer) { clearTimeout(timer); timer = null; }
      if (!sync) report({ kind: 'saving' });
      var ok = call('commit');
      if (!ok && sync) ok = call('commit'); // pagehide: no time to wait, one more try at once
      lastCommit = Date.now();
      if (ok) {
        failures = 0;
        shadow.b = shadow.s;
        shadow.p = [];
        keep();
        report({ kind: 'saved' });
      } else {
        failures += 1;
        keep();
        report(failures >= 3
          ? { kind: 'error', message: 'Your progress could not be sent to the learning system. It is kept on this device ' +
              'and will be sent when the connection comes back: you can carry on.' }
          : { kind: 'offline', message: 'Could not reach the learning system; trying again.' });
        if (!sync) schedule(Math.min(MAX_BACKOFF_MS, BACKOFF_MS * Math.pow(2, failures - 1)));
      }
      return ok;
    }

    function compact(ev) {
      if (ev.type !== 'answer') return ev;
      return { type: 'answer', q: ev.question.id, m: ev.module, response: ev.response, correct: ev.correct,
        latencyMs: ev.latencyMs, attempt: ev.attempt, competency: ev.competency, time: ev.time };
    }
    // Events that change what the LMS holds, in the form kept in the shadow copy.
    function apply(ev) {
      if (ev.type === 'answer') {
        var q = questions[(pathway ? ev.m + '/' : '') + ev.q];
        if (!q) return false;
        ed.interaction('cmi.interactions.' + shadow.n + '.', ev, q, ctx);
        shadow.n += 1;
        return false;
      }
      if (pathway) {
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

    function initialize(tries) {
      if (call('init')) return Promise.resolve(true);
      // Already initialised (a reload in the same frame) is fine.
      if (get(ed.el.status) !== null) return Promise.resolve(true);
      if (tries + 1 >= INIT_TRIES) return Promise.resolve(false);
      report({ kind: 'offline', message: 'Connecting to the learning system…' });
      return wait(BACKOFF_MS * Math.pow(2, tries)).then(function () { return initialize(tries + 1); });
    }

    function offline(message) {
      var saved = load(key) || {};
      shadow.s = saved.s || '';
      shadow.l = saved.l || '';
      if (message) report({ kind: 'error', message: message });
      return launchFrom(shadow.s, shadow.l, null, 'normal', false, null);
    }

    return {
      onStatus: function (callback) { report = callback; },
      start: function () {
        api = discover(ed.api);
        if (!api) return Promise.resolve(offline());
        return initialize(0).then(function (ok) {
          if (!ok) {
            api = null;
            return offline('This module could not connect to the learning system, so your progress is kept on this ' +
              'device only and will not count until you open the module again from the learning system.');
          }
          ready = true;
          var el = ed.el;
          var mode = get(el.mode) || 'normal';
          // Review and browse record nothing: browsed answers "will not count" and must not reach a
          // later attempt. SCORM 1.2 alone has a status for a browse launch (`browsed`).
          readOnly = mode === 'review' || mode === 'browse';
          var learner = { id: get(el.learnerId) || '', name: get(el.learnerName) || '' };
          key = base + ':' + learner.id;
          var entry = get(el.entry) || '', lmsState = get(el.suspend) || '', lmsLocation = get(el.location) || '';
          if (entry === 'ab-initio') { lmsState = ''; }
          var mastery = ed.mastery(get(el.mastery));
          var saved = load(key), state = lmsState, location = lmsLocation, replay = [];
          // A newer local copy that never reached the LMS (commit failed, window closed): if the
          // LMS still holds exactly what we last knew it had, carry on from the local copy.
          if (saved && saved.s && saved.s !== lmsState && (saved.b || '') === lmsState) {
            state = saved.s;
            location = saved.l || location;
            replay = saved.p || [];
          }
          shadow = { s: state, l: location, b: lmsState, p: replay.slice(), n: 0 };
          var count = parseInt(get('cmi.interactions._count'), 10);
          shadow.n = isNaN(count) ? (saved && saved.n) || 0 : count;
          var changed = false;
          if (!readOnly) {
            readObjectives();
            changed = ed.begin(ctx) || changed;
            set(el.exit, 'suspend');
            replay.forEach(function (ev) { changed = apply(ev) || changed; });
            if (state !== lmsState) {
              set(el.suspend, state);
              set(el.location, location);
              changed = true;
            }
            if (replay.length) changed = true;
          }
          keep();
          if (changed) soon();
          if (mode === 'browse' && ed.browse && ed.browse(write, ctx)) commit(false);
          return launchFrom(state, location, learner, mode, true, mastery);
        });
      },
      record: function (ev) {
        if (ev.type === 'start' || ev.type === 'page') return;
        if (ev.type === 'exit') {
          if (ready && !readOnly && !ended) ed.exit(ev, ctx, ev.durationMs === undefined ? Date.now() - t0 : ev.durationMs);
          return;
        }
        ev = compact(ev);
        if (ev.type === 'answer' || ev.type === 'submit' || ev.type === 'complete' || ev.type === 'pathway-result') {
          if (!ready || readOnly) return;
          shadow.p.push(ev);
          var urgent = apply(ev);
          keep();
          if (urgent) soon(); else touch();
        }
      },
      save: function (state, location) {
        if (readOnly) return;
        shadow.s = state;
        shadow.l = location;
        keep();
        if (!ready || readOnly || ended) return;
        set(ed.el.suspend, state);
        set(ed.el.location, location);
        touch();
      },
      finish: function () {
        if (ended) return;
        if (ready) {
          if (!readOnly) commit(true);
          if (!call('finish')) call('finish');
        }
        ended = true;
        if (timer) { clearTimeout(timer); timer = null; }
      }
    };
  }

  window.CCMScorm = { create: create, discover: discover, fmt: fmt, types: TYPES, respond: respond, patterns: patterns };
})();
