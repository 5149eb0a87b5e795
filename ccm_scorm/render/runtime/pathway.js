/* ccm-scorm learner runtime: a pathway package (CCM.startPathway): the pathway page (a menu of
 * modules, pathway-menu.js), each module opened in the module view, and the certificate once
 * every module is passed.
 * Its views, a state machine (pw.view), entered only through enter(), which shows that view's
 * part of the page and hides every other view's (so a module's pages, quiz and results replace
 * the pathway page, never appear below it):
 *   menu         the pathway page: progress, each module's status, the main action
 *                                               -> module (Start/Continue/Try again/Review, the main
 *                                                  action), certificate (passed), end
 *   module       one module (ps.open)           -> menu (All modules, the module's Back button), certificate
 *   certificate  the pathway's certificate      -> menu (back)
 *   end          the session is over (Finish); nothing leads out of it
 * The menu is drawn afresh from the pathway state each time it is entered.
 * The aggregates (score, competencies) are in pathway-results.js. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, byId = dom.byId, clear = dom.clear, results = CCM.pathwayResults;

  function moduleUi(on) {
    ['ccm-toc', 'ccm-pager', 'ccm-progress'].forEach(function (id) { byId(id).hidden = !on; });
    byId('ccm-layout').classList.toggle('ccm-solo', !on);
    ['ccm-quiz', 'ccm-results'].forEach(function (id) { byId(id).hidden = true; });
    clear(byId('ccm-pages'));
    clear(byId('ccm-toc-list'));
  }
  // The module open keeps its progress in the pathway's state (unless it is finished).
  function syncCurrent(pw) {
    var i = pw.ps.open;
    if (i === null || !pw.runner) return;
    var t = pw.ps.modules[i];
    if (!(t && t.result)) pw.ps.modules[i] = { state: pw.runner.state() };
  }
  function location(pw) {
    if (pw.view === 'certificate') return 'certificate';
    return pw.view === 'module' ? pw.course.modules[pw.ps.open].id + '/' + pw.runner.location() : 'menu';
  }
  function save(pw) {
    syncCurrent(pw);
    pw.sess.save(CCM.pathwayState.encode(pw.ps, pw.course), location(pw));
  }
  // The one way between views: what was on screen goes, the new view's part of the page shows.
  function enter(pw, view) {
    syncCurrent(pw);
    if (pw.cert) pw.cert.hide();
    pw.ps.open = null;
    pw.runner = null;
    pw.view = view;
    byId('ccm-menu').hidden = view !== 'menu';
    moduleUi(view === 'module');
  }

  function certificateOffer(pw) {
    return results.passed(pw.ps) ? { label: CCM.t('pathway.certificate'), show: function () { showCertificate(pw); } } : null;
  }
  function onResult(pw) {
    var ps = pw.ps, i = ps.open, mods = pw.course.modules;
    if (pw.host.readOnly) return; // a practice in review or browse never becomes a module result
    if (!pw.runner.isFinished() || (ps.modules[i] && ps.modules[i].result)) return;
    ps.modules[i] = { result: pw.runner.summary() };
    if (!results.allFinished(ps)) return;
    var passed = results.passed(ps);
    if (passed && ps.date === null) ps.date = dom.today();
    pw.sess.record({ type: 'pathway-result', passed: passed, score: results.score(ps),
      modules: mods.map(function (m, k) { var r = ps.modules[k].result; return { id: m.id, score: r.score, passed: r.passed }; }),
      competencies: results.competencies(ps) });
    pw.host.certificate = certificateOffer(pw);
  }
  function hostFor(pw) {
    return {
      record: function (ev) { ev.module = pw.course.modules[pw.ps.open].id; pw.sess.record(ev); },
      save: function () { if (pw.runner) save(pw); },
      passMark: function () { return pw.passMarkOf(pw.course.modules[pw.ps.open]); },
      leave: function () { showMenu(pw, true); },
      onResult: function () { onResult(pw); },
      leaveLabel: CCM.t('pathway.back'),
      readOnly: null,
      done: null,
      certificate: null
    };
  }

  function openModule(pw, i, focus) {
    enter(pw, 'module');
    var m = pw.course.modules[i], t = pw.ps.modules[i];
    byId('ccm-pages').appendChild(document.importNode(byId('ccm-module-' + i).content, true));
    byId('ccm-toc-list').appendChild(document.importNode(byId('ccm-toc-' + i).content, true));
    pw.ps.open = i;
    var state = t && t.state ? t.state : null, result = t && t.result ? t.result : null;
    pw.host.done = result;
    pw.host.certificate = certificateOffer(pw);
    var runner = CCM.moduleView(m, state || (result ? CCM.state.fresh(m) : null), pw.sess, pw.host);
    pw.sess.record({ type: 'module-start', module: m.id, index: i, title: m.title, entry: t ? 'resume' : 'ab-initio' });
    pw.runner = runner;
    runner.show(focus);
  }

  function showMenu(pw, focus) {
    enter(pw, 'menu');
    var text = CCM.pathwayMenu.render(pw.course, pw.ps);
    document.title = pw.course.title;
    save(pw);
    if (focus) {
      dom.focusHeading(byId('ccm-menu-title'));
      pw.sess.say('polite', text);
    }
  }
  function showCertificate(pw) {
    var course = pw.course, ps = pw.ps;
    enter(pw, 'certificate');
    pw.cert = CCM.certificate.view(pw.sess, { kind: 'pathway', id: course.id, title: course.title,
      date: new Date((ps.date === null ? dom.today() : ps.date) * 86400000), dated: ps.date !== null,
      language: course.language,
      organisation: course.organisation,
      modules: course.modules.map(function (m, i) { var r = ps.modules[i].result; return { title: m.title, score: r.score, passed: r.passed }; }),
      competencies: CCM.certificate.evidenced(results.competencies(ps), CCM.certificate.titlesOf(course.competencies)),
      back: CCM.t('pathway.back') });
    pw.cert.show();
    save(pw);
    pw.sess.say('polite', CCM.t('pathway.certificate_ready'));
  }
  function finish(pw, reason) {
    if (pw.view === 'module') save(pw);
    var closing = pw.sess.finish(reason, results.allFinished(pw.ps));
    if (!closing || reason !== 'exit') return;
    enter(pw, 'end');
    pw.sess.showEnd(pw.course.title, closing);
  }

  function onClick(pw, t) {
    var act = t.getAttribute('data-action');
    if (pw.view === 'certificate') {
      if (pw.cert.click(t)) return;
      if (act === 'certificate-back') return showMenu(pw, true);
    }
    if (t.matches('a[data-menu]')) return showMenu(pw, true);
    if (act === 'open-module') return openModule(pw, +t.getAttribute('data-module'), true);
    if (act === 'certificate' && pw.view !== 'module') return showCertificate(pw);
    if (act === 'exit-pathway') return finish(pw, 'exit');
    if (pw.runner) pw.runner.click(t);
  }

  CCM.startPathway = function (course, adapter) {
    var pw = { course: course, sess: CCM.session(adapter), ps: CCM.pathwayState.fresh(course), view: 'menu',
      runner: null, cert: null, mastery: null };
    pw.passMarkOf = function (m) { return pw.mastery === null ? m.passMark : pw.mastery; };
    pw.host = hostFor(pw);
    var decode = function (text, mastery) {
      pw.mastery = mastery;
      return CCM.pathwayState.decode(text, course, pw.passMarkOf);
    };
    return pw.sess.open(course, 'pathway', decode).then(function (opened) {
      pw.mastery = opened.mastery;
      if (opened.saved) pw.ps = opened.saved;
      (pw.ps.lost || []).forEach(function (i) { pw.sess.notice(CCM.t('state.module_restarted', { module: course.modules[i].title })); });
      pw.host.readOnly = opened.readOnly;
      pw.sess.record({ type: 'start', entry: opened.entry });
      pw.sess.bind(function (t) { onClick(pw, t); }, function (form) {
        if (pw.view === 'certificate' && pw.cert.submit(form)) return;
        if (pw.runner) pw.runner.check(form);
      }, function (reason) { finish(pw, reason); });
      var open = pw.ps.open;
      if (open !== null && !(pw.ps.modules[open] && pw.ps.modules[open].result)) {
        openModule(pw, open, false);
      } else {
        showMenu(pw, false);
      }
    });
  };
})(window.CCM);
