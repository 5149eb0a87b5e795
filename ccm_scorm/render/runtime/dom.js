/* ccm-scorm learner runtime: building the page (CCM.dom) and the words the learner reads
 * in read-only notices (CCM.readOnlyNotice, CCM.text.readOnly); times of day (CCM.dom.clock). */
(function (CCM) {
  'use strict';

  function make(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') e.textContent = v; else if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : v);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function byId(id) { return document.getElementById(id); }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function srOnly(t) { return make('span', { 'class': 'ccm-sr', text: t }); }
  function button(text, action, cls) {
    return make('button', { type: 'button', 'class': cls || 'ccm-button', 'data-action': action, text: text });
  }
  // Focus a view's heading and go to the top at once, as a new page would (the stylesheet's smooth
  // scrolling is for links within a view: a new view would otherwise scroll up from where the old one was).
  function focusHeading(h) {
    var root = document.documentElement.style;
    root.scrollBehavior = 'auto';
    if (h) h.focus();
    if (window.scrollTo) window.scrollTo(0, 0);
    root.scrollBehavior = '';
  }

  // SCORM gives "Last, First": show "First Last". Anything else is shown as given.
  function displayName(name) {
    var s = String(name || '').trim().replace(/\s+/g, ' ');
    var m = /^([^,]+),\s*([^,]+)$/.exec(s);
    return m ? m[2] + ' ' + m[1] : s;
  }
  /* Dates and times in the catalogue's words, not the browser's: a browser without the language's
   * locale data (Chromium has none for Welsh) would show "December 1, 2026" and "05:34 PM". */
  function longDate(d) {
    return CCM.t('dates.long', { day: d.getUTCDate(), month: CCM.t('dates.months').split(' ')[d.getUTCMonth()],
      year: d.getUTCFullYear() });
  }
  function today() { return Math.floor(Date.now() / 86400000); } // days since 1 January 1970 (UTC)

  /* Review and browse launches: the LMS keeps nothing of what the learner does (Moodle opens a
   * finished attempt in review unless the learner starts a new one), so the learner is told so,
   * and how to make it count (readonly.yaml). `what` is "module" or "pathway". */
  function readOnlyNotice(mode, what) {
    var pathway = what === 'pathway';
    if (mode === 'review') {
      return (pathway ? CCM.t('readonly.review_pathway') : CCM.t('readonly.review_module')) + ' ' + CCM.t('readonly.review_again');
    }
    return (pathway ? CCM.t('readonly.browse_pathway') : CCM.t('readonly.browse_module')) + ' ' + CCM.t('readonly.browse_again');
  }
  // A time of day, 24-hour in every language, as in "Progress saved at 14:05".
  function clock(d) { return CCM.pad(d.getHours(), 2) + ':' + CCM.pad(d.getMinutes(), 2); }

  CCM.dom = { make: make, byId: byId, clear: clear, srOnly: srOnly, button: button, focusHeading: focusHeading,
    longDate: longDate, today: today, clock: clock };
  CCM.displayName = displayName;
  CCM.readOnlyNotice = readOnlyNotice;
  // "How to make it count" after a practice in review or browse (quiz.js, results.js).
  CCM.text = { readOnly: {
    review: { get again() { return CCM.t('readonly.review_again'); } },
    browse: { get again() { return CCM.t('readonly.browse_again'); } }
  } };
})(window.CCM);
