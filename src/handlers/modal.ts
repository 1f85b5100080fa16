import type { WebClient } from '@slack/web-api';
import { describeError } from '../api/index.js';
import type { ModalView } from '../blocks/limits.js';
import { errorView, loadingView } from '../blocks/modals.js';
import { openThenFill, openView, replaceView, webClientModalPort } from '../services/modal-port.js';
import type { BotContext } from './context.js';
import { type Place, tellIn } from './tell.js';

// The one way listeners show modals (docs/slack.md): a trigger_id works for 3 seconds only, so a modal that needs
// OpenTrain opens as "Loading…" at once and is filled when the data is there (or with the failure's sentence); when
// Slack refuses to open it (an expired trigger), the person is told where they clicked instead of seeing nothing.

/** What fills a loading modal: the view, or the one sentence saying why there is none. */
export type ModalContent = { ok: true; view: ModalView } | { ok: false; message: string };

export interface LoadingModal {
  triggerId: string;
  title: string;
  /** What the modal shows ("the transcript"), for the message when Slack refuses to open it. */
  what: string;
  /** Where the person acted: the refusal is said there. */
  place: Place;
  /** For logs. */
  label: string;
  fill: () => Promise<ModalContent>;
  /** `fill` changes something on OpenTrain: start it only once the modal is open. */
  fillAfterOpen?: boolean;
}

/** Opens a "Loading…" modal, then fills it: with the content, or with the failure's sentence. */
export async function openLoadingModal(ctx: BotContext, client: WebClient, modal: LoadingModal): Promise<void> {
  const { title } = modal;
  await openThenFill(webClientModalPort(client), {
    triggerId: modal.triggerId,
    loading: loadingView(title),
    fill: async () => {
      const content = await modal.fill();
      return content.ok ? content.view : errorView(title, content.message);
    },
    fallback: (error) => errorView(title, describeError(error)),
    onOpenFailed: () => tellModalFailed(ctx, modal.place, modal.what),
    logger: ctx.logger,
    label: modal.label,
    fillAfterOpen: modal.fillAfterOpen === true,
  });
}

/**
 * Opens a modal whose content is already known (no loading step), with the same message should Slack refuse; without
 * a place (the request named no channel) a refusal is only logged.
 */
export async function openReadyModal(
  ctx: BotContext,
  client: WebClient,
  modal: Pick<LoadingModal, 'triggerId' | 'what' | 'label'> & { place?: Place; view: ModalView },
): Promise<void> {
  const { place } = modal;
  await openView(webClientModalPort(client), {
    triggerId: modal.triggerId,
    view: modal.view,
    ...(place ? { onOpenFailed: () => tellModalFailed(ctx, place, modal.what) } : {}),
    logger: ctx.logger,
    label: modal.label,
  });
}

/**
 * Replaces the view of a submitted modal with its outcome (no hash: the ack's "sending" view replaced the one whose
 * hash the submission carried). False when the modal is gone; the caller then says the outcome elsewhere.
 */
export function showOutcome(ctx: BotContext, client: WebClient, viewId: string, view: ModalView, label: string) {
  return replaceView(webClientModalPort(client), viewId, view, { logger: ctx.logger, label });
}

/** Slack refused the modal (usually an expired trigger): say so where the person clicked, instead of nothing. */
async function tellModalFailed(ctx: BotContext, place: Place, what: string): Promise<void> {
  await tellIn(ctx, place)?.(`:warning: Slack didn't let me open ${what} in time. Please click the button again.`);
}
