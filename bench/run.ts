// `npm run bench`: prints the figures recorded in the README. Numbers, not pass/fail: targets are shown beside them.
import { benchAck } from './ack.js';
import { benchBusy, benchBusyHiring } from './busy.js';
import { benchHome } from './home.js';
import { benchStartup } from './startup.js';
import { benchSync } from './sync.js';

const only = process.argv[2];
const benches: [string, () => Promise<string[]>][] = [
  ['sync', benchSync],
  ['startup', benchStartup],
  ['ack', benchAck],
  ['busy', () => benchBusy()],
  ['busy-hiring', benchBusyHiring],
  ['home', benchHome],
];
console.log(`opentrain-hiring-bot benchmarks — Node ${process.version}, ${new Date().toISOString()}\n`);
for (const [name, bench] of benches) {
  if (only && only !== name) continue;
  const lines = await bench();
  console.log(`${lines.join('\n')}\n`);
}
process.exit(0);
