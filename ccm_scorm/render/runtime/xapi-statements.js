/* ccm-scorm learner runtime: xAPI statements (CCM.xapi), for the xAPI and cmi5 adapters:
 * ADL verbs, UUID v4 ids, questions as cmi.interaction activities, competencies as context
 * activities, strictly increasing timestamps. Pure but for the random ids. Described in
 * docs/xapi-cmi5.md. */
(function (CCM) {
  'use strict';
  var X = CCM.xapi = {};
  var scoring = CCM.scoring, copy = CCM.copy, duration = CCM.isoDuration;
  var XAPI_VERSION = '1.0.3';
  var ADL_VERB = 'http://adlnet.gov/expapi/verbs/';
  var ADL_ACTIVITY = 'http://adlnet.gov/expapi/activities/';
  var PAGE_TYPE = 'http://activitystrea.ms/schema/1.0/page';
  var VERB_DISPLAY = {
    initialized: 'initialized', resumed: 'resumed', experienced: 'experienced', answered: 'answered',
    completed: 'completed', passed: 'passed', failed: 'failed', terminated: 'terminated'
  };

  function uuid() {
    var c = window.crypto || window.msCrypto, b = new Uint8Array(16);
    c.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x < 16 ? '0' : '') + x.toString(16); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  var UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
  function lang(course, text) { var o = {}; o[course.language || 'en'] = String(text); return o; }
  function verbOf(s) { return String(s && s.verb && s.verb.id || '').replace(ADL_VERB, ''); }

  function competencyActivity(course, id) {
    var c = (course.competencies || []).filter(function (x) { return x.id === id; })[0];
    if (!c || !c.iri) return null;
    return { objectType: 'Activity', id: c.iri,
      definition: { type: ADL_ACTIVITY + 'objective', name: lang(course, c.title || c.id) } };
  }

  function interaction(course, q) {
    var known = CCM.key.open(q); // false with show_answers: false: the page does not know the key (docs/runtime.md)
    var d = { type: ADL_ACTIVITY + 'cmi.interaction', name: lang(course, q.prompt), description: lang(course, q.prompt) };
    var items = function (list, field) {
      return list.map(function (x) { return { id: x.id, description: lang(course, x[field]) }; });
    };
    switch (q.type) {
      case 'single': case 'multiple':
        d.interactionType = 'choice';
        d.choices = items(q.options, 'text');
        d.correctResponsesPattern = known && [q.correct.join('[,]')];
        break;
      case 'true-false':
        d.interactionType = 'true-false';
        d.correctResponsesPattern = known && [String(!!q.correct)];
        break;
      case 'matching':
        d.interactionType = 'matching';
        d.source = items(q.pairs, 'prompt');
        d.target = items(scoring.matchTargets(q), 'text');
        d.correctResponsesPattern = known && [q.pairs.map(function (p) { return p.id + '[.]' + scoring.rightTarget(q, p); }).join('[,]')];
        break;
      case 'ordering':
        d.interactionType = 'sequencing';
        d.choices = items(q.items, 'text');
        d.correctResponsesPattern = known && [CCM.key.order(q).join('[,]')];
        break;
      case 'short-text':
        d.interactionType = 'fill-in';
        // answers with a wildcard cannot be written as a pattern: none at all declares no correct response
        var literal = known ? scoring.literalAnswers(q) : [];
        if (literal.length) {
          d.correctResponsesPattern = literal.map(function (a) {
            return '{case_matters=' + (q.caseSensitive ? 'true' : 'false') + '}' + a;
          });
        }
        break;
    }
    if (!known) delete d.correctResponsesPattern;
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

  /* The per-competency outcome of a submitted attempt, as a result extension: status passed or
   * failed (with a score) only for a judged competency, "not-assessed" (score null) for one the
   * attempt asked too few questions on (scoring.js judge); `asked`: its questions in the attempt. */
  Statements.prototype.competencyResults = function (list) {
    var self = this, out = {};
    out[this.extensionBase + 'competency-results'] = (list || []).map(function (c) {
      var a = competencyActivity(self.course, c.id); // asked: left out of the JSON when not known
      return { id: a ? a.id : c.id, competency: c.id, score: c.score === null ? null : c.score, status: c.status, asked: c.asked };
    });
    return out;
  };

  X.XAPI_VERSION = XAPI_VERSION;
  X.CMI5_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/cmi5';
  X.MOVEON_CATEGORY = 'https://w3id.org/xapi/cmi5/context/categories/moveon';
  X.SESSION_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/sessionid';
  X.MASTERY_EXT = 'https://w3id.org/xapi/cmi5/context/extensions/masteryscore';
  X.uuid = uuid;
  X.isUuid = function (s) { return UUID_RE.test(s || ''); };
  X.duration = duration;
  X.verbOf = verbOf;
  X.Statements = Statements;
  X.score = score;
  X.interaction = interaction;
  X.responseText = responseText;
})(window.CCM);
