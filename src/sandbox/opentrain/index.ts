// The OpenTrain sandbox: a local stand-in for the public API (docs/opentrain.md#sandbox) used by tests,
// `npm run sandbox`, benchmarks and demos.

export { SANDBOX_TOKENS } from './auth.js';
export { KNOB_ENDPOINTS } from './knobs.js';
export type { SeedIds, SeedProposalKey } from './seed.js';
export {
  API_PREFIX,
  KNOB_PREFIX,
  type OpenTrainSandbox,
  type OpenTrainSandboxOptions,
  startOpenTrainSandbox,
} from './server.js';
export type * from './types.js';
export { signWebhookPayload } from './webhooks.js';
