/* ccm-scorm learner runtime: the pathway page (CCM.pathwayMenu), in #ccm-menu: the progress bar
 * and its words, the main action (Start, Continue with the next module to do, or the certificate
 * once every module is passed), and each module's card: a status tag in words, the score, the
 * button (Start / Continue / Try again / Review). The next module to do is marked "Up next". */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, byId = dom.byId, make = dom.make, results = CCM.pathwayResults;

  function look(tag, kind, detail, action) { return { tag: tag, kind: kind, detail: detail, action: action }; }
  // What module i's card says. An unfinished module whose last attempt was submitted has failed it
  // with attempts left (a pass or the last attempt finishes the module).
  function status(ps, i) {
    var k = results.kind(ps, i), t = ps.modules[i];
    if (k === 'new') return look(CCM.t('pathway.not_started'), 'not-started', '', CCM.t('pathway.start'));
    if (k === 'open') {
      var st = t.state, last = st.score === null ? '' : CCM.t('pathway.last_score', { score: st.score });
      return st.submitted ? look(CCM.t('pathway.not_passed'), 'failed', last, CCM.t('pathway.try_again'))
        : look(CCM.t('pathway.in_progress'), 'progress', last, CCM.t('pathway.continue'));
    }
    var review = CCM.t('pathway.review'), score = CCM.t('pathway.score', { score: t.result.score });
    if (k === 'completed') return look(CCM.t('pathway.completed'), 'passed', '', review);
    return k === 'passed' ? look(CCM.t('pathway.passed'), 'passed', score, review) : look(CCM.t('pathway.not_passed'), 'failed', score, review);
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
    tag.textContent = s.tag;
    tag.className = 'ccm-tag ccm-tag-' + s.kind;
    byId('ccm-menu-detail-' + i).textContent = s.detail;
    var b = byId('ccm-menu-open-' + i);
    b.firstChild.textContent = s.action;
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
