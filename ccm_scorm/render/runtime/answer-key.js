/* ccm-scorm learner runtime: the answer key (CCM.key), as render/answer_key.py writes it.
 * A question carries `key` (show_answers: scrambled; unscrambled onto the question when it is
 * first scored, that is when the learner checks it) or `hashes` (show_answers: false: a salted
 * hash of each right response part, so the page never holds the key). A question with neither
 * (a test's hand-made one) is open already. docs/runtime.md, "What a package can and cannot hide". */
(function (CCM) {
  'use strict';
  function mix(h) {
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  }
  function lanes(text) {
    var a = 0x811c9dc5, b = 0x3c6ef372;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    return [mix(a ^ mix(b)), mix(b)];
  }
  function hex(n) { return ('0000000' + n.toString(16)).slice(-8); }
  function hash(text) { var h = lanes(text); return hex(h[0]) + hex(h[1]); }
  function decode(salt, text) {
    var s = lanes(salt)[0], raw = atob(text), out = '';
    for (var i = 0; i < raw.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      out += String.fromCharCode(raw.charCodeAt(i) ^ (s >>> 24));
    }
    return JSON.parse(out);
  }

  // -> whether the question's key is in the clear now (false: it is only hashed)
  function open(q) {
    if (q.hashes) return false;
    if (!q.key) return true;
    var k = decode(q.iri, q.key);
    delete q.key;
    if (k.ids) q.targets.forEach(function (t, i) { t.id = k.ids[i]; });
    if (k.to) q.pairs.forEach(function (p, s) { p.target = k.to[s]; });
    ['correct', 'answers', 'order'].forEach(function (f) { if (f in k) q[f] = k[f]; });
    return true;
  }
  // The items' ids in the right order (a question without `order` has its items in it).
  function order(q) { return q.order || q.items.map(function (i) { return i.id; }); }

  // The parts of answer `a` that are each right or wrong: an option, a pair's match, an item's place.
  function parts(q, a) {
    switch (q.type) {
      case 'single': return [q.options[a].id];
      case 'multiple': return a.map(function (i) { return q.options[i].id; });
      case 'true-false': return [String(a)];
      case 'matching': return a.map(function (t, s) { return q.pairs[s].id + '.' + q.targets[t].id; });
      case 'ordering': return a.map(function (i, p) { return p + '.' + q.items[i].id; });
    }
    return [CCM.scoring.normaliseText(a, q.caseSensitive)];
  }
  function rightParts(q) {
    switch (q.type) {
      case 'single': case 'multiple': return q.correct;
      case 'true-false': return [String(q.correct)];
      case 'matching': return q.pairs.map(function (p) { return p.id + '.' + CCM.scoring.rightTarget(q, p); });
      case 'ordering': return order(q).map(function (id, p) { return p + '.' + id; });
    }
  }
  // -> per part of `a` (as parts() lists them), whether it is right
  function marks(q, a) {
    if (q.type === 'short-text') return [CCM.scoring.isCorrect(q, a)];
    var shown = open(q), right = shown ? rightParts(q) : q.hashes;
    return parts(q, a).map(function (p) { return right.indexOf(shown ? p : hash(q.iri + '\n' + p)) >= 0; });
  }
  // isCorrect for a question whose key is only hashed
  function hashedCorrect(q, a) {
    var ok = parts(q, a).every(function (p) { return q.hashes.indexOf(hash(q.iri + '\n' + p)) >= 0; });
    if (q.type === 'short-text' && !ok && q.wild) {
      return CCM.scoring.textMatches({ answers: decode(q.iri, q.wild), caseSensitive: q.caseSensitive }, a);
    }
    return ok && (q.type !== 'multiple' || a.length === q.hashes.length);
  }
  // Whether an order of items (indexes) is the right one, without opening the key: the quiz never starts on it.
  function inOrder(q, a) {
    if (q.hashes) return hashedCorrect(q, a);
    var right = q.key ? decode(q.iri, q.key).order : order(q);
    return a.every(function (i, p) { return q.items[i].id === right[p]; });
  }

  CCM.key = { hash: hash, decode: decode, open: open, order: order, marks: marks, isCorrect: hashedCorrect,
    inOrder: inOrder };
})(window.CCM);
