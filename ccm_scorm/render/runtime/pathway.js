/* ccm-scorm learner runtime: a pathway package (CCM.startPathway): a menu of modules, each
 * opened in the module view, and the certificate once every module is passed.
 * Its views, a state machine (pw.view):
 *   menu         every module and its status    -> module (Start/Continue/Review), certificate (passed), end
 *   module       one module (ps.open)           -> menu (All modules, the module's Back button), certificate
 *   certificate  the pathway's certificate      -> menu (back)
 *   end          the session is over (Finish); nothing leads out of it
 * The aggregates (score, competencies) are in pathway-results.js. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, byId = dom.byId, clear = dom.clear, results = CCM.pathwayResults;

  function moduleUi(on) {
    byId('ccm-toc').hidden = !on;
    byId('ccm-pager').hidden = !on;
    byId('ccm-progress').hidden = !on;
    byId('ccm-layout').classList.toggle('ccm-solo', !on);
    if (!on) {
      ['ccm-quiz', 'ccm-results'].forEach(function (id) { byId(id).hidden = true; });
      clear(byId('ccm-pages'));
    }
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
  // Leave the view on screen for another one.
  function leaveView(pw) {
    syncCurrent(pw);
    if (pw.cert) pw.cert.hide();
    pw.ps.open = null;
    pw.runner = null;
    moduleUi(false);
  }

  function certificateOffer(pw) {
    return results.passed(pw.ps) ? { label: 'See your certificate', show: function () { showCertificate(pw); } } : null;
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
      leaveLabel: 'Back to all modules',
      readOnly: null,
      done: null,
      certificate: null
    };
  }

  function openModule(pw, i, focus) {
    if (pw.cert) pw.cert.hide();
    var m = pw.course.modules[i], t = pw.ps.modules[i];
    var pagesBox = byId('ccm-pages'), list = byId('ccm-toc-list');
    clear(pagesBox);
    clear(list);
    pagesBox.appendChild(document.importNode(byId('ccm-module-' + i).content, true));
    list.appendChild(document.importNode(byId('ccm-toc-' + i).content, true));
    moduleUi(true);
    pw.ps.open = i;
    pw.view = 'module';
    var state = t && t.state ? t.state : null, result = t && t.result ? t.result : null;
    pw.host.done = result;
    pw.host.certificate = certificateOffer(pw);
    pw.runner = null;
    var runner = CCM.moduleView(m, state || (result ? CCM.state.fresh(m) : null), pw.sess, pw.host);
    pw.sess.record({ type: 'module-start', module: m.id, index: i, title: m.title, entry: t ? 'resume' : 'ab-initio' });
    pw.runner = runner;
    runner.show(focus);
  }

  function showMenu(pw, focus) {
    leaveView(pw);
    pw.view = 'menu';
    byId('ccm-menu').hidden = false;
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
    leaveView(pw);
    pw.view = 'certificate';
    byId('ccm-menu').hidden = true;
    pw.cert = CCM.certificate.view(pw.sess, { kind: 'pathway', id: course.id, title: course.title,
      date: new Date((ps.date === null ? dom.today() : ps.date) * 86400000), dated: ps.date !== null,
      language: course.language,
      organisation: course.organisation,
      modules: course.modules.map(function (m, i) { var r = ps.modules[i].result; return { title: m.title, score: r.score, passed: r.passed }; }),
      competencies: CCM.certificate.evidenced(results.competencies(ps), CCM.certificate.titlesOf(course.competencies)),
      back: 'Back to all modules' });
    pw.cert.show();
    save(pw);
    pw.sess.say('polite', 'Your certificate is ready.');
  }
  function finish(pw, reason) {
    if (pw.view === 'module') save(pw);
    var closing = pw.sess.finish(reason, results.allFinished(pw.ps));
    if (!closing || reason !== 'exit') return;
    moduleUi(false);
    byId('ccm-menu').hidden = true;
    if (pw.cert) pw.cert.hide();
    pw.view = 'end';
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
      pw.host.readOnly = opened.readOnly;
      pw.sess.record({ type: 'start', entry: opened.entry });
      pw.sess.bind(function (t) { onClick(pw, t); }, function (form) {
        if (pw.view === 'certificate' && pw.cert.submit(form)) return;
        if (pw.runner) pw.runner.check(form);
      }, function (reason) { finish(pw, reason); });
      var open = pw.ps.open;
      if (open !== null && !(pw.ps.modules[open] && pw.ps.modules[open].result)) {
        byId('ccm-menu').hidden = true;
        openModule(pw, open, false);
      } else {
        showMenu(pw, false);
      }
    });
  };
})(window.CCM);
