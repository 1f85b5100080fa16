// Start-up with 50,000 proposals already stored: time to a running app, and peak RSS, in a fresh process.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { storeDataWithProposals } from '../test/helpers/store-fixtures.js';
import { benchConfig, ROOT, row, startExternalServers } from './support.js';

const STORED = 50_000;

export async function benchStartup(): Promise<string[]> {
  const servers = await startExternalServers();
  try {
    const config = await benchConfig(servers);
    const data = storeDataWithProposals(STORED);
    data.backfilledAt = new Date().toISOString();
    await writeFile(config.dataFile, JSON.stringify(data));
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
      proposals: number;
      openMs: number;
      startMs: number;
      firstCycleMs: number;
      maxRssMb: number;
    };
    return [
      `Start-up with ${result.proposals.toLocaleString('en')} proposals stored:`,
      row('store open (read + parse + validate)', `${result.openMs.toFixed(0)} ms`, '—'),
      row('start-up: store open → app listening', `${result.startMs.toFixed(0)} ms`, '< 1 s'),
      row('first sync cycle after start', `${result.firstCycleMs.toFixed(0)} ms`, '—'),
      row('peak RSS', `${result.maxRssMb.toFixed(0)} MB`, '< 200 MB'),
      row('whole process incl. Node + tsx load and exit', `${processMs.toFixed(0)} ms`, '—'),
    ];
  } finally {
    await servers.stop();
  }
}
