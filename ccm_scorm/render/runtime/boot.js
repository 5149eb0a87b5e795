/* ccm-scorm learner runtime: start-up. Reads the course data, picks the adapter it
 * names and starts the core. If anything fails, says so in the page. */
(function () {
  'use strict';
  function showError(err) {
    var main = document.getElementById('ccm-main') || document.body;
    var box = document.createElement('div');
    box.className = 'ccm-notice ccm-fatal';
    box.setAttribute('role', 'alert');
    var p = document.createElement('p');
    p.textContent = 'Sorry, this module could not start. Please close it and try again. ' +
      'If it still does not work, tell the person who gave you the link, and mention this message: ' +
      (err && err.message ? err.message : String(err));
    box.appendChild(p);
    main.insertBefore(box, main.firstChild);
    if (window.console) console.error(err);
  }
  try {
    document.documentElement.className += ' ccm-js';
    if (!window.CCM) throw new Error('the runtime (core.js) did not load.');
    var data = document.getElementById('ccm-course');
    if (!data) throw new Error('the course data is missing.');
    var course = JSON.parse(data.textContent);
    var factory = window.CCM.adapter(course.adapter);
    if (!factory) throw new Error('no adapter called "' + course.adapter + '" is included.');
    window.CCM.start(course, factory(course)).catch(showError);
  } catch (err) {
    showError(err);
  }
})();
