import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CCM } from './runtime.mjs';

// ISO 8601 4.4.3.2 as SCORM 2004 timeinterval and xAPI duration take it (hours, minutes, seconds
// with at most two decimals)
const ISO = /^PT(?:(\d+)H)?(?:(\d+)M)?(\d+(?:\.\d{1,2})?)S$/;

test('one formatter for SCORM 2004 and xAPI', () => {
  assert.equal(CCM.scorm.fmt.duration, CCM.isoDuration);
  assert.equal(CCM.xapi.duration, CCM.isoDuration);
});

test('durations as written', () => {
  const cases = [[0, 'PT0S'], [4, 'PT0S'], [-5, 'PT0S'], [3450, 'PT3.45S'], [10000, 'PT10S'], [20500, 'PT20.5S'],
    [600000, 'PT10M0S'], [3605000, 'PT1H5S'], [3723400, 'PT1H2M3.4S'], [90000000, 'PT25H0S']];
  for (const [ms, text] of cases) assert.equal(CCM.isoDuration(ms), text, String(ms));
});

test('every duration is valid ISO 8601 and reads back to the centisecond', () => {
  for (let ms = 0; ms < 4e6; ms += 7919) {
    const m = ISO.exec(CCM.isoDuration(ms));
    assert.ok(m, CCM.isoDuration(ms));
    const back = ((+(m[1] || 0) * 60 + +(m[2] || 0)) * 60 + +m[3]) * 1000;
    assert.equal(Math.round(back / 10), Math.round(ms / 10), String(ms));
    assert.ok(!m[2] || +m[2] < 60);
  }
});

test('SCORM 1.2 CMITimespan and the zero padding', () => {
  assert.equal(CCM.scorm.fmt.timespan(3723400), '0001:02:03.40');
  assert.equal(CCM.scorm.fmt.timespan(0), '0000:00:00.00');
  assert.equal(CCM.pad(7, 3), '007');
  assert.equal(CCM.pad('1234', 2), '1234');
});
