// Starts the OpenTrain sandbox and the Slack stand-in in their own process, so a benchmark's CPU figures cover the
// bot alone. Prints one JSON line with their URLs, then runs until stdin closes.
import { startOpenTrainSandbox } from '../src/sandbox/opentrain/index.js';
import { startSlackStandIn } from '../src/sandbox/slack/standin.js';

const sandbox = await startOpenTrainSandbox({ port: 0 });
const slack = await startSlackStandIn({ port: 0 });
process.stdout.write(
  `${JSON.stringify({ sandboxUrl: sandbox.url, knobUrl: sandbox.knobUrl, slackUrl: slack.url, ids: sandbox.ids })}\n`,
);
process.stdin.resume();
process.stdin.on('end', () => {
  void Promise.allSettled([sandbox.close(), slack.close()]).then(() => process.exit(0));
});
