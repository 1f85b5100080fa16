import { escapeMrkdwn } from '../../blocks/format.js';
import { DEFAULT_WEIGHTS, type Weights } from '../../domain.js';
import { weightsFor } from '../../services/jobs.js';
import { describeWeights, validateWeights } from '../../services/ranking.js';
import type { JobView as StoredJob } from '../../store/index.js';
import type { BotContext } from '../context.js';
import { type CommandArgs, ephemeral, findJob } from './shared.js';

// `/hiring weights [interview=0.5 match=0.3 price=0.2] [job]` (docs/architecture.md#hiring-command, #ranking). Without
// numbers it shows the weights in force; with numbers it sets them — globally, or for the named job — and re-ranks the
// affected cards. Anyone may look; only reviewers may change them, so this handler does its own check (the route has no
// writeAction).

type WeightsArgs = CommandArgs<{ weights?: Partial<Weights>; job?: string; reset?: boolean }>;

export async function weightsCommand(args: WeightsArgs): Promise<void> {
  const { command, respond, parsed, ctx } = args;
  if ((parsed.reset || parsed.weights) && !ctx.reviewers.canAct(command.user_id)) {
    await respond(ephemeral({ text: ctx.reviewers.refusal('change the ranking weights') }));
    return;
  }
  if (parsed.reset) {
    await resetWeights(args);
    return;
  }
  if (parsed.weights) {
    await setWeights(args, parsed.weights);
    return;
  }
  if (parsed.job) {
    const job = await findJob(ctx, respond, parsed.job);
    if (!job) return;
    await respond(ephemeral({ text: showJobWeights(ctx, job) }));
    return;
  }
  await respond(ephemeral({ text: showAllWeights(ctx) }));
}

async function setWeights({ respond, parsed, ctx }: WeightsArgs, requested: Partial<Weights>): Promise<void> {
  const job = parsed.job ? await findJob(ctx, respond, parsed.job) : null;
  if (parsed.job && !job) return;

  // A partial set (`price=0`) keeps the other weights as they are in force where it applies.
  const base = job ? weightsFor(ctx.store, job.id) : globalWeights(ctx);
  const checked = validateWeights(requested, base);
  if (!checked.ok) {
    await respond(ephemeral({ text: `:warning: ${checked.message} Nothing was changed.` }));
    return;
  }
  const next = checked.weights;
  const changed = await applyWeights(ctx, job, { ...next });

  const where = job ? `for *${escapeMrkdwn(job.title)}*` : 'for all jobs without their own weights';
  const lines = [`:white_check_mark: Ranking weights ${where} are now ${describeWeights(next)}.`];
  const withCards = changed.filter((id) => hasCards(ctx, id)).length;
  if (changed.length === 0) lines.push('They were already in force, so no card changes.');
  else if (withCards > 0) lines.push(`Re-ranking the cards of ${withCards === 1 ? '1 job' : `${withCards} jobs`}.`);
  if (!job) {
    const overridden = jobsWithOwnWeights(ctx);
    if (overridden.length > 0) {
      lines.push(
        `Not affected (own weights): ${overridden.map((entry) => `*${escapeMrkdwn(entry.title)}*`).join(', ')}.`,
      );
    }
  }
  await respond(ephemeral({ text: lines.join('\n') }));
}

/** `weights reset [job]`: a job drops its own weights (the global ones apply); globally, back to the defaults. */
async function resetWeights({ respond, parsed, ctx }: WeightsArgs): Promise<void> {
  const job = parsed.job ? await findJob(ctx, respond, parsed.job) : null;
  if (parsed.job && !job) return;
  await applyWeights(ctx, job, null);
  const text = job
    ? `:leftwards_arrow_with_hook: *${escapeMrkdwn(job.title)}* now uses the global weights (${describeWeights(weightsFor(ctx.store, job.id))}).`
    : `:leftwards_arrow_with_hook: Global ranking weights are back to the defaults (${describeWeights(DEFAULT_WEIGHTS)}).`;
  await respond(ephemeral({ text }));
}

/**
 * Sets a job's own weights, or the global ones (`job` null); null drops them. Re-ranks exactly the jobs whose
 * effective weights moved, and returns their ids.
 */
async function applyWeights(ctx: BotContext, job: StoredJob | null, weights: Weights | null): Promise<string[]> {
  // Effective weights per job before the change, to compare with after.
  const jobIds = job ? [job.id] : Object.keys(ctx.store.data.jobs);
  const before = new Map(jobIds.map((id) => [id, weightsFor(ctx.store, id)]));
  if (weights) ctx.store.weights.set(job?.id ?? null, weights);
  else ctx.store.weights.reset(job?.id ?? null);
  const changed = jobIds.filter((id) => !sameWeights(before.get(id)!, weightsFor(ctx.store, id)));
  // The cards to refresh are marked in the same write as the weights, so a restart can't leave them stale.
  for (const id of changed) ctx.cards.jobChanged(id);
  await ctx.store.flush();
  ctx.cards.postPending();
  return changed;
}

function showAllWeights(ctx: BotContext): string {
  const lines = [`*Ranking weights* — ${globalLine(ctx)}`];
  const overridden = jobsWithOwnWeights(ctx);
  if (overridden.length > 0) {
    lines.push('', '*Jobs with their own weights*');
    for (const job of overridden) lines.push(`• *${escapeMrkdwn(job.title)}* — ${describeWeights(job.weights!)}`);
  }
  lines.push('', usageHint());
  return lines.join('\n');
}

function showJobWeights(ctx: BotContext, job: StoredJob): string {
  const own = job.weights;
  const title = escapeMrkdwn(job.title);
  const lines = [
    own
      ? `*${title}* ranks with its own weights: ${describeWeights(own)}.`
      : `*${title}* ranks with the global weights: ${describeWeights(globalWeights(ctx))}.`,
  ];
  if (own) lines.push(`Global weights (other jobs): ${globalLine(ctx)}`);
  lines.push('', usageHint());
  return lines.join('\n');
}

function globalLine(ctx: BotContext): string {
  const isDefault = ctx.store.data.globalWeights === null;
  return `${describeWeights(globalWeights(ctx))}${isDefault ? ' _(defaults)_' : ''}`;
}

function usageHint(): string {
  return (
    'Score = interview × w + match × w + price fit × w, each on 0–100; a missing signal drops out and the rest are ' +
    'rescaled. Set with `/hiring weights interview=0.5 match=0.3 price=0.2 [job]`.'
  );
}

function globalWeights(ctx: BotContext): Weights {
  return ctx.store.data.globalWeights ?? DEFAULT_WEIGHTS;
}

function jobsWithOwnWeights(ctx: BotContext): StoredJob[] {
  return Object.values(ctx.store.data.jobs)
    .filter((job) => job.weights !== null)
    .sort((a, b) => a.title.localeCompare(b.title));
}

function hasCards(ctx: BotContext, jobId: string): boolean {
  return Object.values(ctx.store.data.proposals).some((stored) => stored.proposal.jobId === jobId && stored.card);
}

function sameWeights(a: Weights, b: Weights): boolean {
  return a.interview === b.interview && a.match === b.match && a.price === b.price;
}
