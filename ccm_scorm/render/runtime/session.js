/* ccm-scorm learner runtime: the session (CCM.session), what every view shares: the adapter
 * calls, the launch (saved state, mastery score, review/browse), the status line, notices,
 * the live regions, the page's events and the end of the session. One per page load, in
 * module and pathway packages alike. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, byId = dom.byId;

  function readOnlyMode(launch) { return launch.mode === 'browse' || launch.mode === 'review' ? launch.mode : null; }

  /* The status line says only what is true (docs/runtime.md, "What the learner is told"): nothing
   * until the learner has done something, "Saving…" while a write is on its way, "Progress saved at
   * 14:05" once the LMS or LRS has acknowledged everything. Adapters report {kind, message, code}:
   * saving, saved, device (kept on this device only), unsaved (not even there), connecting, offline
   * (a write failed: it is tried again), partial (the rest delivered, part refused), error,
   * not-recording. The last kind is also in #ccm-status[data-ccm-save], shown or not. */
  var QUIET = { saving: 1, saved: 1, device: 1 };
  function lineText(kind, time) {
    switch (kind) {
      case 'saving': return CCM.t('status.saving');
      case 'saved': return CCM.t('status.saved', { time: time });
      case 'device': return CCM.t('status.device', { time: time });
      case 'unsaved': return CCM.t('status.unsaved');
      case 'connecting': return CCM.t('status.connecting');
      case 'offline': return CCM.storage() ? CCM.t('status.waiting') : CCM.t('status.waiting_memory');
      case 'error': case 'partial': return CCM.t('status.not_saved');
      case 'not-recording': return CCM.t('status.not_recorded');
    }
    return '';
  }

  // The notice while the LMS or LRS cannot be reached: one, kept up to date with the last try, said
  // once; it turns into "All your progress is saved." when everything is delivered.
  function offlineNotice(s, code, time) {
    var box = byId('ccm-offline'), kept = !!CCM.storage();
    if (box && !box.hasAttribute('data-done')) {
      box.querySelector('.ccm-offline-try').textContent = CCM.t('status.offline_retry', { time: time });
      return;
    }
    if (box) box.parentNode.removeChild(box);
    box = make('div', { id: 'ccm-offline', 'class': 'ccm-notice ccm-notice-warning' }, [
      make('p', { 'class': 'ccm-notice-title', text: CCM.t('status.offline_title') }),
      make('p', {}, [kept ? CCM.t('status.offline_kept') : CCM.t('status.offline_memory'), ' ',
        make('span', { 'class': 'ccm-offline-try', text: CCM.t('status.offline_retry', { time: time }) })]),
      make('p', {}, [kept ? CCM.t('status.offline_do') : CCM.t('status.offline_do_memory'),
        kept ? ' ' + CCM.t('status.offline_dont') : '']),
      code ? make('p', { text: CCM.t('status.offline_code', { code: code }) }) : null]);
    byId('ccm-notices').appendChild(box);
    s.say('polite', box.textContent);
  }
  function offlineOver(s, kind) {
    var box = byId('ccm-offline');
    if (!box) return;
    var done = box.hasAttribute('data-done');
    // the "all saved" note goes at the next save; the warning goes when delivery ends partial (own notice)
    if (done ? kind === 'saving' : kind === 'partial') box.parentNode.removeChild(box);
    if (done || (kind !== 'saved' && kind !== 'device')) return;
    box.setAttribute('data-done', '');
    box.className = 'ccm-notice ccm-notice-done';
    dom.clear(box);
    box.appendChild(make('p', { text: CCM.t('status.all_saved') }));
    s.say('polite', box.textContent);
  }

  function messages(s) {
    var polite = byId('ccm-polite'), assertive = byId('ccm-assertive'), notices = {};
    s.say = function (which, text) {
      var region = which === 'assertive' ? assertive : polite;
      dom.clear(region);
      setTimeout(function () { region.textContent = text; }, 60);
    };
    s.notice = function (text) {
      if (notices[text]) return;
      notices[text] = true;
      byId('ccm-notices').appendChild(make('p', { 'class': 'ccm-notice', text: text }));
      s.say('assertive', text);
    };
    s.status = function (st) {
      var kind = (st = st || {}).kind, line = byId('ccm-status'), time = dom.clock(new Date(), s.lang);
      if (kind === 'offline') offlineNotice(s, st.code, time); else offlineOver(s, kind);
      if (kind === 'error' || st.message) s.notice(st.message || CCM.t('status.error'));
      if (kind === 'not-recording') {
        s.notice(CCM.t('status.not_recording') + (st.code ? ' ' + CCM.t('status.not_recording_code', { code: st.code }) : ''));
      }
      if (!line) return;
      line.setAttribute('data-ccm-save', kind || '');
      line.textContent = QUIET[kind] && (!s.acted || s.readOnly) ? '' : lineText(kind, time);
    };
  }

  // The learner's name: from the platform (fixed), else typed on this device (optional adapter methods).
  function names(s, adapter) {
    s.name = function () {
      var l = s.launch.learner;
      if (l && l.name) return { text: CCM.displayName(l.name), typed: false };
      var kept = typeof adapter.loadName === 'function' ? s.safe(function () { return adapter.loadName(); }) : null;
      if (!kept && s.typedName) kept = s.typedName;
      return { text: kept ? CCM.displayName(kept) : '', typed: true };
    };
    s.keepName = function (text) {
      s.typedName = text;
      if (typeof adapter.keepName === 'function') s.safe(function () { adapter.keepName(text); });
    };
  }

  /* open(course, what, decode) -> Promise<{launch, saved, entry, readOnly, mastery}>: starts the
   * adapter and reads what it launched with. `decode(text, mastery)` turns a saved state into
   * the view's own; a state that does not decode is dropped, and the learner told. */
  function launching(s, adapter) {
    s.open = function (course, what, decode) {
      s.lang = course.language;
      s.safe(function () { adapter.onStatus(s.status); });
      return Promise.resolve().then(function () { return adapter.start(course); }).then(function (l) {
        var launch = s.launch = l || {};
        var out = { launch: launch, saved: null, entry: 'ab-initio', readOnly: readOnlyMode(launch),
          mastery: typeof launch.masteryScore === 'number' ? Math.round(launch.masteryScore * 1000) / 10 : null };
        s.readOnly = out.readOnly;
        if (launch.state) {
          try {
            out.saved = decode(launch.state, out.mastery);
            s.lastSaved = launch.state;
            out.entry = 'resume';
          } catch (e) {
            s.notice(CCM.t('status.unreadable'));
          }
        }
        if (launch.recording === false) s.status({ kind: 'not-recording', code: launch.code });
        if (out.readOnly) s.notice(CCM.readOnlyNotice(out.readOnly, what));
        return out;
      });
    };
  }

  /* finish(reason, finished) -> null when already ended, else Promise<true|false|null>: true when the
   * platform has everything, false when it could not be told everything (what is left stays on this
   * device for the next launch), null when there is no platform to tell (standalone, not recording).
   * showEnd(title, closing): the end screen, then back to the platform once it has everything.
   * <html data-ccm-session> says where the end of the session is: "closing" while the platform is
   * being told, then "closed" (it has everything, or there is none) or "kept" (the rest waits here). */
  function ending(s, adapter) {
    s.finish = function (reason, finished) {
      if (s.ended) return null;
      s.record({ type: 'exit', finished: finished, durationMs: Date.now() - s.t0 });
      s.ended = true;
      return Promise.resolve(s.safe(function () { return adapter.finish(reason); })).then(function (told) {
        return told === false || told === true ? told : null;
      }, function () { return false; });
    };
    s.showEnd = function (title, closing) {
      var end = byId('ccm-end');
      end.hidden = false;
      document.title = CCM.t('status.end_title', { title: title });
      end.querySelector('h1').focus();
      leaveTo(s, closing);
    };
  }
  function leaveTo(s, closing) {
    var html = document.documentElement;
    html.setAttribute('data-ccm-session', 'closing');
    closing.then(function (told) {
      html.setAttribute('data-ccm-session', told === false ? 'kept' : 'closed');
      if (told) s.status({ kind: 'saved' });
      if (told !== false) {
        if (s.launch.returnURL) window.location.assign(s.launch.returnURL);
        return;
      }
      var box = byId('ccm-offline');
      if (box) box.parentNode.removeChild(box);
      s.notice(CCM.t('status.unsent'));
      if (s.launch.returnURL) {
        var back = make('p', {});
        back.appendChild(make('a', { href: s.launch.returnURL, text: CCM.t('status.back') }));
        byId('ccm-notices').appendChild(back);
      }
    });
  }

  // The page's clicks, form submissions and leaving; the contents toggle is handled here.
  function events(s) {
    s.bind = function (onClick, onSubmit, onFinish) {
      document.addEventListener('click', function (e) {
        if (s.ended) return;
        s.acted = true; // from now on the status line shows what is saved
        var t = e.target.closest('a[data-view], a[data-menu], button');
        if (!t || t.hasAttribute('download')) return;
        if (t.matches('a[data-view], a[data-menu]')) e.preventDefault();
        if (t.id === 'ccm-toc-toggle') {
          var open = byId('ccm-toc').classList.toggle('ccm-toc-open');
          t.setAttribute('aria-expanded', String(open));
          return;
        }
        onClick(t);
      });
      document.addEventListener('submit', function (e) {
        e.preventDefault();
        s.acted = true;
        if (!s.ended) onSubmit(e.target);
      });
      window.addEventListener('pagehide', function () { onFinish('pagehide'); });
      window.addEventListener('pageshow', function (e) { if (e.persisted && s.ended) window.location.reload(); });
      document.documentElement.classList.add('ccm-ready'); // started: the controls now work
    };
  }

  CCM.session = function (adapter) {
    var s = { ended: false, acted: false, readOnly: null, t0: Date.now(), lastSaved: null, launch: {} };
    s.safe = function (fn) { try { return fn(); } catch (e) { s.status({ kind: 'error' }); } };
    s.record = function (ev) { ev.time = new Date().toISOString(); s.safe(function () { adapter.record(ev); }); };
    s.save = function (text, location) {
      if (s.ended || text === s.lastSaved) return;
      s.lastSaved = text;
      s.safe(function () { adapter.save(text, location); });
    };
    messages(s);
    names(s, adapter);
    launching(s, adapter);
    ending(s, adapter);
    events(s);
    return s;
  };
})(window.CCM);
