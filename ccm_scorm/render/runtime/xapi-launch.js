/* ccm-scorm learner runtime: the xAPI launch parameters (CCM.xapi): endpoint, auth, actor,
 * registration and activity id as a launcher (an LRS's launch link, Moodle's mod_tincanlaunch,
 * a cmi5 LMS) appends them to the launch URL. No LRS credential is ever stored in the package. */
(function (X) {
  'use strict';

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

  X.params = params;
  X.endpoint = endpoint;
  X.auth = auth;
  X.actor = actor;
  X.learner = learner;
})(window.CCM.xapi);
