// The runtime's own encoder on the longest state each module can produce: reads
// [{course, draw, attempt}] (course: the module's course JSON) on stdin and writes
// [{text, again}] (again: text decoded and encoded once more). Used by tests/test_runtime_state_size.py.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { CCM } from './runtime.mjs';

vm.runInThisContext(readFileSync(new URL('worst-state.js', import.meta.url), 'utf8'), { filename: 'worst-state.js' });

const cases = JSON.parse(readFileSync(0, 'utf8'));
const out = cases.map(({ course, draw, attempt }) => {
  const text = CCM.state.encode(globalThis.worstModuleState(course, draw, attempt), course);
  return { text, again: CCM.state.encode(CCM.state.decode(text, course), course) };
});
process.stdout.write(JSON.stringify(out));
