import { ASK_TITLE } from '../../blocks/ask.js';
import { own } from '../../records.js';
import { askFormView } from '../ask-form.js';
import { openLoadingModal, openReadyModal } from '../modal.js';
import { resolveJob } from './references.js';
import { type CommandArgs, knownJobs } from './shared.js';

/**
 * `/hiring ask <job> [top N]` (reviewers only; the dispatcher checks): the Ask finalists form with the top N
 * pre-selected. A job the bot doesn't know yet is looked up on OpenTrain behind a "Loading…" form (it may be slow).
 */
export async function askCommand({ command, parsed, ctx, client }: CommandArgs<{ job: string; top?: number }>) {
  const channel = command.channel_id || null;
  const place = { channel, user: command.user_id };
  const top = parsed.top ? { top: parsed.top } : {};
  // Only tracked proposals can be asked, so a job the store names is ready at once, whatever OpenTrain's pace.
  const known = resolveJob(parsed.job, Object.values(ctx.store.data.jobs));
  if (known.ok) {
    await openReadyModal(ctx, client, {
      triggerId: command.trigger_id,
      what: `the ${ASK_TITLE} form`,
      place,
      label: '/hiring ask',
      view: askFormView(ctx, { jobId: known.job.id, channel, ...top }),
    });
    return;
  }
  await openLoadingModal(ctx, client, {
    triggerId: command.trigger_id,
    title: ASK_TITLE,
    what: `the ${ASK_TITLE} form`,
    place,
    label: '/hiring ask',
    fill: async () => {
      const { jobs, warning } = await knownJobs(ctx);
      const found = resolveJob(parsed.job, jobs);
      if (!found.ok) return { ok: false, message: warning ? `${found.message} ${warning}` : found.message };
      const job = own(ctx.store.data.jobs, found.job.id) ?? found.job;
      return {
        ok: true,
        view: askFormView(ctx, { jobId: job.id, channel, ...top }),
      };
    },
  });
}
