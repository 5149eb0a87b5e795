/* ccm-scorm learner runtime: the xAPI adapter (tincan.xml packages).
 *
 * The launcher (an LRS's launch link, Moodle's mod_tincanlaunch…) appends
 * endpoint, auth, actor, registration and activity_id to the launch URL; nothing
 * about the LRS is in the package. Statements go through the durable outbox in
 * outbox.js. Resume uses the State API document "https://…/ccm-state" when the LRS
 * offers it and a localStorage copy when it does not.
 *
 *   start     -> initialized (resumed when the learner comes back)
 *   page      -> experienced   (object: the page; parent: the module)
 *   answer    -> answered      (the question as a cmi.interaction; response, success, duration)
 *   submit    -> completed (first submission in a launch), then passed | failed
 *                (score raw/min/max/scaled, duration, per-competency results)
 *   complete  -> completed (no quiz: every page seen)
 *   exit      -> terminated (session duration), sent last, once the state and every other statement are in
 * Every statement names the competencies it evidences in contextActivities.other.
 * Pathway packages (course.kind "pathway"): start/exit are about the pathway activity
 * (type course); a module's page/answer/submit/complete statements are about that module
 * (object or parent) with the pathway in contextActivities.grouping; pathway-result ->
 * passed | failed (completed when no module has a quiz) on the pathway, with its score.
 */
