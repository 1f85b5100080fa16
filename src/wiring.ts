import type { WebClient } from '@slack/web-api';
import type { OpenTrainClient } from './api/index.js';
import type { AppDeps } from './app.js';
import { askedMessage } from './blocks/relay.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { AskService } from './services/ask.js';
import { CardLinks } from './services/card-links.js';
import { CardRecovery } from './services/card-recovery.js';
import { CardService } from './services/cards.js';
import { ChannelAccess } from './services/channel-access.js';
import { DigestService } from './services/digest.js';
import { HireService } from './services/hire/service.js';
import { HOME_REFRESH_POLICY, HomeService } from './services/home.js';
import { type WatchRules, weightsFor } from './services/jobs.js';
import { reviewerPolicy } from './services/permissions.js';
import { PostHireNotices } from './services/post-hire-notices.js';
import { RelayService } from './services/relay.js';
import { ShortlistService } from './services/shortlist.js';
import { SLACK_POLICY, unlimitedPolicy } from './services/slack-budgets.js';
import { webClientHomePublisher, webClientSlackPort } from './services/slack-port.js';
import { SlackScheduler } from './services/slack-scheduler.js';
import { SyncService } from './services/sync.js';
import type { Store } from './store/index.js';

// The services and how they are connected: one Slack scheduler for every post, edit and publish; the card service at
// the centre (the relay, digest, shortlists and hires use its ranks and re-renders); the store change listeners that
// keep App Home tabs and shortlists fresh; the sync service last, handing each committed cycle to the relay, the
// post-hire notices and the hire service. Free of Bolt but for the Web API client the Slack ports wrap.

export interface ServiceWiring {
  config: Config;
  deps: Pick<AppDeps, 'slackPolicy' | 'postIntervalMs' | 'schedulerClock' | 'proposalRetryPolicy'>;
  logger: Logger;
  clock: () => Date;
  store: Store;
  openTrain: OpenTrainClient;
  rules: WatchRules;
  /** The Bolt app's Web API client. */
  client: WebClient;
}

/** Builds every service; `stopListening` ends the store change listeners and the Home refresh rounds (shutdown). */
export function buildServices({ config, deps, logger, clock, store, openTrain, rules, client }: ServiceWiring) {
  const slack = webClientSlackPort(client);
  const policy = deps.slackPolicy ?? (deps.postIntervalMs === 0 ? unlimitedPolicy() : SLACK_POLICY);
  const scheduler = new SlackScheduler(policy, deps.schedulerClock);
  const access = new ChannelAccess({ slack, logger });
  const cards = new CardService({
    slack,
    store,
    scheduler,
    access,
    logger,
    clock,
    weightsFor: (jobId) => weightsFor(store, jobId),
  });
  // Card permalinks never change: App Home and the shortlists ask Slack once per card between them.
  const cardLinks = new CardLinks(slack, HOME_REFRESH_POLICY.maxCachedLinks);
  const shortlists = new ShortlistService({ store, slack, scheduler, cards, access, logger, clock, links: cardLinks });
  // A shortlist shows what cards show: a card's change makes the shortlists holding it due (background, coalesced).
  cards.watch({ proposalChanged: (id) => shortlists.proposalChanged(id), pendingChecked: () => shortlists.sweep() });
  const relay = new RelayService({ client: openTrain, store, slack, cards, scheduler, logger, clock });
  const ask = new AskService({
    store,
    relay,
    ranksFor: (jobId) => cards.ranksFor(jobId),
    askedNote: askedMessage,
    logger,
    clock,
  });
  const digest = new DigestService({ store, slack, cards, logger, clock, rules, timeZone: config.digest.timezone });
  const reviewers = reviewerPolicy(config.reviewerIds);
  const home = new HomeService({
    store,
    links: cardLinks,
    slack: { ...webClientHomePublisher(client), permalink: (channel, ts) => slack.permalink(channel, ts) },
    scheduler,
    canAct: (userId) => reviewers.canAct(userId),
    rules,
    logger,
    clock,
    ...(deps.schedulerClock ? { timers: deps.schedulerClock } : {}),
  });
  // Every change may alter what someone's Home tab shows; the service re-renders the recent openers' tabs in rounds
  // (a burst of changes is one round) and re-publishes only the tabs that differ.
  const stopHomeRefresh = store.onChange(() => home.changed());
  // Questions asked reach the shortlists holding those finalists (the ask service writes them; no card announces it).
  const stopShortlistRefresh = store.onChange(() => shortlists.storeChanged());
  const notices = new PostHireNotices({ store, client: openTrain, slack, scheduler, access, logger, clock });
  const hires = new HireService({
    client: openTrain,
    store,
    cards,
    slack,
    // One queue per card thread with the relay's posts: the channel's posting budget, and the thread's order.
    post: (priority, proposalId, message) => relay.postInThread(priority, proposalId, message),
    access,
    logger,
    clock,
  });
  let announcements = 0;
  const recovery = new CardRecovery({ store, cards, logger, clock, rules, retentionDays: config.retentionDays });
  const sync = new SyncService({
    client: openTrain,
    store,
    cards,
    recovery,
    ...(deps.proposalRetryPolicy ? { retryPolicy: deps.proposalRetryPolicy } : {}),
    logger,
    clock,
    rules,
    backfillHours: config.backfillHours,
    retentionDays: config.retentionDays,
    announce: async (channel, text) => {
      announcements += 1;
      await scheduler.schedule({ priority: 'arrival', channel, key: `announce:${announcements}`, call: 'post' }, () =>
        slack.postMessage({ channel, text }),
      );
    },
    relay,
    notices,
    hires,
  });

  return {
    slack,
    scheduler,
    access,
    cards,
    shortlists,
    relay,
    ask,
    digest,
    reviewers,
    home,
    hires,
    recovery,
    sync,
    stopListening() {
      stopHomeRefresh();
      home.stop();
      stopShortlistRefresh();
    },
  };
}
