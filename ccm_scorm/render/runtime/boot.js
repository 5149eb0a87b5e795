/* ccm-scorm learner runtime: start-up, loaded last. Reads the course data, picks the adapter
 * it names and starts the module or pathway package. If anything fails, says so in the page. */
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
    var CCM = window.CCM;
    if (!CCM || !CCM.startModule || !CCM.startPathway) throw new Error('the runtime did not load.');
    var data = document.getElementById('ccm-course');
    if (!data) throw new Error('the course data is missing.');
    var course = JSON.parse(data.textContent);
    CCM.useMessages(course.messages, course.plural);
    var factory = CCM.adapter(course.adapter);
    if (!factory) throw new Error('no adapter called "' + course.adapter + '" is included.');
    (course.kind === 'pathway' ? CCM.startPathway : CCM.startModule)(course, factory(course)).catch(showError);
  } catch (err) {
    showError(err);
  }
})();
