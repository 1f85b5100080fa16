// Starts the OpenTrain sandbox and the Slack stand-in in their own process, so a benchmark's CPU figures cover the
// bot alone. Prints one JSON line with their URLs, then runs until stdin closes.
import { startOpenTrainSandbox } from '../src/sandbox/opentrain/index.js';
import { startSlackStandIn } from '../src/sandbox/slack/standin.js';

const sandbox = await startOpenTrainSandbox({ port: 0 });
// Rate limits off: these benchmarks measure the bot's own cost with pacing off, not Slack's limits.
const slack = await startSlackStandIn({ port: 0, rateLimits: 'off' });
slack.addChannel('C0BENCH', 'bench');
process.stdout.write(
  `${JSON.stringify({ sandboxUrl: sandbox.url, knobUrl: sandbox.knobUrl, slackUrl: slack.url, ids: sandbox.ids })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.allSettled([sandbox.close(), slack.close()]).then(() => process.exit(0));
});
