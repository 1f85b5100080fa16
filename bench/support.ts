import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Config } from '../src/config.js';
import { parseConfig } from '../src/config.js';
import type { SeedIds } from '../src/sandbox/opentrain/index.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface ExternalServers {
  sandboxUrl: string;
  knobUrl: string;
  slackUrl: string;
  ids: SeedIds;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The sandbox and the stand-in in a child process (see servers.ts). */
export async function startExternalServers(): Promise<ExternalServers> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/servers.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench servers exited with ${code}`)));
  });
  const info = JSON.parse(first) as Omit<ExternalServers, 'child' | 'stop'>;
  return {
    ...info,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

export async function knob(servers: { knobUrl: string }, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${servers.knobUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`knob ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export async function benchConfig(
  urls: { sandboxUrl: string; slackUrl: string },
  extra: Record<string, string> = {},
): Promise<Config> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hiring-bench-'));
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_API_URL: urls.slackUrl,
    OT_API_TOKEN: 'ot_pat_sandbox_owner',
    OT_API_BASE_URL: urls.sandboxUrl,
    HIRING_CHANNEL: 'C0BENCH',
    DATA_FILE: join(dataDir, 'hiring-bot.json'),
    LOG_LEVEL: 'error',
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return { ...parsed.config, port: 0 };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function row(label: string, value: string, target: string): string {
  return `  ${label.padEnd(46)} ${value.padStart(12)}   (target ${target})`;
}
