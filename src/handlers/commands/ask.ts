import { ASK_TITLE } from '../../blocks/ask.js';
import { own } from '../../records.js';
import { askFormView } from '../ask-form.js';
import { openLoadingModal } from '../modal.js';
import { resolveJob } from './references.js';
import { type CommandArgs, knownJobs } from './shared.js';

/**
 * `/hiring ask <job> [top N]` (reviewers only; the dispatcher checks): the Ask finalists form with the top N
 * pre-selected. The form opens as "Loading…" at once while the job is looked up (OpenTrain may be slow).
 */
export async function askCommand({ command, parsed, ctx, client }: CommandArgs<{ job: string; top?: number }>) {
  const channel = command.channel_id || null;
  await openLoadingModal(ctx, client, {
    triggerId: command.trigger_id,
    title: ASK_TITLE,
    what: `the ${ASK_TITLE} form`,
    place: { channel, user: command.user_id },
    label: '/hiring ask',
    fill: async () => {
      const { jobs, warning } = await knownJobs(ctx);
      const found = resolveJob(parsed.job, jobs);
      if (!found.ok) return { ok: false, message: warning ? `${found.message} ${warning}` : found.message };
      const job = own(ctx.store.data.jobs, found.job.id) ?? found.job;
      return {
        ok: true,
        view: askFormView(ctx, { jobId: job.id, channel, ...(parsed.top ? { top: parsed.top } : {}) }),
      };
    },
  });
}
