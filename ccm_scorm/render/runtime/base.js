/* ccm-scorm learner runtime: the namespace and the small helpers every other file uses.
 * Loaded first. window.CCM is the runtime's only global; each later file adds its part
 * (CCM.state, CCM.scoring, CCM.xapi, CCM.scorm...). Load order: docs/runtime.md. */
(function () {
  'use strict';
  var CCM = window.CCM = {};
  var adapters = {};

  CCM.registerAdapter = function (name, factory) { adapters[name] = factory; };
  CCM.adapter = function (name) { return adapters[name] || null; };

  /* The learner's strings (docs/languages.md): CCM.t(key) or CCM.t(key, { n: 5, name: 'x' }).
   * A text depending on a count has plural forms, chosen by values.n with the CLDR rules of
   * model.plural_category. An unknown key shows as itself, which the catalogue tests catch. */
  var messages = {}, pluralRule = 'en';
  var WELSH = { 0: 'zero', 1: 'one', 2: 'two', 3: 'few', 6: 'many' };
  CCM.useMessages = function (all, rule) { messages = all || {}; pluralRule = rule || 'en'; };
  CCM.t = function (key, values) {
    var text = messages[key], v = values || {};
    if (text === undefined) return key;
    if (typeof text !== 'string') {
      var category = pluralRule === 'cy' ? WELSH[v.n] || 'other' : v.n === 1 ? 'one' : 'other';
      text = text[category] || text.other;
    }
    return text.replace(/\{(\w+)\}/g, function (all, name) { return name in v ? String(v[name]) : all; });
  };

  CCM.range = function (n) { var a = []; for (var i = 0; i < n; i++) a.push(i); return a; };
  CCM.b36 = function (n) { return n.toString(36); };
  // width of a fixed-width base36 index for `count` things (indexes 0..count-1)
  CCM.width36 = function (count) { return count > 1 ? CCM.b36(count - 1).length : 1; };
  CCM.pad = function (value, width) { var s = String(value); while (s.length < width) s = '0' + s; return s; };
  CCM.copy = function (v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); };

  // localStorage, or null when the browser blocks it (SecurityError) or has none.
  CCM.storage = function () {
    try { var s = window.localStorage; s.getItem('ccm:probe'); return s; } catch (e) { return null; }
  };

  /* ISO 8601 duration (section 4.4.3.2, the designator format), as both SCORM 2004's
   * timeinterval and xAPI's result.duration take it: centisecond precision, zero hours and
   * minutes left out, seconds always written, e.g. PT0S, PT3.45S, PT1H2M3.4S, PT1H5S. */
  CCM.isoDuration = function (ms) {
    var cs = Math.max(0, Math.round((+ms || 0) / 10));
    var h = Math.floor(cs / 360000), m = Math.floor((cs % 360000) / 6000), s = (cs % 6000) / 100;
    return 'PT' + (h ? h + 'H' : '') + (m ? m + 'M' : '') + (+s.toFixed(2)) + 'S';
  };

  CCM.randomInt = function (n) { // unbiased, from crypto.getRandomValues
    var c = window.crypto || window.msCrypto;
    if (!c || !c.getRandomValues) return Math.floor(Math.random() * n);
    var buf = new Uint32Array(1), limit = Math.floor(4294967296 / n) * n;
    do { c.getRandomValues(buf); } while (buf[0] >= limit);
    return buf[0] % n;
  };

  // Deterministic shuffle for one (attempt, question id): resume shows the same order without storing it.
  function seeded(text) {
    var h = 2166136261;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
    return function () { // mulberry32
      h = (h + 0x6D2B79F5) | 0;
      var t = Math.imul(h ^ (h >>> 15), h | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  CCM.shuffleFor = function (attempt, q, n) {
    var rnd = seeded(attempt + ':' + q.id), a = CCM.range(n);
    for (var i = n - 1; i > 0; i--) { var j = Math.floor(rnd() * (i + 1)), t = a[i]; a[i] = a[j]; a[j] = t; }
    if (n > 1 && a.every(function (v, k) { return v === k; })) a.push(a.shift()); // never show the answer
    return a;
  };
})();
