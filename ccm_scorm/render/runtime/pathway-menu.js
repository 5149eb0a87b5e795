/* ccm-scorm learner runtime: the pathway's menu (CCM.pathwayMenu), in #ccm-menu: each module's
 * status and button, and the summary line. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, byId = dom.byId, make = dom.make, results = CCM.pathwayResults;

  function statusText(ps, i) {
    var t = ps.modules[i], k = results.kind(ps, i);
    if (k === 'new') return 'Not started';
    if (k === 'open') return t.state.score !== null ? 'In progress (last score ' + t.state.score + '%)' : 'In progress';
    if (k === 'completed') return 'Completed';
    return (k === 'passed' ? 'Passed' : 'Failed') + ', score ' + t.result.score + '%';
  }
  function summaryText(course, ps) {
    var score = results.score(ps);
    if (results.passed(ps)) return 'You have passed this pathway' + (score === null ? '.' : ', with an overall score of ' + score + '%.');
    if (results.allFinished(ps)) {
      return 'You have finished every module, but you have not passed them all. Talk to your coordinator about what to do next.';
    }
    return 'You have passed ' + results.passedCount(ps) + ' of ' + course.modules.length + ' modules.';
  }

  // -> the summary line, for the live region
  function render(course, ps) {
    course.modules.forEach(function (m, i) {
      var k = results.kind(ps, i);
      byId('ccm-menu-status-' + i).textContent = statusText(ps, i);
      byId('ccm-menu-item-' + i).className = 'ccm-menu-item ccm-menu-' + k;
      var b = byId('ccm-menu-open-' + i);
      b.firstChild.textContent = k === 'new' ? 'Start' : k === 'open' ? 'Continue' : 'Review';
      b.className = k === 'new' || k === 'open' ? 'ccm-button' : 'ccm-button ccm-secondary';
    });
    var summary = byId('ccm-menu-summary'), text = summaryText(course, ps);
    dom.clear(summary);
    summary.appendChild(make('p', { 'class': 'ccm-menu-progress', text: text }));
    if (results.passed(ps)) {
      summary.appendChild(make('button', { type: 'button', 'class': 'ccm-button', 'data-action': 'certificate', text: 'See your certificate' }));
    }
    return text;
  }

  CCM.pathwayMenu = { render: render };
})(window.CCM);
