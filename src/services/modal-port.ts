import type { WebClient } from '@slack/web-api';
import type { ModalView } from '../blocks/limits.js';
import { errorText } from '../error-text.js';
import type { Logger } from '../logger.js';

// Modals that need OpenTrain data: Slack's trigger_id works for 3 seconds only, so a loading view is opened first and
// replaced with views.update once the data is there. Services see this narrow port, never Bolt.

export interface OpenedView {
  viewId: string;
  hash: string | null;
}

export interface ModalPort {
  open(triggerId: string, view: ModalView): Promise<OpenedView>;
  /** Replaces an open view; with `hash`, Slack refuses when the view changed in between. */
  update(viewId: string, view: ModalView, hash?: string | null): Promise<void>;
}

export function webClientModalPort(client: WebClient): ModalPort {
  return {
    async open(triggerId, view) {
      const result = await client.views.open({ trigger_id: triggerId, view });
      if (!result.view?.id) throw new Error('views.open returned no view id');
      return { viewId: result.view.id, hash: result.view.hash ?? null };
    },
    async update(viewId, view, hash) {
      await client.views.update({ view_id: viewId, view, ...(hash ? { hash } : {}) });
    },
  };
}

export interface OpenThenFillOptions {
  triggerId: string;
  loading: ModalView;
  /** Builds the real content (OpenTrain calls); an error view when something went wrong. */
  fill: () => Promise<ModalView>;
  /**
   * Start `fill` only once the modal is open, not side by side with opening it: for a fill with a side effect on
   * OpenTrain (starting a conversation), which must not happen when the person never sees the modal.
   */
  fillAfterOpen?: boolean;
  /** The view shown when `fill` throws anyway. */
  fallback: (error: unknown) => ModalView;
  logger: Logger;
  /** What to tell the person when Slack refused to open the modal (e.g. the trigger expired). */
  onOpenFailed?: (error: unknown) => Promise<void>;
  /** For logs: what this modal shows. */
  label: string;
}

/** Opens the loading view at once, fetches meanwhile, then swaps the content in (the same view, by id and hash). */
export async function openThenFill(port: ModalPort, options: OpenThenFillOptions): Promise<void> {
  const { logger, label } = options;
  // views.open starts before any OpenTrain work, so the trigger is used well inside its 3-second window.
  const opening = port.open(options.triggerId, options.loading);
  const build = () =>
    options.fill().catch((error: unknown) => {
      logger.error(`building the ${label} view failed`, error);
      return options.fallback(error);
    });
  const early = options.fillAfterOpen ? null : build();
  let opened: OpenedView;
  try {
    opened = await opening;
  } catch (error) {
    await reportOpenFailed(options, error);
    return;
  }
  await replaceView(port, opened.viewId, await (early ?? build()), { hash: opened.hash, logger, label });
}

/** Opens a view that needs no loading step; when Slack refuses, the person is told how `onOpenFailed` says. */
export async function openView(
  port: ModalPort,
  options: Pick<OpenThenFillOptions, 'triggerId' | 'logger' | 'onOpenFailed' | 'label'> & { view: ModalView },
): Promise<void> {
  try {
    await port.open(options.triggerId, options.view);
  } catch (error) {
    await reportOpenFailed(options, error);
  }
}

/**
 * Replaces an open view. False when it can't be (the person closed the modal meanwhile, or Slack refused): logged,
 * and the caller decides whether to say it somewhere else.
 */
export async function replaceView(
  port: ModalPort,
  viewId: string,
  view: ModalView,
  options: { hash?: string | null; logger: Logger; label: string },
): Promise<boolean> {
  try {
    await port.update(viewId, view, options.hash);
    return true;
  } catch (error) {
    options.logger.warn(`updating the ${options.label} modal failed`, errorText(error));
    return false;
  }
}

async function reportOpenFailed(
  options: Pick<OpenThenFillOptions, 'logger' | 'onOpenFailed' | 'label'>,
  error: unknown,
): Promise<void> {
  const { logger, label } = options;
  logger.warn(`opening the ${label} modal failed`, errorText(error));
  await options.onOpenFailed?.(error).catch((notifyError: unknown) => {
    logger.warn(`telling the person the ${label} modal failed didn't work either`, errorText(notifyError));
  });
}
