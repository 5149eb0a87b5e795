/* ccm-scorm learner runtime: the standalone adapter (offline web package).
 * Keeps the compact state in localStorage under "ccm:<module id>:<version>" (a pathway:
 * "ccm:pathway:<pathway id>:<version>") and the name the learner types for a certificate
 * under that key + ":name". Works from file://; if the browser blocks storage, keeps
 * progress in memory and says so. */
(function () {
  'use strict';
  function lost() { return window.CCM.t('launch.storage_blocked'); }

  function standalone(course) {
    var key = 'ccm:' + (course.kind === 'pathway' ? 'pathway:' : '') + course.id + ':' + course.version;
    var store = window.CCM.storage(), memory = null, name = null, report = function () {};
    function lose() { store = null; report({ kind: 'unsaved', message: lost() }); }
    return {
      onStatus: function (callback) { report = callback; },
      start: function () {
        var state = null;
        if (store) {
          try { state = store.getItem(key); } catch (e) { lose(); }
        } else {
          report({ kind: 'unsaved', message: lost() });
        }
        return Promise.resolve({ state: state, location: null, learner: null, mode: 'normal',
          recording: true, masteryScore: null, returnURL: null });
      },
      record: function () {},
      save: function (state) {
        memory = state;
        if (!store) return;
        try { store.setItem(key, state); report({ kind: 'device' }); } catch (e) { lose(); }
      },
      finish: function () {},
      loadName: function () {
        if (name === null && store) { try { name = store.getItem(key + ':name'); } catch (e) { name = null; } }
        return name;
      },
      keepName: function (text) {
        name = text;
        if (store) { try { store.setItem(key + ':name', text); } catch (e) { lose(); } }
      },
      memory: function () { return memory; }
    };
  }
  window.CCM.registerAdapter('standalone', standalone);
})();
