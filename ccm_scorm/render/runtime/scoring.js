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
    if (!CCM.key.open(q)) return CCM.key.isCorrect(q, a); // show_answers: false: compared by hash (answer-key.js)
    switch (q.type) {
      case 'single': return q.correct.indexOf(q.options[a].id) >= 0;
      case 'multiple':
        return q.options.every(function (o, i) { return (q.correct.indexOf(o.id) >= 0) === (a.indexOf(i) >= 0); });
      case 'true-false': return a === q.correct;
      case 'matching':
        var targets = matchTargets(q);
        return q.pairs.every(function (p, s) { return targets[a[s]].id === rightTarget(q, p); });
      case 'ordering': var order = CCM.key.order(q); return a.every(function (v, i) { return q.items[v].id === order[i]; });
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
  function countOf(list, fn) { return list.filter(fn).length; }
  function inBank(course, id) { return countOf(course.questions || [], function (q) { return competencyOf(course, q) === id; }); }

  /* The competency rule (docs/runtime.md "Verdicts"), mirrored by ccm_scorm/report/verdicts.py:
   * a competency is judged in an attempt only when the attempt asked at least JUDGE_AT of its
   * questions (all of them when the bank has fewer); then it is passed at >= the pass mark, else
   * failed. One the bank has questions on but the attempt did not judge is "not-assessed" (no
   * score); one the bank has no question on is "completed" by finishing the module. */
  var JUDGE_AT = 2;
  function judge(asked, right, bank, passMark) {
    if (!bank) return { score: null, status: 'completed' };
    if (asked < Math.min(JUDGE_AT, bank)) return { score: null, status: 'not-assessed' };
    var score = percent(right, asked);
    return { score: score, status: score >= passMark ? 'passed' : 'failed' };
  }
  // The status of a competency kept without a score (a finished module in a pathway's state).
  function unscored(course, id) { return inBank(course, id) ? 'not-assessed' : 'completed'; }

  // The results of the attempt in `st`: {ok (per question asked), score, passed, competencies}.
  // A cross-link competency (named by a question, not by the module) is listed only when judged.
  function attemptResults(course, st, passMark) {
    var qs = course.questions || [], comps = course.competencies || [];
    var ok = st.draw.map(function (qi, i) { return isCorrect(qs[qi], st.answers[i]); });
    var ids = comps.map(function (c) { return c.id; }), list = [];
    st.draw.forEach(function (qi) { var id = competencyOf(course, qs[qi]); if (ids.indexOf(id) < 0) ids.push(id); });
    ids.forEach(function (id) {
      var c = comps.filter(function (x) { return x.id === id; })[0] || { id: id, title: id };
      var mine = ok.filter(function (x, i) { return competencyOf(course, qs[st.draw[i]]) === id; });
      var v = judge(mine.length, countOf(mine, Boolean), inBank(course, id), passMark);
      if (c.crossLink && v.score === null) return;
      list.push({ id: id, title: c.title, score: v.score, status: v.status, asked: mine.length });
    });
    var score = percent(countOf(ok, Boolean), ok.length || 1);
    return { ok: ok, score: score, passed: score >= passMark, competencies: list };
  }
  // Competencies as events and pathway results carry them (no titles).
  function forEvent(list) {
    return list.map(function (c) { return { id: c.id, score: c.score, status: c.status, asked: c.asked }; });
  }
  function completedCompetencies(course) {
    return (course.competencies || []).filter(function (c) { return !c.crossLink; })
      .map(function (c) { return { id: c.id, score: null, status: 'completed' }; });
  }

  CCM.maxAttempt = MAX_ATTEMPT;
  CCM.isCorrect = isCorrect;
  CCM.scoring = {
    maxLengthOf: maxLengthOf, perAttempt: perAttempt, maxAttemptOf: maxAttemptOf, normaliseText: normaliseText, textMatches: textMatches,
    isCorrect: isCorrect, responseIds: responseIds, literalAnswers: literalAnswers, matchTargets: matchTargets,
    rightTarget: rightTarget, competencyOf: competencyOf, attemptResults: attemptResults, forEvent: forEvent,
    completedCompetencies: completedCompetencies, judge: judge, unscored: unscored, judgeAt: JUDGE_AT
  };
})(window.CCM);
