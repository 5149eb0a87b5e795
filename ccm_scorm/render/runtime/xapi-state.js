/* ccm-scorm learner runtime: the xAPI State API document that keeps the learner's state
 * (CCM.xapi.StateStore, with a localStorage copy as fallback) and the closing of a session
 * (state first, then every statement, then terminated). Described in docs/xapi-cmi5.md. */
(function (X) {
  'use strict';
  var storage = window.CCM.storage, copy = window.CCM.copy;
  var request = X.request, query = X.query, readJson = X.readJson, writeJson = X.writeJson, wait = X.wait;

  // The newer of two saved documents (by "updated"); the flags of statements already delivered
  // ("sent") are kept from both, so a lost or stale copy never makes them go out twice.
  function newerDoc(a, b) {
    if (!a || typeof a !== 'object') return b || null;
    if (!b || typeof b !== 'object') return a;
    var out = copy(String(a.updated || '') >= String(b.updated || '') ? a : b);
    var sent = {};
    [a.sent, b.sent].forEach(function (flags) { Object.keys(flags || {}).forEach(function (k) { if (flags[k]) sent[k] = true; }); });
    if (Object.keys(sent).length) out.sent = sent;
    return out;
  }

  // A State API document with a localStorage copy; `use` turns false when the LRS refuses it.
  // Every write names the version it replaces (If-Match, or If-None-Match: * for a new document);
  // a conflict (409/412) is resolved by reading the LRS's copy again and merging.
  function StateStore(options) {
    this.endpoint = options.endpoint;
    this.auth = options.auth;
    this.fields = options.fields;        // activityId, agent, registration, stateId
    this.localKey = options.localKey;
    this.store = storage();
    this.use = !!(options.endpoint && options.useStateApi !== false);
    this.pendingDoc = null;
    this.timer = null;
    this.writing = null;                 // the write in flight (a Promise), one at a time
    this.plain = false;                  // true: this LRS cannot be sent If-Match / If-None-Match (CORS)
    this.report = options.onStatus || function () {};   // saving, saved, offline: X.progress
    var self = this;
    // back online, as the outbox does: a write that failed goes again now, not only with the next save
    window.addEventListener('online', function () { if (self.pendingDoc && !self.writing && !self.timer) self.push(); });
  }
  StateStore.prototype.url = function () { return query(this.endpoint, 'activities/state', this.fields); };

  // -> Promise<{doc, etag, status}> of the LRS's copy (status "absent", "found" or "unknown")
  StateStore.prototype.fetchRemote = function () {
    var self = this;
    return request('GET', this.url(), { auth: this.auth, timeoutMs: 8000 }).then(function (r) {
      if (r.status === 200) {
        var etag = r.headers.get('ETag');
        return r.json().then(function (doc) {
          return { doc: doc && typeof doc === 'object' ? doc : null, etag: etag, status: 'found' };
        }, function () { return { doc: null, etag: etag, status: 'found' }; });
      }
      if (r.status === 404 || r.status === 204) return { doc: null, etag: null, status: 'absent' };
      if (r.status !== 408 && r.status !== 429 && r.status < 500) self.use = false; // no State API for us
      return { doc: null, etag: null, status: 'unknown' };
    }, function () { return { doc: null, etag: null, status: 'unknown' }; });
  };

  // -> Promise<{doc, source: "lrs"|"local"|null}>: the newer of the LRS's copy and this device's
  StateStore.prototype.read = function () {
    var local = readJson(this.store, this.localKey, null);
    var fallback = { doc: local, source: local ? 'local' : null };
    if (!this.use) return Promise.resolve(fallback);
    return this.fetchRemote().then(function (remote) {
      if (!remote.doc) return fallback;
      var doc = newerDoc(remote.doc, local);
      return { doc: doc, source: doc === remote.doc || !local || String(remote.doc.updated || '') >= String(local.updated || '') ? 'lrs' : 'local' };
    });
  };

  // -> whether this device's copy took it
  StateStore.prototype.write = function (doc, soon) {
    var kept = writeJson(this.store, this.localKey, doc);
    if (!this.use) return kept;
    this.pendingDoc = doc;
    this.report({ kind: 'saving' });
    var self = this;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.timer = null; self.push(); }, soon ? 0 : 1500);
    return kept;
  };

  // One write: read the LRS's version, merge, and PUT naming that version; a few tries on conflict.
  StateStore.prototype.putMerged = function (doc, tries) {
    var self = this;
    return this.fetchRemote().then(function (remote) {
      if (remote.status === 'unknown') return false;
      var merged = newerDoc(doc, remote.doc);
      // the version replaced; an LRS that shows no ETag gets no precondition
      var headers = self.plain ? {} :
        remote.status === 'absent' ? { 'If-None-Match': '*' } : remote.etag ? { 'If-Match': remote.etag } : {};
      var answered = function (r, sent) {
        if (r.status >= 200 && r.status < 300) { writeJson(self.store, self.localKey, merged); return true; }
        if (r.status === 409 || r.status === 412) {
          // the LRS wants a precondition after all (the failed conditional PUT was a passing network error)
          if (!Object.keys(sent).length) self.plain = false;
          if (tries > 1) return self.putMerged(merged, tries - 1);
        }
        if (r.status === 400 || r.status === 401 || r.status === 403 || r.status === 404 || r.status === 405 ||
            r.status === 501) { self.use = false; return true; }
        return false;
      };
      return request('PUT', self.url(), { auth: self.auth, body: merged, headers: headers }).then(function (r) {
        return answered(r, headers);
      }, function (error) {
        // The LRS answered the GET a moment ago, yet this PUT did not get through: a cross-origin LRS
        // whose CORS rules do not allow If-Match / If-None-Match (Ralph's do not) refuses the preflight.
        // Write without them from then on, once such a PUT is answered.
        if (self.plain || !Object.keys(headers).length || (error && error.name === 'AbortError')) return false;
        return request('PUT', self.url(), { auth: self.auth, body: merged }).then(function (r) {
          self.plain = true;
          return answered(r, {});
        }, function () { return false; });
      });
    });
  };

  // -> Promise<boolean>: the pending document (if any) is in the LRS
  StateStore.prototype.push = function () {
    var self = this;
    if (this.writing) return this.writing.then(function () { return self.push(); });
    if (!this.use || !this.pendingDoc) { this.report({ kind: 'saved' }); return Promise.resolve(true); }
    var doc = this.pendingDoc;
    this.pendingDoc = null;
    this.writing = this.putMerged(doc, 4).then(function (ok) {
      self.writing = null;
      if (!ok && !self.pendingDoc) self.pendingDoc = doc;   // kept for the next try
      self.report({ kind: !ok ? 'offline' : self.busy() ? 'saving' : 'saved' });
      return ok;
    });
    return this.writing;
  };

  // -> Promise<boolean>: every write so far is in the LRS (tried for at most `ms`)
  StateStore.prototype.settle = function (ms) {
    var self = this, until = Date.now() + ms;
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    function round() {
      return self.push().then(function (ok) {
        if (ok && !self.pendingDoc) return true;
        if (Date.now() >= until) return false;
        return wait(Math.min(1000, until - Date.now())).then(round);
      });
    }
    return round();
  };

  StateStore.prototype.busy = function () { return !!(this.writing || this.pendingDoc || this.timer); };

  // The page is going: a last keepalive PUT of an unsaved document (no conflict check is possible).
  StateStore.prototype.flushOnExit = function () {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    if (!this.use || !this.pendingDoc) return;
    try {
      request('PUT', this.url(), { auth: this.auth, body: this.pendingDoc, keepalive: true });
    } catch (e) { /* leaving */ }
  };

  /* closing a session
   * Finish: every State write acknowledged, then every statement, then `closing` (terminated) alone,
   * so nothing can arrive after it. Returns Promise<boolean>: true when terminated was acknowledged.
   * When the LRS cannot be reached in time, nothing more is sent: statements and state stay on this
   * device. */
  function closeSession(outbox, stateStore, closing, ms) {
    var until = Date.now() + ms;
    var left = function () { return Math.max(0, until - Date.now()); };
    var saved = stateStore ? stateStore.settle(left()) : Promise.resolve(true);
    return saved.then(function (ok) {
      if (!ok || !outbox) return false;
      return outbox.drain(left()).then(function (empty) {
        if (!empty || !closing) return empty && !closing;
        // a statement delivered while draining may have written the State again (cmi5: the completed /
        // passed flags); that write, too, is acknowledged before terminated
        return (stateStore ? stateStore.settle(left()) : Promise.resolve(true)).then(function (settled) {
          if (!settled) return false;
          outbox.add(closing);
          return outbox.drain(left());
        });
      });
    });
  }

  // The page is going without Finish: state first; terminated only when it cannot overtake anything.
  function closeOnPageHide(outbox, stateStore, closing) {
    var stateBusy = !!(stateStore && stateStore.use && stateStore.busy());
    if (stateStore) stateStore.flushOnExit();
    return outbox ? outbox.flushOnExit(closing, stateBusy) : false;
  }

  X.newerDoc = newerDoc;
  X.StateStore = StateStore;
  X.closeSession = closeSession;
  X.closeOnPageHide = closeOnPageHide;
})(window.CCM.xapi);
