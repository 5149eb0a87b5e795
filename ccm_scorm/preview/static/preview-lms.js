/* ccm preview: a small SCORM LMS in the preview page (window.API for SCORM 1.2,
 * window.API_1484_11 for SCORM 2004), so that the learner frame finds it in its parent.
 *
 * It stores every well-formed CMI element the module sets, answers reads from what it
 * stores, computes _count, keeps a log of every call with its arguments and answer, and
 * keeps the values in this browser's localStorage so that progress survives a reload.
 * It is a preview, not a conformance checker: it refuses only what no LMS would accept
 * (calls outside a session, malformed element names, read-only elements).
 */
(function () {
  'use strict';

  var WELL_FORMED = /^(cmi|adl)\.[a-z_]+(\.([a-z_]+|\d+))*$/;
  var EDITIONS = {
    '12': {
      global: 'API',
      fn: { init: 'LMSInitialize', finish: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue',
        commit: 'LMSCommit', err: 'LMSGetLastError', str: 'LMSGetErrorString', diag: 'LMSGetDiagnostic' },
      el: { entry: 'cmi.core.entry', exit: 'cmi.core.exit', suspend: 'cmi.suspend_data',
        location: 'cmi.core.lesson_location', sessionTime: 'cmi.core.session_time' },
      readOnly: ['cmi.core.student_id', 'cmi.core.student_name', 'cmi.core.credit', 'cmi.core.entry',
        'cmi.core.total_time', 'cmi.core.lesson_mode', 'cmi.launch_data', 'cmi.comments_from_lms',
        'cmi.student_data.mastery_score', 'cmi.student_data.max_time_allowed', 'cmi.student_data.time_limit_action'],
      codes: { ok: '0', general: '101', again: '101', argument: '201', notInit: '301', notInitGet: '301',
        notInitSet: '301', notInitCommit: '301', notInitFinish: '301', readOnly: '403', unknown: '201' },
      text: { '0': 'No error', '101': 'General exception', '201': 'Invalid argument error',
        '301': 'Not initialized', '403': 'Element is read only', '401': 'Not implemented error' },
      fresh: function (preload) {
        var v = {
          'cmi.core.student_id': 'preview-learner', 'cmi.core.student_name': 'Learner, Preview',
          'cmi.core.lesson_status': 'not attempted', 'cmi.core.lesson_location': '', 'cmi.core.credit': 'credit',
          'cmi.core.entry': 'ab-initio', 'cmi.core.lesson_mode': 'normal', 'cmi.core.total_time': '0000:00:00.00',
          'cmi.suspend_data': '', 'cmi.launch_data': ''
        };
        if (preload.masteryScore) v['cmi.student_data.mastery_score'] = preload.masteryScore;
        return v;
      }
    },
    '2004': {
      global: 'API_1484_11',
      fn: { init: 'Initialize', finish: 'Terminate', get: 'GetValue', set: 'SetValue',
        commit: 'Commit', err: 'GetLastError', str: 'GetErrorString', diag: 'GetDiagnostic' },
      el: { entry: 'cmi.entry', exit: 'cmi.exit', suspend: 'cmi.suspend_data', location: 'cmi.location',
        sessionTime: 'cmi.session_time' },
      readOnly: ['cmi._version', 'cmi.learner_id', 'cmi.learner_name', 'cmi.credit', 'cmi.entry', 'cmi.total_time',
        'cmi.mode', 'cmi.launch_data', 'cmi.scaled_passing_score', 'cmi.completion_threshold',
        'cmi.max_time_allowed', 'cmi.time_limit_action'],
      codes: { ok: '0', general: '101', again: '103', argument: '201', notInit: '301', notInitGet: '122',
        notInitSet: '132', notInitCommit: '142', notInitFinish: '112', readOnly: '404', unknown: '401' },
      text: { '0': 'No error', '101': 'General exception', '103': 'Already initialized',
        '112': 'Termination before initialization', '122': 'Retrieve data before initialization',
        '132': 'Store data before initialization', '142': 'Commit before initialization',
        '201': 'General argument error', '301': 'General get failure', '401': 'Undefined data model element',
        '404': 'Data model element is read only' },
      fresh: function (preload) {
        var v = {
          'cmi._version': '1.0', 'cmi.learner_id': 'preview-learner', 'cmi.learner_name': 'Learner, Preview',
          'cmi.completion_status': 'unknown', 'cmi.success_status': 'unknown', 'cmi.location': '',
          'cmi.credit': 'credit', 'cmi.entry': 'ab-initio', 'cmi.mode': 'normal', 'cmi.total_time': 'PT0S',
          'cmi.suspend_data': '', 'cmi.launch_data': ''
        };
        if (preload.scaledPassingScore) v['cmi.scaled_passing_score'] = preload.scaledPassingScore;
        // Objectives declared in the manifest are preloaded by the LMS: the module finds them by id.
        (preload.objectives || []).forEach(function (id, i) {
          v['cmi.objectives.' + i + '.id'] = id;
          v['cmi.objectives.' + i + '.completion_status'] = 'unknown';
          v['cmi.objectives.' + i + '.success_status'] = 'unknown';
        });
        return v;
      }
    }
  };
  var LOG_LIMIT = 2000;

  function countOf(values, element) {
    // "cmi.interactions._count" -> how many distinct n are stored under "cmi.interactions.n."
    var prefix = element.slice(0, -'_count'.length), seen = {}, count = 0;
    Object.keys(values).forEach(function (key) {
      if (key.indexOf(prefix) !== 0) return;
      var rest = key.slice(prefix.length), n = rest.split('.')[0];
      if (/^\d+$/.test(n) && !seen[n]) { seen[n] = true; count += 1; }
    });
    return count;
  }

  /* options: {edition: "12"|"2004", storageKey, preload: {...}, onChange: function (what)} */
  function create(options) {
    var ed = EDITIONS[options.edition];
    var storageKey = options.storageKey, preload = options.preload || {};
    var onChange = options.onChange || function () {};
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(storageKey) || 'null'); } catch (e) { saved = null; }
    var data = saved && saved.values ? saved : { values: ed.fresh(preload), sessions: 0, committed: null };
    var state = 'idle', lastError = '0', log = [], forceResume = false, seq = 0;

    function persist() {
      try { window.localStorage.setItem(storageKey, JSON.stringify(data)); } catch (e) { /* memory only */ }
    }
    function entry(name, args, result, error) {
      seq += 1;
      log.push({ n: seq, name: name, args: args, result: result, error: error, time: Date.now(),
        check: name === ed.fn.err || name === ed.fn.str || name === ed.fn.diag });
      if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
    }
    function fail(code) { lastError = code; return 'false'; }
    function done(name, args, result) {
      entry(name, args, result, lastError);
      onChange(name);
      return result;
    }
    function readOnly(element) {
      return ed.readOnly.indexOf(element) >= 0 || /\._(count|children|version)$/.test(element);
    }

    var api = {};
    api[ed.fn.init] = function (arg) {
      var r;
      lastError = '0';
      if (arg !== '' && arg !== undefined && arg !== null) r = fail(ed.codes.argument);
      else if (state === 'running') r = fail(ed.codes.again);
      else {
        // A new session, as when the learner opens the module again from the LMS.
        var v = data.values;
        var resume = forceResume || v[ed.el.exit] === 'suspend';
        v[ed.el.entry] = resume ? 'resume' : (data.sessions ? '' : 'ab-initio');
        delete v[ed.el.exit];
        delete v[ed.el.sessionTime];
        forceResume = false;
        data.sessions += 1;
        state = 'running';
        persist();
        r = 'true';
      }
      return done(ed.fn.init, [arg], r);
    };
    api[ed.fn.finish] = function (arg) {
      var r;
      lastError = '0';
      if (arg !== '' && arg !== undefined && arg !== null) r = fail(ed.codes.argument);
      else if (state !== 'running') r = fail(ed.codes.notInitFinish);
      else { state = 'ended'; data.committed = Date.now(); persist(); r = 'true'; }
      return done(ed.fn.finish, [arg], r);
    };
    api[ed.fn.commit] = function (arg) {
      var r;
      lastError = '0';
      if (arg !== '' && arg !== undefined && arg !== null) r = fail(ed.codes.argument);
      else if (state !== 'running') r = fail(ed.codes.notInitCommit);
      else { data.committed = Date.now(); persist(); r = 'true'; }
      return done(ed.fn.commit, [arg], r);
    };
    api[ed.fn.get] = function (element) {
      var r = '';
      lastError = '0';
      element = String(element === undefined || element === null ? '' : element);
      if (state !== 'running') { fail(ed.codes.notInitGet); r = ''; }
      else if (!WELL_FORMED.test(element)) { fail(ed.codes.unknown); r = ''; }
      else if (/\._count$/.test(element)) r = String(countOf(data.values, element));
      else if (/\._children$/.test(element)) r = '';
      else r = Object.prototype.hasOwnProperty.call(data.values, element) ? data.values[element] : '';
      return done(ed.fn.get, [element], r);
    };
    api[ed.fn.set] = function (element, value) {
      var r;
      lastError = '0';
      element = String(element === undefined || element === null ? '' : element);
      if (state !== 'running') r = fail(ed.codes.notInitSet);
      else if (!WELL_FORMED.test(element)) r = fail(ed.codes.unknown);
      else if (readOnly(element)) r = fail(ed.codes.readOnly);
      else { data.values[element] = String(value); r = 'true'; }
      return done(ed.fn.set, [element, value], r);
    };
    api[ed.fn.err] = function () { return done(ed.fn.err, [], lastError); };
    api[ed.fn.str] = function (code) {
      return done(ed.fn.str, [code], ed.text[String(code)] || (String(code) === '' ? '' : 'Unknown error'));
    };
    api[ed.fn.diag] = function (code) {
      var c = String(code === undefined || code === null || code === '' ? lastError : code);
      return done(ed.fn.diag, [code], c === '0' ? '' : (ed.text[c] || 'Unknown error') + ' (preview LMS)');
    };

    return {
      api: api,
      edition: options.edition,
      global: ed.global,
      names: ed.fn,
      suspendElement: ed.el.suspend,
      values: function () { return data.values; },
      log: function () { return log; },
      running: function () { return state === 'running'; },
      lastCommit: function () { return data.committed; },
      // The learner frame was closed or replaced: the session ends, as when an LMS window closes.
      closeSession: function () { if (state === 'running') { state = 'ended'; persist(); } },
      // The next session starts with entry "resume" (the inspector's "Simulate resume").
      resumeNext: function () { forceResume = true; },
      // Forget everything the LMS holds for this learner and module (the inspector's "Reset progress").
      reset: function () {
        data = { values: ed.fresh(preload), sessions: 0, committed: null };
        state = 'idle';
        lastError = '0';
        log.length = 0;
        persist();
        onChange('reset');
      },
      // A new build may declare other objectives or another mastery score: keep the learner's values.
      refreshPreload: function (next) {
        preload = next || {};
        if (!data.sessions) data.values = ed.fresh(preload);
      }
    };
  }

  window.CCMPreviewLms = { create: create, editions: EDITIONS };
})();
