/* ccm-scorm learner runtime: scoring (CCM.scoring). Pure: no DOM, no adapter.
 * Whether an answer is right, the response ids the adapters report, and the results of a
 * submitted attempt (overall and per competency). */
(function (CCM) {
  'use strict';
  var MAX_ATTEMPT = 999;      // attempts are capped here, so the attempt field has at most 3 digits
  var DEFAULT_MAX_LENGTH = 60;

  function maxLengthOf(q) { return q.maxLength > 0 ? q.maxLength : DEFAULT_MAX_LENGTH; }
  function perAttempt(course) {
    var qs = course.questions || [];
    return course.draw ? Math.min(course.draw.count, qs.length) : qs.length;
  }
  function maxAttemptOf(course) { return course.attempts > 0 ? Math.min(course.attempts, MAX_ATTEMPT) : MAX_ATTEMPT; }

  function normaliseText(s, caseSensitive) {
    s = String(s).normalize('NFC').trim().replace(/\s+/g, ' ');
    return caseSensitive ? s : s.toLowerCase();
  }

  /* Short-text answers are Moodle short-answer patterns: "*" matches any run of characters
   * (none included), "\*" is a literal asterisk. */
  function hasWildcard(answer) { return answer.replace(/\\\*/g, '').indexOf('*') >= 0; }
  function unescapeStars(answer) { return answer.replace(/\\\*/g, '*'); }
  function patternRegExp(answer) {
    var parts = answer.split(/(\\\*|\*)/), out = '';
    parts.forEach(function (part) {
      if (part === '*') out += '[\\s\\S]*';
      else out += (part === '\\*' ? '*' : part).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    });
    return new RegExp('^' + out + '$');
  }
  function textMatches(q, given) {
    var text = normaliseText(given, q.caseSensitive);
    return q.answers.some(function (ok) { return patternRegExp(normaliseText(ok, q.caseSensitive)).test(text); });
  }
  // The answers SCORM and xAPI can declare as correct responses: those without a wildcard.
  function literalAnswers(q) {
    return q.answers.filter(function (a) { return !hasWildcard(a); }).map(unescapeStars);
  }

  /* Matching: the choices offered for every prompt. A question may carry its own `targets`
   * (shared answers once, spares extra) with each pair naming its right target; without them
   * the choices are the pairs' own match texts, under the pairs' ids. */
  function matchTargets(q) {
    return q.targets || q.pairs.map(function (p) { return { id: p.id, text: p.match }; });
  }
  function rightTarget(q, pair) { return q.targets ? pair.target : pair.id; }

  function isCorrect(q, a) {
    switch (q.type) {
      case 'single': return q.correct.indexOf(q.options[a].id) >= 0;
      case 'multiple':
        return q.options.every(function (o, i) { return (q.correct.indexOf(o.id) >= 0) === (a.indexOf(i) >= 0); });
      case 'true-false': return a === q.correct;
      case 'matching':
        var targets = matchTargets(q);
        return q.pairs.every(function (p, s) { return targets[a[s]].id === rightTarget(q, p); });
      case 'ordering': return a.every(function (v, i) { return v === i; });
      case 'short-text': return textMatches(q, a);
    }
    return false;
  }
  function responseIds(q, a) {
    switch (q.type) {
      case 'single': return [q.options[a].id];
      case 'multiple': return a.map(function (i) { return q.options[i].id; });
      case 'true-false': return [a];
      case 'matching':
        var targets = matchTargets(q);
        return a.map(function (t, s) { return [q.pairs[s].id, targets[t].id]; });
      case 'ordering': return a.map(function (i) { return q.items[i].id; });
      case 'short-text': return [a.trim()];
    }
  }

  function primaryCompetency(course) {
    var comps = course.competencies || [];
    return (comps.filter(function (c) { return c.primary; })[0] || comps[0] || {}).id;
  }
  function competencyOf(course, q) { return q.competency || primaryCompetency(course); }
  function percent(a, b) { return Math.round((100 * a) / b); }

  // The results of the attempt in `st`: {ok (per question asked), score, passed, competencies}.
  function attemptResults(course, st, passMark) {
    var qs = course.questions || [], comps = course.competencies || [];
    var ok = st.draw.map(function (qi, i) { return isCorrect(qs[qi], st.answers[i]); });
    var score = percent(ok.filter(Boolean).length, ok.length || 1);
    var ids = comps.map(function (c) { return c.id; });
    st.draw.forEach(function (qi) { if (ids.indexOf(competencyOf(course, qs[qi])) < 0) ids.push(competencyOf(course, qs[qi])); });
    var list = [];
    ids.forEach(function (id) {
      var c = comps.filter(function (x) { return x.id === id; })[0] || { id: id, title: id };
      var mine = ok.filter(function (x, i) { return competencyOf(course, qs[st.draw[i]]) === id; });
      if (!mine.length) {
        if (!c.crossLink) list.push({ id: id, title: c.title, score: null, status: 'completed' });
        return;
      }
      var s = percent(mine.filter(Boolean).length, mine.length);
      list.push({ id: id, title: c.title, score: s, status: s >= passMark ? 'passed' : 'failed' });
    });
    return { ok: ok, score: score, passed: score >= passMark, competencies: list };
  }
  // Competencies as events and pathway results carry them (no titles).
  function forEvent(list) { return list.map(function (c) { return { id: c.id, score: c.score, status: c.status }; }); }
  function completedCompetencies(course) {
    return (course.competencies || []).filter(function (c) { return !c.crossLink; })
      .map(function (c) { return { id: c.id, score: null, status: 'completed' }; });
  }

  CCM.maxAttempt = MAX_ATTEMPT;
  CCM.isCorrect = isCorrect;
  CCM.scoring = {
    maxLengthOf: maxLengthOf, perAttempt: perAttempt, maxAttemptOf: maxAttemptOf, normaliseText: normaliseText,
    isCorrect: isCorrect, responseIds: responseIds, literalAnswers: literalAnswers, matchTargets: matchTargets,
    rightTarget: rightTarget, competencyOf: competencyOf, attemptResults: attemptResults, forEvent: forEvent,
    completedCompetencies: completedCompetencies
  };
})(window.CCM);
