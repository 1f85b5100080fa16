// What a person does on the page, sent to the app the way Slack sends it: the composer (messages and slash
// commands), clicks and selects, modal submissions and the message shortcut, all through the stand-in's delivery.
// response_url posts the app makes afterwards are shown to whoever the URL was issued to.

import { escapeMrkdwn } from '../../blocks/format.js';
import { SEND_TO_CANDIDATE_CALLBACK } from '../../blocks/ids.js';
import type { SlackHttpResult, SlackRequestSender } from '../slack/signed-requests.js';
import type { SlackStandIn } from '../slack/standin.js';
import { type Body, field, HttpError, optional } from './http-body.js';
import type { PostRoute } from './knobs.js';
import { type SubmittedInput, submittedValues } from './view-state.js';
import { DEMO_CHANNELS, type Workspace } from './workspace.js';

/** How the page's actions reach the app: the stand-in's delivery (Socket Mode, or signed HTTP). */
export type SlackDelivery = Pick<
  SlackRequestSender,
  'command' | 'blockAction' | 'viewSubmission' | 'messageShortcut' | 'appHomeOpened'
>;

/** What Slack shows when an app doesn't ack in time. */
function ackProblem(result: SlackHttpResult): string | null {
  if (result.status === 200) return null;
  if (result.status === 408) return "The app didn't respond in time (Slack waits 3 seconds).";
  return `The app answered with HTTP ${result.status}.`;
}

/** What a person may type in one message (Slack allows more; the page has no use for it). */
const MAX_TEXT_LENGTH = 4000;

/** Only the workspace's channels exist for the page. */
function channelOf(body: Body): string {
  const channel = field(body, 'channel');
  if (!DEMO_CHANNELS.some((entry) => entry.id === channel)) throw new HttpError(404, 'no such channel');
  return channel;
}

interface ResponseTarget {
  user: string;
  channel: string;
  thread_ts?: string;
}

export class PageActions {
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private seenResponses = 0;

  constructor(
    private readonly slack: SlackStandIn,
    private readonly deliver: SlackDelivery,
    private readonly workspace: Workspace,
  ) {}

  routes(): [string, PostRoute][] {
    return [
      ['/api/post', (body) => this.post(body)],
      ['/api/action', (body) => this.action(body)],
      ['/api/submit', (body) => this.submit(body)],
      ['/api/close', async (body) => this.closeView(body)],
      ['/api/shortcut', (body) => this.shortcut(body)],
      ['/api/home', (body) => this.openHome(body)],
    ];
  }

  /** response_url posts: shown to whoever the URL was issued to, or to the channel when posted in_channel. */
  collectResponses(): void {
    const responses = this.slack.responses;
    for (; this.seenResponses < responses.length; this.seenResponses += 1) {
      const response = responses[this.seenResponses]!;
      const target = this.responseTargets.get(response.id);
      if (target === undefined) continue;
      const { body } = response;
      if (body.delete_original === true) continue;
      const content = {
        ...(typeof body.text === 'string' ? { text: body.text } : {}),
        ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
      };
      // in_channel: everyone sees it, posted as the app; otherwise (Slack's default) only the person who acted.
      if (body.response_type === 'in_channel') {
        this.slack.addMessage(target.channel, {
          ...content,
          ...(target.thread_ts ? { thread_ts: target.thread_ts } : {}),
        });
      } else this.workspace.addNotice({ ...target, ...content });
    }
  }

  private remember(result: SlackHttpResult, target: ResponseTarget): void {
    const id = result.responseUrl?.split('/response/')[1];
    if (id !== undefined) this.responseTargets.set(id, target);
  }

  /** The composer: `/command …` goes to the app; anything else is a message from you in the channel or thread. */
  private async post(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const channel = channelOf(body);
    const threadTs = optional(body, 'threadTs');
    if (threadTs !== undefined && this.slack.findMessage(channel, threadTs) === undefined) {
      throw new HttpError(404, 'no such thread');
    }
    const text = field(body, 'text').trim();
    if (text.length > MAX_TEXT_LENGTH)
      throw new HttpError(400, `a message holds at most ${MAX_TEXT_LENGTH} characters`);
    const slash = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
    if (slash === null) {
      this.slack.addMessage(channel, {
        user,
        text: escapeMrkdwn(text),
        ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
      });
      return { ok: true };
    }
    const [, command, args] = slash;
    if (command !== '/hiring') {
      this.workspace.addNotice({ user, channel, text: `\`${command}\` is not a valid command. Try \`/hiring help\`.` });
      return { ok: true };
    }
    const result = await this.deliver.command(args ?? '', { userId: user, channelId: channel });
    this.remember(result, { user, channel });
    const problem = ackProblem(result);
    // An answer in the ack itself is shown by the stand-in's delivery, only to you (like Slack).
    return problem === null ? { ok: true } : { ok: false, error: `/hiring failed: ${problem}` };
  }

