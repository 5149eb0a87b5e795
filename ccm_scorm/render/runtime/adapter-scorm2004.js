/* ccm-scorm learner runtime: the SCORM 2004 4th Edition adapter (on top of scorm-api.js).
 * cmi.completion_status incomplete at first launch, completed on quiz submission or when every
 * page is seen; cmi.success_status passed/failed on submission. Score raw 0-100 (min 0, max 100:
 * Moodle grades from raw only) and scaled 0-1. Objectives (the module's, one per competency) are
 * found by id: the LMS preloads the one the manifest declares (a quiz module's primary objective,
 * carrying the pass mark) and the ones kept from earlier sessions; the rest are added here. A
 * competency the attempt did not judge (scoring.js judge) keeps success unknown, completion incomplete.
 * Interactions as in SCORM 1.2, in 2004's formats. cmi.exit suspend until finished, then normal.
 * Pathway SCO: the primary objective is the pathway; pathway-result is applied as a submission. */
(function () {
  'use strict';
  var S = window.CCM.scorm;
  var FORMAT = { list: '[,]', pair: '[.]', t: 'true', f: 'false', caseMatters: '{case_matters=true}',
    // a leading "{" would read as a delimiter such as {lang=...}
    text: function (s) { return s.replace(/^\{/, '(').slice(0, 250); } };
  var FRESH = { '': 1, unknown: 1, 'not attempted': 1 };

  function score(c, prefix, value) {
    c.set(prefix + 'score.scaled', String(value / 100));
    c.set(prefix + 'score.raw', String(value));
    c.set(prefix + 'score.min', '0');
    c.set(prefix + 'score.max', '100');
  }
  function ids(c) { return [c.course.id].concat(c.course.competencies.map(function (k) { return k.id; })); }

  var edition = {
    api: 'API_1484_11',
    fn: { init: 'Initialize', finish: 'Terminate', get: 'GetValue', set: 'SetValue', commit: 'Commit',
      err: 'GetLastError', str: 'GetErrorString', diag: 'GetDiagnostic' },
    el: { status: 'cmi.completion_status', mode: 'cmi.mode', learnerId: 'cmi.learner_id', learnerName: 'cmi.learner_name',
      entry: 'cmi.entry', suspend: 'cmi.suspend_data', location: 'cmi.location', mastery: 'cmi.scaled_passing_score',
      exit: 'cmi.exit' },
    mastery: function (v) {
      var n = parseFloat(v);
      return v && !isNaN(n) && n >= 0 && n <= 1 ? n : null;
    },
    begin: function (c) {
      var changed = false;
      if (FRESH[c.get('cmi.completion_status') || '']) { c.set('cmi.completion_status', 'incomplete'); changed = true; }
      ids(c).forEach(function (id) {
        var o = c.objective(id);
        if (o && FRESH[c.get(o + 'completion_status') || '']) c.set(o + 'completion_status', 'incomplete');
      });
      return changed;
    },
    submit: function (ev, c) {
      var result = ev.passed ? 'passed' : 'failed', o = c.objective(c.course.id);
      score(c, 'cmi.', ev.score);
      c.set('cmi.success_status', result);
      c.set('cmi.completion_status', 'completed');
      if (o) {
        score(c, o, ev.score);
        c.set(o + 'success_status', result);
        c.set(o + 'completion_status', 'completed');
      }
      ev.competencies.forEach(function (k) {
        var p;
        if (k.score !== null && k.score !== undefined) {
          if (!(p = c.objective(k.id))) return;
          score(c, p, k.score);
          c.set(p + 'success_status', k.status === 'passed' ? 'passed' : 'failed');
          c.set(p + 'completion_status', 'completed');
        } else if (k.status === 'completed' && (p = c.objective(k.id))) { // not-assessed: left as it was
          c.set(p + 'completion_status', 'completed');
        }
      });
    },
    complete: function (ev, c) {
      c.set('cmi.completion_status', 'completed');
      var o = c.objective(c.course.id);
      if (o) c.set(o + 'completion_status', 'completed');
      ev.competencies.forEach(function (k) {
        var p = c.objective(k.id);
        if (p) c.set(p + 'completion_status', 'completed');
      });
    },
    interaction: function (p, ev, q, c) {
      c.set(p + 'id', c.interactionId(ev));
      c.set(p + 'type', S.types[q.type]);
      c.set(p + 'objectives.0.id', ev.competency);
      c.set(p + 'timestamp', c.fmt.stamp(ev.time));
      c.set(p + 'weighting', '1');
      S.patterns(q, FORMAT).forEach(function (pattern, i) { c.set(p + 'correct_responses.' + i + '.pattern', pattern); });
      c.set(p + 'learner_response', S.respond(q, ev.response, FORMAT));
      c.set(p + 'result', ev.correct ? 'correct' : 'incorrect');
      c.set(p + 'latency', c.fmt.duration(ev.latencyMs));
    },
    exit: function (ev, c, ms) {
      c.set('cmi.exit', ev.finished ? 'normal' : 'suspend');
      c.set('cmi.session_time', c.fmt.duration(ms));
    }
  };

  window.CCM.registerAdapter('scorm2004', function (course) { return S.create(course, edition); });
})();
