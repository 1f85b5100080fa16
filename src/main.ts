import type { LogLevel } from '@slack/bolt';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { StoreVersionError } from './store/index.js';

// Entry point: `npm start`. Configuration comes from the environment (README: Configuration).
const config = loadConfig();
const logger = createLogger(config.logLevel as LogLevel);

process.on('unhandledRejection', (reason) => logger.error('unhandled rejection (kept running)', reason));

const bot = await createApp(config, { logger }).catch((error: unknown) => {
  // A data file from a newer version: one sentence naming that version, no stack trace, nothing touched.
  if (error instanceof StoreVersionError) {
    logger.error(error.message);
    process.exit(1);
  }
  throw error;
});
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping (flushing the store)`);
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', error);
        process.exit(1);
      },
    );
  });
}

try {
  await bot.start();
} catch (error) {
  logger.error('could not start the bot', error);
  await bot.stop().catch(() => {});
  process.exit(1);
}
