// The reference for the start-up benchmark: a bare Bolt app in HTTP mode that does nothing but ack every action,
// command and event. Same token check (auth.test) and same /readyz route name as the bot, so "ready" means the same.
// Plain JavaScript, run by node directly, like the compiled bot.
import bolt from '@slack/bolt';

const { App, HTTPReceiver, LogLevel } = bolt;
const port = Number(process.env.PORT);
const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  endpoints: '/slack/events',
  customRoutes: [
    {
      path: '/readyz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ready":true}');
      },
    },
  ],
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  deferInitialization: true,
});
app.action(/.*/, async ({ ack }) => ack());
app.command(/.*/, async ({ ack }) => ack());
app.event(/.*/, async () => {});
await app.init();
await app.start(port);
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => app.stop().then(() => process.exit(0)));
