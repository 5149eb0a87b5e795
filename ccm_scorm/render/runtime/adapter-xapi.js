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

  window.CCM.registerAdapter('xapi', function (course) {
    var report = function () {};
    var relay = function (s) { report(s); };
    var p = X.params();
    var lrs = {
      endpoint: X.endpoint(p.endpoint),
      auth: X.auth(p.auth),
      actor: X.actor(p.actor),
      registration: X.isUuid(p.registration) ? p.registration : null,
      activityId: p.activity_id || p.activityId || course.iri
    };
    var recording = !!(lrs.endpoint && lrs.actor);
    var who = lrs.actor ? JSON.stringify(lrs.actor) : 'anonymous';
    var scope = [course.id, course.version, lrs.activityId, lrs.registration || '-', who].join('|');
    var outbox = null, stateStore = null, build = null, finished = false, completedSent = {}, closing = null, t0 = Date.now();
    var xapiData = course.xapi || {}, pathway = course.kind === 'pathway', builders = {};

    if (recording) {
      outbox = new X.Outbox({ key: 'ccm:outbox:' + lrs.endpoint + '|' + scope, endpoint: lrs.endpoint,
        auth: lrs.auth, onStatus: relay });
      build = new X.Statements({ course: course, actor: lrs.actor, activityId: lrs.activityId,
        registration: lrs.registration, extensionBase: xapiData.extensionBase, activityType: pathway ? 'course' : 'module' });
      // a pathway: one builder per module, its statements grouped under the pathway
      (pathway ? course.modules : []).forEach(function (m) {
        builders[m.id] = new X.Statements({ course: m, actor: lrs.actor, activityId: m.iri, registration: lrs.registration,
          extensionBase: xapiData.extensionBase, contextTemplate: { contextActivities: { grouping: [{ objectType: 'Activity',
            id: course.iri, definition: build.module().definition }] } } });
      });
    }
    stateStore = new X.StateStore({ endpoint: recording ? lrs.endpoint : null, auth: lrs.auth,
      useStateApi: recording,
      fields: { activityId: lrs.activityId, agent: lrs.actor, registration: lrs.registration,
        stateId: xapiData.stateId || course.iri + '/ccm-state' },
      localKey: 'ccm:state:' + scope });

    function send(statement) { if (outbox && !finished) outbox.add(statement); }

    return {
      onStatus: function (callback) { report = callback; },
      start: function () {
        t0 = Date.now();
        if (!recording && window.console) {
          console.warn('ccm: no LRS in the launch URL (endpoint and actor are needed): progress is kept on this device only');
        }
        return stateStore.read().then(function (found) {
          var doc = found.doc || {};
          if (outbox && outbox.pending()) outbox.flush(); // left from an earlier page load
          return { state: typeof doc.state === 'string' ? doc.state : null,
            location: typeof doc.location === 'string' ? doc.location : null,
            learner: X.learner(lrs.actor), mode: 'normal', recording: recording,
            masteryScore: null, returnURL: null };
        });
      },
      record: function (event) {
        if (!build) return;
        var t = event.time, comps, b = (event.module && builders[event.module]) || build, key = event.module || '';
        switch (event.type) {
          case 'start':
            send(build.make(event.entry === 'resume' ? 'resumed' : 'initialized', build.module(), t));
            break;
          case 'page':
            send(b.make('experienced', b.page(event), t, { parent: true }));
            break;
          case 'answer':
            send(b.make('answered', b.question(event.question), t, {
              parent: true, competencies: [event.competency], result: b.answerResult(event) }));
            break;
          case 'submit':
            comps = (event.competencies || []).map(function (c) { return c.id; });
            var ext = b.competencyResults(event.competencies);
            if (!completedSent[key]) {
              completedSent[key] = true;
              send(b.make('completed', b.module(), t, { competencies: comps, result: {
                completion: true, score: X.score(event.score), duration: X.duration(event.durationMs), extensions: ext } }));
            }
            send(b.make(event.passed ? 'passed' : 'failed', b.module(), t, { competencies: comps, result: {
              success: !!event.passed, completion: true, score: X.score(event.score),
              duration: X.duration(event.durationMs), extensions: ext } }));
            break;
          case 'complete':
            comps = (event.competencies || []).map(function (c) { return c.id; });
            completedSent[key] = true;
            send(b.make('completed', b.module(), t, { competencies: comps, result: {
              completion: true, duration: X.duration(Date.now() - t0),
              extensions: b.competencyResults(event.competencies) } }));
            break;
          case 'pathway-result':
            comps = event.competencies.map(function (c) { return c.id; });
            var r = { completion: true, duration: X.duration(Date.now() - t0), extensions: build.competencyResults(event.competencies) };
            if (event.score !== null) { r.success = !!event.passed; r.score = X.score(event.score); }
            send(build.make(event.score === null ? 'completed' : event.passed ? 'passed' : 'failed', build.module(), t,
              { competencies: comps, result: r }));
            break;
          case 'exit':     // sent by finish(), last
            closing = build.make('terminated', build.module(), t, { result: { duration: X.duration(event.durationMs) } });
            break;
        }
      },
      save: function (state, location) {
        stateStore.write({ state: state, location: location, updated: new Date().toISOString() });
        if (!recording) report({ kind: 'saved' });
      },
      // Finish: state, statements, then terminated (resolves true once the LRS has them all); the page
      // going away: what can still leave in one keepalive request.
      finish: function (reason) {
        if (finished) return true;
        finished = true;
        if (!recording) { stateStore.flushOnExit(); return true; }
        if (reason === 'pagehide') return X.closeOnPageHide(outbox, stateStore, closing);
        return X.closeSession(outbox, stateStore, closing, FINISH_MS);
      },
      outbox: function () { return outbox; }
    };
  });
})();
