/* ccm-scorm learner runtime: start-up, loaded last. Reads the course data, picks the adapter
 * it names and starts the module or pathway package. If anything fails, says so in the page. */
(function () {
  'use strict';
  /* The course's own message (its JSON is read first, so this works even when the runtime did not
   * load); only when the course data itself cannot be read, a fixed text in the page's language. */
  var messages = {};
  var UNREADABLE = { cy: 'Mae\'n ddrwg gennym, nid oedd modd dechrau\'r modiwl hwn. Caewch ef a rhowch gynnig arall arni. ' +
    'Os nad yw\'n gweithio o hyd, rhowch wybod i\'r sawl a roddodd y ddolen i chi, gan s\u00f4n am y neges hon: {detail}',
    en: 'Sorry, this module could not start. Please close it and try again. ' +
    'If it still does not work, tell the person who gave you the link, and mention this message: {detail}' };
  function failedText(detail) {
    var text = messages['launch.failed'] || UNREADABLE[/^cy\b/i.test(document.documentElement.lang) ? 'cy' : 'en'];
    return text.replace('{detail}', detail);
  }
  function showError(err) {
    var main = document.getElementById('ccm-main') || document.body;
    var box = document.createElement('div');
    box.className = 'ccm-notice ccm-fatal';
    box.setAttribute('role', 'alert');
    var p = document.createElement('p');
    p.textContent = failedText(err && err.message ? err.message : String(err));
    box.appendChild(p);
    main.insertBefore(box, main.firstChild);
    if (window.console) console.error(err);
  }
  try {
    document.documentElement.className += ' ccm-js';
    var data = document.getElementById('ccm-course');
    if (!data) throw new Error('ccm-boot-no-course-data');
    var course = JSON.parse(data.textContent);
    messages = course.messages || {};
    var CCM = window.CCM;
    var start = CCM && (course.kind === 'pathway' ? CCM.startPathway : CCM.startModule);
    if (!start) throw new Error('ccm-boot-no-runtime');
    CCM.useMessages(course.messages, course.plural);
    var factory = CCM.adapter(course.adapter);
    if (!factory) throw new Error('ccm-boot-no-adapter-' + course.adapter);
    start(course, factory(course)).catch(showError);
  } catch (err) {
    showError(err);
  }
})();
