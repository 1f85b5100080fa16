import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, HARNESS_CHANNEL, harnessEnv, startHarnessSlack } from '../../src/sandbox/harness.js';
import { type OpenTrainSandbox, startOpenTrainSandbox } from '../../src/sandbox/opentrain/index.js';
import type { SlackStandIn } from '../../src/sandbox/slack/standin.js';
import { decodeStore } from '../../src/store/index.js';
import { groupAlive } from '../helpers/processes.js';
import { cardsIn } from '../helpers/slack-text.js';

// The production path as the README and the Dockerfile describe it, in a fresh copy of the repository (no Docker
// engine here): the Dockerfile's build-stage RUN lines (npm ci, build, prune to production dependencies), then
// `npm start` and the image's CMD, each stopped by a signal. What is observed: readiness over HTTP, the port closing,
// the store on disk, no process left behind.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** RUN lines of the Dockerfile's build stage, CMD (exec form) and the HEALTHCHECK command. */
function dockerSteps(dockerfile: string): { run: string[]; cmd: string[]; healthcheck: string } {
  const lines = dockerfile.split('\n');
  const stages = lines.flatMap((line, index) => (line.startsWith('FROM ') ? [index] : []));
  const secondStage = stages[1] ?? lines.length;
  const run = lines
    .slice(0, secondStage)
    .filter((line) => line.startsWith('RUN '))
    .map((line) => line.slice(4));
  const cmd = JSON.parse(lines.find((line) => line.startsWith('CMD '))!.slice(4)) as string[];
  const healthcheck = lines.find((line) => line.startsWith('HEALTHCHECK '))!.replace(/^.* CMD /, '');
  return { run, cmd, healthcheck };
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function readyz(port: number): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status;
  } catch {
    return 0;
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('production: the Dockerfile steps and `npm start` in a fresh copy', () => {
  let copy: string;
  let sandbox: OpenTrainSandbox;
  let slack: SlackStandIn;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    copy = await mkdtemp(join(tmpdir(), 'hiring-prod-'));
    // The repository as a clone would have it: tracked files and new ones not ignored (so uncommitted work counts).
    const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file !== '' && existsSync(join(ROOT, file)));
    for (const file of files) await cp(join(ROOT, file), join(copy, file), { recursive: true });
    sandbox = await startOpenTrainSandbox({ port: 0 });
    // The channel exists with the bot in it, as in a workspace set up by the README.
    slack = await startHarnessSlack();
  });

  afterAll(async () => {
    for (const child of children) if (child.pid && groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    await Promise.allSettled([sandbox?.close(), slack?.close()]);
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn(command, args, {
      cwd: copy,
      env: { ...process.env, ...env },
      // Its own process group, so the test can tell whether anything it started is left behind.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    Object.defineProperty(child, 'output', { get: () => output });
    children.push(child);
    return child;
  }
  const outputOf = (child: ChildProcess) => (child as ChildProcess & { output: string }).output;

  async function botEnv(name: string) {
    const dataDir = join(copy, 'data', name);
    return { ...harnessEnv(sandbox, slack, dataDir), LOG_LEVEL: 'info', PORT: String(await freePort()), dataDir };
  }

  it('builds, prunes to production dependencies, and stops cleanly from `npm start` and from the image CMD', async () => {
    const steps = dockerSteps(await readFile(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(steps.run).toEqual(['npm ci --no-audit --no-fund', 'npm run build', 'npm prune --omit=dev']);
    for (const step of steps.run) {
      // The shared npm cache makes `npm ci` quick; the registry is reachable for anything it lacks.
      execFileSync('sh', ['-c', step], {
        cwd: copy,
        stdio: 'pipe',
        env: { ...process.env, npm_config_prefer_offline: 'true' },
      });
    }
    expect(existsSync(join(copy, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(copy, 'node_modules', '@slack', 'bolt'))).toBe(true);
    // Production dependencies only: no compiler, no test runner, no tsx.
    for (const dev of ['typescript', 'vitest', 'tsx', '@biomejs/biome']) {
      expect(existsSync(join(copy, 'node_modules', dev)), dev).toBe(false);
    }

    // `npm start`, stopped by SIGTERM to npm itself (what a process manager signals).
    const first = await botEnv('npm-start');
    const npmStart = start('npm', ['start'], first);
    const port = Number(first.PORT);
    await expect.poll(() => readyz(port), { timeout: 30_000, interval: 200 }).toBe(200);
    // The first run's backfill posts its cards (paced, about one a second): wait until the count settles.
    let settled = -1;
    await expect
      .poll(
        () => {
          const count = cardsIn(slack.messages(HARNESS_CHANNEL)).length;
          const same = count > 0 && count === settled;
          settled = count;
          return same;
        },
        { timeout: 30_000, interval: 1500 },
      )
      .toBe(true);
    process.kill(npmStart.pid!, 'SIGTERM');
    const npmExit = await exited(npmStart);
    expect(npmExit.code, outputOf(npmStart)).toBe(0);
    expect(await portAnswers(port)).toBe(false);
    expect(groupAlive(npmStart.pid!), 'a process of `npm start` is still running').toBe(false);
    // The store on disk holds every card the bot posted, with its Slack ts.
    const stored = decodeStore(await readFile(first.DATA_FILE, 'utf8'));
    const cardTs = Object.values(stored.proposals).flatMap((p) => (p.card?.ts ? [p.card.ts] : []));
    expect(new Set(cardTs)).toEqual(new Set(cardsIn(slack.messages(HARNESS_CHANNEL)).map((m) => m.ts)));
    expect(stored.health.lastSyncAt).not.toBeNull();

    // The image's CMD on the pruned install, its HEALTHCHECK, then `docker stop` (SIGTERM to node).
    const second = await botEnv('image');
    const image = start(steps.cmd[0]!, steps.cmd.slice(1), second);
    await expect.poll(() => readyz(Number(second.PORT)), { timeout: 30_000, interval: 200 }).toBe(200);
    execFileSync('sh', ['-c', steps.healthcheck], { env: { ...process.env, PORT: second.PORT } });
    process.kill(image.pid!, 'SIGTERM');
    expect((await exited(image)).code, outputOf(image)).toBe(0);
    expect(await portAnswers(Number(second.PORT))).toBe(false);
    expect(existsSync(second.DATA_FILE)).toBe(true);
    // Logs are JSON lines off a terminal, and the bot said why it stopped.
    const logs = outputOf(image)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(logs.map((line) => line.msg)).toContain('SIGTERM: stopping (flushing the store)');
  }, 240_000);
});

describe('`npm run sandbox` stops with its npm process', () => {
  for (const how of ['SIGTERM to npm', 'Ctrl-C (SIGINT to the process group)'] as const) {
    it(`on ${how}: the port closes and no process is left`, async () => {
      const port = await freePort();
      const child = spawn('npm', ['run', 'sandbox'], {
        cwd: ROOT,
        env: { ...process.env, SANDBOX_PORT: String(port) },
        detached: true,
        stdio: 'ignore',
      });
      try {
        await expect.poll(() => portAnswers(port), { timeout: 20_000, interval: 200 }).toBe(true);
        if (how === 'SIGTERM to npm') process.kill(child.pid!, 'SIGTERM');
        else process.kill(-child.pid!, 'SIGINT');
        await exited(child);
        await expect.poll(() => groupAlive(child.pid!), { timeout: 5000 }).toBe(false);
        expect(await portAnswers(port)).toBe(false);
      } finally {
        if (groupAlive(child.pid!)) process.kill(-child.pid!, 'SIGKILL');
      }
    }, 30_000);
  }
});
