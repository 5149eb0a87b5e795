// Hand-made course data in the runtime's JSON format (docs/runtime.md), for the unit tests.
export function question(type, fields) {
  return { id: 'q-' + type, iri: 'https://example.org/q/' + type, type, competency: 'c1', prompt: 'Prompt?',
    feedback: { correct: 'Yes.', incorrect: 'No.' }, ...fields };
}

export const SINGLE = question('single', { options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }], correct: ['b'] });
export const MULTIPLE = question('multiple', { options: [{ id: 'a', text: 'A' }, { id: 'b', text: 'B' }, { id: 'c', text: 'C' }], correct: ['a', 'c'] });
export const TRUE_FALSE = question('true-false', { correct: false });
export const MATCHING = question('matching', { pairs: [{ id: 'p', prompt: 'P', match: 'mp' }, { id: 'q', prompt: 'Q', match: 'mq' }, { id: 'r', prompt: 'R', match: 'mr' }] });
// shared answers once and a spare: "tea" is right for two prompts
export const MATCHING_TARGETS = question('matching', {
  pairs: [{ id: 'x', prompt: 'Morning', match: 'tea', target: 't1' }, { id: 'y', prompt: 'Noon', match: 'tea', target: 't1' },
    { id: 'z', prompt: 'Night', match: 'milk', target: 't2' }],
  targets: [{ id: 't1', text: 'tea' }, { id: 't2', text: 'milk' }, { id: 't3', text: 'coffee' }]
});
export const ORDERING = question('ordering', { items: [{ id: 'a', text: '1' }, { id: 'b', text: '2' }, { id: 'c', text: '3' }] });
export const SHORT_TEXT = question('short-text', { answers: ['Open question', 'open*ended', '5 \\* 3'], caseSensitive: false, maxLength: 40 });

export function course(questions, changes) {
  return { kind: 'module', id: 'm', version: '1.0.0', title: 'M', iri: 'https://example.org/m', language: 'en-GB',
    passMark: 80, attempts: 2, draw: null,
    pages: [{ id: 'p1', title: 'One' }, { id: 'p2', title: 'Two' }, { id: 'p3', title: 'Three' }],
    competencies: [{ id: 'c1', title: 'First', iri: 'https://example.org/c1', primary: true, crossLink: false },
      { id: 'c2', title: 'Second', iri: 'https://example.org/c2', primary: false, crossLink: false }],
    questions, ...changes };
}
