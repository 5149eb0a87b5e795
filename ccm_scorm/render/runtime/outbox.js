/* ccm-scorm learner runtime: what the xAPI and cmi5 adapters share (window.CCMXapi): launch
 * parameters, statements (ADL verbs, UUID v4 ids, interactions, competencies as context activities),
 * the durable outbox (localStorage first, ordered batches, back-off on network errors/408/429/5xx,
 * other 4xx set aside under "<key>:rejected", keepalive flush on exit) and a small state store
 * (State API, with a localStorage copy as fallback). Described in docs/xapi-cmi5.md. No LRS
 * credential is ever stored in the package. */
(function () {
  'use strict';

  var XAPI_VERSION = '1.0.3';
  var ADL_VERB = 'http://adlnet.gov/expapi/verbs/';
  var ADL_ACTIVITY = 'http://adlnet.gov/expapi/activities/';
  var PAGE_TYPE = 'http://activitystrea.ms/schema/1.0/page';
  var VERB_DISPLAY = {
    initialized: 'initialized', resumed: 'resumed', experienced: 'experienced', answered: 'answered',
    completed: 'completed', passed: 'passed', failed: 'failed', terminated: 'terminated'
  };
  var BATCH_SIZE = 20;
  var KEEPALIVE_BYTES = 60000;     // browsers allow 64 KiB of keepalive bodies in flight
  var TIMEOUT_MS = 15000;
  var BACKOFF_BASE_MS = 1000;
  var BACKOFF_MAX_MS = 30000;

  /* small */

  function uuid() {
    var c = window.crypto || window.msCrypto, b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x < 16 ? '0' : '') + x.toString(16); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  var UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

  // ISO 8601 duration with centisecond precision, e.g. PT1H2M3.45S
  function duration(ms) {
    var cs = Math.max(0, Math.round((+ms || 0) / 10));
    var h = Math.floor(cs / 360000), m = Math.floor((cs % 360000) / 6000), s = (cs % 6000) / 100;
    return 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (+s.toFixed(2)) + 'S';
  }

  function copy(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }
  function lang(course, text) { var o = {}; o[course.language || 'en'] = String(text); return o; }
  function storage() {
    try { var s = window.localStorage; s.getItem('ccm:probe'); return s; } catch (e) { return null; }
  }
  function readJson(store, key, fallback) {
    if (!store) return fallback;
    try { var t = store.getItem(key); return t ? JSON.parse(t) : fallback; } catch (e) { return fallback; }
  }
  function writeJson(store, key, value) {
    if (!store) return false;
    try { store.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }

  /* launch parameters */

  function params() {
    var out = {};
    new URLSearchParams(window.location.search).forEach(function (v, k) { out[k] = v; });
    return out;
  }

  function endpoint(raw) {
    if (!raw) return null;
    var e = String(raw).trim();
    if (!/^https?:\/\//i.test(e)) return null;
    e = e.replace(/\/+$/, '');
    e = e.replace(/\/statements$/i, ''); // a launcher that passed the statements resource itself
    return e + '/';
  }

  function auth(raw) {
    if (!raw) return null;
    var a = String(raw).trim();
    var m = /^(basic|bearer)\s+(.+)$/i.exec(a);
    if (m) return (m[1].toLowerCase() === 'basic' ? 'Basic ' : 'Bearer ') + m[2].trim();
    if (a.indexOf(':') > 0 && !/\s/.test(a)) { // "key:secret" given as it is
      a = btoa(unescape(encodeURIComponent(a)));
    }
    return 'Basic ' + a;
  }

  function first(v) { return Array.isArray(v) ? v[0] : v; }
  function actor(raw) {
    if (!raw) return null;
    var a;
    try { a = typeof raw === 'string' ? JSON.parse(raw) : raw; } catch (e) { return null; }
    if (!a || typeof a !== 'object') return null;
    var out = { objectType: 'Agent' };
    var name = first(a.name);
    if (name) out.name = String(name);
    var acc = first(a.account);
    if (first(a.mbox)) {
      var mbox = String(first(a.mbox));
      out.mbox = /^mailto:/i.test(mbox) ? mbox : 'mailto:' + mbox;
    } else if (first(a.mbox_sha1sum)) {
      out.mbox_sha1sum = String(first(a.mbox_sha1sum));
    } else if (first(a.openid)) {
      out.openid = String(first(a.openid));
    } else if (acc && typeof acc === 'object') {
      var home = acc.homePage || acc.accountServiceHomePage, accName = acc.name || acc.accountName;
      if (!home || !accName) return null;
      out.account = { homePage: String(home), name: String(accName) };
    } else {
      return null;
    }
    return out;
  }
  function learner(a) {
    if (!a) return null;
    var id = a.account ? a.account.name : a.mbox || a.mbox_sha1sum || a.openid;
    return { id: id, name: a.name || id };
  }

  /* HTTP */

  function request(method, url, options) {
    options = options || {};
    var headers = { 'X-Experience-API-Version': XAPI_VERSION };
    if (options.auth) headers.Authorization = options.auth;
    Object.keys(options.headers || {}).forEach(function (k) { headers[k] = options.headers[k]; });
    var body;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['Content-Type'] = 'application/json';
    }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, options.timeoutMs || TIMEOUT_MS) : null;
    var init = { method: method, headers: headers, body: body, cache: 'no-store', credentials: 'omit',
      keepalive: !!options.keepalive };
    if (controller) init.signal = controller.signal;
    return fetch(url, init).then(function (response) {
      if (timer) clearTimeout(timer);
      return response;
    }, function (error) {
      if (timer) clearTimeout(timer);
      throw error;
    });
  }

  function query(base, resource, fields) {
    var q = Object.keys(fields).filter(function (k) { return fields[k] !== null && fields[k] !== undefined; })
      .map(function (k) {
        var v = fields[k];
        return encodeURIComponent(k) + '=' + encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v));
      }).join('&');
    return base + resource + (q ? '?' + q : '');
  }

  /* outbox */

  // Sent alone, and acknowledged before anything after them leaves: a cmi5 LMS judges every
  // statement of a request against the session as it was before the request (9.3.0.0-4), and a
  // defined statement sent alone cannot be dragged down by a refused neighbour.
  var SOLO_VERBS = ['initialized', 'terminated', 'completed', 'passed', 'failed'];
  function verbOf(s) { return String(s && s.verb && s.verb.id || '').replace(ADL_VERB, ''); }
  function isSolo(s) { return SOLO_VERBS.indexOf(verbOf(s)) >= 0; }
  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, Math.max(0, ms)); }); }

  /* options: key (localStorage), endpoint, auth, onStatus(status), onDelivered(statements) */
  function Outbox(options) {
    this.key = options.key;
    this.endpoint = options.endpoint;
    this.auth = options.auth;
    this.report = options.onStatus || function () {};
    this.delivered = options.onDelivered || function () {};
    this.store = storage();
    this.memory = [];        // used only when localStorage is blocked
    this.rejectedMemory = [];
    this.uncertainMemory = {};
    this.inFlight = false;
    this.failures = 0;
    this.timer = null;
    this.isolate = 0;        // after a refused or conflicting batch: send this many statements one by one
    this.sending = null;     // the statements of the POST in flight
    var self = this;
    window.addEventListener('online', function () { self.retryNow(); });
  }

  Outbox.prototype.queue = function () {
    return this.store ? readJson(this.store, this.key, []) : this.memory.slice();
  };
  Outbox.prototype.setQueue = function (list) {
    if (this.store && writeJson(this.store, this.key, list)) return;
    if (this.store) { // storage full or blocked since: keep going in memory
      this.store = null;
      this.report({ kind: 'error', message: 'This browser would not keep your unsent progress; ' +
        'please stay online until it says “Progress saved”.' });
    }
    this.memory = list.slice();
  };
  Outbox.prototype.rejected = function () {
    return this.store ? readJson(this.store, this.key + ':rejected', []) : this.rejectedMemory.slice();
  };
  Outbox.prototype.pending = function () { return this.queue().length; };

  // Ids whose POST may have reached the LRS although no answer came back (timeout, 5xx, dropped
  // connection): before they are sent again the LRS is asked whether it holds them already.
  Outbox.prototype.uncertain = function () {
    return this.store ? readJson(this.store, this.key + ':uncertain', {}) : copy(this.uncertainMemory);
  };
  Outbox.prototype.setUncertain = function (ids, on) {
    var marks = this.uncertain();
    ids.forEach(function (id) { if (on) marks[id] = 1; else delete marks[id]; });
    if (!this.store || !writeJson(this.store, this.key + ':uncertain', marks)) this.uncertainMemory = marks;
  };

  // Keep the statement first (localStorage), then try to send it.
  Outbox.prototype.add = function (statement) {
    var list = this.queue();
    list.push(statement);
    this.setQueue(list);
    this.report({ kind: 'saving' });
    this.schedule(0);
  };

  Outbox.prototype.remove = function (ids) {
    var gone = {};
    ids.forEach(function (id) { gone[id] = true; });
    this.setQueue(this.queue().filter(function (s) { return !gone[s.id]; }));
    this.setUncertain(ids, false);
  };

  Outbox.prototype.markDelivered = function (statements) {
    this.remove(statements.map(function (s) { return s.id; }));
    try { this.delivered(statements); } catch (e) { /* the adapter's bookkeeping must not stop delivery */ }
  };

  Outbox.prototype.setAside = function (statement, status, text) {
    var list = this.rejected();
    list.push({ status: status, answer: String(text || '').slice(0, 500), statement: statement });
    if (!this.store || !writeJson(this.store, this.key + ':rejected', list)) this.rejectedMemory = list;
    this.remove([statement.id]);
    if (window.console) console.error('ccm: the LRS refused statement ' + statement.id + ' (HTTP ' + status + '): ' + text);
    this.report({ kind: 'error', message: 'The learning record store refused part of your progress record (HTTP ' +
      status + '). Please tell the person who gave you this module.' });
  };

  Outbox.prototype.schedule = function (delay) {
    var self = this;
    if (this.timer) { if (delay > 0) return; clearTimeout(this.timer); }
    this.timer = setTimeout(function () { self.timer = null; self.flush(); }, delay);
  };

  Outbox.prototype.retryNow = function () {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.failures = 0;
    this.flush();
  };

  Outbox.prototype.backOff = function () {
    this.failures += 1;
    var delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * Math.pow(2, this.failures - 1));
    delay = Math.round(delay * (0.8 + 0.4 * Math.random()));
    this.report({ kind: 'offline' });
    this.schedule(delay);
  };

  // The next request's statements: the oldest, a solo statement alone, one at a time while isolating.
  Outbox.prototype.nextBatch = function (list) {
    if (isSolo(list[0]) || this.isolate > 0) return list.slice(0, 1);
    var batch = [];
    for (var i = 0; i < list.length && batch.length < BATCH_SIZE && !isSolo(list[i]); i++) batch.push(list[i]);
    return batch;
  };

  // -> Promise<"stored"|"absent"|"unreadable"|"unknown">: does the LRS hold a statement with this id?
  // A 200 counts only when it carries that statement; some LRSs (Ralph 5.1) answer a statementId query
  // with {"statements": [...]}, empty when they do not hold it. A credential that may only write
  // statements (401/403) cannot ask: "unreadable".
  Outbox.prototype.lookUp = function (id) {
    var want = String(id).toLowerCase();
    var same = function (s) { return !!(s && typeof s === 'object' && String(s.id || '').toLowerCase() === want); };
    return request('GET', query(this.endpoint, 'statements', { statementId: id }), { auth: this.auth })
      .then(function (r) {
        if (r.status === 404) return 'absent';
        if (r.status === 401 || r.status === 403) return 'unreadable';
        if (r.status !== 200) return 'unknown';
        return r.json().then(function (body) {
          if (same(body)) return 'stored';
          if (body && Array.isArray(body.statements)) return body.statements.some(same) ? 'stored' : 'absent';
          return 'unknown';
        }, function () { return 'unknown'; });
      }, function () { return 'unknown'; });
  };

  // Before a batch holding uncertain ids is sent: drop the ones the LRS already has.
  Outbox.prototype.settleUncertain = function (batch) {
    var self = this, marks = this.uncertain();
    var doubtful = batch.filter(function (s) { return marks[s.id]; });
    return doubtful.reduce(function (chain, s) {
      return chain.then(function (ok) {
        if (!ok) return false;
        return self.lookUp(s.id).then(function (found) {
          if (found === 'stored') self.markDelivered([s]);
          // absent, or not ours to read: send it again (an LRS that has it answers 409: afterAnswer)
          else if (found === 'absent' || found === 'unreadable') self.setUncertain([s.id], false);
          return found !== 'unknown';
        });
      });
    }, Promise.resolve(true));
  };

  Outbox.prototype.afterAnswer = function (batch, status, text) {
    var ids = batch.map(function (s) { return s.id; });
    if (status >= 200 && status < 300) {
      this.failures = 0;
      if (this.isolate > 0) this.isolate -= 1;
      this.markDelivered(batch);
      return Promise.resolve();
    }
    if (status === 409 && batch.length === 1) {
      // the LRS holds this id already: an earlier send arrived after all, if the statement is there
      var self = this;
      return this.lookUp(ids[0]).then(function (found) {
        if (found === 'unknown') { self.setUncertain(ids, true); self.backOff(); return 'wait'; }
        self.failures = 0;
        if (self.isolate > 0) self.isolate -= 1;
        // "unreadable": a write-only credential cannot ask; the id is a random UUID v4 made here, so what
        // the LRS holds under it is this statement, sent earlier
        if (found === 'stored' || found === 'unreadable') self.markDelivered(batch);
        else self.setAside(batch[0], status, text);
      });
    }
    if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
      this.failures = 0;
      if (batch.length > 1) this.isolate = batch.length;   // find the statement(s) refused, one by one
      else {
        if (this.isolate > 0) this.isolate -= 1;
        this.setAside(batch[0], status, text);
      }
      return Promise.resolve();
    }
    this.setUncertain(ids, true);   // 408, 429, 5xx: the LRS may have stored them before failing
    this.backOff();
    return Promise.resolve('wait');
  };

  // Send the oldest statements; resolves when this round is over.
  Outbox.prototype.flush = function () {
    var self = this;
    if (this.inFlight) return this.inFlight;
    var list = this.queue();
    if (!list.length) return Promise.resolve();     // never POST an empty batch
    var batch = this.nextBatch(list);
    this.inFlight = this.settleUncertain(batch).then(function (settled) {
      if (!settled) { self.backOff(); return 'wait'; }
      var queued = {};     // settling may have found some of the batch delivered already
      self.queue().forEach(function (s) { queued[s.id] = true; });
      batch = batch.filter(function (s) { return queued[s.id]; });
      if (!batch.length) return null;
      self.sending = batch;
      return request('POST', self.endpoint + 'statements', { auth: self.auth, body: batch }).then(function (response) {
        var status = response.status;
        return response.text().then(function (text) { return self.afterAnswer(batch, status, text); },
          function () { return self.afterAnswer(batch, status, ''); });
      }, function () {
        self.setUncertain(batch.map(function (s) { return s.id; }), true);  // network error or timeout
        self.backOff();
        return 'wait';
      });
    }).then(function (outcome) {
      self.inFlight = false;
      self.sending = null;
      if (outcome === 'wait') return;
      if (self.queue().length) self.schedule(0);
      else if (!self.rejected().length) self.report({ kind: 'saved' });
    }, function () {
      self.inFlight = false;
      self.sending = null;
      self.backOff();
    });
    return this.inFlight;
  };

  // -> Promise<boolean>: keep sending until the queue is empty (true) or `ms` have passed (false).
  Outbox.prototype.drain = function (ms) {
    var self = this, until = Date.now() + ms;
    function round() {
      if (!self.queue().length) return Promise.resolve(true);
      if (Date.now() >= until) return Promise.resolve(false);
      if (self.timer) { clearTimeout(self.timer); self.timer = null; }
      return self.flush().then(function () {
        if (!self.queue().length) return true;
        if (self.failures === 0) return round();
        return wait(Math.min(BACKOFF_BASE_MS * self.failures, until - Date.now())).then(round);
      });
    }
    return round();
  };

  // The page is going (no Finish): what can still leave in one keepalive request without breaking the
  // session's order. `closing` (terminated) is added only when nothing else may arrive after it.
  // -> true when `closing` went.
  Outbox.prototype.flushOnExit = function (closing, othersInFlight) {
    var list = this.queue();
    // The statements of the POST still on its way are not sent twice: they are marked for a check by
    // the next launch (the page going may cancel that POST). After a solo one (initialized...) nothing
    // may overtake it, so nothing more leaves.
    var going = {}, solo = false;
    (this.sending || []).forEach(function (s) { going[s.id] = true; solo = solo || isSolo(s); });
    if (this.sending && this.sending.length) this.setUncertain(Object.keys(going), true);
    if (solo) list = [];
    var marks = this.uncertain();
    if (this.inFlight || othersInFlight || list.some(function (s) { return marks[s.id]; })) closing = null;
    if (list.length && verbOf(list[0]) === 'initialized') { list = list.slice(0, 1); closing = null; }
    var chunk = [], size = 2;
    list.forEach(function (s) {
      var n = JSON.stringify(s).length + 1;
      if (size + n <= KEEPALIVE_BYTES && !marks[s.id]) { chunk.push(s); size += n; } else closing = null;
    });
    if (closing && size + JSON.stringify(closing).length + 1 <= KEEPALIVE_BYTES) chunk.push(closing);
    else closing = null;
    if (!chunk.length) return false;
    this.setUncertain(chunk.map(function (s) { return s.id; }), true); // a later launch checks before resending
    try {
      request('POST', this.endpoint + 'statements', { auth: this.auth, body: chunk, keepalive: true });
    } catch (e) { /* the page is going anyway */ }
    return !!closing;
  };

  /* state store */

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

  StateStore.prototype.write = function (doc, soon) {
    writeJson(this.store, this.localKey, doc);
    if (!this.use) return;
    this.pendingDoc = doc;
    var self = this;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.timer = null; self.push(); }, soon ? 0 : 1500);
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
    if (!this.use || !this.pendingDoc) return Promise.resolve(true);
    var doc = this.pendingDoc;
    this.pendingDoc = null;
    this.writing = this.putMerged(doc, 4).then(function (ok) {
      self.writing = null;
      if (!ok && !self.pendingDoc) self.pendingDoc = doc;   // kept for the next try
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

  /* statements */

  function competencyActivity(course, id) {
    var c = (course.competencies || []).filter(function (x) { return x.id === id; })[0];
    if (!c || !c.iri) return null;
    return { objectType: 'Activity', id: c.iri,
      definition: { type: ADL_ACTIVITY + 'objective', name: lang(course, c.title || c.id) } };
  }

  function interaction(course, q) {
    var d = { type: ADL_ACTIVITY + 'cmi.interaction', name: lang(course, q.prompt), description: lang(course, q.prompt) };
    var items = function (list, field) {
      return list.map(function (x) { return { id: x.id, description: lang(course, x[field]) }; });
    };
    switch (q.type) {
      case 'single': case 'multiple':
        d.interactionType = 'choice';
        d.choices = items(q.options, 'text');
        d.correctResponsesPattern = [q.correct.join('[,]')];
        break;
      case 'true-false':
        d.interactionType = 'true-false';
        d.correctResponsesPattern = [String(!!q.correct)];
        break;
      case 'matching':
        d.interactionType = 'matching';
        d.source = items(q.pairs, 'prompt');
        d.target = items(q.pairs, 'match');
        d.correctResponsesPattern = [q.pairs.map(function (p) { return p.id + '[.]' + p.id; }).join('[,]')];
        break;
      case 'ordering':
        d.interactionType = 'sequencing';
        d.choices = items(q.items, 'text');
        d.correctResponsesPattern = [q.items.map(function (i) { return i.id; }).join('[,]')];
        break;
      case 'short-text':
        d.interactionType = 'fill-in';
        d.correctResponsesPattern = q.answers.map(function (a) {
          return '{case_matters=' + (q.caseSensitive ? 'true' : 'false') + '}' + a;
        });
        break;
    }
    return d;
  }

  function responseText(q, response) {
    switch (q.type) {
      case 'true-false': return String(!!response[0]);
      case 'matching': return response.map(function (p) { return p[0] + '[.]' + p[1]; }).join('[,]');
      case 'short-text': return String(response[0]);
      default: return response.join('[,]');
    }
  }

  function score(percent) {
    return { scaled: Math.round(percent) / 100, raw: Math.round(percent), min: 0, max: 100 };
  }

  /* options: course, actor, activityId, registration, contextTemplate (cmi5; a pathway's grouping),
   * extensionBase (of result extensions), activityType ("module"; "course" for a pathway) */
  function Statements(options) {
    this.course = options.course;
    this.actor = options.actor;
    this.activityId = options.activityId || options.course.iri;
    this.registration = options.registration && UUID_RE.test(options.registration) ? options.registration : null;
    this.template = options.contextTemplate || null;
    this.extensionBase = options.extensionBase || (options.course.iri + '/xapi/');
    this.activityType = ADL_ACTIVITY + (options.activityType || 'module');
  }

  Statements.prototype.module = function () {
    return { objectType: 'Activity', id: this.activityId,
      definition: { type: this.activityType, name: lang(this.course, this.course.title) } };
  };

  Statements.prototype.competencies = function (ids) {
    var self = this, seen = {}, out = [];
    ids.forEach(function (id) {
      if (seen[id]) return;
      seen[id] = true;
      var a = competencyActivity(self.course, id);
      if (a) out.push(a);
    });
    return out;
  };

  Statements.prototype.moduleCompetencyIds = function () {
    return (this.course.competencies || []).map(function (c) { return c.id; });
  };

  /* verb: key of VERB_DISPLAY; object; time; extra: {result, competencies (ids),
   * parent (bool), categories (activity ids), extensions (context)} */
  Statements.prototype.make = function (verb, object, time, extra) {
    extra = extra || {};
    var context = this.template ? copy(this.template) : {};
    if (this.registration) context.registration = this.registration;
    var ca = context.contextActivities = context.contextActivities || {};
    var add = function (kind, list) {
      if (!list.length) return;
      ca[kind] = (Array.isArray(ca[kind]) ? ca[kind] : ca[kind] ? [ca[kind]] : []);
      list.forEach(function (a) {
        if (!ca[kind].some(function (b) { return b.id === a.id; })) ca[kind].push(a);
      });
    };
    if (extra.parent) add('parent', [this.module()]);
    add('category', (extra.categories || []).map(function (id) { return { objectType: 'Activity', id: id }; }));
    add('other', this.competencies(extra.competencies || this.moduleCompetencyIds()));
    if (!Object.keys(ca).length) delete context.contextActivities;
    if (extra.extensions) {
      context.extensions = context.extensions || {};
      Object.keys(extra.extensions).forEach(function (k) {
        if (!(k in context.extensions)) context.extensions[k] = extra.extensions[k];
      });
    }
    var s = {
      id: uuid(),
      actor: this.actor,
      verb: { id: ADL_VERB + verb, display: { 'en-US': VERB_DISPLAY[verb] } },
      object: object,
      context: context,
      timestamp: this.stamp(time)
    };
    if (extra.result) s.result = extra.result;
    if (!Object.keys(s.context).length) delete s.context;
    return s;
  };

  // timestamps strictly increase within a launch (the order can be read back)
  Statements.prototype.stamp = function (time) {
    var ms = Date.parse(time || '');
    if (isNaN(ms)) ms = Date.now();
    if (this.lastMs !== undefined && ms <= this.lastMs) ms = this.lastMs + 1;
    this.lastMs = ms;
    return new Date(ms).toISOString();
  };

  Statements.prototype.page = function (event) {
    return { objectType: 'Activity', id: this.course.iri + '/page/' + encodeURIComponent(event.pageId),
      definition: { type: PAGE_TYPE, name: lang(this.course, event.title) } };
  };

  Statements.prototype.question = function (q) {
    return { objectType: 'Activity', id: q.iri, definition: interaction(this.course, q) };
  };

  Statements.prototype.answerResult = function (event) {
    return { response: responseText(event.question, event.response), success: !!event.correct,
      duration: duration(event.latencyMs) };
  };

  // The per-competency outcome of a submitted attempt, as a result extension.
  Statements.prototype.competencyResults = function (list) {
    var self = this, out = {};
    out[this.extensionBase + 'competency-results'] = (list || []).map(function (c) {
      var a = competencyActivity(self.course, c.id);
      return { id: a ? a.id : c.id, competency: c.id, score: c.score === null ? null : c.score, status: c.status };
    });
    return out;
  };

  window.CCMXapi = {
    XAPI_VERSION: XAPI_VERSION,
    CMI5_CATEGORY: 'https://w3id.org/xapi/cmi5/context/categories/cmi5',
    MOVEON_CATEGORY: 'https://w3id.org/xapi/cmi5/context/categories/moveon',
    SESSION_EXT: 'https://w3id.org/xapi/cmi5/context/extensions/sessionid',
    MASTERY_EXT: 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore',
    uuid: uuid, isUuid: function (s) { return UUID_RE.test(s || ''); }, duration: duration,
    params: params, endpoint: endpoint, auth: auth, actor: actor, learner: learner,
    request: request, query: query, storage: storage, readJson: readJson, writeJson: writeJson,
    Outbox: Outbox, StateStore: StateStore, Statements: Statements, score: score, newerDoc: newerDoc,
    closeSession: closeSession, closeOnPageHide: closeOnPageHide, isSolo: isSolo, verbOf: verbOf,
    interaction: interaction, responseText: responseText
  };
})();
