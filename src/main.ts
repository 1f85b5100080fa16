import type { LogLevel } from '@slack/bolt';
import { createApp, type HiringBot } from './app.js';
import { loadConfig, loadEnvFile } from './config.js';
import { errorText } from './error-text.js';
import { createLogger, defaultLogFormat } from './logger.js';
import { StartupError } from './startup.js';
import { StoreVersionError } from './store/index.js';

// Entry point: `npm start` (node dist/main.js). Configuration comes from the environment, and from `.env` in the
// working directory for whatever the environment doesn't set (README: Configuration).
loadEnvFile();
const config = loadConfig();
const logger = createLogger(config.logLevel as LogLevel, undefined, { format: config.logFormat ?? defaultLogFormat() });

process.on('unhandledRejection', (reason) => logger.error('unhandled rejection (kept running)', reason));
// Last resort only: background work runs guarded (src/services/background.ts), so reaching this is a bug to fix.
process.on('uncaughtException', (error) => logger.error('uncaught exception (kept running)', error));

/** Start-up failed: one sentence naming what to fix; the error itself (and its stack) only at debug level. */
async function failStartup(error: unknown, bot?: HiringBot): Promise<never> {
  // A data file from a newer version says so in one sentence too, and nothing is touched.
  const sentence =
    error instanceof StartupError || error instanceof StoreVersionError
      ? error.message
      : `could not start the bot: ${errorText(error)}`;
  logger.error(sentence);
  logger.debug('start-up failure in detail', error instanceof StartupError ? error.cause : error);
  await bot?.stop().catch(() => {});
  process.exit(1);
}

const bot = await createApp(config, { logger }).catch(failStartup);
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

await bot.start().catch((error: unknown) => {
  stopping = true;
  return failStartup(error, bot);
});
