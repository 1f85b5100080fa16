import { describeError } from '../../api/index.js';
import { statusMessage } from '../../blocks/help.js';
import { channelProblemText } from '../../services/channel-access.js';
import { channelFor, isWatched } from '../../services/jobs.js';
import type { CommandArgs } from './shared.js';
import { ephemeral } from './shared.js';

/** `/hiring status`: token scopes and claim, enabled features, watched jobs, last sync, cursor, last error. */
export async function statusCommand({ respond, ctx }: CommandArgs<unknown>): Promise<void> {
  const { store } = ctx;
  let claimed = false;
  let scopes: string[] = [];
  let features: Record<string, boolean> = {};
  let reachable = true;
  let probeError: string | null = null;
  try {
    const [me, capabilities] = await Promise.all([ctx.openTrain.authMe(), ctx.openTrain.capabilities()]);
    claimed = me.claimed;
    scopes = me.scopes;
    features = capabilities.capabilities;
  } catch (error) {
    reachable = false;
    probeError = describeError(error);
  }
  const watched = Object.values(store.data.jobs)
    .filter((job) => isWatched(job, ctx.rules))
    .map((job) => ({ title: job.title, channelId: channelFor(job, ctx.rules) }));
  const health = store.data.health;
  await respond(
    ephemeral(
      statusMessage({
        claimed,
        scopes,
        features,
        watched,
        lastSyncAt: health.lastSyncAt,
        cursor: store.data.cursor,
        lastError: probeError ?? health.lastError,
        mode: health.mode,
        openTrainReachable: reachable,
        channelProblems: ctx.access.blocked.map(({ channelId, problem }) => channelProblemText(channelId, problem)),
        now: ctx.clock(),
        storeRecovery: store.data.recovery ?? null,
        failingProposals: Object.entries(store.data.failingProposals ?? {}).map(([id, failing]) => ({
          id,
          attempts: failing.attempts,
          setAside: failing.setAsideAt !== null,
          reason: failing.reason,
          requestId: failing.requestId,
        })),
      }),
    ),
  );
}
