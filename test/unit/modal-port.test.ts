import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import type { ModalView } from '../../src/blocks/limits.js';
import { createLogger } from '../../src/logger.js';
import { type ModalPort, openThenFill, openView, replaceView } from '../../src/services/modal-port.js';

// The modal port's one path (loading → fill → failure message) against a port that records what reached Slack.

const view = (title: string): ModalView => ({ type: 'modal', title: { type: 'plain_text', text: title }, blocks: [] });

function recordingPort(options: { refuseOpen?: boolean; refuseUpdate?: boolean } = {}) {
  const calls: string[] = [];
  const port: ModalPort = {
    async open(_trigger, opened) {
      calls.push(`open ${opened.title.text}`);
      await new Promise((resolve) => setImmediate(resolve));
      if (options.refuseOpen) throw new Error('expired_trigger_id');
      calls.push('opened');
      return { viewId: 'V1', hash: 'h1' };
    },
    async update(viewId, updated, hash) {
      calls.push(`update ${viewId} ${updated.title.text} ${hash ?? '-'}`);
      if (options.refuseUpdate) throw new Error('not_found');
    },
  };
  return { port, calls };
}

function capturedLogger() {
  const lines: string[] = [];
  return { lines, logger: createLogger(LogLevel.DEBUG, (line) => lines.push(line)) };
}

describe('openThenFill', () => {
  it('opens the loading view, then replaces it by id and hash with the content', async () => {
    const { port, calls } = recordingPort();
    const { logger } = capturedLogger();
    await openThenFill(port, {
      triggerId: 't',
      loading: view('Loading'),
      fill: async () => {
        calls.push('fill');
        return view('Content');
      },
      fallback: () => view('Failed'),
      logger,
      label: 'test',
    });
    // The fill runs side by side with opening: it starts before the open has answered.
    expect(calls).toEqual(['open Loading', 'fill', 'opened', 'update V1 Content h1']);
  });

  it('fillAfterOpen: the fill starts only once the modal is open, and not at all when Slack refuses', async () => {
    const open = recordingPort();
    const { logger } = capturedLogger();
    const fill = (calls: string[]) => async () => {
      calls.push('fill');
      return view('Content');
    };
    const base = { triggerId: 't', loading: view('Loading'), fallback: () => view('Failed'), logger, label: 'test' };
    await openThenFill(open.port, { ...base, fill: fill(open.calls), fillAfterOpen: true });
    expect(open.calls).toEqual(['open Loading', 'opened', 'fill', 'update V1 Content h1']);

    const refused = recordingPort({ refuseOpen: true });
    const told: unknown[] = [];
    await openThenFill(refused.port, {
      ...base,
      fill: fill(refused.calls),
      fillAfterOpen: true,
      onOpenFailed: async (error) => {
        told.push(error);
      },
    });
    expect(refused.calls).toEqual(['open Loading']);
    expect(told).toHaveLength(1);
  });

  it('a fill that throws shows the fallback view, and the failure is logged', async () => {
    const { port, calls } = recordingPort();
    const { logger, lines } = capturedLogger();
    await openThenFill(port, {
      triggerId: 't',
      loading: view('Loading'),
      fill: async () => {
        throw new Error('boom');
      },
      fallback: (error) => view(`Failed: ${(error as Error).message}`),
      logger,
      label: 'test',
    });
    expect(calls).toEqual(['open Loading', 'opened', 'update V1 Failed: boom h1']);
    expect(lines.join('\n')).toContain('building the test view failed');
  });
});

describe('openView and replaceView', () => {
  it('openView tells the person when Slack refuses, and a failing tell is only logged', async () => {
    const { port } = recordingPort({ refuseOpen: true });
    const { logger, lines } = capturedLogger();
    await expect(
      openView(port, {
        triggerId: 't',
        view: view('Ready'),
        logger,
        label: 'ready',
        onOpenFailed: async () => {
          throw new Error('no channel');
        },
      }),
    ).resolves.toBeUndefined();
    expect(lines.join('\n')).toContain('opening the ready modal failed');
    expect(lines.join('\n')).toContain("telling the person the ready modal failed didn't work either");
  });

  it('replaceView answers false when the modal is gone, true when it was replaced', async () => {
    const { logger } = capturedLogger();
    expect(await replaceView(recordingPort().port, 'V1', view('Done'), { logger, label: 'x' })).toBe(true);
    expect(
      await replaceView(recordingPort({ refuseUpdate: true }).port, 'V1', view('Done'), { logger, label: 'x' }),
    ).toBe(false);
  });
});
