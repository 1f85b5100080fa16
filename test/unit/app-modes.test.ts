import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';

describe('createApp connection modes', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('uses Socket Mode when SLACK_APP_TOKEN is set (no signing secret needed) and HTTP mode otherwise', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hiring-modes-'));
    const base = { SLACK_BOT_TOKEN: 'xoxb-1', OT_API_TOKEN: 'ot_pat_x', HIRING_CHANNEL: 'C0TEST' };
    const receiverOf = async (env: Record<string, string>, file: string) => {
      const parsed = parseConfig({ ...base, ...env, DATA_FILE: join(dir!, file) });
      if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
      const bot = await createApp(parsed.config, { logger: silentLogger });
      await bot.ctx.store.close();
      return (bot.app as unknown as { receiver: object }).receiver.constructor.name;
    };
    expect(await receiverOf({ SLACK_APP_TOKEN: 'xapp-1-A1-1-abc' }, 'socket.json')).toBe('SocketModeReceiver');
    expect(await receiverOf({ SLACK_SIGNING_SECRET: 'secret' }, 'http.json')).toBe('HTTPReceiver');
  });
});
