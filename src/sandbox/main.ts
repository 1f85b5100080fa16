// `npm run sandbox`: serves the OpenTrain sandbox on SANDBOX_PORT (default 4010) until SIGINT/SIGTERM.

import { KNOB_ENDPOINTS, SANDBOX_TOKENS, startOpenTrainSandbox } from './opentrain/index.js';

const DEFAULT_PORT = 4010;

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`SANDBOX_PORT must be a port number (0–65535), got "${value}"`);
    process.exit(1);
  }
  return port;
}

const sandbox = await startOpenTrainSandbox({ port: portFromEnv(process.env.SANDBOX_PORT), host: '127.0.0.1' });

console.log(`OpenTrain sandbox listening
  API base URL      ${sandbox.url}
  owner token       ${SANDBOX_TOKENS.owner}   (claimed, every scope and feature)
  unclaimed token   ${SANDBOX_TOKENS.unclaimed}   (pre-claim scopes only)
  jobs              spanish ${sandbox.ids.jobs.spanish}, medical ${sandbox.ids.jobs.medical}, draft ${sandbox.ids.jobs.draft}

Knobs (no auth):
${KNOB_ENDPOINTS.map((line) => `  ${line}`).join('\n')}

Try: curl -s -H 'Authorization: Bearer ${SANDBOX_TOKENS.owner}' ${sandbox.url}/jobs/mine`);

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the sandbox`);
  await sandbox.close();
  process.exit(0);
}
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
