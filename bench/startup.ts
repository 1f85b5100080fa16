// Start-up and idle memory, side by side in one run: the compiled bot (`node dist/main.js`, as `npm start` and the
// image run it) with an empty store and with 50,000 stored proposals, against a bare Bolt app that only acks
// (bench/bare-bolt.mjs). Each process is started a few times, interleaved; medians are reported.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { freePort } from '../src/sandbox/harness.js';
import { Store } from '../src/store/store.js';
import { storeDataWithProposals } from '../test/helpers/store-fixtures.js';
import { benchConfig, ROOT, row, startExternalServers } from './support.js';

const STORED = 50_000;
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 3);
/** Idle: after ready, the first sync cycle has run and the heap has settled. */
const IDLE_AFTER_READY_MS = 4000;

interface Sample {
  readyMs: number;
  idleRssMb: number;
  peakRssMb: number;
}

async function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1]);
  return kb / 1024;
}

async function waitReady(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode} before it was ready`);
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('not ready in time');
}

async function measure(args: string[], env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_FORMAT: 'json' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitReady(port, child);
    const readyMs = performance.now() - spawnedAt;
    await new Promise((resolve) => setTimeout(resolve, IDLE_AFTER_READY_MS));
    const idleRssMb = await procStatusMb(child.pid!, 'VmRSS');
    const peakRssMb = await procStatusMb(child.pid!, 'VmHWM');
    return { readyMs, idleRssMb, peakRssMb };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchStartup(): Promise<string[]> {
  // The bot as shipped: compiled JavaScript, built now if src/ changed since the last build.
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('building dist/ failed');
  const servers = await startExternalServers();
  const dirs: string[] = [];
  try {
    const emptyConfig = await benchConfig(servers);
    const fullConfig = await benchConfig(servers);
    dirs.push(dirname(emptyConfig.dataFile), dirname(fullConfig.dataFile));
    // Written by the store itself, so the file is in the store's current format.
    const seed = await Store.open({ file: fullConfig.dataFile });
    seed.change((data) => {
      Object.assign(data, storeDataWithProposals(STORED));
      data.backfilledAt = new Date().toISOString();
    });
    await seed.close();
    const fileMb = (await stat(fullConfig.dataFile)).size / 1e6;
    const env = (dataFile: string) => ({
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 'bench-signing-secret',
      SLACK_API_URL: servers.slackUrl,
      OT_API_TOKEN: 'ot_pat_sandbox_owner',
      OT_API_BASE_URL: servers.sandboxUrl,
      HIRING_CHANNEL: 'C0BENCH',
      DATA_FILE: dataFile,
      LOG_LEVEL: 'error',
      // The fixture's proposals date from 2025-01-01 on; the default 180 days would prune them all in the first cycle.
      RETENTION_DAYS: '3650',
    });
    const variants = {
      bare: { args: ['bench/bare-bolt.mjs'], env: env(emptyConfig.dataFile) },
      empty: { args: ['dist/main.js'], env: env(emptyConfig.dataFile) },
      full: { args: ['dist/main.js'], env: env(fullConfig.dataFile) },
    };
    const samples: Record<keyof typeof variants, Sample[]> = { bare: [], empty: [], full: [] };
    for (let run = 0; run < RUNS; run += 1) {
      for (const [name, variant] of Object.entries(variants) as [keyof typeof variants, (typeof variants)['bare']][]) {
        const sample = await measure(variant.args, variant.env);
        if (process.env.BENCH_VERBOSE) console.error(name, JSON.stringify(sample));
        samples[name].push(sample);
      }
    }
    const summary = (name: keyof typeof variants) => ({
      ready: median(samples[name].map((s) => s.readyMs)),
      idle: median(samples[name].map((s) => s.idleRssMb)),
      peak: median(samples[name].map((s) => s.peakRssMb)),
    });
    const bare = summary('bare');
    const empty = summary('empty');
    const full = summary('full');
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    const mb = (value: number) => `${value.toFixed(0)} MB`;
    const times = (value: number, reference: number) => `${(value / reference).toFixed(2)}×`;
    return [
      `Start-up, side by side (median of ${RUNS} interleaved starts each; spawn → /readyz answers 200; idle RSS ` +
        `${IDLE_AFTER_READY_MS / 1000} s after ready):`,
      row('bare Bolt app (acks only): ready', ms(bare.ready), '—'),
      row('… idle RSS', mb(bare.idle), '—'),
      row('bot, empty store: ready', `${ms(empty.ready)} ${times(empty.ready, bare.ready)}`, '≤ 1.5× bare'),
      row('… idle RSS', `${mb(empty.idle)} ${times(empty.idle, bare.idle)}`, '≤ 1.3× bare'),
      row(
        `bot, ${STORED.toLocaleString('en')} proposals (${fileMb.toFixed(0)} MB file): ready`,
        ms(full.ready),
        '< 1.5 s',
      ),
      row('… idle RSS', mb(full.idle), '< 200 MB'),
      row('… peak RSS (during the store load)', mb(full.peak), '—'),
    ];
  } finally {
    await servers.stop();
    // The 50,000-proposal fixture is ~75 MB: don't leave one behind per run.
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  }
}
