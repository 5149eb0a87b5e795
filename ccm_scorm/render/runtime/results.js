/* ccm-scorm learner runtime: the results view of a module (CCM.results), in #ccm-results:
 * the score, the table by competency, the answers and what the learner can do next.
 * `m` is the module view (module-view.js). */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, button = dom.button;
  var READ_ONLY = CCM.text.readOnly;

  function outcome(m, r, practised) {
    var passMark = m.passMark();
    if (practised) {
      return [make('p', { 'class': 'ccm-score', text: 'Your practice score is ' + r.score + '%. The pass mark is ' + passMark + '%.' }),
        make('p', { 'class': 'ccm-outcome', text: 'This practice was not saved, so your result has not changed.' })];
    }
    return [make('p', { 'class': 'ccm-score', text: 'You scored ' + r.score + '%. The pass mark is ' + passMark + '%.' }),
      make('p', { 'class': 'ccm-outcome ' + (r.passed ? 'ccm-right' : 'ccm-wrong'),
        text: m.host.readOnly ? (r.passed ? '✓ You passed this attempt.' : '✗ You did not pass this attempt.')
          : r.passed ? '✓ You have passed.' : '✗ You have not passed this time.' })];
  }
  function competencyTable(r, practised) {
    var rows = r.competencies.map(function (c) {
      return make('tr', {}, [make('th', { scope: 'row', text: c.title || c.id }),
        make('td', { text: c.score === null ? 'No questions this time' : c.score + '%' }),
        make('td', { text: c.status === 'passed' ? 'Passed' : c.status === 'failed' ? 'Not passed yet' : 'Completed' })]);
    });
    return make('table', { 'class': 'ccm-table' }, [
      make('caption', { text: practised ? 'Your practice results by competency (not saved)' : 'Your results by competency' }),
      make('thead', {}, [make('tr', {}, [make('th', { scope: 'col', text: 'Competency' }),
        make('th', { scope: 'col', text: 'Score' }), make('th', { scope: 'col', text: 'Result' })])]),
      make('tbody', {}, rows)]);
  }
  function nextSteps(m, r, practised, body) {
    var st = m.st, host = m.host, maxAttempt = m.maxAttempt;
    var canRetry = !r.passed && st.attempt < maxAttempt && !host.readOnly;
    if (host.readOnly && (practised || !r.passed)) body.appendChild(make('p', { 'class': 'ccm-try-again', text: READ_ONLY[host.readOnly].again }));
    if (m.course.attempts > 0) {
      body.appendChild(make('p', { text: 'You have used ' + st.attempt + ' of ' + maxAttempt + (maxAttempt === 1 ? ' attempt.' : ' attempts.') }));
    }
    var actions = make('div', { 'class': 'ccm-actions' });
    var cert = r.passed && !practised && host.certificate;
    if (canRetry) actions.appendChild(button('Try again', 'retry'));
    if (cert) actions.appendChild(button(host.certificate.label, 'certificate'));
    actions.appendChild(button(host.leaveLabel, 'exit', canRetry || cert ? 'ccm-button ccm-secondary' : 'ccm-button'));
    body.appendChild(actions);
  }

  // -> the view's title
  function render(m) {
    var body = dom.byId('ccm-results-body'), r = m.results(), practised = !!m.st.practice;
    dom.clear(body);
    outcome(m, r, practised).forEach(function (p) { body.appendChild(p); });
    body.appendChild(competencyTable(r, practised));
    body.appendChild(make('h2', { text: 'Your answers' }));
    body.appendChild(make('ol', { 'class': 'ccm-answers' }, m.st.draw.map(function (qi, i) {
      return make('li', {}, [m.qs[qi].prompt + ' ', make('strong', { text: r.ok[i] ? '(right)' : '(not right)' })]);
    })));
    nextSteps(m, r, practised, body);
    return 'Your results';
  }

  CCM.results = { render: render };
})(window.CCM);
