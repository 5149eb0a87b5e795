/* ccm-scorm learner runtime: the pathway page (CCM.pathwayMenu), in #ccm-menu: the progress bar
 * and its words, the main action (Start, Continue with the next module to do, or the certificate
 * once every module is passed), and each module's card: a status tag in words, the score, the
 * button (Start / Continue / Try again / Review). The next module to do is marked "Up next". */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, byId = dom.byId, make = dom.make, results = CCM.pathwayResults;

  // What module i's card says: [its tag, the tag's kind, the line beside it, its button's label]. An
  // unfinished module whose last attempt was submitted failed it with attempts left (a pass or the
  // last attempt finishes the module).
  function status(ps, i) {
    var k = results.kind(ps, i), t = ps.modules[i], st = t && t.state, review = CCM.t('pathway.review');
    if (k === 'new') return [CCM.t('pathway.not_started'), 'not-started', '', CCM.t('pathway.start')];
    if (k === 'completed') return [CCM.t('pathway.completed'), 'passed', '', review];
    if (k !== 'open') {
      return [k === 'passed' ? CCM.t('pathway.passed') : CCM.t('pathway.not_passed'), k, CCM.t('pathway.score', { score: t.result.score }), review];
    }
    var last = st.score === null ? '' : CCM.t('pathway.last_score', { score: st.score });
    return st.submitted ? [CCM.t('pathway.not_passed'), 'failed', last, CCM.t('pathway.try_again')]
      : [CCM.t('pathway.in_progress'), 'progress', last, CCM.t('pathway.continue')];
  }
  // The module to do next: the first one not finished, null when every one is.
  function nextModule(ps) {
    for (var i = 0; i < ps.modules.length; i++) if (!(ps.modules[i] && ps.modules[i].result)) return i;
    return null;
  }

  function renderCard(ps, i, next) {
    var s = status(ps, i), isNext = i === next, item = byId('ccm-menu-item-' + i), tag = byId('ccm-menu-status-' + i);
    item.className = 'ccm-menu-item ccm-card ccm-menu-' + results.kind(ps, i) + (isNext ? ' ccm-menu-next' : '');
    item.querySelector('.ccm-menu-up-next').hidden = !isNext;
    tag.textContent = s[0];
    tag.className = 'ccm-tag ccm-tag-' + s[1];
    byId('ccm-menu-detail-' + i).textContent = s[2];
    var b = byId('ccm-menu-open-' + i);
    b.firstChild.textContent = s[3];
    b.className = isNext ? 'ccm-button' : 'ccm-button ccm-secondary';
  }

  function verdict(ps) {
    var score = results.score(ps);
    if (results.passed(ps)) return score === null ? CCM.t('pathway.passed_no_score') : CCM.t('pathway.passed_with_score', { score: score });
    return results.allFinished(ps) ? CCM.t('pathway.finished_not_passed') : '';
  }
  function mainAction(course, ps, next) {
    if (results.passed(ps)) return dom.button(CCM.t('pathway.certificate'), 'certificate');
    if (next === null) return null;
    var label = ps.modules.some(Boolean) ? CCM.t('pathway.continue') : CCM.t('pathway.start');
    return make('button', { type: 'button', 'class': 'ccm-button', 'data-action': 'open-module', 'data-module': next },
      [label, dom.srOnly(': ' + course.modules[next].title)]);
  }
  function renderSummary(course, ps, next) {
    var n = course.modules.length, passed = results.passedCount(ps), box = byId('ccm-menu-summary');
    var label = CCM.t('pathway.progress', { n: n, passed: passed }), said = verdict(ps);
    dom.clear(box);
    box.appendChild(make('p', { id: 'ccm-menu-progress', 'class': 'ccm-menu-progress', text: label }));
    box.appendChild(make('progress', { 'class': 'ccm-progress-bar', max: n, value: passed, 'aria-labelledby': 'ccm-menu-progress' }));
    if (said) box.appendChild(make('p', { 'class': 'ccm-menu-verdict', text: said }));
    var action = mainAction(course, ps, next);
    if (action) box.appendChild(action);
    return said ? label + '. ' + said : label;
  }

  // -> the summary line, for the live region
  function render(course, ps) {
    var next = nextModule(ps);
    course.modules.forEach(function (m, i) { renderCard(ps, i, next); });
    return renderSummary(course, ps, next);
  }

  CCM.pathwayMenu = { render: render };
})(window.CCM);
