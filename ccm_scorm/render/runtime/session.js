/* ccm-scorm learner runtime: the session (CCM.session), what every view shares: the adapter
 * calls, the launch (saved state, mastery score, review/browse), the status line, notices,
 * the live regions, the page's events and the end of the session. One per page load, in
 * module and pathway packages alike. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, byId = dom.byId, TEXT = CCM.text;

  function readOnlyMode(launch) { return launch.mode === 'browse' || launch.mode === 'review' ? launch.mode : null; }

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
      st = st || {};
      var line = byId('ccm-status');
      if (line) line.textContent = TEXT.status[st.kind] || '';
      if (st.kind === 'error' || st.kind === 'not-recording') s.notice(st.message || TEXT.notice[st.kind]);
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
      s.safe(function () { adapter.onStatus(s.status); });
      return Promise.resolve().then(function () { return adapter.start(course); }).then(function (l) {
        var launch = s.launch = l || {};
        var out = { launch: launch, saved: null, entry: 'ab-initio', readOnly: readOnlyMode(launch),
          mastery: typeof launch.masteryScore === 'number' ? Math.round(launch.masteryScore * 1000) / 10 : null };
        if (launch.state) {
          try {
            out.saved = decode(launch.state, out.mastery);
            s.lastSaved = launch.state;
            out.entry = 'resume';
          } catch (e) {
            s.status({ kind: 'error', message: TEXT.notice.unreadable });
          }
        }
        if (launch.recording === false) s.status({ kind: 'not-recording' });
        if (out.readOnly) s.notice(TEXT.readOnly[out.readOnly].notice(what));
        return out;
      });
    };
  }

  /* finish(reason, finished) -> null when already ended, else Promise<boolean>: false when the
   * platform could not be told everything (what is left stays on this device for the next launch).
   * showEnd(title, closing): the end screen, then back to the platform once it has everything.
   * <html data-ccm-session> says where the end of the session is: "closing" while the platform is
   * being told, then "closed" (it has everything) or "kept" (the rest waits on this device). */
  function ending(s, adapter) {
    s.finish = function (reason, finished) {
      if (s.ended) return null;
      s.record({ type: 'exit', finished: finished, durationMs: Date.now() - s.t0 });
      s.ended = true;
      return Promise.resolve(s.safe(function () { return adapter.finish(reason); })).then(function (told) {
        return told !== false;
      }, function () { return false; });
    };
    s.showEnd = function (title, closing) {
      var end = byId('ccm-end');
      end.hidden = false;
      document.title = 'Finished – ' + title;
      end.querySelector('h1').focus();
      leaveTo(s, closing);
    };
  }
  function leaveTo(s, closing) {
    var status = byId('ccm-status'), html = document.documentElement;
    if (status) status.textContent = TEXT.status.saving || '';
    html.setAttribute('data-ccm-session', 'closing');
    closing.then(function (told) {
      html.setAttribute('data-ccm-session', told ? 'closed' : 'kept');
      if (told) {
        if (status) status.textContent = TEXT.status.saved || '';
        if (s.launch.returnURL) window.location.assign(s.launch.returnURL);
        return;
      }
      if (status) status.textContent = '';
      s.notice(TEXT.notice.unsent);
      if (s.launch.returnURL) {
        var back = make('p', {});
        back.appendChild(make('a', { href: s.launch.returnURL, text: 'Go back to your learning system' }));
        byId('ccm-notices').appendChild(back);
      }
    });
  }

  // The page's clicks, form submissions and leaving; the contents toggle is handled here.
  function events(s) {
    s.bind = function (onClick, onSubmit, onFinish) {
      document.addEventListener('click', function (e) {
        if (s.ended) return;
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
        if (!s.ended) onSubmit(e.target);
      });
      window.addEventListener('pagehide', function () { onFinish('pagehide'); });
      window.addEventListener('pageshow', function (e) { if (e.persisted && s.ended) window.location.reload(); });
      document.documentElement.classList.add('ccm-ready'); // started: the controls now work
    };
  }

  CCM.session = function (adapter) {
    var s = { ended: false, t0: Date.now(), lastSaved: null, launch: {} };
    s.safe = function (fn) { try { return fn(); } catch (e) { s.status({ kind: 'error', message: TEXT.notice.error }); } };
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
