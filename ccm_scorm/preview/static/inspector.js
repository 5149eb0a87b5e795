/* ccm preview: the module page. Loads the learner frame from the current build, reloads it
 * when the source changes (Server-Sent Events from /preview-api/events), shows the source's
 * errors instead of the module until they are fixed, and shows beside it what the selected
 * package format records: the SCORM data model and calls (preview-lms.js), the statements
 * and State documents in the preview LRS (xAPI, cmi5), or the device copy (offline web).
 */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('pv-config').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var frame = $('pv-frame'), live = $('pv-live');
  var unit = null, generation = 0, shownGeneration = -1, shownHash = null, lms = null, records = null;
  var frameUrl = null, renderTimer = null, busy = false;
  var ORIGIN = window.location.origin;
  var ACTOR = { objectType: 'Agent', name: 'Preview learner', account: { homePage: ORIGIN, name: 'preview-learner' } };
  var AUTH = 'Basic cHJldmlldzpwcmV2aWV3';
  var LIMIT_FOR_COMPARISON = 4096;

  function say(text) {
    live.textContent = '';
    window.setTimeout(function () { live.textContent = text; }, 50);
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function storageKey(what) { return 'ccm-preview:' + what + ':' + config.target + ':' + config.kind + ':' + config.id; }

  /* ------------------------------------------------------------ registration (xAPI, cmi5) */
  function uuid() {
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  function registration(fresh) {
    var key = storageKey('registration'), value = null;
    try { value = window.localStorage.getItem(key); } catch (e) { value = null; }
    if (!value || fresh) {
      value = uuid();
      try { window.localStorage.setItem(key, value); } catch (e) { /* kept for this page only */ }
    }
    return value;
  }

  /* ------------------------------------------------------------ the learner frame */
  function launchUrl() {
    var url = unit.learnUrl + '?preview=' + generation;
    var q = function (k, v) { url += '&' + encodeURIComponent(k) + '=' + encodeURIComponent(v); };
    if (config.lrs) {
      var reg = registration(false);
      q('endpoint', ORIGIN + '/preview-lrs/');
      q('actor', JSON.stringify(ACTOR));
      q('registration', reg);
      if (config.launch === 'xapi') {
        q('auth', AUTH);
        q('activity_id', unit.iri);
      } else {
        q('fetch', ORIGIN + '/preview-lrs/fetch?registration=' + encodeURIComponent(reg));
        q('activityId', unit.iri);
      }
    }
    return url;
  }
  // Take the learner's page away first (its pagehide saves and ends the session, as when a
  // learner closes the window), then do `next`.
  function blankThen(next) {
    if (!frameUrl) { next(); return; }
    frameUrl = null;
    var done = false;
    var go = function () {
      if (done) return;
      done = true;
      frame.removeEventListener('load', go);
      if (lms) lms.closeSession();
      // let the last requests of the page that left (keepalive statements, state) arrive first
      window.setTimeout(next, config.lrs ? 300 : 30);
    };
    frame.addEventListener('load', go);
    window.setTimeout(go, 1500);
    frame.src = 'about:blank';
  }
  function loadFrame() {
    if (!unit) return;
    frameUrl = launchUrl();
    shownGeneration = generation;
    frame.hidden = false;
    frame.src = frameUrl;
  }
  function forgetDevice(alsoRegistration) {
    var id = config.id;
    var related = function (key) {
      if (key.indexOf('ccm:') !== 0) return false;
      var parts = key.split(/[:|]/);
      return parts.indexOf(id) >= 0 || (alsoRegistration && key.indexOf(alsoRegistration) >= 0);
    };
    [window.localStorage, window.sessionStorage].forEach(function (store) {
      try {
        var keys = [];
        for (var i = 0; i < store.length; i++) keys.push(store.key(i));
        keys.forEach(function (key) {
          if (related(key) || key.indexOf('ccm:cmi5:token:') === 0) store.removeItem(key);
        });
      } catch (e) { /* storage blocked: nothing kept there */ }
    });
  }

  /* ------------------------------------------------------------ status of the source */
  function showProblems(status) {
    var box = $('pv-problems'), list = $('pv-problem-list');
    clear(list);
    status.errors.forEach(function (p) {
      var li = el('li');
      li.appendChild(el('strong', p.file + (p.line ? ', line ' + p.line : ''), 'pv-where'));
      li.appendChild(document.createTextNode(': ' + p.message + '.'));
      if (p.fix) li.appendChild(el('span', ' How to fix it: ' + p.fix, 'pv-fix'));
      list.appendChild(li);
    });
    $('pv-problems-title').textContent = 'The source has ' + status.errors.length + ' error' +
      (status.errors.length === 1 ? '' : 's');
    box.hidden = false;
  }
  function hideFrame() {
    frame.hidden = true;
    if (frameUrl) blankThen(function () {});
  }
  function apply(status) {
    var previous = generation;
    generation = status.generation;
    $('pv-unavailable').hidden = true;
    if (!status.ok) {
      showProblems(status);
      hideFrame();
      say('The source has ' + status.errors.length + ' error' + (status.errors.length === 1 ? '' : 's') +
        ': ' + status.errors.map(function (p) { return p.file + (p.line ? ', line ' + p.line : '') + ': ' + p.message; })
        .join('; '));
      return;
    }
    $('pv-problems').hidden = true;
    if (!status.unit) {
      $('pv-unavailable-text').textContent = 'This ' + config.kind + ' cannot be shown: ' + (status.unitProblem || 'unknown reason') +
        (status.unitProblemKind === 'NotAvailable' ? '. This is not available yet; choose “Offline web” above to see it.' : '.');
      $('pv-unavailable').hidden = false;
      hideFrame();
      say($('pv-unavailable-text').textContent);
      return;
    }
    unit = status.unit;
    $('pv-unit-title').textContent = unit.title;
    frame.title = 'Learner view: ' + unit.title;
    if (config.scorm) {
      if (!lms) {
        lms = window.CCMPreviewLms.create({ edition: config.scorm, storageKey: storageKey('lms'),
          preload: unit.scorm || {}, onChange: scheduleRender });
        window[lms.global] = lms.api;
      } else {
        lms.refreshPreload(unit.scorm || {});
      }
    }
    if (shownHash !== unit.hash || !frameUrl) {
      var rebuilt = shownGeneration >= 0 && previous !== generation;
      shownHash = unit.hash;
      blankThen(loadFrame);
      if (rebuilt) say('Rebuilt at ' + status.checkedAt + ' from your changes.');
    }
    scheduleRender();
  }
  function refresh() {
    var url = '/preview-api/status?target=' + encodeURIComponent(config.target) + '&kind=' +
      encodeURIComponent(config.kind) + '&id=' + encodeURIComponent(config.id);
    return fetch(url, { cache: 'no-store' }).then(function (r) { return r.json(); }).then(apply, function () {
      say('The preview server is not answering. Is “ccm preview” still running?');
    });
  }

  /* ------------------------------------------------------------ the preview LRS */
  function loadRecords() {
    if (!config.lrs) return Promise.resolve();
    return fetch('/preview-api/records?registration=' + encodeURIComponent(registration(false)), { cache: 'no-store' })
      .then(function (r) { return r.json(); })
      .then(function (data) { records = data; scheduleRender(); }, function () {});
  }

  /* ------------------------------------------------------------ rendering the inspector */
  function scheduleRender() {
    if (renderTimer) return;
    renderTimer = window.setTimeout(function () { renderTimer = null; render(); }, 120);
  }
  function showSize(length, limit, what) {
    var text = what + ': ' + length + ' character' + (length === 1 ? '' : 's');
    var reference = limit || LIMIT_FOR_COMPARISON;
    if (limit) text += ' of the ' + limit + ' allowed (' + Math.round(100 * length / limit) + '%)';
    else text += ' (no fixed limit here; SCORM 1.2 would allow ' + LIMIT_FOR_COMPARISON + ')';
    text += '.';
    if (unit && unit.worstCase) {
      text += ' The longest it can get for this ' + config.kind + ' is ' + unit.worstCase + ' characters' +
        (limit && unit.worstCase > limit ? ', which is too long: the LMS may refuse it and resume would fail.' : '.');
    }
    $('pv-size').textContent = text;
    var fill = $('pv-bar-fill');
    fill.style.width = Math.min(100, 100 * length / reference) + '%';
    fill.className = 'pv-bar-fill' + (limit && length > limit ? ' pv-over' : '');
  }
  function naturalCompare(a, b) {
    var ax = a.split(/(\d+)/), bx = b.split(/(\d+)/);
    for (var i = 0; i < Math.min(ax.length, bx.length); i++) {
      if (ax[i] === bx[i]) continue;
      var an = parseInt(ax[i], 10), bn = parseInt(bx[i], 10);
      if (!isNaN(an) && !isNaN(bn)) return an - bn;
      return ax[i] < bx[i] ? -1 : 1;
    }
    return ax.length - bx.length;
  }
  function keepScroll(table, fill) {
    var box = table.parentNode, atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 8;
    fill();
    if (atEnd) box.scrollTop = box.scrollHeight;
  }
  function quote(v) { return v === undefined ? '' : JSON.stringify(String(v)); }

  function renderScorm() {
    var values = lms.values(), body = $('pv-cmi').tBodies[0];
    clear(body);
    Object.keys(values).sort(naturalCompare).forEach(function (key) {
      var tr = el('tr');
      tr.appendChild(el('th', key)).setAttribute('scope', 'row');
      tr.appendChild(el('td', values[key], 'pv-value'));
      body.appendChild(tr);
    });
    var calls = $('pv-calls').tBodies[0], withChecks = $('pv-show-errors').checked;
    keepScroll($('pv-calls'), function () {
      clear(calls);
      lms.log().filter(function (c) { return withChecks || !c.check; }).slice(-400).forEach(function (c) {
        var tr = el('tr', null, c.result === 'false' ? 'pv-failed' : '');
        tr.appendChild(el('td', String(c.n)));
        tr.appendChild(el('td', c.name + '(' + c.args.map(quote).join(', ') + ')', 'pv-value'));
        var answer = quote(c.result);
        if (!c.check && c.error && c.error !== '0') answer += ' — error ' + c.error;
        tr.appendChild(el('td', answer, 'pv-value'));
        calls.appendChild(tr);
      });
    });
    var suspend = values[lms.suspendElement] || '';
    showSize(suspend.length, config.limit, lms.suspendElement);
    var committed = lms.lastCommit();
    $('pv-help').textContent = (lms.running() ? 'A session is open.' : 'No session is open.') +
      (committed ? ' Last saved by the LMS at ' + new Date(committed).toLocaleTimeString('en-GB') + '.' : '');
  }

  function langText(map) {
    if (!map || typeof map !== 'object') return '';
    return map['en-GB'] || map['en-US'] || map.en || map[Object.keys(map)[0]] || '';
  }
  function resultText(r) {
    if (!r) return '';
    var parts = [];
    if (r.success !== undefined) parts.push(r.success ? 'success' : 'no success');
    if (r.completion !== undefined) parts.push(r.completion ? 'complete' : 'not complete');
    if (r.score) {
      if (r.score.raw !== undefined) parts.push('score ' + r.score.raw + (r.score.max !== undefined ? '/' + r.score.max : ''));
      else if (r.score.scaled !== undefined) parts.push('scaled score ' + r.score.scaled);
    }
    if (r.response !== undefined) parts.push('response ' + JSON.stringify(r.response));
    if (r.duration) parts.push(r.duration);
    return parts.join(', ');
  }
  function competencies(s) {
    var other = ((s.context || {}).contextActivities || {}).other || [];
    return other.filter(function (a) { return a && a.definition && /\/objective$/.test(a.definition.type || ''); })
      .map(function (a) { return langText(a.definition.name) || a.id; }).join('; ');
  }
  // Statements the LRS refused as invalid: the runtime sets them aside on the device (…:rejected).
  function refusedStatements() {
    var out = [];
    try {
      var store = window.localStorage;
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (/^ccm:outbox:.*:rejected$/.test(key || '') && key.indexOf(registration(false)) >= 0) {
          out = out.concat(JSON.parse(store.getItem(key) || '[]'));
        }
      }
    } catch (e) { /* storage blocked: nothing to show */ }
    return out;
  }
  function renderRefused() {
    var box = $('pv-refused'), refused = refusedStatements();
    if (!box) return;
    clear(box);
    box.hidden = !refused.length;
    if (!refused.length) return;
    box.appendChild(el('p', refused.length + (refused.length === 1 ? ' statement was' : ' statements were') +
      ' refused by the LRS and set aside on this device (they will not be sent again):'));
    var list = el('ul');
    refused.forEach(function (r) {
      var verb = (r.statement && r.statement.verb) || {};
      list.appendChild(el('li', (langText(verb.display) || verb.id || 'statement') + ': HTTP ' + r.status +
        (r.answer ? ' – ' + r.answer : '')));
    });
    box.appendChild(list);
  }
  function renderLrs() {
    if (!records) return;
    var body = $('pv-statements').tBodies[0], statements = records.statements || [];
    $('pv-statement-count').textContent = statements.length ? statements.length + ' statement' +
      (statements.length === 1 ? '' : 's') + ' for this registration (' + registration(false) + ').' : 'No statements yet.';
    renderRefused();
    keepScroll($('pv-statements'), function () {
      clear(body);
      statements.forEach(function (s, i) {
        var tr = el('tr'), verb = s.verb || {}, object = s.object || {};
        tr.appendChild(el('td', String(i + 1)));
        tr.appendChild(el('td', langText(verb.display) || verb.id || '', 'pv-verb'));
        var cell = el('td');
        cell.appendChild(el('span', langText((object.definition || {}).name) || object.id || ''));
        var details = el('details'), summary = el('summary', 'Raw JSON');
        details.appendChild(summary);
        details.appendChild(el('pre', JSON.stringify(s, null, 2), 'pv-json'));
        cell.appendChild(details);
        tr.appendChild(cell);
        tr.appendChild(el('td', resultText(s.result)));
        tr.appendChild(el('td', competencies(s)));
        body.appendChild(tr);
      });
    });
    var docs = records.documents || [], box = $('pv-documents'), stateLength = 0;
    clear(box);
    if (!docs.length) box.appendChild(el('p', 'None yet.'));
    docs.forEach(function (d) {
      var details = el('details');
      details.appendChild(el('summary', d.stateId + ' (' + d.size + ' bytes)'));
      details.appendChild(el('pre', JSON.stringify(d.document, null, 2), 'pv-json'));
      box.appendChild(details);
      if (d.document && typeof d.document.state === 'string') stateLength = d.document.state.length;
    });
    showSize(stateLength, null, 'The saved state in the State API document');
  }
  function renderDevice() {
    if (!unit) return;
    var key = 'ccm:' + (config.kind === 'pathway' ? 'pathway:' : '') + unit.id + ':' + unit.version, value = null;
    try { value = window.localStorage.getItem(key); } catch (e) { value = null; }
    var list = $('pv-device');
    clear(list);
    list.appendChild(el('dt', 'Key'));
    list.appendChild(el('dd', key, 'pv-value'));
    list.appendChild(el('dt', 'Saved progress'));
    list.appendChild(el('dd', value === null ? '(nothing yet)' : value, 'pv-value'));
    showSize(value ? value.length : 0, null, 'The saved progress');
  }
  function render() {
    if (lms) renderScorm();
    else if (config.lrs) renderLrs();
    else if (!config.launch) renderDevice();
  }

  /* ------------------------------------------------------------ buttons */
  function guard(fn) {
    return function () {
      if (busy || !unit) return;
      busy = true;
      fn(function () { busy = false; });
    };
  }
  $('pv-reset').addEventListener('click', guard(function (done) {
    blankThen(function () {
      var finish = function () {
        if (lms) lms.reset();
        forgetDevice(config.lrs ? registration(false) : null);
        if (config.lrs) { registration(true); records = { statements: [], documents: [] }; }
        loadFrame();
        loadRecords();
        scheduleRender();
        say('Progress reset: the ' + config.kind + ' starts again from the beginning, as for a new learner.');
        done();
      };
      if (config.lrs) {
        fetch('/preview-api/reset?registration=' + encodeURIComponent(registration(false)), { method: 'POST' })
          .then(finish, finish);
      } else {
        finish();
      }
    });
  }));
  $('pv-resume').addEventListener('click', guard(function (done) {
    blankThen(function () {
      if (lms) lms.resumeNext();
      try {
        for (var i = window.sessionStorage.length - 1; i >= 0; i--) {
          var key = window.sessionStorage.key(i);
          if (key && key.indexOf('ccm:cmi5:token:') === 0) window.sessionStorage.removeItem(key);
        }
      } catch (e) { /* nothing kept */ }
      loadFrame();
      say('The learner closed the ' + config.kind + ' and opened it again' +
        (config.lrs ? ' with the same registration.' : lms ? ' (entry “resume”).' : '.'));
      done();
    });
  }));
  var checks = $('pv-show-errors');
  if (checks) checks.addEventListener('change', scheduleRender);
  $('pv-help').textContent = config.scorm ? 'The module talks to a small preview LMS in this page.'
    : config.lrs ? 'The module sends its statements to a preview LRS in “ccm preview”.'
    : 'The offline web package keeps progress on the device only.';

  /* ------------------------------------------------------------ live updates */
  window.addEventListener('storage', scheduleRender);
  if (!config.launch) window.setInterval(scheduleRender, 1000);
  if (window.EventSource) {
    var events = new EventSource('/preview-api/events');
    events.addEventListener('build', function (e) {
      var g = JSON.parse(e.data).generation;
      if (g !== generation) refresh();
    });
    events.addEventListener('lrs', function () { loadRecords(); });
  } else {
    window.setInterval(function () { refresh(); loadRecords(); }, 1000);
  }
  refresh().then(loadRecords);
})();
