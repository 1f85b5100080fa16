// `npm run demo`: the whole bot in a browser, with no Slack or OpenTrain account. Ctrl-C stops everything.
//
//   PLAYGROUND_PORT              web client port (default 3000; 0 = any free port)
//   PLAYGROUND_PROPOSAL_EVERY_MS new proposal every min,max ms (default 20000,30000)
//   PLAYGROUND_REPLY_AFTER_MS    candidates answer after min,max ms (default 2000,5000)
//   PLAYGROUND_STATUS_EVERY_MS   a status changes on OpenTrain every min,max ms (default 60000,120000)

import { type ActivityTimings, DEMO_TIMINGS, type MsRange } from './activity.js';
import { type Playground, startPlayground } from './demo.js';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    fail(`PLAYGROUND_PORT must be a port number, got "${value}"`);
  return port;
}

function rangeFromEnv(name: string, fallback: MsRange): MsRange {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const parts = value.split(',').map((part) => Number(part.trim()));
  const min = parts[0] ?? Number.NaN;
  const max = parts[1] ?? min;
  if (parts.length > 2 || !(min >= 0) || !(max >= min)) {
    fail(`${name} must be "min,max" in milliseconds (or one number), got "${value}"`);
  }
  return [min, max];
}

const timings: ActivityTimings = {
  ...DEMO_TIMINGS,
  proposalEvery: rangeFromEnv('PLAYGROUND_PROPOSAL_EVERY_MS', DEMO_TIMINGS.proposalEvery),
  candidateReplyAfter: rangeFromEnv('PLAYGROUND_REPLY_AFTER_MS', DEMO_TIMINGS.candidateReplyAfter),
  statusChangeEvery: rangeFromEnv('PLAYGROUND_STATUS_EVERY_MS', DEMO_TIMINGS.statusChangeEvery),
};

let playground: Playground | null = null;
let stopping = false;
async function stop(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the playground`);
  await playground?.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// The terminal went away: same as Ctrl-C.
process.on('SIGHUP', () => void stop('SIGHUP'));

try {
  playground = await startPlayground({ port: portFromEnv(process.env.PLAYGROUND_PORT), timings });
} catch (error) {
  fail(`The playground could not start: ${error instanceof Error ? error.message : String(error)}`);
}
void playground.botExited.then((code) => {
  if (!stopping) {
    console.error(`The bot stopped (exit code ${code}); stopping the playground.`);
    void stop('bot exited', 1);
  }
});

console.log(`
  OpenTrain Hiring playground: open ${playground.url}

  The bot runs unchanged in Socket Mode against a Slack stand-in and the OpenTrain sandbox (${playground.sandbox.url}).
  Try: vote on a card, open its Transcript, Message the candidate (an e-mail address is refused), switch to
  Cleo (not a reviewer) and try Invite, or type /hiring proposals spanish. The hiring loop: /hiring digest →
  Ask finalists…, then /hiring shortlist spanish → Hire…, then Confirm hire in the sandbox panel (README: "Try the
  hiring loop"). Ctrl-C stops everything.
`);
