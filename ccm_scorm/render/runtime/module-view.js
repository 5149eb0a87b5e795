/* ccm-scorm learner runtime: one module on screen (CCM.moduleView), in module and pathway
 * packages alike: its pages (#page-<id>), quiz (#ccm-quiz) and results (#ccm-results).
 *
 * A state machine with four named states; the last three are kept in the state record as st.view:
 *   cover    the first view of every launch, where the page has one (#ccm-cover, module packages):
 *            title, minutes, outcomes, image; never saved -> page 0 (Start, fresh) or the saved
 *            view (Continue where you left off, resumed), or the contents' choice
 *   page     one content page (st.page)      -> page (contents, Previous, Next), quiz (Next on the
 *                                               last page, contents), results (contents, if submitted)
 *   quiz     the introduction, or question st.qpos of the attempt -> results (submit), page
 *   results  the submitted attempt            -> quiz (Try again), page
 * Guards applied on every transition: a module without a quiz stays on its pages; the quiz of a
 * submitted attempt shows its results, the results of an unsubmitted one the quiz.
 * The progress bar counts the pages and the attempt's questions: n + K steps.
 *
 * `host` is the module or pathway package around it: record(ev), save(), passMark(), leave()
 * (Finish / back to the menu), onResult() (after submit or complete), leaveLabel, readOnly,
 * done (a collapsed result or null), certificate (null, or {label, show()} on a passed result). */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, byId = dom.byId, scoring = CCM.scoring;

  var STATES = {
    cover: {
      enter: function (m) { byId('ccm-cover-resume').hidden = !m.resumed; return m.course.title; },
      progress: function () { return ''; },
      section: function () { return byId('ccm-cover'); },
      step: function () { return 0; }
    },
    page: {
      enter: enterPage,
      progress: function (m) { return CCM.t('page.page_of', { page: m.st.page + 1, pages: m.n }); },
      location: function (m) { return m.course.pages[m.st.page].id; },
      section: function (m) { return m.sections[m.st.page]; },
      step: function (m) { return m.st.page + 1; }
    },
    quiz: {
      enter: function (m) { return CCM.quiz.render(m); },
      progress: function (m) { return m.st.attempt ? CCM.t('page.quiz_question_of', { question: m.st.qpos + 1, questions: m.K }) : CCM.t('page.quiz'); },
      location: function () { return 'quiz'; },
      section: function () { return byId('ccm-quiz'); },
      step: function (m) { return m.n + (m.st.attempt ? m.st.qpos + 1 : 0); }
    },
    results: {
      enter: function (m) { return CCM.results.render(m); },
      progress: function () { return CCM.t('page.quiz_results'); },
      location: function () { return 'results'; },
      section: function () { return byId('ccm-results'); },
      step: function (m) { return m.n + m.K; }
    }
  };

  function allSeen(m) { return m.st.seen.every(Boolean); }
  function enterPage(m) {
    var st = m.st, page = m.course.pages[st.page], wasComplete = allSeen(m);
    st.seen[st.page] = true;
    m.record({ type: 'page', pageId: page.id, index: st.page, title: page.title });
    if (!m.hasQuiz && !wasComplete && allSeen(m)) {
      m.record({ type: 'complete', competencies: scoring.completedCompetencies(m.course) });
      m.host.onResult();
    }
    return page.title;
  }

  function settle(m, view, page) {
    if (!m.hasQuiz && view !== 'page') { view = 'page'; page = m.n - 1; }
    if (view === 'quiz' && m.st.submitted) view = 'results';
    if (view === 'results' && !m.st.submitted) view = 'quiz';
    m.st.view = view;
    if (view === 'page') m.st.page = page;
  }

  // go(view, page, focus): the one way between states. The cover leaves the record as it is.
  function go(m, view, page, focus) {
    m.onCover = view === 'cover';
    if (!m.onCover) settle(m, view, page);
    var state = STATES[m.onCover ? 'cover' : m.st.view], shown = state.section(m);
    m.sections.forEach(function (s) { if (s) s.hidden = s !== shown; });
    var title = state.enter(m);
    chrome(m, state, title);
    if (!m.onCover) m.save();
    if (focus) dom.focusHeading(shown.querySelector('h1'));
  }

  function showProgress(m, state) {
    var box = byId('ccm-progress'), bar = byId('ccm-progress-bar'), text = state.progress(m);
    box.hidden = !text;
    (byId('ccm-progress-text') || box).textContent = text;
    if (bar) { bar.max = m.n + m.K; bar.value = state.step(m); }
  }
  function nextLabel(m) {
    var st = m.st;
    if (m.onCover) return CCM.t(m.resumed ? 'cover.continue' : 'cover.start');
    return st.page < m.n - 1 ? CCM.t('page.next') : m.hasQuiz ? CCM.t('page.go_to_quiz') : m.host.leaveLabel;
  }

  function chrome(m, state, title) {
    var st = m.st, n = m.n, done = m.done;
    document.title = title + ' – ' + m.course.title;
    var links = document.querySelectorAll('#ccm-toc-list a[data-view]');
    Array.prototype.forEach.call(links, function (a) {
      var v = +a.getAttribute('data-view'), current = !m.onCover && (v < n ? st.view === 'page' && st.page === v : st.view !== 'page');
      if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
      var mark = a.querySelector('.ccm-seen');
      if (mark) mark.hidden = v < n ? !st.seen[v] : !(st.submitted || done);
      if (v === n) a.firstChild.textContent = CCM.t(st.submitted || done ? 'page.quiz_results' : 'page.quiz');
    });
    showProgress(m, state);
    byId('ccm-pager').hidden = !m.onCover && st.view !== 'page';
    byId('ccm-prev').hidden = m.onCover || st.page === 0;
    byId('ccm-next').textContent = nextLabel(m);
  }

  function next(m) {
    if (m.onCover) return m.resumed ? go(m, m.st.view, m.st.page, true) : go(m, 'page', 0, true);
    if (m.st.page < m.n - 1) return go(m, 'page', m.st.page + 1, true);
    return m.hasQuiz ? go(m, 'quiz', 0, true) : m.host.leave();
  }
  function click(m, t) {
    if (t.matches('a[data-view]')) {
      byId('ccm-toc').classList.remove('ccm-toc-open');
      byId('ccm-toc-toggle').setAttribute('aria-expanded', 'false');
      var v = +t.getAttribute('data-view');
      return v < m.n ? go(m, 'page', v, true) : go(m, 'quiz', 0, true);
    }
    if (t.id === 'ccm-prev') return go(m, 'page', Math.max(0, m.st.page - 1), true);
    if (t.id === 'ccm-next') return next(m);
    var act = t.getAttribute('data-action');
    if (act === 'begin' || act === 'retry') { if (CCM.quiz.begin(m)) go(m, 'quiz', 0, true); }
    else if (act === 'move') CCM.quiz.move(m, t);
    else if (act === 'next-question') { m.st.qpos += 1; go(m, 'quiz', 0, true); }
    else if (act === 'submit') { if (CCM.quiz.submit(m)) go(m, 'results', 0, true); }
    else if (act === 'exit') m.host.leave();
    else if (act === 'certificate' && m.host.certificate) m.host.certificate.show();
  }

  // The final result of a finished module: what a pathway keeps once the module is done.
  function summary(m) {
    if (m.done) return m.done;
    if (!m.hasQuiz) return { score: null, passed: allSeen(m), competencies: scoring.completedCompetencies(m.course) };
    var r = m.results();
    return { score: r.score, passed: r.passed, competencies: scoring.forEvent(r.competencies) };
  }
  function isFinished(m) {
    var st = m.st;
    if (m.done) return true;
    var passed = st.score !== null && st.score >= m.passMark();
    return m.hasQuiz ? st.submitted && (passed || st.attempt >= m.maxAttempt) : allSeen(m);
  }

  CCM.moduleView = function (course, state, sess, host) {
    var qs = course.questions || [];
    var m = { course: course, st: state || CCM.state.fresh(course), sess: sess, host: host, qs: qs, n: course.pages.length,
      hasQuiz: qs.length > 0, K: qs.length ? scoring.perAttempt(course) : 0, maxAttempt: scoring.maxAttemptOf(course),
      done: host.done || null, work: null, shownAt: Date.now(), started: 0,
      passMark: function () { return host.passMark(); }, record: host.record, save: host.save };
    m.results = function () { return scoring.attemptResults(course, m.st, m.passMark()); };
    m.sections = course.pages.map(function (p) { return byId('page-' + p.id); }).concat([byId('ccm-quiz'), byId('ccm-results'), byId('ccm-cover')]);
    var st = m.st;
    m.resumed = st.view !== 'page' || st.page > 0 || st.attempt > 0 || st.seen.some(Boolean);
    if (m.done) m.st.seen = m.st.seen.map(function () { return true; });
    return {
      state: function () { return m.st; },
      // show(focus): the state the record is in (the first page of a fresh one); the cover first, where the page has one
      show: function (focus) { go(m, !m.started++ && byId('ccm-cover') ? 'cover' : m.st.view, m.st.page, focus); },
      click: function (t) { click(m, t); },
      check: function (form) { if (form.classList.contains('ccm-question')) CCM.quiz.check(m, form); },
      isFinished: function () { return isFinished(m); },
      summary: function () { return summary(m); },
      location: function () { return STATES[m.st.view].location(m); },
      hide: function () { m.sections.forEach(function (s) { if (s) s.hidden = true; }); }
    };
  };
})(window.CCM);
