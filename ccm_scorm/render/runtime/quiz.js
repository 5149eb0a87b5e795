/* ccm-scorm learner runtime: the quiz view of a module (CCM.quiz), in #ccm-quiz.
 * Each function takes `m`, the module view (module-view.js): {course, st, host, sess, qs,
 * K (questions per attempt), maxAttempt, done, work, shownAt, passMark(), record(ev), save()}. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, byId = dom.byId, button = dom.button, scoring = CCM.scoring;
  var READ_ONLY = CCM.text.readOnly;

  function heading(text) { byId('ccm-quiz-title').textContent = text; return text; }
  function questionsText(K) { return 'This quiz has ' + K + (K === 1 ? ' question' : ' questions'); }
  function attemptsText(m) {
    if (m.course.attempts > 0) return 'You can take it ' + (m.maxAttempt === 1 ? 'once.' : 'up to ' + m.maxAttempt + ' times.');
    return 'You can take it as many times as you need.';
  }

  // A module finished earlier in a pathway: its result, collapsed.
  function renderDone(m, body) {
    var done = m.done;
    body.appendChild(make('p', { 'class': 'ccm-score', text: 'You scored ' + done.score + '%. The pass mark is ' + m.passMark() + '%.' }));
    body.appendChild(make('p', { 'class': 'ccm-outcome ' + (done.passed ? 'ccm-right' : 'ccm-wrong'),
      text: done.passed ? '✓ You have passed this module.' : '✗ You did not pass this module, and you have no attempts left.' }));
    var actions = make('div', { 'class': 'ccm-actions' });
    if (m.host.certificate) actions.appendChild(button(m.host.certificate.label, 'certificate'));
    actions.appendChild(button(m.host.leaveLabel, 'exit', m.host.certificate ? 'ccm-button ccm-secondary' : 'ccm-button'));
    body.appendChild(actions);
    return heading('Quiz results');
  }
  function renderIntro(m, body) {
    if (m.host.readOnly) {
      body.appendChild(make('p', { text: questionsText(m.K) +
        '. You can try it for practice, but your answers will not be saved and will not change your result.' }));
      body.appendChild(make('p', { text: READ_ONLY[m.host.readOnly].again }));
      body.appendChild(button('Start the practice quiz', 'begin'));
      return heading('Practice quiz');
    }
    body.appendChild(make('p', { text: questionsText(m.K) + '. You need ' + m.passMark() + '% or more to pass. ' + attemptsText(m) }));
    body.appendChild(make('p', { text: 'You will see whether each answer is right, and why, as you go.' }));
    body.appendChild(button('Start the quiz', 'begin'));
    return heading('Quiz');
  }

  function render(m) {
    var body = byId('ccm-quiz-body');
    dom.clear(body);
    if (m.done) return renderDone(m, body);
    if (!m.st.attempt) return renderIntro(m, body);
    body.appendChild(questionForm(m));
    return heading('Question ' + (m.st.qpos + 1) + ' of ' + m.K);
  }

  function questionForm(m) {
    var st = m.st, pos = st.qpos, q = m.qs[st.draw[pos]], a = st.answers[pos], locked = a !== null && a !== undefined;
    var id = 'ccm-q' + pos, err = id + '-error';
    var form = make('form', { 'class': 'ccm-question', id: id + '-form', novalidate: true, 'data-pos': pos, 'data-question': q.id });
    form.appendChild(answerControls(m, q, a, locked, id, err));
    form.appendChild(make('p', { 'class': 'ccm-error', id: err, hidden: true }));
    if (locked) {
      var ok = scoring.isCorrect(q, a), parts = feedback(q, a, ok);
      form.appendChild(make('div', { 'class': 'ccm-feedback ' + (ok ? 'ccm-right' : 'ccm-wrong') },
        [make('p', { 'class': 'ccm-verdict', text: parts[0] })].concat(parts.slice(1).map(function (t) { return make('p', { text: t }); }))));
      form.appendChild(pos < m.K - 1 ? button('Next question', 'next-question') : button('See your results', 'submit'));
    } else {
      form.appendChild(make('button', { type: 'submit', 'class': 'ccm-button', text: 'Check answer' }));
      m.shownAt = Date.now();
    }
    return form;
  }

  function answerControls(m, q, a, locked, id, err) {
    if (q.type === 'short-text') return shortText(q, a, locked, id, err);
    var fs = make('fieldset', { 'aria-describedby': err }, [make('legend', { 'class': 'ccm-prompt', text: q.prompt })]);
    function choice(type, i, label, checked) {
      var input = make('input', { type: type, name: id, id: id + '-' + i, value: i, checked: checked, disabled: locked });
      return make('div', { 'class': checked ? 'ccm-choice ccm-chosen' : 'ccm-choice' }, [input,
        make('label', { 'for': id + '-' + i }, [label, checked ? make('strong', { 'class': 'ccm-yours', text: ' (your answer)' }) : null])]);
    }
    if (q.type === 'single' || q.type === 'multiple') {
      if (q.type === 'multiple') fs.appendChild(make('p', { 'class': 'ccm-hint', text: 'Choose all that apply.' }));
      q.options.forEach(function (o, i) {
        var on = locked && (q.type === 'single' ? a === i : a.indexOf(i) >= 0);
        fs.appendChild(choice(q.type === 'single' ? 'radio' : 'checkbox', i, o.text, on));
      });
    } else if (q.type === 'true-false') {
      fs.appendChild(choice('radio', 't', 'True', locked && a === true));
      fs.appendChild(choice('radio', 'f', 'False', locked && a === false));
    } else if (q.type === 'matching') {
      matching(m, q, a, locked, id, fs);
    } else if (q.type === 'ordering') {
      var st = m.st, work = m.work;
      if (!locked && (!work || work.pos !== st.qpos || work.attempt !== st.attempt)) {
        m.work = { pos: st.qpos, attempt: st.attempt, order: CCM.shuffleFor(st.attempt, q, q.items.length) };
      }
      fs.appendChild(make('p', { 'class': 'ccm-hint', text: locked ? 'Your order:' : 'Use the Move up and Move down buttons to put the list in order, first at the top.' }));
      fs.appendChild(orderList(q, locked ? a : m.work.order, locked, id));
    }
    return fs;
  }
  function matching(m, q, a, locked, id, fs) {
    fs.appendChild(make('p', { 'class': 'ccm-hint', text: 'Choose the best match for each one.' }));
    var targets = scoring.matchTargets(q), order = CCM.shuffleFor(m.st.attempt, q, targets.length);
    q.pairs.forEach(function (p, s) {
      var sel = make('select', { id: id + '-' + s, disabled: locked },
        [make('option', { value: '', text: 'Choose…' })].concat(order.map(function (t) {
          return make('option', { value: t, text: targets[t].text, selected: locked && a[s] === t });
        })));
      fs.appendChild(make('div', { 'class': 'ccm-match' }, [make('label', { 'for': id + '-' + s, text: p.prompt }), sel]));
    });
  }
  function shortText(q, a, locked, id, err) {
    var max = scoring.maxLengthOf(q);
    return make('div', { 'class': 'ccm-short' }, [
      make('label', { 'for': id + '-text', 'class': 'ccm-prompt', text: q.prompt }),
      make('p', { 'class': 'ccm-hint', id: id + '-hint', text: 'Type your answer (up to ' + max + ' characters).' }),
      make('input', { type: 'text', id: id + '-text', maxlength: max, autocomplete: 'off', spellcheck: 'false',
        'aria-describedby': id + '-hint ' + err, disabled: locked, value: locked ? a : null })]);
  }

  function orderList(q, order, locked, id) {
    var ol = make('ol', { 'class': 'ccm-order', id: id + '-order' });
    order.forEach(function (item, p) {
      var text = q.items[item].text, li = make('li', { 'class': 'ccm-order-item' }, [make('span', { 'class': 'ccm-order-text', text: text })]);
      if (!locked) {
        var up = make('button', { type: 'button', 'class': 'ccm-move', 'data-action': 'move', 'data-dir': '-1', 'data-item': item,
          'aria-disabled': p === 0 ? 'true' : null }, ['Move up', dom.srOnly(': ' + text)]);
        var down = make('button', { type: 'button', 'class': 'ccm-move', 'data-action': 'move', 'data-dir': '1', 'data-item': item,
          'aria-disabled': p === order.length - 1 ? 'true' : null }, ['Move down', dom.srOnly(': ' + text)]);
        li.appendChild(make('span', { 'class': 'ccm-move-buttons' }, [up, down]));
      }
      ol.appendChild(li);
    });
    return ol;
  }
  function move(m, btn) {
    var st = m.st, q = m.qs[st.draw[st.qpos]], item = +btn.getAttribute('data-item'), dir = +btn.getAttribute('data-dir');
    var order = m.work.order, p = order.indexOf(item), to = p + dir, text = q.items[item].text;
    if (to < 0 || to >= order.length) {
      m.sess.say('polite', text + (to < 0 ? ' is already first.' : ' is already last.'));
      return;
    }
    order[p] = order[to]; order[to] = item;
    var old = byId('ccm-q' + st.qpos + '-order');
    old.parentNode.replaceChild(orderList(q, order, false, 'ccm-q' + st.qpos), old);
    var again = document.querySelector('#ccm-q' + st.qpos + '-order button[data-item="' + item + '"][data-dir="' + dir + '"]');
    if (again) again.focus();
    m.sess.say('polite', text + ': now number ' + (to + 1) + ' of ' + order.length + '.');
  }

  function feedback(q, a, ok) {
    var parts = [ok ? '✓ Correct.' : '✗ Not quite right.'];
    var fb = q.feedback, t = typeof fb === 'string' ? fb : fb ? (ok ? fb.correct : fb.incorrect) : '';
    if (t) parts.push(t);
    if (q.type === 'single' || q.type === 'multiple') {
      (q.type === 'single' ? [a] : a).forEach(function (i) {
        var o = q.options[i];
        if (o.feedback) parts.push('You chose “' + o.text + '”: ' + o.feedback);
      });
    }
    return parts;
  }
  function readAnswer(m, q, form) {
    var id = 'ccm-q' + m.st.qpos;
    if (q.type === 'single' || q.type === 'true-false') {
      var on = form.querySelector('input:checked');
      if (!on) return { missing: q.type === 'single' ? 'Choose an answer, then check it.' : 'Choose True or False, then check your answer.' };
      return { value: q.type === 'single' ? +on.value : on.value === 't' };
    }
    if (q.type === 'multiple') {
      var chosen = Array.prototype.map.call(form.querySelectorAll('input:checked'), function (i) { return +i.value; });
      return chosen.length ? { value: chosen } : { missing: 'Choose at least one answer, then check it.' };
    }
    if (q.type === 'matching') {
      var vals = q.pairs.map(function (p, s) { return byId(id + '-' + s).value; });
      var gaps = q.pairs.filter(function (p, s) { return vals[s] === ''; }).map(function (p) { return '“' + p.prompt + '”'; });
      if (gaps.length) return { missing: 'Choose a match for ' + gaps.join(', ') + '.' };
      return { value: vals.map(Number) };
    }
    if (q.type === 'ordering') return { value: m.work.order.slice() };
    var text = byId(id + '-text').value.slice(0, scoring.maxLengthOf(q)).trim();
    return text ? { value: text } : { missing: 'Type your answer, then check it.' };
  }
  function check(m, form) {
    var st = m.st, q = m.qs[st.draw[st.qpos]], r = readAnswer(m, q, form), err = byId('ccm-q' + st.qpos + '-error');
    if (r.missing) {
      err.textContent = r.missing;
      err.hidden = false;
      m.sess.say('assertive', r.missing);
      return;
    }
    var ok = scoring.isCorrect(q, r.value);
    st.answers[st.qpos] = r.value;
    m.record({ type: 'answer', question: q, response: scoring.responseIds(q, r.value), correct: ok,
      latencyMs: Date.now() - m.shownAt, attempt: st.attempt, competency: scoring.competencyOf(m.course, q) });
    m.work = null;
    render(m);
    m.save();
    m.sess.say('polite', feedback(q, r.value, ok).join(' '));
    var nextBtn = byId('ccm-quiz-body').querySelector('button[data-action]');
    if (nextBtn) nextBtn.focus();
  }

  // -> whether an attempt began
  function begin(m) {
    var st = m.st;
    if (m.done || st.attempt >= m.maxAttempt) return false;
    if (m.host.readOnly && st.submitted) return false; // no retry that would look as if it counts
    st.attempt += 1;
    st.submitted = false;
    st.qpos = 0;
    CCM.state.newDraw(st, m.course); // a fresh draw (from a seed the state keeps), or the whole bank in order
    st.answers = st.draw.map(function () { return null; });
    m.work = null;
    return true;
  }
  // -> whether the attempt was submitted
  function submit(m) {
    var st = m.st;
    if (st.answers.some(function (a) { return a === null; })) return false;
    var r = m.results();
    st.submitted = true;
    st.score = r.score;
    if (m.host.readOnly) st.practice = true; // in memory only (never encoded): this result is saved nowhere
    m.record({ type: 'submit', attempt: st.attempt, score: r.score, passed: r.passed,
      competencies: scoring.forEvent(r.competencies), durationMs: Date.now() - m.sess.t0 });
    m.host.onResult();
    return true;
  }

  CCM.quiz = { render: render, check: check, move: move, begin: begin, submit: submit };
})(window.CCM);
