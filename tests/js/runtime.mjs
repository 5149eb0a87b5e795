// Loads the runtime's pure files into this Node process, as a browser would (plain scripts that
// add to window.CCM), so the unit tests exercise the very files packages carry.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const RUNTIME = new URL('../../ccm_scorm/render/runtime/', import.meta.url);
// in the order the build loads them (ccm_scorm/render/__init__.py), pure parts only
const FILES = ['base.js', 'answer-key.js', 'scoring.js', 'state.js', 'pathway-results.js', 'xapi-statements.js', 'scorm-api.js'];

globalThis.window = globalThis;
for (const name of FILES) {
  vm.runInThisContext(readFileSync(new URL(name, RUNTIME), 'utf8'), { filename: name });
}

export const CCM = globalThis.CCM;
// Plain JSON values: what the runtime saves and sends.
export function plain(value) { return JSON.parse(JSON.stringify(value)); }
