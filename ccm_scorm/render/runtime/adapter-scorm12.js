/* ccm-scorm learner runtime: the SCORM 1.2 adapter (on top of scorm-api.js).
 * Status cmi.core.lesson_status: incomplete at first launch; passed/failed on quiz submission;
 * completed when every page is seen (no quiz). Score cmi.core.score.raw 0-100, min 0, max 100.
 * One objective per competency (cmi.objectives.n.id = competency id, status, score): passed/failed
 * only when the attempt judged it (scoring.js judge); not assessed, it stays incomplete.
 * One interaction per checked answer, id "<module>.<question>" (".a<N>" from attempt 2).
 * Bookmark cmi.core.lesson_location, state cmi.suspend_data, cmi.core.exit suspend until finished.
 * Pathway SCO: incomplete until every module is finished, then pathway-result as a submission. */
(function () {
  'use strict';
  var S = window.CCM.scorm;
  var FORMAT = { list: ',', pair: '.', t: 't', f: 'f', caseMatters: '',
    text: function (s) { return s.slice(0, 255); } };

  function score(c, prefix, value) {
    c.set(prefix + 'score.min', '0');
    c.set(prefix + 'score.max', '100');
    c.set(prefix + 'score.raw', String(value));
  }

  var edition = {
    api: 'API',
    fn: { init: 'LMSInitialize', finish: 'LMSFinish', get: 'LMSGetValue', set: 'LMSSetValue', commit: 'LMSCommit',
      err: 'LMSGetLastError', str: 'LMSGetErrorString', diag: 'LMSGetDiagnostic' },
    el: { status: 'cmi.core.lesson_status', mode: 'cmi.core.lesson_mode', learnerId: 'cmi.core.student_id',
      learnerName: 'cmi.core.student_name', entry: 'cmi.core.entry', suspend: 'cmi.suspend_data',
      location: 'cmi.core.lesson_location', mastery: 'cmi.student_data.mastery_score', exit: 'cmi.core.exit' },
    mastery: function (v) {
      var n = parseFloat(v);
      return v && !isNaN(n) && n >= 0 && n <= 100 ? n / 100 : null;
    },
    browse: function (write, c) {
      var status = c.get('cmi.core.lesson_status');
      return (!status || status === 'not attempted') && write('cmi.core.lesson_status', 'browsed');
    },
    begin: function (c) {
      var changed = false, status = c.get('cmi.core.lesson_status');
      if (!status || status === 'not attempted') { c.set('cmi.core.lesson_status', 'incomplete'); changed = true; }
      c.course.competencies.forEach(function (k) {
        if (!c.isNew(k.id)) return;
        var o = c.objective(k.id);
        if (o) c.set(o + 'status', 'incomplete');
      });
      return changed;
    },
    submit: function (ev, c) {
      score(c, 'cmi.core.', ev.score);
      c.set('cmi.core.lesson_status', ev.passed ? 'passed' : 'failed');
      ev.competencies.forEach(function (k) {
        var o;
        if (k.score !== null && k.score !== undefined) {
          if (!(o = c.objective(k.id))) return;
          score(c, o, k.score);
          c.set(o + 'status', k.status === 'passed' ? 'passed' : 'failed');
        } else if (k.status === 'completed' && (o = c.objective(k.id))) { // not-assessed: left as it was
          c.set(o + 'status', 'completed');
        }
      });
    },
    complete: function (ev, c) {
      c.set('cmi.core.lesson_status', 'completed');
      ev.competencies.forEach(function (k) {
        var o = c.objective(k.id);
        if (o) c.set(o + 'status', 'completed');
      });
    },
    interaction: function (p, ev, q, c) {
      c.set(p + 'id', c.interactionId(ev));
      c.set(p + 'objectives.0.id', ev.competency);
      c.set(p + 'time', c.fmt.clock(ev.time));
      c.set(p + 'type', S.types[q.type]);
      S.patterns(q, FORMAT).forEach(function (pattern, i) { c.set(p + 'correct_responses.' + i + '.pattern', pattern); });
      c.set(p + 'weighting', '1');
      c.set(p + 'student_response', S.respond(q, ev.response, FORMAT));
      c.set(p + 'result', ev.correct ? 'correct' : 'wrong');
      c.set(p + 'latency', c.fmt.timespan(ev.latencyMs));
    },
    exit: function (ev, c, ms) {
      c.set('cmi.core.exit', ev.finished ? '' : 'suspend');
      c.set('cmi.core.session_time', c.fmt.timespan(ms));
    }
  };

  window.CCM.registerAdapter('scorm12', function (course) { return S.create(course, edition); });
})();
