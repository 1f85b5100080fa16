// Start-up with 50,000 proposals already stored: time to a running app, and peak RSS, in a fresh process.
import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Store } from '../src/store/store.js';
import { storeDataWithProposals } from '../test/helpers/store-fixtures.js';
import { benchConfig, ROOT, row, startExternalServers } from './support.js';

const STORED = 50_000;

export async function benchStartup(): Promise<string[]> {
  const servers = await startExternalServers();
  let dataDir: string | undefined;
  try {
    const config = await benchConfig(servers);
    dataDir = dirname(config.dataFile);
    // Written by the store itself, so the file is in the store's current format.
    const seed = await Store.open({ file: config.dataFile });
    seed.change((data) => {
      Object.assign(data, storeDataWithProposals(STORED));
      data.backfilledAt = new Date().toISOString();
    });
    await seed.close();
    const fileMb = (await stat(config.dataFile)).size / 1e6;
    const env = {
      ...process.env,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      SLACK_API_URL: servers.slackUrl,
      OT_API_TOKEN: 'ot_pat_sandbox_owner',
      OT_API_BASE_URL: servers.sandboxUrl,
      HIRING_CHANNEL: 'C0BENCH',
      DATA_FILE: config.dataFile,
      LOG_LEVEL: 'error',
      // The fixture's proposals date from 2025-01-01 on; the default 180 days would prune them all in the first cycle.
      RETENTION_DAYS: '3650',
    };
    const spawnedAt = performance.now();
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/startup-child.ts'], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`startup child exited ${code}`))));
    });
    const processMs = performance.now() - spawnedAt;
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
      loaded: number;
      proposals: number;
      openMs: number;
      startMs: number;
      firstCycleMs: number;
      openedRssMb: number;
      maxRssMb: number;
    };
    return [
      `Start-up with ${STORED.toLocaleString('en')} proposals stored (${fileMb.toFixed(1)} MB file; ` +
        `${result.loaded.toLocaleString('en')} loaded at open, ${result.proposals.toLocaleString('en')} ` +
        'after the first sync cycle):',
      row('store open (read + parse + validate)', `${result.openMs.toFixed(0)} ms`, '—'),
      row('start-up: store open → app listening', `${result.startMs.toFixed(0)} ms`, '< 1 s'),
      row('first sync cycle after start', `${result.firstCycleMs.toFixed(0)} ms`, '—'),
      row('RSS right after store open', `${result.openedRssMb.toFixed(0)} MB`, '—'),
      row('peak RSS', `${result.maxRssMb.toFixed(0)} MB`, '< 200 MB'),
      row('whole process incl. Node + tsx load and exit', `${processMs.toFixed(0)} ms`, '—'),
    ];
  } finally {
    await servers.stop();
    // The fixture is 74 MB: don't leave one behind per run.
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}
