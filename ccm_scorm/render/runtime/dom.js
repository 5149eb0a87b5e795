/* ccm-scorm learner runtime: building the page (CCM.dom) and the words the learner reads
 * in status lines and notices (CCM.text). */
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
  // Focus a view's heading and go to the top, as a new page would.
  function focusHeading(h) {
    if (h) h.focus();
    if (window.scrollTo) window.scrollTo(0, 0);
  }

  // SCORM gives "Last, First": show "First Last". Anything else is shown as given.
  function displayName(name) {
    var s = String(name || '').trim().replace(/\s+/g, ' ');
    var m = /^([^,]+),\s*([^,]+)$/.exec(s);
    return m ? m[2] + ' ' + m[1] : s;
  }
  function longDate(d, lang) {
    try {
      return d.toLocaleDateString(lang || 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    } catch (e) { return d.toISOString().slice(0, 10); }
  }
  function today() { return Math.floor(Date.now() / 86400000); } // days since 1 January 1970 (UTC)

  /* Review and browse launches: the LMS keeps nothing of what the learner does (Moodle opens a
   * finished attempt in review unless the learner starts a new one), so the learner is told so,
   * and how to make it count. Plain words: many learners are not confident with computers. */
  var READ_ONLY = {
    review: {
      notice: function (what) {
        return 'You are reviewing a ' + what + ' you have already finished, so nothing you do now is saved. ' +
          READ_ONLY.review.again;
      },
      again: 'To try again and have it count, go back to the page you opened this from and start a new attempt ' +
        '(in Moodle: tick \u201cStart a new attempt\u201d, then press \u201cEnter\u201d).'
    },
    browse: {
      notice: function (what) {
        return 'You are browsing this ' + what + ' as a preview, so nothing you do now is saved. ' + READ_ONLY.browse.again;
      },
      again: 'To have it count, go back to the page you opened this from and open it in the usual way ' +
        '(in Moodle: press \u201cEnter\u201d, not \u201cPreview\u201d).'
    }
  };

  CCM.dom = { make: make, byId: byId, clear: clear, srOnly: srOnly, button: button, focusHeading: focusHeading,
    longDate: longDate, today: today };
  CCM.displayName = displayName;
  CCM.text = {
    status: { saving: 'Saving your progress…', saved: 'Progress saved', offline: 'Offline: will try again',
      error: 'Progress not saved', 'not-recording': 'Progress is not being recorded' },
    notice: {
      error: 'Something went wrong while saving your progress.',
      'not-recording': 'Your progress is not being recorded. You can still read the pages and try the quiz.',
      unsent: 'Your learning system could not be reached, so the end of this session has not been recorded yet. ' +
        'Nothing is lost: it is kept on this device. Open the module again from your learning system on this ' +
        'device when you are back online, and it will carry on from where you stopped.',
      unreadable: 'Your saved progress could not be read, so you are starting from the beginning.'
    },
    readOnly: READ_ONLY
  };
})(window.CCM);
