/* ccm-scorm learner runtime: the quiz view of a module (CCM.quiz), in #ccm-quiz.
 * Each function takes `m`, the module view (module-view.js): {course, st, host, sess, qs,
 * K (questions per attempt), maxAttempt, done, work, shownAt, passMark(), record(ev), save()}. */
(function (CCM) {
  'use strict';
  var dom = CCM.dom, make = dom.make, byId = dom.byId, button = dom.button, scoring = CCM.scoring;
  var READ_ONLY = CCM.text.readOnly;

  function heading(text) { byId('ccm-quiz-title').textContent = text; return text; }
  function hidesAnswers(m) { return m.qs.some(function (q) { return !!q.hashes; }); }
  function attemptsText(m) {
    return m.course.attempts > 0 ? CCM.t('quiz.attempts', { n: m.maxAttempt }) : CCM.t('quiz.attempts_unlimited');
  }
  function sign(ok, text) { return [make('span', { 'aria-hidden': 'true', text: ok ? '✓ ' : '✗ ' }), text]; }

  // A module finished earlier in a pathway: its result, collapsed.
  function renderDone(m, body) {
    var done = m.done;
    body.appendChild(make('p', { 'class': 'ccm-score', text: CCM.t('quiz.score', { score: done.score, pass: m.passMark() }) }));
    body.appendChild(make('p', { 'class': 'ccm-outcome ' + (done.passed ? 'ccm-right' : 'ccm-wrong') },
      sign(done.passed, done.passed ? CCM.t('quiz.passed_module') : CCM.t('quiz.failed_module'))));
    var actions = make('div', { 'class': 'ccm-actions' });
    if (m.host.certificate) actions.appendChild(button(m.host.certificate.label, 'certificate'));
    actions.appendChild(button(m.host.leaveLabel, 'exit', m.host.certificate ? 'ccm-button ccm-secondary' : 'ccm-button'));
    body.appendChild(actions);
    return heading(CCM.t('quiz.results'));
  }
  function renderIntro(m, body) {
    if (m.host.readOnly) {
      body.appendChild(make('p', { text: CCM.t('quiz.practice_intro', { n: m.K }) }));
      body.appendChild(make('p', { text: READ_ONLY[m.host.readOnly].again }));
      body.appendChild(button(CCM.t('quiz.start_practice'), 'begin'));
      return heading(CCM.t('quiz.practice'));
    }
    body.appendChild(make('p', { text: CCM.t('quiz.intro', { n: m.K, pass: m.passMark() }) + ' ' + attemptsText(m) }));
    body.appendChild(make('p', { text: hidesAnswers(m) ? CCM.t('quiz.how_hidden') : CCM.t('quiz.how') }));
    body.appendChild(button(CCM.t('quiz.start'), 'begin'));
    return heading(CCM.t('quiz.title'));
  }

  function render(m) {
    var body = byId('ccm-quiz-body');
    dom.clear(body);
    if (m.done) return renderDone(m, body);
    if (!m.st.attempt) return renderIntro(m, body);
    body.appendChild(questionForm(m));
    return heading(CCM.t('quiz.question_of', { question: m.st.qpos + 1, questions: m.K }));
  }

  // A checked answer stays as it was given, readable at full contrast: aria-disabled, not disabled (pale grey).
  function keepAsChecked(e) { if (e.target.type === 'radio' || e.target.type === 'checkbox') e.preventDefault(); }
  function questionForm(m) {
    var st = m.st, pos = st.qpos, q = m.qs[st.draw[pos]], a = st.answers[pos], locked = a !== null && a !== undefined;
    var id = 'ccm-q' + pos, err = id + '-error', checked = locked ? result(q, a) : null;
    var form = make('form', { 'class': 'ccm-question', id: id + '-form', novalidate: true, 'data-pos': pos, 'data-question': q.id });
    form.appendChild(answerControls(m, q, a, checked, id, err));
    form.appendChild(make('p', { 'class': 'ccm-error', id: err, hidden: true }));
    if (locked) {
      form.addEventListener('click', keepAsChecked);
      var texts = feedback(q, a, checked);
      form.appendChild(make('div', { 'class': 'ccm-feedback ' + (checked.ok ? 'ccm-right' : 'ccm-wrong'), id: id + '-feedback' },
        [make('p', { 'class': 'ccm-verdict' }, sign(checked.ok, texts[0]))].concat(texts.slice(1).map(function (t) { return make('p', { text: t }); }))));
      form.appendChild(pos < m.K - 1 ? button(CCM.t('quiz.next'), 'next-question') : button(CCM.t('quiz.see_results'), 'submit'));
    } else {
      form.appendChild(make('button', { type: 'submit', 'class': 'ccm-button', text: CCM.t('quiz.check') }));
      m.shownAt = Date.now();
    }
    return form;
  }
  // A checked answer: right or not, each part's mark (answer-key.js), whether the right answer may be shown.
  function result(q, a) {
    var ok = scoring.isCorrect(q, a);
    return { ok: ok, marks: CCM.key.marks(q, a), show: CCM.key.open(q) };
  }
  function stateText(state) {
    if (state === 'correct') return CCM.t('quiz.yours_correct');
    return state === 'incorrect' ? CCM.t('quiz.yours_incorrect') : CCM.t('quiz.missed');
  }
  // The mark in words, on a line of its own; a screen reader hears it after the answer as one phrase.
  function markSpan(state, text) { return make('span', { 'class': 'ccm-state' }, [dom.srOnly(' – '), text || stateText(state)]); }

  function answerControls(m, q, a, checked, id, err) {
    if (q.type === 'short-text') return shortText(q, a, checked, id, err);
    var fs = make('fieldset', { 'aria-describedby': err }, [make('legend', { 'class': 'ccm-prompt', text: q.prompt })]);
    if (q.type === 'matching') matching(m, q, a, checked, id, fs);
    else if (q.type === 'ordering') ordering(m, q, a, checked, id, fs);
    else choices(q, a, checked, id, fs);
    return fs;
  }
  // Single, multiple and true-false: a tile per choice, marked after checking in words and colour.
  function choices(q, a, checked, id, fs) {
    var tf = q.type === 'true-false', list = tf ? [true, false] : q.options.map(function (o, i) { return i; });
    var given = checked ? (q.type === 'multiple' ? a : [a]) : [];
    if (q.type === 'multiple') fs.appendChild(make('p', { 'class': 'ccm-hint', text: CCM.t('quiz.choose_all') }));
    list.forEach(function (v, i) {
      var at = given.indexOf(v), state = '';
      if (at >= 0) state = checked.marks[at] ? 'correct' : 'incorrect';
      else if (checked && checked.show && (tf ? v === q.correct : q.correct.indexOf(q.options[v].id) >= 0)) state = 'missed';
      var value = tf ? (v ? 't' : 'f') : v, label = tf ? (v ? CCM.t('quiz.true') : CCM.t('quiz.false')) : q.options[v].text;
      var input = make('input', { type: q.type === 'multiple' ? 'checkbox' : 'radio', name: id, id: id + '-' + value, value: value,
        checked: at >= 0, 'aria-disabled': checked ? 'true' : null });
      fs.appendChild(make('div', { 'class': 'ccm-choice' + (at >= 0 ? ' ccm-selected' : '') + (state ? ' ccm-' + state : '') },
        [input, make('label', { 'for': id + '-' + value }, [label, state ? markSpan(state) : null])]));
    });
  }
  function matching(m, q, a, checked, id, fs) {
    var targets = scoring.matchTargets(q);
    if (checked) {
      q.pairs.forEach(function (p, s) {
        var ok = checked.marks[s], right = targets.filter(function (t) { return t.id === scoring.rightTarget(q, p); })[0];
        fs.appendChild(make('div', { 'class': 'ccm-match ' + (ok ? 'ccm-correct' : 'ccm-incorrect') }, [
          make('p', { 'class': 'ccm-match-prompt', text: p.prompt }),
          make('p', {}, [CCM.t('quiz.your_match', { match: targets[a[s]].text }), markSpan(ok ? 'correct' : 'incorrect')]),
          !ok && checked.show ? make('p', { 'class': 'ccm-right-answer', text: CCM.t('quiz.right_match', { match: right.text }) }) : null]));
      });
      return;
    }
    fs.appendChild(make('p', { 'class': 'ccm-hint', text: CCM.t('quiz.match_hint') }));
    var order = CCM.shuffleFor(m.st.attempt, q, targets.length);
    q.pairs.forEach(function (p, s) {
      var sel = make('select', { id: id + '-' + s },
        [make('option', { value: '', text: CCM.t('quiz.choose') })].concat(order.map(function (t) {
          return make('option', { value: t, text: targets[t].text });
        })));
      fs.appendChild(make('div', { 'class': 'ccm-match' }, [make('label', { 'for': id + '-' + s, text: p.prompt }), sel]));
    });
  }
  function ordering(m, q, a, checked, id, fs) {
    var st = m.st, work = m.work;
    if (!checked && (!work || work.pos !== st.qpos || work.attempt !== st.attempt)) {
      var start = CCM.shuffleFor(st.attempt, q, q.items.length);
      if (CCM.key.inOrder(q, start)) start.push(start.shift()); // never start on the answer
      m.work = { pos: st.qpos, attempt: st.attempt, order: start };
    }
    fs.appendChild(make('p', { 'class': 'ccm-hint', text: checked ? CCM.t('quiz.your_order') : CCM.t('quiz.order_hint') }));
    fs.appendChild(orderList(q, checked ? a : m.work.order, checked, id));
    if (checked && checked.show && !checked.ok) {
      var text = {};
      q.items.forEach(function (i) { text[i.id] = i.text; });
      fs.appendChild(make('p', { 'class': 'ccm-hint', text: CCM.t('quiz.right_order') }));
      fs.appendChild(make('ol', { 'class': 'ccm-right-order' }, CCM.key.order(q).map(function (itemId) { return make('li', { text: text[itemId] }); })));
    }
  }
  function shortText(q, a, checked, id, err) {
    var max = scoring.maxLengthOf(q), state = checked ? (checked.ok ? 'correct' : 'incorrect') : '';
    return make('div', { 'class': 'ccm-short' + (state ? ' ccm-' + state : '') }, [
      make('label', { 'for': id + '-text', 'class': 'ccm-prompt', text: q.prompt }),
      make('p', { 'class': 'ccm-hint', id: id + '-hint', text: CCM.t('quiz.type_hint', { n: max }) }),
      make('input', { type: 'text', id: id + '-text', maxlength: max, autocomplete: 'off', spellcheck: 'false',
        'aria-describedby': id + '-hint ' + err, readonly: !!checked, value: checked ? a : null }),
      state ? markSpan(state) : null]);
  }

  function orderList(q, order, checked, id) {
    var ol = make('ol', { 'class': 'ccm-order', id: id + '-order' });
    order.forEach(function (item, p) {
      var text = q.items[item].text, state = checked ? (checked.marks[p] ? 'correct' : 'incorrect') : '';
      var li = make('li', { 'class': 'ccm-order-item' + (state ? ' ccm-' + state : '') }, [make('span', { 'class': 'ccm-order-text', text: text }),
        state ? markSpan(state, state === 'correct' ? CCM.t('quiz.place_right') : CCM.t('quiz.place_wrong')) : null]);
      if (!checked) {
        var up = make('button', { type: 'button', 'class': 'ccm-move', 'data-action': 'move', 'data-dir': '-1', 'data-item': item,
          'aria-disabled': p === 0 ? 'true' : null }, [CCM.t('quiz.move_up'), dom.srOnly(': ' + text)]);
        var down = make('button', { type: 'button', 'class': 'ccm-move', 'data-action': 'move', 'data-dir': '1', 'data-item': item,
          'aria-disabled': p === order.length - 1 ? 'true' : null }, [CCM.t('quiz.move_down'), dom.srOnly(': ' + text)]);
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
      m.sess.say('polite', to < 0 ? CCM.t('quiz.already_first', { item: text }) : CCM.t('quiz.already_last', { item: text }));
      return;
    }
    order[p] = order[to]; order[to] = item;
    var old = byId('ccm-q' + st.qpos + '-order');
    old.parentNode.replaceChild(orderList(q, order, null, 'ccm-q' + st.qpos), old);
    var again = document.querySelector('#ccm-q' + st.qpos + '-order button[data-item="' + item + '"][data-dir="' + dir + '"]');
    if (again) again.focus();
    m.sess.say('polite', CCM.t('quiz.moved', { item: text, place: to + 1, n: order.length }));
  }

  function quoted(texts) { return '“' + texts.join('”, “') + '”'; }
  // What the right answer was, in words (nothing of it without show_answers).
  function rightAnswer(q, checked) {
    var right = checked.marks.filter(Boolean).length, n = checked.marks.length;
    var out = q.type === 'matching' ? [CCM.t('quiz.matches_right', { right: right, n: n })]
      : q.type === 'ordering' ? [CCM.t('quiz.places_right', { right: right, n: n })] : [];
    if (!checked.show) return out.concat(CCM.t('quiz.answers_hidden'));
    if (q.type === 'single' || q.type === 'multiple') {
      var texts = q.options.filter(function (o) { return q.correct.indexOf(o.id) >= 0; }).map(function (o) { return o.text; });
      out.push(q.type === 'single' && texts.length > 1 ? CCM.t('quiz.right_any', { answers: quoted(texts) })
        : texts.length > 1 ? CCM.t('quiz.right_answers', { answers: quoted(texts) }) : CCM.t('quiz.right_answer', { answer: quoted(texts) }));
    } else if (q.type === 'true-false') {
      out.push(CCM.t('quiz.right_answer', { answer: quoted([q.correct ? CCM.t('quiz.true') : CCM.t('quiz.false')]) }));
    } else if (q.type === 'short-text' && scoring.literalAnswers(q).length) {
      out.push(CCM.t('quiz.accepted', { answer: scoring.literalAnswers(q)[0] }));
    }
    return out;
  }
  // The feedback's paragraphs: the verdict, the right answer, then the author's feedback on the options chosen and on the question.
  function feedback(q, a, checked) {
    var ok = checked.ok, out = [ok ? CCM.t('quiz.correct') : checked.marks.some(Boolean) ? CCM.t('quiz.partly') : CCM.t('quiz.incorrect')];
    if (!ok) out = out.concat(rightAnswer(q, checked));
    if (q.type === 'single' || q.type === 'multiple') {
      (q.type === 'single' ? [a] : a).forEach(function (i) {
        var o = q.options[i];
        if (o.feedback) out.push(CCM.t('quiz.you_chose', { option: o.text, feedback: o.feedback }));
      });
    }
    var fb = q.feedback, t = typeof fb === 'string' ? fb : fb ? (ok ? fb.correct : fb.incorrect) : '';
    if (t) out.push(t);
    return out;
  }
  function readAnswer(m, q, form) {
    var id = 'ccm-q' + m.st.qpos;
    if (q.type === 'single' || q.type === 'true-false') {
      var on = form.querySelector('input:checked');
      if (!on) return { missing: q.type === 'single' ? CCM.t('quiz.missing_choice') : CCM.t('quiz.missing_true_false') };
      return { value: q.type === 'single' ? +on.value : on.value === 't' };
    }
    if (q.type === 'multiple') {
      var chosen = Array.prototype.map.call(form.querySelectorAll('input:checked'), function (i) { return +i.value; });
      return chosen.length ? { value: chosen } : { missing: CCM.t('quiz.missing_choices') };
    }
    if (q.type === 'matching') {
      var vals = q.pairs.map(function (p, s) { return byId(id + '-' + s).value; });
      var gaps = q.pairs.filter(function (p, s) { return vals[s] === ''; }).map(function (p) { return p.prompt; });
      if (gaps.length > 1) return { missing: CCM.t('quiz.missing_matches', { prompts: quoted(gaps) }) };
      if (gaps.length) return { missing: CCM.t('quiz.missing_match', { prompt: quoted(gaps) }) };
      return { value: vals.map(Number) };
    }
    if (q.type === 'ordering') return { value: m.work.order.slice() };
    var text = byId(id + '-text').value.slice(0, scoring.maxLengthOf(q)).trim();
    return text ? { value: text } : { missing: CCM.t('quiz.missing_text') };
  }
  function check(m, form) {
    var st = m.st, q = m.qs[st.draw[st.qpos]], r = readAnswer(m, q, form), err = byId('ccm-q' + st.qpos + '-error');
    if (r.missing) {
      err.textContent = r.missing;
      err.hidden = false;
      m.sess.say('assertive', r.missing);
      return;
    }
    var checked = result(q, r.value);
    st.answers[st.qpos] = r.value;
    m.record({ type: 'answer', question: q, response: scoring.responseIds(q, r.value), correct: checked.ok,
      latencyMs: Date.now() - m.shownAt, attempt: st.attempt, competency: scoring.competencyOf(m.course, q) });
    m.work = null;
    render(m);
    m.save();
    m.sess.say('polite', feedback(q, r.value, checked).join(' '));
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
