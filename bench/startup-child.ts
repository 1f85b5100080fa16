// Runs in a fresh process: opens a store holding 50,000 proposals, builds and starts the app, runs one sync cycle,
// and prints timings and peak RSS as one JSON line. (A fresh process so the RSS belongs to the bot alone.)
import { LogLevel } from '@slack/bolt';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { Store } from '../src/store/store.js';

const parsed = parseConfig(process.env);
if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
const config = { ...parsed.config, port: 0 };
const logger = createLogger(LogLevel.ERROR, () => {});

const t0 = performance.now();
const store = await Store.open({ file: config.dataFile, logger });
const t1 = performance.now();
const loaded = Object.keys(store.data.proposals).length;
const openedRssMb = process.memoryUsage().rss / 1024 / 1024;
const bot = await createApp(config, { logger, store, autoSync: false, postIntervalMs: 0 });
await bot.start();
const t2 = performance.now();
await bot.ctx.sync.runOnce();
await bot.idle();
const t3 = performance.now();
const proposals = Object.keys(store.data.proposals).length;
await bot.stop();
process.stdout.write(
  `${JSON.stringify({
    loaded,
    proposals,
    openMs: t1 - t0,
    startMs: t2 - t0,
    firstCycleMs: t3 - t2,
    openedRssMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
