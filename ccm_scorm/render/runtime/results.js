/* ccm-scorm learner runtime: the results view of a module (CCM.results), in #ccm-results:
 * one verdict, the score, the table by competency (the rule of scoring.js `judge` in words),
 * the answers, the pages to read again and what the learner can do next.
 * `m` is the module view (module-view.js). */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, button = dom.button;
  var READ_ONLY = CCM.text.readOnly;

  function failedOf(r) { return r.competencies.filter(function (c) { return c.status === 'failed'; }); }

  // The one headline: passed, passed with areas to review, or not passed.
  function verdict(m, r) {
    var review = failedOf(r).length, readOnly = !!m.host.readOnly;
    if (!r.passed) return '✗ ' + (readOnly ? CCM.t('results.not_passed_attempt') : CCM.t('results.not_passed'));
    if (!review) return '✓ ' + (readOnly ? CCM.t('results.passed_attempt') : CCM.t('results.passed'));
    return '✓ ' + (readOnly ? CCM.t('results.passed_attempt_review', { n: review }) : CCM.t('results.passed_review', { n: review }));
  }
  function outcome(m, r, practised) {
    var marks = { score: r.score, mark: m.passMark() };
    if (practised) {
      return [make('p', { 'class': 'ccm-score', text: CCM.t('results.practice_score', marks) }),
        make('p', { 'class': 'ccm-outcome', text: CCM.t('results.practice_not_saved') })];
    }
    return [make('p', { 'class': 'ccm-outcome ' + (r.passed ? 'ccm-right' : 'ccm-wrong'), text: verdict(m, r) }),
      make('p', { 'class': 'ccm-score', text: CCM.t('results.score', marks) })];
  }

  function scoreText(c) {
    if (c.status === 'completed') return CCM.t('results.not_in_quiz');
    return c.score === null ? CCM.t('results.asked', { n: c.asked || 0 }) : c.score + '%';
  }
  function resultTag(c) {
    var s = c.status, words = { passed: CCM.t('results.status_passed'), failed: CCM.t('results.status_failed'),
      'not-assessed': CCM.t('results.status_not_assessed'), completed: CCM.t('results.status_completed') };
    return make('span', { 'class': 'ccm-tag ccm-tag-' + (s === 'completed' ? 'not-assessed' : s), text: words[s] });
  }
  /* Explicit roles keep the table a table for screen readers when a narrow screen stacks its
   * cells (display: block, the NHS responsive-table pattern); data-label heads each stacked cell. */
  function cell(label, kids) { return make('td', { role: 'cell', 'data-label': label }, kids); }
  function competencyTable(r, practised) {
    var heads = [CCM.t('results.competency'), CCM.t('results.score_heading'), CCM.t('results.result')];
    var rows = r.competencies.map(function (c) {
      return make('tr', { role: 'row' }, [make('th', { scope: 'row', role: 'rowheader', text: c.title || c.id }),
        cell(heads[1], [scoreText(c)]), cell(heads[2], [resultTag(c)])]);
    });
    return make('table', { 'class': 'ccm-table ccm-results-table', role: 'table' }, [
      make('caption', { text: practised ? CCM.t('results.caption_practice') : CCM.t('results.caption') }),
      make('thead', {}, [make('tr', { role: 'row' }, heads.map(function (h) {
        return make('th', { scope: 'col', role: 'columnheader', text: h });
      }))]),
      make('tbody', {}, rows)]);
  }
  function rule(r) {
    var unjudged = r.competencies.some(function (c) { return c.status === 'not-assessed'; });
    return make('p', { 'class': 'ccm-results-rule' }, [CCM.t('results.rule', { n: CCM.scoring.judgeAt }),
      unjudged ? ' ' + CCM.t('results.rule_not_assessed') : '']);
  }

  function answers(m, r) {
    return make('ol', { 'class': 'ccm-answers' }, m.st.draw.map(function (qi, i) {
      return make('li', {}, [m.qs[qi].prompt + ' ', make('strong', { 'class': r.ok[i] ? 'ccm-right' : 'ccm-wrong',
        text: r.ok[i] ? '✓ ' + CCM.t('results.answer_right') : '✗ ' + CCM.t('results.answer_wrong') })]);
    }));
  }

  /* The pages behind a competency: those that name it in their front matter, or every page
   * when none does (docs/authoring.md, "Pages and competencies"). */
  function pagesFor(course, id) {
    var all = course.pages.map(function (p, i) { return i; });
    var named = all.filter(function (i) { return (course.pages[i].competencies || []).indexOf(id) >= 0; });
    return named.length ? named : all;
  }
  function readAgain(m, r) {
    var missed = failedOf(r);
    if (!missed.length) return [];
    return [make('h2', { text: CCM.t('results.read_again') }), make('ul', { 'class': 'ccm-read-again' }, missed.map(function (c) {
      var links = pagesFor(m.course, c.id).map(function (i) {
        var p = m.course.pages[i];
        return make('li', {}, [make('a', { href: '#page-' + p.id, 'data-view': String(i), text: p.title })]);
      });
      return make('li', {}, [make('h3', { text: c.title || c.id }), make('ul', {}, links)]);
    }))];
  }

  function nextSteps(m, r, practised, body) {
    var st = m.st, host = m.host, maxAttempt = m.maxAttempt;
    var canRetry = !r.passed && st.attempt < maxAttempt && !host.readOnly;
    if (host.readOnly && (practised || !r.passed)) body.appendChild(make('p', { 'class': 'ccm-try-again', text: READ_ONLY[host.readOnly].again }));
    if (m.course.attempts > 0) body.appendChild(make('p', { text: CCM.t('results.attempts_used', { n: maxAttempt, used: st.attempt }) }));
    var actions = make('div', { 'class': 'ccm-actions' });
    var cert = r.passed && !practised && host.certificate;
    if (canRetry) actions.appendChild(button(CCM.t('results.try_again'), 'retry'));
    if (cert) actions.appendChild(button(host.certificate.label, 'certificate'));
    actions.appendChild(button(host.leaveLabel, 'exit', canRetry || cert ? 'ccm-button ccm-secondary' : 'ccm-button'));
    body.appendChild(actions);
  }

  // -> the view's title
  function render(m) {
    var body = dom.byId('ccm-results-body'), r = m.results(), practised = !!m.st.practice;
    dom.clear(body);
    outcome(m, r, practised).concat([competencyTable(r, practised), rule(r)], readAgain(m, r),
      [make('h2', { text: CCM.t('results.your_answers') }), answers(m, r)]).forEach(function (e) { body.appendChild(e); });
    nextSteps(m, r, practised, body);
    return CCM.t('page.your_results');
  }

  CCM.results = { render: render };
})(window.CCM);
