/* ccm-scorm learner runtime: what a pathway's modules add up to (CCM.pathwayResults). Pure:
 * each function takes the pathway state record `ps` (state.js). */
(function (CCM) {
  'use strict';

  function finished(t) { return !!(t && t.result); }
  function mean(list) { return Math.round(list.reduce(function (a, b) { return a + b; }, 0) / list.length); }

  // "new", "open" (in progress), "completed" (no quiz), "passed" or "failed"
  function kind(ps, i) {
    var t = ps.modules[i];
    if (!t) return 'new';
    if (!t.result) return 'open';
    return t.result.score === null ? 'completed' : t.result.passed ? 'passed' : 'failed';
  }
  function allFinished(ps) { return ps.modules.every(finished); }
  function passed(ps) { return ps.modules.every(function (t) { return finished(t) && t.result.passed; }); }
  function passedCount(ps) { return ps.modules.filter(function (t) { return finished(t) && t.result.passed; }).length; }
  // The mean of the finished modules' scores, null if none has a score.
  function score(ps) {
    var scores = ps.modules.filter(function (t) { return finished(t) && t.result.score !== null; })
      .map(function (t) { return t.result.score; });
    return scores.length ? mean(scores) : null;
  }
  // Competencies across modules: mean of the scores given, failed if any module failed it, else
  // passed if any passed it, else not-assessed if a module's quiz could not judge it, else completed.
  // Order: first appearance, module by module.
  function competencies(ps) {
    var order = [], by = {};
    ps.modules.forEach(function (t) {
      if (!finished(t)) return;
      t.result.competencies.forEach(function (c) {
        if (!by[c.id]) { by[c.id] = []; order.push(c.id); }
        by[c.id].push(c);
      });
    });
    return order.map(function (id) {
      var list = by[id], scores = list.filter(function (c) { return c.score !== null; }).map(function (c) { return c.score; });
      var status = list.some(function (c) { return c.status === 'failed'; }) ? 'failed'
        : list.some(function (c) { return c.status === 'passed'; }) ? 'passed'
          : list.some(function (c) { return c.status === 'not-assessed'; }) ? 'not-assessed' : 'completed';
      return { id: id, score: scores.length ? mean(scores) : null, status: status };
    });
  }

  CCM.pathwayResults = { kind: kind, allFinished: allFinished, passed: passed, passedCount: passedCount,
    score: score, competencies: competencies };
})(window.CCM);
