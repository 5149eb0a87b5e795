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

  function Outbox(options) {
    this.key = options.key;
    this.endpoint = options.endpoint;
    this.auth = options.auth;
    this.report = options.onStatus || function () {};
    this.store = storage();
    this.memory = [];        // used only when localStorage is blocked
    this.rejectedMemory = [];
    this.inFlight = false;
    this.failures = 0;
    this.timer = null;
    this.isolate = 0;        // after a 4xx batch: send this many statements one by one
    this.closed = false;
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

  // Send the oldest statements; resolves when this round is over.
  Outbox.prototype.flush = function () {
    var self = this;
    if (this.inFlight) return this.inFlight;
    var list = this.queue();
    if (!list.length) return Promise.resolve();     // never POST an empty batch
    var batch = list.slice(0, this.isolate > 0 ? 1 : BATCH_SIZE);
    this.inFlight = request('POST', this.endpoint + 'statements', { auth: this.auth, body: batch })
      .then(function (response) {
        var status = response.status;
        return response.text().then(function (text) { return { status: status, text: text }; },
          function () { return { status: status, text: '' }; });
      })
      .then(function (r) {
        self.inFlight = false;
        if (r.status >= 200 && r.status < 300) {
          self.failures = 0;
          if (self.isolate > 0) self.isolate -= 1;
          self.remove(batch.map(function (s) { return s.id; }));
        } else if (r.status === 409 && batch.length === 1) {
          // the same id is already stored: an earlier send arrived after all
          self.failures = 0;
          if (self.isolate > 0) self.isolate -= 1;
          self.remove([batch[0].id]);
        } else if (r.status >= 400 && r.status < 500 && r.status !== 408 && r.status !== 429) {
          self.failures = 0;
          if (batch.length > 1) {
            self.isolate = batch.length;   // find the statement(s) the LRS refuses
          } else {
            if (self.isolate > 0) self.isolate -= 1;
            self.setAside(batch[0], r.status, r.text);
          }
        } else {
          self.backOff();
          return;
        }
        if (self.queue().length) self.schedule(0);
        else if (!self.rejected().length) self.report({ kind: 'saved' });
      }, function () {
        self.inFlight = false;           // network error or timeout
        self.backOff();
      });
    return this.inFlight;
  };

  // pagehide: send the rest with keepalive; queued until acknowledged (resends are harmless)
  Outbox.prototype.flushOnExit = function () {
    var list = this.queue(), chunks = [], chunk = [], size = 2, budget = KEEPALIVE_BYTES;
    list.forEach(function (s) {
      var n = JSON.stringify(s).length + 1;
      if (chunk.length && (size + n > budget || chunk.length >= BATCH_SIZE * 5)) { chunks.push(chunk); budget -= size; chunk = []; size = 2; }
      if (n + 2 <= budget) { chunk.push(s); size += n; }
    });
    if (chunk.length) chunks.push(chunk);
    var self = this;
    chunks.forEach(function (c) {
      if (!c.length) return;
      try {
        request('POST', self.endpoint + 'statements', { auth: self.auth, body: c, keepalive: true })
          .then(function (r) { if (r.ok) self.remove(c.map(function (s) { return s.id; })); }, function () {});
      } catch (e) { /* the page is going anyway */ }
    });
  };

  /* state store */

  // A State API document with a localStorage copy; `use` turns false when the LRS refuses it.
  function StateStore(options) {
    this.endpoint = options.endpoint;
    this.auth = options.auth;
    this.fields = options.fields;        // activityId, agent, registration, stateId
    this.localKey = options.localKey;
    this.store = storage();
    this.use = !!(options.endpoint && options.useStateApi !== false);
    this.pendingDoc = null;
    this.timer = null;
  }
  StateStore.prototype.url = function () { return query(this.endpoint, 'activities/state', this.fields); };

  // -> Promise<{doc, source: "lrs"|"local"|null}>
  StateStore.prototype.read = function () {
    var self = this, local = readJson(this.store, this.localKey, null);
    var fallback = function () { return { doc: local, source: local ? 'local' : null }; };
    if (!this.use) return Promise.resolve(fallback());
    return request('GET', this.url(), { auth: this.auth, timeoutMs: 8000 }).then(function (r) {
      if (r.status === 200) {
        return r.json().then(function (doc) {
          if (doc && typeof doc === 'object') return { doc: doc, source: 'lrs' };
          return fallback();
        }, fallback);
      }
      if (r.status !== 404 && r.status !== 204) self.use = false; // 400/401/403/405/501: no State API for us
      return fallback();
    }, fallback);
  };

  StateStore.prototype.write = function (doc, soon) {
    writeJson(this.store, this.localKey, doc);
    if (!this.use) return;
    this.pendingDoc = doc;
    var self = this;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.timer = null; self.push(false); }, soon ? 0 : 1500);
  };

  StateStore.prototype.push = function (keepalive) {
    if (!this.use || !this.pendingDoc) return;
    var doc = this.pendingDoc, self = this;
    this.pendingDoc = null;
    try {
      request('PUT', this.url(), { auth: this.auth, body: doc, keepalive: keepalive }).then(function (r) {
        if (r.status === 404 || r.status === 405 || r.status === 501 || r.status === 400 ||
            r.status === 401 || r.status === 403) self.use = false;
      }, function () { if (!self.pendingDoc) self.pendingDoc = doc; });
    } catch (e) { /* leaving */ }
  };
  StateStore.prototype.flushOnExit = function () {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.push(true);
  };

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
    Outbox: Outbox, StateStore: StateStore, Statements: Statements, score: score,
    interaction: interaction, responseText: responseText
  };
})();
