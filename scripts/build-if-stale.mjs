// `npm start` runs this first: builds dist/ when it is missing or older than the sources, so a fresh clone or a
// `git pull` never runs yesterday's JavaScript. Without TypeScript (production dependencies only) it runs dist/ as it is, saying so when it looks stale.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILT = join(ROOT, 'dist', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(
  newestSource(join(ROOT, 'src')),
  ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((file) => statSync(join(ROOT, file)).mtimeMs),
);
const built = existsSync(BUILT) ? statSync(BUILT).mtimeMs : 0;
if (built >= sources) process.exit(0);

let hasTypeScript = true;
try {
  createRequire(import.meta.url).resolve('typescript');
} catch {
  hasTypeScript = false;
}
if (!hasTypeScript) {
  if (built > 0) {
    console.error(
      'dist/ is older than src/, but TypeScript is not installed (production dependencies only): running it.',
    );
    process.exit(0);
  }
  console.error('dist/ is missing and TypeScript is not installed: run `npm ci && npm run build` first.');
  process.exit(1);
}
console.error(built > 0 ? 'dist/ is older than src/: building…' : 'dist/ is missing: building…');
const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
process.exit(result.status ?? 1);