  /** A button, select or overflow on a message or in a modal. */
  private async action(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const actionId = field(body, 'actionId');
    const kind = field(body, 'kind');
    const value = optional(body, 'value');
    const blockId = optional(body, 'blockId');
    // A button or a text input (typed into, with dispatch_action) carries a value; a select its chosen option.
    const carriesValue = kind === 'button' || kind === 'plain_text_input';
    const selection = carriesValue ? (value === undefined ? {} : { value }) : { selectedOption: value ?? '' };
    const viewId = optional(body, 'viewId');
    let result: SlackHttpResult;
    if (viewId !== undefined) {
      // In a modal, Slack sends the form's state at the click along (view.state.values).
      const entry = this.slack.views.get(viewId);
      const inputs = Array.isArray(body.inputs) ? (body.inputs as SubmittedInput[]) : undefined;
      result = await this.deliver.blockAction({
        actionId,
        userId: user,
        view: { id: viewId },
        ...(blockId === undefined ? {} : { blockId }),
        ...(entry !== undefined && inputs !== undefined ? { values: submittedValues(entry.view, inputs) } : {}),
        ...selection,
      });
    } else {
      const channel = channelOf(body);
      const messageTs = field(body, 'ts');
      const threadTs = optional(body, 'threadTs');
      result = await this.deliver.blockAction({
        actionId,
        userId: user,
        channelId: channel,
        messageTs,
        ...(threadTs === undefined ? {} : { threadTs }),
        ...(blockId === undefined ? {} : { blockId }),
        ...selection,
      });
      this.remember(result, { user, channel, ...(threadTs === undefined ? {} : { thread_ts: threadTs }) });
    }
    const problem = ackProblem(result);
    return problem === null ? { ok: true } : { ok: false, error: problem };
  }

  /** A modal's submit; the stand-in's delivery applies the answer (errors, update, push, clear) as Slack does. */
  private async submit(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const viewId = field(body, 'viewId');
    const entry = this.slack.views.get(viewId);
    if (entry === undefined || entry.userId !== user || entry.closed) throw new HttpError(409, 'that modal is closed');
    const inputs = Array.isArray(body.inputs) ? (body.inputs as SubmittedInput[]) : [];
    const callbackId = typeof entry.view.callback_id === 'string' ? entry.view.callback_id : '';
    delete entry.errors;
    const result = await this.deliver.viewSubmission({
      callbackId,
      userId: user,
      viewId,
      values: submittedValues(entry.view, inputs),
    });
    const problem = ackProblem(result);
    if (problem !== null) return { ok: false, error: problem };
    return { ok: true, errors: entry.errors ?? {} };
  }

  /** The close button goes back one modal in a stack; the × (`all`) closes the whole stack, like Slack. */
  private closeView(body: Body): Record<string, unknown> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const entry = this.slack.views.get(field(body, 'viewId'));
    if (entry === undefined || entry.userId !== user) return { ok: true };
    const root = entry.rootViewId ?? entry.id;
    for (const view of this.slack.views.values()) {
      if (view === entry || (body.all === true && view.userId === user && (view.rootViewId ?? view.id) === root)) {
        view.closed = true;
      }
    }
    return { ok: true };
  }

  /** You open the app's Home tab: the app gets app_home_opened (with the tab as last published) and publishes it. */
  private async openHome(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const problem = ackProblem(await this.deliver.appHomeOpened(user));
    return problem === null ? { ok: true } : { ok: false, error: problem };
  }

  /** The *Send to candidate* message shortcut on a message. */
  private async shortcut(body: Body): Promise<Record<string, unknown>> {
    const user = this.workspace.teammate(field(body, 'user')).id;
    const channel = channelOf(body);
    const ts = field(body, 'ts');
    const stored = this.slack.findMessage(channel, ts);
    if (stored === undefined) throw new HttpError(404, 'no such message');
    const result = await this.deliver.messageShortcut({
      callbackId: SEND_TO_CANDIDATE_CALLBACK,
      userId: user,
      channelId: channel,
      message: {
        ts,
        text: stored.text ?? '',
        ...(stored.thread_ts === undefined ? {} : { thread_ts: stored.thread_ts }),
        ...(stored.user === undefined ? {} : { user: stored.user }),
        ...(stored.bot_id === undefined ? {} : { bot_id: stored.bot_id }),
      },
    });
    this.remember(result, {
      user,
      channel,
      ...(stored.thread_ts === undefined ? {} : { thread_ts: stored.thread_ts }),
    });
    const problem = ackProblem(result);
    return problem === null ? { ok: true } : { ok: false, error: problem };
  }
}
