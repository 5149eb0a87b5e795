/* ccm-scorm learner runtime: a module package (CCM.start for course.kind "module").
 * Its views, a state machine:
 *   module       the module view (module-view.js)   -> certificate (a passed result), end (Finish)
 *   certificate  the learner's certificate          -> module (back to the results), end (leaving)
 *   end          the session is over: the end screen; nothing leads out of it */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, byId = dom.byId, certificates = CCM.certificate;

  function hideModule(pkg) {
    pkg.runner.hide();
    byId('ccm-pager').hidden = true;
  }

  function finish(pkg, reason) {
    var closing = pkg.sess.finish(reason, pkg.runner.isFinished());
    if (!closing || reason !== 'exit') return;
    hideModule(pkg);
    if (pkg.cert) pkg.cert.hide();
    pkg.view = 'end';
    byId('ccm-toc').hidden = true;
    byId('ccm-toc').parentNode.classList.add('ccm-solo');   // the end screen takes the whole width
    byId('ccm-progress').textContent = '';
    pkg.sess.showEnd(pkg.course.title, closing);
  }

  function showCertificate(pkg) {
    var course = pkg.course, s = pkg.runner.summary();
    pkg.cert = certificates.view(pkg.sess, { kind: 'module', id: course.id, title: course.title, date: new Date(), dated: false,
      language: course.language,
      organisation: course.organisation, modules: [{ title: course.title, score: s.score, passed: s.passed }],
      competencies: certificates.evidenced(s.competencies, certificates.titlesOf(course.competencies)), back: CCM.t('module.back_to_results') });
    hideModule(pkg);
    byId('ccm-progress').hidden = true;
    pkg.view = 'certificate';
    pkg.cert.show();
  }
  function backToModule(pkg) {
    pkg.cert.hide();
    pkg.view = 'module';
    pkg.runner.show(true);
  }

  function hostFor(pkg) {
    var sess = pkg.sess;
    return {
      record: function (ev) { sess.record(ev); },
      save: function () { if (pkg.runner) sess.save(CCM.state.encode(pkg.runner.state(), pkg.course), pkg.runner.location()); },
      passMark: function () { return pkg.passMark; },
      leave: function () { finish(pkg, 'exit'); },
      onResult: function () {},
      leaveLabel: CCM.t('module.finish'),
      readOnly: null, // 'review' or 'browse': nothing is saved, the quiz is practice only
      done: null,
      certificate: byId('ccm-certificate') ? { label: CCM.t('module.get_certificate'), show: function () { showCertificate(pkg); } } : null
    };
  }

  // No saved state, but a bookmark (SCORM's location): open that page.
  function bookmarked(course, launch) {
    var at = course.pages.map(function (p) { return p.id; }).indexOf(launch.location);
    if (!launch.location || at <= 0) return null;
    var st = CCM.state.fresh(course);
    st.page = at;
    return st;
  }

  function onClick(pkg, t) {
    if (pkg.view === 'certificate') {
      if (pkg.cert.click(t)) return;
      if (t.getAttribute('data-action') === 'certificate-back') return backToModule(pkg);
    }
    pkg.runner.click(t);
  }

  CCM.startModule = function (course, adapter) {
    var pkg = { course: course, sess: CCM.session(adapter), view: 'module', runner: null, cert: null, passMark: course.passMark };
    var host = hostFor(pkg);
    return pkg.sess.open(course, 'module', function (text) { return CCM.state.decode(text, course); }).then(function (opened) {
      if (opened.mastery !== null) pkg.passMark = opened.mastery;
      var st = opened.saved, entry = opened.entry;
      if (!st && !opened.launch.state && (st = bookmarked(course, opened.launch))) entry = 'resume';
      host.readOnly = opened.readOnly;
      pkg.runner = CCM.moduleView(course, st || CCM.state.fresh(course), pkg.sess, host);
      pkg.sess.record({ type: 'start', entry: entry });
      pkg.sess.bind(function (t) { onClick(pkg, t); }, function (form) {
        if (pkg.view === 'certificate' && pkg.cert.submit(form)) return;
        pkg.runner.check(form);
      }, function (reason) { finish(pkg, reason); });
      pkg.runner.show(false);
    });
  };
})(window.CCM);