(function () {
  'use strict';
  var X = window.CCM.xapi;
  var FINISH_MS = 20000;   // how long Finish waits for the LRS before keeping the rest on the device

  /* a, one per launch: {course, lrs, recording, report, outbox, stateStore, build (the package's
   * statements), builders (a pathway: one per module, grouped under the pathway), finished,
   * completedSent (by module id, "" for the package), closing, t0} */
  function setUp(a) {
    var course = a.course, lrs = a.lrs, xapiData = course.xapi || {}, pathway = course.kind === 'pathway';
    var who = lrs.actor ? JSON.stringify(lrs.actor) : 'anonymous', progress = X.progress(function (s) { a.report(s); });
    var scope = [course.id, course.version, lrs.activityId, lrs.registration || '-', who].join('|');
    if (a.recording) {
      a.outbox = new X.Outbox({ key: 'ccm:outbox:' + lrs.endpoint + '|' + scope, endpoint: lrs.endpoint,
        auth: lrs.auth, onStatus: progress.part('statements') });
      a.build = new X.Statements({ course: course, actor: lrs.actor, activityId: lrs.activityId,
        registration: lrs.registration, extensionBase: xapiData.extensionBase, activityType: pathway ? 'course' : 'module' });
      (pathway ? course.modules : []).forEach(function (m) {
        a.builders[m.id] = new X.Statements({ course: m, actor: lrs.actor, activityId: m.iri, registration: lrs.registration,
          extensionBase: xapiData.extensionBase, contextTemplate: { contextActivities: { grouping: [{ objectType: 'Activity',
            id: course.iri, definition: a.build.module().definition }] } } });
      });
    }
    a.stateStore = new X.StateStore({ endpoint: a.recording ? lrs.endpoint : null, auth: lrs.auth,
      useStateApi: a.recording, onStatus: progress.part('state'),
      fields: { activityId: lrs.activityId, agent: lrs.actor, registration: lrs.registration,
        stateId: xapiData.stateId || course.iri + '/ccm-state' },
      localKey: 'ccm:state:' + scope });
  }

  function send(a, statement) { if (a.outbox && !a.finished) a.outbox.add(statement); }
  function competencyIds(event) { return (event.competencies || []).map(function (c) { return c.id; }); }

  function submitted(a, b, event, t) {
    var key = event.module || '', comps = competencyIds(event), ext = b.competencyResults(event.competencies);
    if (!a.completedSent[key]) {
      a.completedSent[key] = true;
      send(a, b.make('completed', b.module(), t, { competencies: comps, result: {
        completion: true, score: X.score(event.score), duration: X.duration(event.durationMs), extensions: ext } }));
    }
    send(a, b.make(event.passed ? 'passed' : 'failed', b.module(), t, { competencies: comps, result: {
      success: !!event.passed, completion: true, score: X.score(event.score),
      duration: X.duration(event.durationMs), extensions: ext } }));
  }
  function pathwayResult(a, event, t) {
    var build = a.build;
    var r = { completion: true, duration: X.duration(Date.now() - a.t0), extensions: build.competencyResults(event.competencies) };
    if (event.score !== null) { r.success = !!event.passed; r.score = X.score(event.score); }
    send(a, build.make(event.score === null ? 'completed' : event.passed ? 'passed' : 'failed', build.module(), t,
      { competencies: competencyIds(event), result: r }));
  }
  function record(a, event) {
    var build = a.build;
    if (!build) return;
    var t = event.time, b = (event.module && a.builders[event.module]) || build;
    switch (event.type) {
      case 'start':
        send(a, build.make(event.entry === 'resume' ? 'resumed' : 'initialized', build.module(), t));
        break;
      case 'page':
        send(a, b.make('experienced', b.page(event), t, { parent: true }));
        break;
      case 'answer':
        send(a, b.make('answered', b.question(event.question), t, {
          parent: true, competencies: [event.competency], result: b.answerResult(event) }));
        break;
      case 'submit':
        submitted(a, b, event, t);
        break;
      case 'complete':
        a.completedSent[event.module || ''] = true;
        send(a, b.make('completed', b.module(), t, { competencies: competencyIds(event), result: {
          completion: true, duration: X.duration(Date.now() - a.t0),
          extensions: b.competencyResults(event.competencies) } }));
        break;
      case 'pathway-result':
        pathwayResult(a, event, t);
        break;
      case 'exit':     // sent by finish(), last
        a.closing = build.make('terminated', build.module(), t, { result: { duration: X.duration(event.durationMs) } });
        break;
    }
  }

  function start(a) {
    a.t0 = Date.now();
    if (!a.recording && window.console) {
      console.warn('ccm: no LRS in the launch URL (endpoint and actor are needed): progress is kept on this device only');
    }
    return a.stateStore.read().then(function (found) {
      var doc = found.doc || {};
      if (a.outbox && a.outbox.pending()) a.outbox.flush(); // left from an earlier page load
      return { state: typeof doc.state === 'string' ? doc.state : null,
        location: typeof doc.location === 'string' ? doc.location : null,
        learner: X.learner(a.lrs.actor), mode: 'normal', recording: a.recording,
        masteryScore: null, returnURL: null, code: a.recording ? null : 'no-LRS' };
    });
  }
  // Finish: state, statements, then terminated (resolves true once the LRS has them all); the page
  // going away: what can still leave in one keepalive request.
  function finish(a, reason) {
    if (a.finished) return true;
    a.finished = true;
    if (!a.recording) { a.stateStore.flushOnExit(); return null; }   // no LRS to tell
    if (reason === 'pagehide') return X.closeOnPageHide(a.outbox, a.stateStore, a.closing);
    return X.closeSession(a.outbox, a.stateStore, a.closing, FINISH_MS);
  }

  window.CCM.registerAdapter('xapi', function (course) {
    var p = X.params();
    var lrs = {
      endpoint: X.endpoint(p.endpoint),
      auth: X.auth(p.auth),
      actor: X.actor(p.actor),
      registration: X.isUuid(p.registration) ? p.registration : null,
      activityId: p.activity_id || p.activityId || course.iri
    };
    var a = { course: course, lrs: lrs, recording: !!(lrs.endpoint && lrs.actor), report: function () {}, outbox: null,
      stateStore: null, build: null, builders: {}, finished: false, completedSent: {}, closing: null, t0: Date.now() };
    setUp(a);
    return {
      onStatus: function (callback) { a.report = callback; },
      start: function () { return start(a); },
      record: function (event) { record(a, event); },
      save: function (state, location) {
        var kept = a.stateStore.write({ state: state, location: location, updated: new Date().toISOString() });
        if (!a.recording) a.report({ kind: kept ? 'device' : 'unsaved' });
      },
      finish: function (reason) { return finish(a, reason); },
      outbox: function () { return a.outbox; }
    };
  });
})();
