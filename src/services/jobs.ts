import type { OpenTrainClient } from '../api/index.js';
import { DEFAULT_WEIGHTS, type Job, type Weights } from '../domain.js';
import { own } from '../records.js';
import type { Store, StoredJob } from '../store/index.js';

// Which jobs the bot watches and where their cards go (docs/architecture.md#sync): OT_JOB_IDS if set, else every OPEN
// job, adjusted by `/hiring watch` / `unwatch`; channel = the job's watch channel, else HIRING_CHANNEL.

export interface WatchRules {
  jobIds: string[] | null;
  hiringChannel: string | null;
}

export function isWatched(job: StoredJob, rules: WatchRules): boolean {
  if (job.watch !== null) return job.watch;
  if (rules.jobIds) return rules.jobIds.includes(job.id);
  return job.status === 'OPEN';
}

export function channelFor(job: StoredJob, rules: WatchRules): string | null {
  return job.channelId ?? rules.hiringChannel;
}

export function watchedJobs(store: Store, rules: WatchRules): StoredJob[] {
  return Object.values(store.data.jobs).filter((job) => isWatched(job, rules));
}

export function weightsFor(store: Store, jobId: string): Weights {
  return own(store.data.jobs, jobId)?.weights ?? store.data.globalWeights ?? DEFAULT_WEIGHTS;
}

/** Placeholder for a job known only by id (from OT_JOB_IDS or an event) until /jobs/mine names it. */
export function unknownJob(id: string, title = id): StoredJob {
  return { id, title, status: 'UNKNOWN', published: false, channelId: null, watch: null, weights: null };
}

/**
 * Reads every page of /jobs/mine into the store, keeping local watch settings, and returns the jobs as OpenTrain
 * gave them (with their proposal counts). The store is only touched when something actually changed.
 */
export async function refreshJobs(client: OpenTrainClient, store: Store, rules: WatchRules): Promise<Job[]> {
  const seen: Job[] = [];
  for await (const job of client.myJobs()) seen.push(job);
  const stale = seen.filter((job) => {
    const stored = own(store.data.jobs, job.id);
    return !stored || stored.title !== job.title || stored.status !== job.status || stored.published !== job.published;
  });
  const missing = (rules.jobIds ?? []).filter((id) => !own(store.data.jobs, id) && !seen.some((job) => job.id === id));
  if (stale.length > 0 || missing.length > 0) {
    store.jobs.learn([
      ...stale.map((job) => {
        const existing = own(store.data.jobs, job.id) ?? unknownJob(job.id);
        return { ...existing, title: job.title, status: job.status, published: job.published };
      }),
      ...missing.map((id) => unknownJob(id)),
    ]);
  }
  return seen;
}
