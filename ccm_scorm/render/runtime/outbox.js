/* ccm-scorm learner runtime: the durable statement outbox (CCM.xapi.Outbox) and the HTTP it
 * needs: localStorage first, ordered batches, back-off on network errors/408/429/5xx, other 4xx
 * set aside under "<key>:rejected", a check with the LRS before resending what may have arrived,
 * keepalive flush on exit. Described in docs/xapi-cmi5.md. */
(function (X) {
  'use strict';
  var storage = window.CCM.storage, copy = window.CCM.copy, XAPI_VERSION = X.XAPI_VERSION, verbOf = X.verbOf;
  var BATCH_SIZE = 20;
  var KEEPALIVE_BYTES = 60000;     // browsers allow 64 KiB of keepalive bodies in flight
  var TIMEOUT_MS = 15000;
  var BACKOFF_BASE_MS = 1000;
  var BACKOFF_MAX_MS = 30000;

  function readJson(store, key, fallback) {
    if (!store) return fallback;
    try { var t = store.getItem(key); return t ? JSON.parse(t) : fallback; } catch (e) { return fallback; }
  }
  function writeJson(store, key, value) {
    if (!store) return false;
    try { store.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
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
      this.report({ kind: 'error', message: window.CCM.t('status.memory_only') });
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
    this.report({ kind: 'error', message: window.CCM.t('status.refused', { status: status }) });
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
      else self.report({ kind: self.rejected().length ? 'partial' : 'saved' }); // partial: some were set aside
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

  /* One status for everything a launch writes to the LRS, from its parts (the outbox's statements, the
   * State document): "offline" when a part's write failed, until every part is through; "saving" while
   * one is on its way; "partial" when the LRS refused some statements (set aside); "saved" only when all
   * are acknowledged. (A failed State write is sent again when the browser is back online, with the next write,
   * or at Finish.)
   * -> {part(name) -> onStatus callback for that part} */
  var PART_KINDS = { saving: 1, saved: 1, offline: 1, partial: 1 };
  function progress(report) {
    var parts = {};
    function update(name, st) {
      if (!PART_KINDS[st.kind]) return report(st);
      parts[name] = st.kind;
      var all = Object.keys(parts).map(function (k) { return parts[k]; });
      if (all.indexOf('offline') >= 0) {
        if (st.kind === 'offline') report(st);
        return;
      }
      report({ kind: all.indexOf('saving') >= 0 ? 'saving' : all.indexOf('partial') >= 0 ? 'partial' : 'saved' });
    }
    return { part: function (name) { return function (st) { update(name, st || {}); }; } };
  }

  X.progress = progress;
  X.request = request;
  X.query = query;
  X.readJson = readJson;
  X.writeJson = writeJson;
  X.wait = wait;
  X.isSolo = isSolo;
  X.Outbox = Outbox;
})(window.CCM.xapi);
