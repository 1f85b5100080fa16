// Modals as Slack runs them: a trigger_id opens one view within 3 s of the interaction (invalid_trigger_id,
// expired_trigger_id), views are validated like Block Kit in messages, updated by id or external_id with an optional
// hash, and an app's response_action answer (update / push) shows a new view. See docs/slack.md#modals-and-trigger_id.
// Home tabs live here too: views.publish keeps one view of type `home` per user, replaced in place (same view id,
// a new hash each time; a stale `hash` answers hash_conflict). See docs/slack.md#app-home.

import { randomBytes } from 'node:crypto';
import { findViewProblems } from './block-rules.js';
import {
  type Args,
  assertValidBlocks,
  isRecord,
  optionalString,
  SlackApiError,
  withoutUndefined,
} from './web-api-args.js';
import { type SlackIdentity, type StoredSlackView, toViewOutput } from './wire.js';

export class ModalDesk {
  /** Every view: modals and published Home tabs (interaction payloads find either by id). */
  readonly views = new Map<string, StoredSlackView>();
  /** Each user's Home tab view id. */
  private readonly homes = new Map<string, string>();
  private readonly triggers = new Map<string, { expiresAt: number; used: boolean; userId?: string }>();
  private idCounter = 0;

  constructor(
    private readonly identity: SlackIdentity,
    private readonly triggerTtlMs: number,
  ) {}

  show(view: Record<string, unknown>, where: { replace: string } | { pushOn: StoredSlackView }): StoredSlackView {
    try {
      this.viewArg({ view }, ['modal']);
    } catch (error) {
      const detail = error instanceof SlackApiError ? `${error.code} ${JSON.stringify(error.extra)}` : String(error);
      throw new Error(`Slack stand-in: the app answered with a view Slack would refuse: ${detail}`);
    }
    if ('replace' in where) {
      const entry = this.views.get(where.replace);
      if (entry === undefined) throw new Error(`Slack stand-in: no view ${where.replace} to update`);
      entry.view = view;
      entry.hash = this.newHash();
      entry.updates += 1;
      delete entry.errors;
      return entry;
    }
    const parent = where.pushOn;
    return this.addView(view, {
      userId: parent.userId,
      rootViewId: parent.rootViewId ?? parent.id,
      previousViewId: parent.id,
    });
  }

  /** A new view; `isRoot` for views.open (a pushed view names the root of its stack). */
  private addView(view: Record<string, unknown>, fields: Partial<StoredSlackView>, isRoot = false): StoredSlackView {
    const id = this.nextId('V');
    const entry = withoutUndefined<StoredSlackView>({
      id,
      view,
      hash: this.newHash(),
      updates: 0,
      ...fields,
      ...(isRoot ? { rootViewId: id } : {}),
    });
    this.views.set(id, entry);
    return entry;
  }

  makeTriggerId(userId?: string): string {
    // Slack's trigger_ids look like "13345224609.738474920.8088930838d88f008e0".
    const id = `${Math.floor(Date.now() / 1000)}.${++this.idCounter}.${randomBytes(10).toString('hex')}`;
    this.triggers.set(id, {
      expiresAt: Date.now() + this.triggerTtlMs,
      used: false,
      ...(userId === undefined ? {} : { userId }),
    });
    return id;
  }

  private viewArg(args: Args, allowedTypes: readonly string[]): Record<string, unknown> {
    const view = args.view;
    if (!isRecord(view)) throw new SlackApiError('invalid_arguments', { response_metadata: { messages: [] } });
    const problems = findViewProblems(view, allowedTypes);
    if (problems.length > 0)
      throw new SlackApiError('invalid_arguments', { response_metadata: { messages: problems } });
    if (view.blocks !== undefined) {
      if (!Array.isArray(view.blocks)) throw new SlackApiError('invalid_blocks_format');
      assertValidBlocks(view.blocks, view.type === 'home' ? 'home' : 'modal', '/view/blocks');
    }
    return view;
  }

  private newHash(): string {
    return `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`;
  }

  open(args: Args, method: 'views.open' | 'views.push'): Record<string, unknown> {
    const triggerId = optionalString(args, 'trigger_id') ?? '';
    const trigger = this.triggers.get(triggerId);
    // Slack: a trigger_id opens one view within 3 s of the interaction.
    if (trigger === undefined) throw new SlackApiError('invalid_trigger_id');
    if (trigger.used || trigger.expiresAt < Date.now()) throw new SlackApiError('expired_trigger_id');
    const view = this.viewArg(args, ['modal']);
    const externalId = typeof view.external_id === 'string' && view.external_id !== '' ? view.external_id : undefined;
    if (externalId !== undefined && [...this.views.values()].some((entry) => entry.externalId === externalId)) {
      throw new SlackApiError('duplicate_external_id');
    }
    trigger.used = true;
    const entry = this.addView(view, { userId: trigger.userId, externalId }, method === 'views.open');
    return { view: toViewOutput(entry, this.identity) };
  }

  update(args: Args): Record<string, unknown> {
    const viewId = optionalString(args, 'view_id');
    const externalId = optionalString(args, 'external_id');
    const entry =
      viewId !== undefined && viewId !== ''
        ? this.views.get(viewId)
        : [...this.views.values()].find((candidate) => externalId !== undefined && candidate.externalId === externalId);
    if (entry === undefined) throw new SlackApiError('not_found');
    const hash = optionalString(args, 'hash');
    if (hash !== undefined && hash !== '' && hash !== entry.hash) throw new SlackApiError('hash_conflict');
    const view = this.viewArg(args, ['modal']);
    entry.view = view;
    if (typeof view.external_id === 'string' && view.external_id !== '') entry.externalId = view.external_id;
    entry.hash = this.newHash();
    entry.updates += 1;
    return { view: toViewOutput(entry, this.identity) };
  }

  /** views.publish: the user's Home tab, created or replaced; a `hash` that is not the current view's is refused. */
  publish(args: Args): Record<string, unknown> {
    const userId = optionalString(args, 'user_id');
    if (userId === undefined || userId === '') {
      throw new SlackApiError('invalid_arguments', {
        response_metadata: { messages: ['[ERROR] missing required field: user_id'] },
      });
    }
    if (!/^[UW][A-Z0-9]+$/.test(userId)) throw new SlackApiError('user_not_found');
    const existingId = this.homes.get(userId);
    const existing = existingId === undefined ? undefined : this.views.get(existingId);
    const hash = optionalString(args, 'hash');
    if (hash !== undefined && hash !== '' && hash !== existing?.hash) throw new SlackApiError('hash_conflict');
    const view = this.viewArg(args, ['home']);
    if (existing === undefined) {
      const entry = this.addView(view, { userId }, true);
      this.homes.set(userId, entry.id);
      return { view: toViewOutput(entry, this.identity) };
    }
    existing.view = view;
    existing.hash = this.newHash();
    existing.updates += 1;
    return { view: toViewOutput(existing, this.identity) };
  }

  /** The user's published Home tab, if any. */
  home(userId: string): StoredSlackView | undefined {
    const id = this.homes.get(userId);
    return id === undefined ? undefined : this.views.get(id);
  }

  private nextId(prefix: string): string {
    return `${prefix}${(++this.idCounter).toString(36).toUpperCase().padStart(10, '0')}`;
  }
}
