/* ccm-scorm learner runtime: the recording adapter, for tests. Behaves like the
 * standalone adapter (load adapter-standalone.js first) and also keeps every call the
 * core makes in window.__ccmRecording as {method, args}. window.__ccmLaunch (set by a
 * test before the page loads) overrides fields of the Launch object. */
(function () {
  'use strict';
  function copy(value) { return value === undefined ? undefined : JSON.parse(JSON.stringify(value)); }
  window.CCM.registerAdapter('recording', function (course) {
    var base = window.CCM.adapter('standalone')(course);
    var log = window.__ccmRecording = window.__ccmRecording || [];
    function keep(method, args) { log.push({ method: method, args: Array.prototype.map.call(args, copy) }); }
    return {
      onStatus: function (callback) {
        keep('onStatus', []);
        base.onStatus(function (s) { log.push({ method: 'status', args: [copy(s)] }); callback(s); });
      },
      start: function () {
        keep('start', arguments);
        return base.start(course).then(function (launch) {
          var extra = window.__ccmLaunch || {};
          Object.keys(extra).forEach(function (k) { launch[k] = extra[k]; });
          return launch;
        });
      },
      record: function (event) { keep('record', arguments); base.record(event); },
      save: function (state, location) { keep('save', arguments); base.save(state, location); },
      finish: function (reason) { keep('finish', arguments); base.finish(reason); }
    };
  });
})();
