/* ccm preview: the catalogue page. When the source changes, the list (or the errors that
 * stop it) is fetched again and replaced in place, and the change is announced. */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('pv-config').textContent);
  var generation = config.generation, live = document.getElementById('pv-live');
  function update() {
    fetch(window.location.href, { cache: 'no-store' }).then(function (r) { return r.text(); }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var fresh = doc.getElementById('pv-catalogue'), here = document.getElementById('pv-catalogue');
      if (!fresh || !here) return;
      var focused = document.activeElement, href = focused && here.contains(focused) ? focused.getAttribute('href') : null;
      here.innerHTML = fresh.innerHTML;
      if (href) {
        var again = here.querySelector('a[href="' + href.replace(/"/g, '\\"') + '"]');
        if (again) again.focus();
      }
      var errors = here.querySelectorAll('.pv-problem-list li').length;
      live.textContent = errors ? 'The source has ' + errors + ' error' + (errors === 1 ? '' : 's') + '.'
        : 'Catalogue updated at ' + new Date().toLocaleTimeString('en-GB') + '.';
    }, function () { live.textContent = 'The preview server is not answering. Is “ccm preview” still running?'; });
  }
  if (window.EventSource) {
    new EventSource('/preview-api/events').addEventListener('build', function (e) {
      var g = JSON.parse(e.data).generation;
      if (g !== generation) { generation = g; update(); }
    });
  }
})();
