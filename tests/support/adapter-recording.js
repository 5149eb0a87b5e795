/* ccm-scorm learner runtime: the recording adapter, for tests. Keeps the state in
 * localStorage like the standalone adapter (key "ccm:<module id>:<version>", a pathway
 * "ccm:pathway:<id>:<version>", memory if storage is blocked; the typed name under key + ":name") and keeps every call the core makes in window.__ccmRecording as
 * {method, args}; status reports appear as {method: "status", args: [{kind, message}]}.
 * window.__ccmLaunch, set by a test before the page loads, overrides Launch fields. */
(function () {
  'use strict';
  function copy(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }
  window.CCM.registerAdapter('recording', function (course) {
    var key = 'ccm:' + (course.kind === 'pathway' ? 'pathway:' : '') + course.id + ':' + course.version, store = null, report = function () {};
    var log = window.__ccmRecording = window.__ccmRecording || [];
    function keep(method, args) { log.push({ method: method, args: Array.prototype.map.call(args, copy) }); }
    try { store = window.localStorage; store.getItem(key); } catch (e) { store = null; }
    return {
      onStatus: function (callback) {
        keep('onStatus', []);
        report = function (s) { log.push({ method: 'status', args: [copy(s)] }); callback(s); };
      },
      start: function () {
        keep('start', arguments);
        var launch = { state: store ? store.getItem(key) : null, location: null, learner: null, mode: 'normal',
          recording: true, masteryScore: null, returnURL: null };
        if (!store) report({ kind: 'error', message: 'Progress will not be kept: this browser blocks storage.' });
        var extra = window.__ccmLaunch || {};
        Object.keys(extra).forEach(function (k) { launch[k] = extra[k]; });
        return Promise.resolve(launch);
      },
      record: function () { keep('record', arguments); },
      save: function (state) {
        keep('save', arguments);
        if (store) { try { store.setItem(key, state); report({ kind: 'saved' }); } catch (e) { store = null; } }
      },
      finish: function () { keep('finish', arguments); },
      loadName: function () { return store ? store.getItem(key + ':name') : null; },
      keepName: function (text) { keep('keepName', arguments); if (store) store.setItem(key + ':name', text); }
    };
  });
})();
