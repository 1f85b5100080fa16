// The page's sandbox panel: what OpenTrain does on its own, on demand (a new proposal, a candidate's answer) and how
// it misbehaves (latency, errors), by calling the sandbox in-process.

import type { OpenTrainSandbox } from '../opentrain/index.js';
import type { ScriptedActivity } from './activity.js';
import { type Body, field, HttpError, optional } from './http-body.js';

export type PostRoute = (body: Body) => Promise<Record<string, unknown>>;

export function sandboxKnobRoutes(sandbox: OpenTrainSandbox, activity: ScriptedActivity): [string, PostRoute][] {
  return [
    ['/api/knobs/proposal', async (body) => ({ ok: true, proposalId: activity.addProposal(optional(body, 'jobId')) })],
    [
      '/api/knobs/candidate-reply',
      async (body) => {
        activity.candidateReply(field(body, 'conversationId'));
        return { ok: true };
      },
    ],
    [
      '/api/knobs/latency',
      async (body) => {
        const ms = Number(body.ms);
        if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new HttpError(400, 'ms must be 0–60000');
        sandbox.setLatency(ms);
        return { ok: true };
      },
    ],
    [
      '/api/knobs/errors',
      async (body) => {
        const count = Number(body.count ?? 3);
        if (!Number.isInteger(count) || count < 1 || count > 100) throw new HttpError(400, 'count must be 1–100');
        sandbox.injectFaults({ status: 503, count, reason: 'injected from the playground' });
        return { ok: true };
      },
    ],
    [
      '/api/knobs/clear',
      async () => {
        sandbox.clearFaults();
        return { ok: true };
      },
    ],
  ];
}
