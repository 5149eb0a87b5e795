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

  window.CCM.registerAdapter('cmi5', function (course) {
    var report = function () {};
    var relay = function (s) { report(s); };
    var p = X.params();
    var lrs = {
      endpoint: X.endpoint(p.endpoint), fetch: p.fetch || null, actor: X.actor(p.actor),
      registration: X.isUuid(p.registration) ? p.registration : null, activityId: p.activityId || null
    };
    var launched = !!(lrs.endpoint && lrs.fetch && lrs.actor && lrs.registration && lrs.activityId);
    var xapiData = course.xapi || {};
    var outbox = null, build = null, stateStore = null, doc = {}, data = {}, mode = 'normal';
    var finished = false, judgedThisSession = false, heldFailure = null, closing = null, t0 = Date.now();
    var queued = {};      // completed / passed handed to the outbox in this session
    var carried = [];     // statements of earlier sessions, sent after this session's initialized
    var carriedFailure = null;  // an earlier session's failed: sent at this session's end unless it passes
    var localScope = [course.id, course.version, lrs.activityId || '-', lrs.registration || '-',
      lrs.actor ? JSON.stringify(lrs.actor) : 'anonymous'].join('|');

    function defined(verb, time, extra) {
      extra = extra || {};
      extra.categories = [X.CMI5_CATEGORY].concat(extra.moveOn ? [X.MOVEON_CATEGORY] : []);
      return build.make(verb, build.module(), time, extra);
    }
    function send(statement) { if (outbox && !finished) outbox.add(statement); }
    // Per launch (fetch URL), in sessionStorage: survives a reload of the same launch only.
    function sessionFlag(name, value) {
      var store = sessionStore(), key = 'ccm:cmi5:' + name + ':' + lrs.fetch;
      try {
        if (value) store.setItem(key, '1');
        return !!(store && store.getItem(key));
      } catch (e) { return !!value; }
    }
    function sent() { doc.sent = doc.sent || {}; return doc.sent; }
    function already(flag) { return !!(sent()[flag] || queued[flag]); }
    // A flag is kept in the State document once the LMS has acknowledged its statement, never before:
    // a statement still on this device when the session ends is sent again by the next launch.
    function delivered(statements) {
      var changed = false;
      statements.forEach(function (st) {
        var v = X.verbOf(st);
        var flag = v === 'failed' ? null : v;
        if ((flag === 'completed' || flag === 'passed') && !sent()[flag]) { sent()[flag] = true; changed = true; }
      });
      if (changed && mode === 'normal') { doc.updated = new Date().toISOString(); stateStore.write(doc, true); }
    }
    function remember(flag) { queued[flag] = true; }

    // Statements an earlier session of this registration could not deliver (the LMS was unreachable
    // when it ended). Its initialized and terminated are dropped (that session is over: the LMS
    // abandons it); the rest is sent in this session, after its initialized, in this session's
    // context. completed/passed/failed wait for a Normal launch (Browse and Review may not send them).
    function sessionOf(st) { return ((st.context || {}).extensions || {})[X.SESSION_EXT]; }
    function takeEarlierSessions() {
      var current = (data.contextTemplate.extensions || {})[X.SESSION_EXT];
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
        if (judged && (mode !== 'normal' || already(verb === 'failed' ? 'passed' : verb))) {
          if (mode !== 'normal') later.push(st);
          return;
        }
        if (verb === 'failed') { carriedFailure = intoThisSession(st); return; }  // as this session's own
        if (judged) remember(verb);
        if (verb === 'passed') judgedThisSession = true;
        now.push(intoThisSession(st));
      });
      X.writeJson(store, heldKey, later);
      return now;
    }
    function intoThisSession(st) {
      var template = JSON.parse(JSON.stringify(data.contextTemplate));
      var context = st.context || {};
      context.extensions = context.extensions || {};
      Object.keys(template.extensions || {}).forEach(function (k) { context.extensions[k] = template.extensions[k]; });
      if (context.extensions[X.MASTERY_EXT] !== undefined && typeof data.masteryScore === 'number') {
        context.extensions[X.MASTERY_EXT] = data.masteryScore;
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
    function askRegistration(authHeader) {
      var flags = ['completed', 'passed'].filter(function (f) { return !sent()[f]; });
      return Promise.all(flags.map(function (flag) {
        var url = X.query(lrs.endpoint, 'statements', { registration: lrs.registration, agent: lrs.actor,
          verb: 'http://adlnet.gov/expapi/verbs/' + flag, activity: lrs.activityId, limit: 1 });
        return X.request('GET', url, { auth: authHeader }).then(function (r) {
          return r.status === 200 ? r.json() : null;
        }).then(function (body) {
          if (body && body.statements && body.statements.length) sent()[flag] = true;
        }, function () { /* unknown: this session's own rules still send each at most once */ });
      }));
    }
    function competencyIds(event) { return (event.competencies || []).map(function (c) { return c.id; }); }
    function sendCompleted(event, t) {
      if (already('completed')) return;
      send(defined('completed', t, { moveOn: true, competencies: competencyIds(event), result: {
        completion: true, duration: X.duration(Date.now() - t0), extensions: build.competencyResults(event.competencies) } }));
      remember('completed');
    }
    // 9.3.0.0-3/-7/-8: a failure waits for the session's end (a later pass replaces it)
    function judgement(event, passed, withScore) {
      var extensions = {};
      if (typeof data.masteryScore === 'number') extensions[X.MASTERY_EXT] = data.masteryScore;
      var result = { success: passed, duration: X.duration(Date.now() - t0),
        extensions: build.competencyResults(event.competencies) };
      if (withScore) result.score = X.score(event.score);
      return { verb: passed ? 'passed' : 'failed', extra: { moveOn: true, competencies: competencyIds(event),
        result: result, extensions: extensions } };
    }
    function judged(event, t, passed, withScore) {
      if (already('passed') || judgedThisSession) return;
      if (!passed) { heldFailure = judgement(event, false, withScore); return; }
      heldFailure = carriedFailure = null;
      judgedThisSession = true;
      var j = judgement(event, true, withScore);
      send(defined(j.verb, t, j.extra));
      remember('passed');
    }
    function sendHeldFailure(t) {
      if (judgedThisSession || already('passed') || !(heldFailure || carriedFailure)) return;
      judgedThisSession = true;
      send(heldFailure ? defined(heldFailure.verb, t, heldFailure.extra) : carriedFailure);
      heldFailure = carriedFailure = null;
    }

    return {
      onStatus: function (callback) { report = callback; },
      start: function () {
        t0 = Date.now();
        if (!launched) {
          if (window.console) console.warn('ccm: not launched by a cmi5 LMS (endpoint, fetch, actor, registration and activityId are needed)');
          stateStore = new X.StateStore({ endpoint: null, fields: {}, localKey: 'ccm:state:' + localScope });
          return stateStore.read().then(function (found) {
            doc = found.doc || {};
            return { state: doc.state || null, location: doc.location || null, learner: null, mode: 'normal',
              recording: false, masteryScore: null, returnURL: null };
          });
        }
        var authHeader = null, store = sessionStore();
        if (store && store.getItem(endedKey(lrs.fetch))) {
          return Promise.reject(new Error('this session has already ended, so your LMS will not record anything more ' +
            'from it. Your progress is saved: close this window and launch the module again from your LMS.'));
        }
        return fetchToken(lrs.fetch).then(function (token) {
          authHeader = 'Basic ' + token;
          var agent = lrs.actor;
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
        }).then(function (docs) {
          data = docs[0] || {};
          var prefs = docs[1] || {};
          if (!data.contextTemplate || typeof data.contextTemplate !== 'object') fail('the LMS launch data has no contextTemplate.');
          mode = String(data.launchMode || 'Normal').toLowerCase();
          if (mode !== 'browse' && mode !== 'review') mode = 'normal';
          if (prefs.languagePreference && window.console) console.info('ccm: learner language preference ' + prefs.languagePreference);
          build = new X.Statements({ course: course, actor: lrs.actor, activityId: lrs.activityId,
            registration: lrs.registration, contextTemplate: data.contextTemplate, extensionBase: xapiData.extensionBase });
          // one queue per registration and AU, not per session: what an earlier session could not
          // deliver is carried into this one (takeEarlierSessions)
          outbox = new X.Outbox({ key: 'ccm:outbox:cmi5|' + localScope, endpoint: lrs.endpoint,
            auth: authHeader, onStatus: relay, onDelivered: delivered });
          stateStore = new X.StateStore({ endpoint: lrs.endpoint, auth: authHeader,
            fields: { stateId: xapiData.stateId || course.iri + '/ccm-state', activityId: lrs.activityId,
              agent: lrs.actor, registration: lrs.registration },
            localKey: 'ccm:state:' + localScope });
          return stateStore.read();
        }).then(function (found) {
          doc = found.doc || {};
          return mode === 'normal' ? askRegistration(authHeader) : null;
        }).then(function () {
          carried = takeEarlierSessions();
          if (outbox.pending()) outbox.flush();
          return { state: typeof doc.state === 'string' ? doc.state : null,
            location: typeof doc.location === 'string' ? doc.location : null,
            learner: X.learner(lrs.actor), mode: mode, recording: true,
            masteryScore: typeof data.masteryScore === 'number' ? data.masteryScore : null,
            returnURL: typeof data.returnURL === 'string' && data.returnURL ? data.returnURL : null };
        });
      },
      record: function (event) {
        if (!build) return;
        var t = event.time, normal = mode === 'normal';
        switch (event.type) {
          case 'start':    // once per session: a reload of the same launch carries on with it
            if (!sessionFlag('begun')) send(defined('initialized', t));
            sessionFlag('begun', true);
            carried.forEach(send);
            carried = [];
            break;
          case 'page':
            send(build.make('experienced', build.page(event), t, { parent: true }));
            break;
          case 'answer':
            send(build.make('answered', build.question(event.question), t, {
              parent: true, competencies: [event.competency], result: build.answerResult(event) }));
            break;
          case 'submit':
            if (!normal) break;
            sendCompleted(event, t);
            judged(event, t, !!event.passed, true);
            break;
          case 'complete':
            if (!normal) break;
            sendCompleted(event, t);
            if (data.moveOn === 'Passed' || data.moveOn === 'CompletedAndPassed') judged(event, t, true, false);
            break;
          case 'exit':     // terminated is sent by finish(), last, once everything else is in
            if (normal) sendHeldFailure(t);
            closing = defined('terminated', t, { result: { duration: X.duration(event.durationMs) } });
            break;
        }
      },
      save: function (state, location) {
        if (mode !== 'normal' || !stateStore) return;     // Browse and Review change nothing
        doc.state = state;
        doc.location = location;
        doc.updated = new Date().toISOString();
        stateStore.write(doc, false);
        if (!launched) report({ kind: 'saved' });
      },
      // Finish: state, statements, then terminated alone (resolves true once the LMS has it). The page
      // going away: what can still leave without breaking the order (docs/xapi-cmi5.md).
      finish: function (reason) {
        if (finished) return true;
        finished = true;
        if (!launched || !build) return true;
        var ended = function (told) {
          var store = sessionStore();
          try { if (told && store) store.setItem(endedKey(lrs.fetch), '1'); } catch (e) { /* private mode */ }
          return told;
        };
        if (reason === 'pagehide') return ended(X.closeOnPageHide(outbox, stateStore, closing));
        return X.closeSession(outbox, stateStore, closing, FINISH_MS).then(ended);
      },
      outbox: function () { return outbox; }
    };
  });
})();
