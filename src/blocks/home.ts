import { escapeMrkdwn, formatUsd, plural, slackDate } from './format.js';
import { HOME_ACTIONS } from './ids.js';
import { fitHomeView, type HomeView, type KnownBlock } from './limits.js';

// A person's App Home tab (docs/slack.md#app-home): four short lists, each item with a button to its card. No clock
// in here (dates are Slack's `<!date>` tokens, shown in each reader's time zone), so the same overview always renders
// the same view and an unchanged Home tab is never re-published.

// What one person's App Home shows (built from the store by src/services/home-overview.ts).

/** A posted card, by where it is; the Home tab's buttons link to its permalink. */
export interface CardRef {
  channel: string;
  ts: string;
}

export interface HomeJob {
  jobId: string;
  title: string;
  /** Cards in the running that nobody has voted on. */
  unreviewed: number;
  /** Cards in the running this person hasn't voted on. */
  notVotedByYou: number;
  /** The oldest card this person hasn't voted on. */
  next: CardRef | null;
}

export interface HomeProposalItem {
  proposalId: string;
  name: string;
  jobTitle: string;
  card: CardRef | null;
}

export interface HomeConversationItem extends HomeProposalItem {
  /** At least one: awaiting our reply means the candidate wrote last. */
  toAnswer: number;
  lastInboundAt: string | null;
}

export interface HomeFinalistItem extends HomeProposalItem {
  askedBy: string;
  askedAt: string;
  questions: number;
}

export interface HomeApprovalItem extends HomeProposalItem {
  amountUsd: number | null;
  requestedBy: string | null;
  expiresAt: string | null;
  approvalUrl: string | null;
}

/** One list of the tab: the items shown (at most HOME_LIST_SHOWN, in order) and how many there are in all. */
export interface HomeList<T> {
  items: T[];
  total: number;
}

export interface HomeOverview {
  userId: string;
  /** Reviewers get the buttons that act (the approval link); everyone gets the links to the cards. */
  canAct: boolean;
  jobs: HomeList<HomeJob>;
  awaitingReply: HomeList<HomeConversationItem>;
  unansweredFinalists: HomeList<HomeFinalistItem>;
  pendingApprovals: HomeList<HomeApprovalItem>;
}

/** Items shown per list; the rest are counted ("…and 4 more"): the cards hold them, and 100 blocks is Slack's cap. */
export const HOME_LIST_SHOWN = 12;

/** Where a card's permalink is found in the links the service resolved. */
export function cardKey(card: CardRef): string {
  return `${card.channel}:${card.ts}`;
}

export function homeView(overview: HomeOverview, links: ReadonlyMap<string, string>): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Your hiring overview' } },
    {
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: HOME_ACTIONS.refresh,
          text: { type: 'plain_text', text: 'Refresh' },
        },
      ],
    },
  ];
  const nothing =
    overview.jobs.total === 0 &&
    overview.awaitingReply.total === 0 &&
    overview.unansweredFinalists.total === 0 &&
    overview.pendingApprovals.total === 0;
  if (nothing) {
    blocks.push(context('Nothing needs you right now: no open jobs, conversations or approvals are waiting.'));
    return fitHomeView({ type: 'home', blocks });
  }
  const linkTo = (card: CardRef | null) => (card === null ? null : (links.get(cardKey(card)) ?? null));
  section(blocks, 'Open jobs', overview.jobs, 'No open jobs are watched.', (job) => jobBlocks(job, linkTo(job.next)));
  section(
    blocks,
    'Conversations awaiting our reply',
    overview.awaitingReply,
    'Nobody is waiting for a reply.',
    (item) => itemBlocks(item, conversationLine(item), linkTo(item.card), 'Open thread'),
  );
  section(blocks, 'Finalists without answers', overview.unansweredFinalists, 'No finalist owes us an answer.', (item) =>
    itemBlocks(item, finalistLine(item), linkTo(item.card), 'Open card'),
  );
  section(blocks, 'Hire approvals pending', overview.pendingApprovals, 'No hire is waiting for approval.', (item) =>
    approvalBlocks(item, linkTo(item.card), overview.canAct),
  );
  return fitHomeView({ type: 'home', blocks });
}

function section<T>(
  blocks: KnownBlock[],
  title: string,
  list: HomeList<T>,
  empty: string,
  render: (item: T) => KnownBlock[],
): void {
  blocks.push({ type: 'divider' }, { type: 'header', text: { type: 'plain_text', text: `${title} (${list.total})` } });
  if (list.total === 0) {
    blocks.push(context(empty));
    return;
  }
  const shown = list.items.slice(0, HOME_LIST_SHOWN);
  for (const item of shown) blocks.push(...render(item));
  const more = list.total - shown.length;
  if (more > 0) blocks.push(context(`…and ${more} more.`));
}

function jobBlocks(job: HomeJob, next: string | null): KnownBlock[] {
  const counts =
    job.notVotedByYou === 0
      ? `${job.unreviewed} unreviewed · you have voted on every card`
      : `${job.unreviewed} unreviewed, ${job.notVotedByYou} you haven't voted on`;
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(job.title)}*\n${counts}` },
      ...(next === null ? {} : { accessory: linkButton(HOME_ACTIONS.openCard, 'Review next', next, job.jobId) }),
    },
  ];
}

function conversationLine(item: HomeConversationItem): string {
  const since =
    item.lastInboundAt === null ? '' : ` · last ${slackDate(item.lastInboundAt, '{date_short_pretty} {time}')}`;
  return `${plural(item.toAnswer, 'message')} to answer${since}`;
}

function finalistLine(item: HomeFinalistItem): string {
  return `${plural(item.questions, 'question')} asked by <@${item.askedBy}> ${slackDate(item.askedAt, '{date_short_pretty} {time}')} · no answer yet`;
}

function approvalLine(item: HomeApprovalItem): string {
  const parts = [item.amountUsd === null ? 'Hire requested' : `${formatUsd(item.amountUsd)} first milestone`];
  if (item.requestedBy !== null) parts.push(`requested by <@${item.requestedBy}>`);
  parts.push(
    item.expiresAt === null ? 'no expiry given' : `expires ${slackDate(item.expiresAt, '{date_short_pretty} {time}')}`,
  );
  return parts.join(' · ');
}

function itemBlocks(item: HomeProposalItem, line: string, card: string | null, label: string): KnownBlock[] {
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*${escapeMrkdwn(item.name)}* · ${escapeMrkdwn(item.jobTitle)}\n${line}` },
      ...(card === null ? {} : { accessory: linkButton(HOME_ACTIONS.openCard, label, card, item.proposalId) }),
    },
  ];
}

/** Reviewers also get the approval link: confirming a hire is theirs to do (src/services/permissions.ts). */
function approvalBlocks(item: HomeApprovalItem, card: string | null, canAct: boolean): KnownBlock[] {
  const blocks = itemBlocks(item, approvalLine(item), card, 'Open card');
  if (canAct && item.approvalUrl !== null && /^https?:\/\//i.test(item.approvalUrl)) {
    blocks.push({
      type: 'actions',
      elements: [
        linkButton(HOME_ACTIONS.openApproval, 'Review approval on OpenTrain', item.approvalUrl, item.proposalId),
      ],
    });
  }
  return blocks;
}

function linkButton(actionId: string, text: string, url: string, value: string) {
  return { type: 'button' as const, action_id: actionId, text: { type: 'plain_text' as const, text }, url, value };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}
