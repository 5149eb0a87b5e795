/* ccm-scorm learner runtime: the cmi5 adapter (cmi5.xml packages). The launch and the statement
 * rules, with the cmi5 requirement ids they meet, are in docs/xapi-cmi5.md: launch parameters (8.1),
 * one POST to fetch (8.2; token kept in sessionStorage for reloads), LMS.LaunchData and
 * cmi5LearnerPreferences before the first statement, defined statements in order, at most one
 * completed/passed per registration (flags in "<module IRI>/ccm-state"), one passed/failed per session. */
(function () {
  'use strict';
  var X = window.CCM.xapi;
  var LAUNCH_DATA = 'LMS.LaunchData';
  var PREFERENCES = 'cmi5LearnerPreferences';
  var FINISH_MS = 20000;   // how long Finish waits for the LMS before keeping the rest on the device

  function fail(message) { throw new Error(message); }

  // A session ends with "terminated" (sent on Finish or when the page goes away); the LMS then
  // rejects its statements and its token (7.1.2.0-1, 8.1.2.0-2, 9.3.0.0-5). A reload of the same
  // launch must therefore not carry on: it says so, and the learner relaunches from the LMS.
  function endedKey(fetchUrl) { return 'ccm:cmi5:ended:' + fetchUrl; }
  function sessionStore() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function fetchToken(fetchUrl) {
    var key = 'ccm:cmi5:token:' + fetchUrl, session = null;
    try { session = window.sessionStorage; } catch (e) { session = null; }
    var kept = session ? session.getItem(key) : null;
    if (kept) return Promise.resolve(kept);
    return fetch(fetchUrl, { method: 'POST', cache: 'no-store', credentials: 'omit' }).then(function (r) {
      return r.json().catch(function () { return {}; });
    }, function () {
      fail('the LMS could not be reached to start this session. Check your connection and launch the module again.');
    }).then(function (body) {
      var token = body && body['auth-token'];
      if (!token) {
        fail('the LMS did not give this session its key' + (body && body['error-text'] ? ' (' + body['error-text'] + ')' : '') +
          '. Please close this window and launch the module again from your LMS.');
      }
      try { if (session) session.setItem(key, token); } catch (e) { /* the session goes on in memory */ }
      return token;
    });
  }

  /* c, one per launch: {course, lrs, launched, xapiData, report, outbox, build, stateStore, doc (the
   * State document), data (LMS.LaunchData), mode, finished, judgedThisSession, heldFailure, closing, t0,
   * queued (completed/passed handed to the outbox in this session), carried (statements of earlier
   * sessions, sent after this session's initialized), carriedFailure (an earlier session's failed:
   * sent at this session's end unless it passes), localScope} */

  function defined(c, verb, time, extra) {
    extra = extra || {};
    extra.categories = [X.CMI5_CATEGORY].concat(extra.moveOn ? [X.MOVEON_CATEGORY] : []);
    return c.build.make(verb, c.build.module(), time, extra);
  }
  function send(c, statement) { if (c.outbox && !c.finished) c.outbox.add(statement); }
  // Per launch (fetch URL), in sessionStorage: survives a reload of the same launch only.
  function sessionFlag(c, name, value) {
    var store = sessionStore(), key = 'ccm:cmi5:' + name + ':' + c.lrs.fetch;
    try {
      if (value) store.setItem(key, '1');
      return !!(store && store.getItem(key));
    } catch (e) { return !!value; }
  }
  function sent(c) { c.doc.sent = c.doc.sent || {}; return c.doc.sent; }
  function already(c, flag) { return !!(sent(c)[flag] || c.queued[flag]); }
  // A flag is kept in the State document once the LMS has acknowledged its statement, never before:
  // a statement still on this device when the session ends is sent again by the next launch.
  function delivered(c, statements) {
    var changed = false;
    statements.forEach(function (st) {
      var v = X.verbOf(st);
      var flag = v === 'failed' ? null : v;
      if ((flag === 'completed' || flag === 'passed') && !sent(c)[flag]) { sent(c)[flag] = true; changed = true; }
    });
    if (changed && c.mode === 'normal') { c.doc.updated = new Date().toISOString(); c.stateStore.write(c.doc, true); }
  }
  function remember(c, flag) { c.queued[flag] = true; }

  // Statements an earlier session of this registration could not deliver (the LMS was unreachable
  // when it ended). Its initialized and terminated are dropped (that session is over: the LMS
  // abandons it); the rest is sent in this session, after its initialized, in this session's
  // context. completed/passed/failed wait for a Normal launch (Browse and Review may not send them).
  function sessionOf(st) { return ((st.context || {}).extensions || {})[X.SESSION_EXT]; }
  function takeEarlierSessions(c) {
    var outbox = c.outbox, current = (c.data.contextTemplate.extensions || {})[X.SESSION_EXT];
    var heldKey = outbox.key + ':held', store = window.CCM.storage();
    var list = outbox.queue(), keep = [], earlier = X.readJson(store, heldKey, []);
    list.forEach(function (st) { (sessionOf(st) === current ? keep : earlier).push(st); });
    if (keep.length === list.length && !X.readJson(store, heldKey, []).length) return [];
    outbox.setQueue(keep);
    var now = [], later = [];
    earlier.forEach(function (st) {
      var verb = X.verbOf(st);
      if (verb === 'initialized' || verb === 'terminated') return;
      var judged = verb === 'completed' || verb === 'passed' || verb === 'failed';
      if (judged && (c.mode !== 'normal' || already(c, verb === 'failed' ? 'passed' : verb))) {
        if (c.mode !== 'normal') later.push(st);
        return;
      }
      if (verb === 'failed') { c.carriedFailure = intoThisSession(c, st); return; }  // as this session's own
      if (judged) remember(c, verb);
      if (verb === 'passed') c.judgedThisSession = true;
      now.push(intoThisSession(c, st));
    });
    X.writeJson(store, heldKey, later);
    return now;
  }
  function intoThisSession(c, st) {
    var template = JSON.parse(JSON.stringify(c.data.contextTemplate));
    var context = st.context || {};
    context.extensions = context.extensions || {};
    Object.keys(template.extensions || {}).forEach(function (k) { context.extensions[k] = template.extensions[k]; });
    if (context.extensions[X.MASTERY_EXT] !== undefined && typeof c.data.masteryScore === 'number') {
      context.extensions[X.MASTERY_EXT] = c.data.masteryScore;
    }
    var activities = context.contextActivities = context.contextActivities || {};
    Object.keys(template.contextActivities || {}).forEach(function (kind) {
      var list = Array.isArray(activities[kind]) ? activities[kind] : activities[kind] ? [activities[kind]] : [];
      [].concat(template.contextActivities[kind]).forEach(function (a) {
        if (!list.some(function (b) { return b.id === a.id; })) list.push(a);
      });
      activities[kind] = list;
    });
    st.context = context;
    return st;
  }
  // What the registration already holds, asked of the LMS when this device's and the State document's
  // flags do not say (a lost or stale State document must not make completed/passed go out twice).
  function askRegistration(c, authHeader) {
    var lrs = c.lrs, flags = ['completed', 'passed'].filter(function (f) { return !sent(c)[f]; });
    return Promise.all(flags.map(function (flag) {
      var url = X.query(lrs.endpoint, 'statements', { registration: lrs.registration, agent: lrs.actor,
        verb: 'http://adlnet.gov/expapi/verbs/' + flag, activity: lrs.activityId, limit: 1 });
      return X.request('GET', url, { auth: authHeader }).then(function (r) {
        return r.status === 200 ? r.json() : null;
      }).then(function (body) {
        if (body && body.statements && body.statements.length) sent(c)[flag] = true;
      }, function () { /* unknown: this session's own rules still send each at most once */ });
    }));
  }
  function competencyIds(event) { return (event.competencies || []).map(function (k) { return k.id; }); }
  function sendCompleted(c, event, t) {
    if (already(c, 'completed')) return;
    send(c, defined(c, 'completed', t, { moveOn: true, competencies: competencyIds(event), result: {
      completion: true, duration: X.duration(Date.now() - c.t0), extensions: c.build.competencyResults(event.competencies) } }));
    remember(c, 'completed');
  }
  // 9.3.0.0-3/-7/-8: a failure waits for the session's end (a later pass replaces it)
  function judgement(c, event, passed, withScore) {
    var extensions = {};
    if (typeof c.data.masteryScore === 'number') extensions[X.MASTERY_EXT] = c.data.masteryScore;
    var result = { success: passed, duration: X.duration(Date.now() - c.t0),
      extensions: c.build.competencyResults(event.competencies) };
    if (withScore) result.score = X.score(event.score);
    return { verb: passed ? 'passed' : 'failed', extra: { moveOn: true, competencies: competencyIds(event),
      result: result, extensions: extensions } };
  }
  function judged(c, event, t, passed, withScore) {
    if (already(c, 'passed') || c.judgedThisSession) return;
    if (!passed) { c.heldFailure = judgement(c, event, false, withScore); return; }
    c.heldFailure = c.carriedFailure = null;
    c.judgedThisSession = true;
    var j = judgement(c, event, true, withScore);
    send(c, defined(c, j.verb, t, j.extra));
    remember(c, 'passed');
  }
  function sendHeldFailure(c, t) {
    if (c.judgedThisSession || already(c, 'passed') || !(c.heldFailure || c.carriedFailure)) return;
    c.judgedThisSession = true;
    send(c, c.heldFailure ? defined(c, c.heldFailure.verb, t, c.heldFailure.extra) : c.carriedFailure);
    c.heldFailure = c.carriedFailure = null;
  }

  /* start: fetch the session's token, read LMS.LaunchData and the learner's preferences, then the
   * State document and (Normal launches) what the registration holds */
  function startUnlaunched(c) {
    if (window.console) console.warn('ccm: not launched by a cmi5 LMS (endpoint, fetch, actor, registration and activityId are needed)');
    c.stateStore = new X.StateStore({ endpoint: null, fields: {}, localKey: 'ccm:state:' + c.localScope });
    return c.stateStore.read().then(function (found) {
      c.doc = found.doc || {};
      return { state: c.doc.state || null, location: c.doc.location || null, learner: null, mode: 'normal',
        recording: false, masteryScore: null, returnURL: null, code: 'no-cmi5-launch' };
    });
  }
  function readLaunchDocuments(c, authHeader) {
    var lrs = c.lrs, agent = lrs.actor;
    var launchDataUrl = X.query(lrs.endpoint, 'activities/state', { stateId: LAUNCH_DATA,
      activityId: lrs.activityId, agent: agent, registration: lrs.registration });
    var prefsUrl = X.query(lrs.endpoint, 'agents/profile', { agent: agent, profileId: PREFERENCES });
    return Promise.all([
      X.request('GET', launchDataUrl, { auth: authHeader }).then(function (r) {
        if (r.status !== 200) fail('the LMS did not give this module its launch data (HTTP ' + r.status + '). Please launch it again.');
        return r.json();
      }),
      X.request('GET', prefsUrl, { auth: authHeader }).then(function (r) {
        return r.status === 200 ? r.json().catch(function () { return {}; }) : {};
      }, function () { return {}; })
    ]);
  }
  function setUp(c, docs, authHeader) {
    var lrs = c.lrs, course = c.course, xapiData = c.xapiData;
    c.data = docs[0] || {};
    var prefs = docs[1] || {};
    if (!c.data.contextTemplate || typeof c.data.contextTemplate !== 'object') fail('the LMS launch data has no contextTemplate.');
    c.mode = String(c.data.launchMode || 'Normal').toLowerCase();
    if (c.mode !== 'browse' && c.mode !== 'review') c.mode = 'normal';
    if (prefs.languagePreference && window.console) console.info('ccm: learner language preference ' + prefs.languagePreference);
    c.build = new X.Statements({ course: course, actor: lrs.actor, activityId: lrs.activityId,
      registration: lrs.registration, contextTemplate: c.data.contextTemplate, extensionBase: xapiData.extensionBase });
    // one queue per registration and AU, not per session: what an earlier session could not
    // deliver is carried into this one (takeEarlierSessions)
    var progress = X.progress(function (s) { c.report(s); });
    c.outbox = new X.Outbox({ key: 'ccm:outbox:cmi5|' + c.localScope, endpoint: lrs.endpoint,
      auth: authHeader, onStatus: progress.part('statements'), onDelivered: function (list) { delivered(c, list); } });
    c.stateStore = new X.StateStore({ endpoint: lrs.endpoint, auth: authHeader, onStatus: progress.part('state'),
      fields: { stateId: xapiData.stateId || course.iri + '/ccm-state', activityId: lrs.activityId,
        agent: lrs.actor, registration: lrs.registration },
      localKey: 'ccm:state:' + c.localScope });
    return c.stateStore.read();
  }
  function launchOf(c) {
    var doc = c.doc, data = c.data;
    return { state: typeof doc.state === 'string' ? doc.state : null,
      location: typeof doc.location === 'string' ? doc.location : null,
      learner: X.learner(c.lrs.actor), mode: c.mode, recording: true,
      masteryScore: typeof data.masteryScore === 'number' ? data.masteryScore : null,
      returnURL: typeof data.returnURL === 'string' && data.returnURL ? data.returnURL : null };
  }
  function start(c) {
    c.t0 = Date.now();
    if (!c.launched) return startUnlaunched(c);
    var authHeader = null, store = sessionStore();
    if (store && store.getItem(endedKey(c.lrs.fetch))) {
      return Promise.reject(new Error('this session has already ended, so your LMS will not record anything more ' +
        'from it. Your progress is saved: close this window and launch the module again from your LMS.'));
    }
    return fetchToken(c.lrs.fetch).then(function (token) {
      authHeader = 'Basic ' + token;
      return readLaunchDocuments(c, authHeader);
    }).then(function (docs) {
      return setUp(c, docs, authHeader);
    }).then(function (found) {
      c.doc = found.doc || {};
      return c.mode === 'normal' ? askRegistration(c, authHeader) : null;
    }).then(function () {
      c.carried = takeEarlierSessions(c);
      if (c.outbox.pending()) c.outbox.flush();
      return launchOf(c);
    });
  }

  function record(c, event) {
    var build = c.build;
    if (!build) return;
    var t = event.time, normal = c.mode === 'normal';
    switch (event.type) {
      case 'start':    // once per session: a reload of the same launch carries on with it
        if (!sessionFlag(c, 'begun')) send(c, defined(c, 'initialized', t));
        sessionFlag(c, 'begun', true);
        c.carried.forEach(function (st) { send(c, st); });
        c.carried = [];
        break;
      case 'page':
        send(c, build.make('experienced', build.page(event), t, { parent: true }));
        break;
      case 'answer':
        send(c, build.make('answered', build.question(event.question), t, {
          parent: true, competencies: [event.competency], result: build.answerResult(event) }));
        break;
      case 'submit':
        if (!normal) break;
        sendCompleted(c, event, t);
        judged(c, event, t, !!event.passed, true);
        break;
      case 'complete':
        if (!normal) break;
        sendCompleted(c, event, t);
        if (c.data.moveOn === 'Passed' || c.data.moveOn === 'CompletedAndPassed') judged(c, event, t, true, false);
        break;
      case 'exit':     // terminated is sent by finish(), last, once everything else is in
        if (normal) sendHeldFailure(c, t);
        c.closing = defined(c, 'terminated', t, { result: { duration: X.duration(event.durationMs) } });
        break;
    }
  }
  function save(c, state, location) {
    if (c.mode !== 'normal' || !c.stateStore) return;     // Browse and Review change nothing
    c.doc.state = state;
    c.doc.location = location;
    c.doc.updated = new Date().toISOString();
    var kept = c.stateStore.write(c.doc, false);
    if (!c.launched) c.report({ kind: kept ? 'device' : 'unsaved' });
  }
  // Finish: state, statements, then terminated alone (resolves true once the LMS has it). The page
  // going away: what can still leave without breaking the order (docs/xapi-cmi5.md).
  function finish(c, reason) {
    if (c.finished) return true;
    c.finished = true;
    if (!c.launched) return null;   // no LMS to tell
    if (!c.build) return true;
    var ended = function (told) {
      var store = sessionStore();
      try { if (told && store) store.setItem(endedKey(c.lrs.fetch), '1'); } catch (e) { /* private mode */ }
      return told;
    };
    if (reason === 'pagehide') return ended(X.closeOnPageHide(c.outbox, c.stateStore, c.closing));
    return X.closeSession(c.outbox, c.stateStore, c.closing, FINISH_MS).then(ended);
  }

  window.CCM.registerAdapter('cmi5', function (course) {
    var p = X.params();
    var lrs = {
      endpoint: X.endpoint(p.endpoint), fetch: p.fetch || null, actor: X.actor(p.actor),
      registration: X.isUuid(p.registration) ? p.registration : null, activityId: p.activityId || null
    };
    var c = { course: course, lrs: lrs, launched: !!(lrs.endpoint && lrs.fetch && lrs.actor && lrs.registration && lrs.activityId),
      xapiData: course.xapi || {}, report: function () {}, outbox: null, build: null, stateStore: null, doc: {}, data: {},
      mode: 'normal', finished: false, judgedThisSession: false, heldFailure: null, closing: null, t0: Date.now(),
      queued: {}, carried: [], carriedFailure: null,
      localScope: [course.id, course.version, lrs.activityId || '-', lrs.registration || '-',
        lrs.actor ? JSON.stringify(lrs.actor) : 'anonymous'].join('|') };
    return {
      onStatus: function (callback) { c.report = callback; },
      start: function () { return start(c); },
      record: function (event) { record(c, event); },
      save: function (state, location) { save(c, state, location); },
      finish: function (reason) { return finish(c, reason); },
      outbox: function () { return c.outbox; }
    };
  });
})();
