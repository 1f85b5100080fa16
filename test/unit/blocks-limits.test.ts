import { describe, expect, it } from 'vitest';
import {
  blockTextLength,
  ELLIPSIS,
  fitMessage,
  fitView,
  type KnownBlock,
  LIMITS,
  type ModalView,
  splitText,
  truncate,
} from '../../src/blocks/limits.js';
import { blockKitViolations } from '../../src/blocks/validate.js';

const section = (text: string, blockId?: string): KnownBlock => ({
  type: 'section',
  ...(blockId ? { block_id: blockId } : {}),
  text: { type: 'mrkdwn', text },
});

describe('truncate', () => {
  it('leaves short text alone', () => {
    expect(truncate('hello', 5)).toBe('hello');
  });

  it('cuts with an ellipsis and never exceeds the maximum', () => {
    const cut = truncate('a'.repeat(100), 10);
    expect(cut).toBe(`${'a'.repeat(9)}${ELLIPSIS}`);
    expect(cut.length).toBeLessThanOrEqual(10);
  });

  it('handles tiny maxima', () => {
    expect(truncate('abc', 1)).toBe(ELLIPSIS);
    expect(truncate('abc', 0)).toBe('');
  });

  it('does not split an emoji, an entity or a mention', () => {
    expect(truncate('ab😀cd', 4)).toBe(`ab${ELLIPSIS}`);
    expect(truncate('Tom &amp; Jerry', 8)).toBe(`Tom${ELLIPSIS}`);
    expect(truncate('Invited by <@U12345678>', 20)).toBe(`Invited by${ELLIPSIS}`);
  });
});

describe('splitText', () => {
  it('prefers paragraph and word boundaries and keeps every piece within the limit', () => {
    const text = `${'word '.repeat(300)}\n\n${'next '.repeat(300)}`;
    const pieces = splitText(text, 1000);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(1000);
    expect(pieces.join(' ').replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
  });

  it('hard-cuts text without boundaries', () => {
    const pieces = splitText('x'.repeat(2500), 1000);
    expect(pieces.map((piece) => piece.length)).toEqual([1000, 1000, 500]);
  });
});

describe('fitMessage', () => {
  it('cuts every over-long text to its limit', () => {
    const message = fitMessage({
      text: 'f'.repeat(50_000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(500) } },
        section('s'.repeat(5000)),
        {
          type: 'section',
          fields: Array.from({ length: 14 }, () => ({ type: 'mrkdwn' as const, text: 'x'.repeat(2500) })),
        },
        {
          type: 'context',
          elements: Array.from({ length: 12 }, () => ({ type: 'mrkdwn' as const, text: 'c'.repeat(2500) })),
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'a'.repeat(300),
              text: { type: 'plain_text', text: 'b'.repeat(100) },
              value: 'v'.repeat(3000),
            },
          ],
        },
      ],
    });
    expect(message.text.length).toBeLessThanOrEqual(LIMITS.messageText);
    const header = message.blocks[0];
    expect(header?.type === 'header' && header.text.text.length).toBe(LIMITS.headerText);
    const first = message.blocks[1] as { text?: { text: string } };
    expect(first.text?.text.endsWith(ELLIPSIS)).toBe(true);
    // The cumulative text budget then drops what doesn't fit, with a note.
    expect(blockKitViolations('message', message)).toEqual([]);
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/more not shown/);
  });

  it('keeps at most 50 blocks, the last one saying how many were cut', () => {
    const blocks = Array.from({ length: 80 }, (_, index) => section(`line ${index}`, `b${index}`));
    const message = fitMessage({ text: 'many', blocks });
    expect(message.blocks).toHaveLength(LIMITS.messageBlocks);
    expect(message.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${ELLIPSIS}31 more not shown` }],
    });
    expect(blockKitViolations('message', message)).toEqual([]);
  });

  it('stays under the cumulative text budget Slack enforces on chat.postMessage', () => {
    const blocks = Array.from({ length: 20 }, (_, index) => section('y'.repeat(2900), `p${index}`));
    const message = fitMessage({ text: 'long', blocks });
    const total = message.blocks.reduce((sum, block) => sum + blockTextLength(block), 0);
    expect(total).toBeLessThanOrEqual(LIMITS.messageBlocksTextBudget);
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/more not shown/);
  });

  it('passes extra properties such as metadata through', () => {
    const message = fitMessage({ text: 't', blocks: [section('x')], metadata: { event_type: 'e' } });
    expect(message.metadata).toEqual({ event_type: 'e' });
  });

  it('replaces empty required texts so Slack accepts them', () => {
    const message = fitMessage({ text: 't', blocks: [section('   ')] });
    expect(blockKitViolations('message', message)).toEqual([]);
  });
});

describe('fitView', () => {
  it('cuts title, buttons, blocks, options and initial values', () => {
    const view: ModalView = {
      type: 'modal',
      title: { type: 'plain_text', text: 'A title that is far too long for a modal' },
      submit: { type: 'plain_text', text: 'Submit this form right now please' },
      close: { type: 'plain_text', text: 'Close this form right now please' },
      private_metadata: 'm'.repeat(4000),
      blocks: [
        {
          type: 'input',
          block_id: 'pick',
          label: { type: 'plain_text', text: 'Pick' },
          element: {
            type: 'static_select',
            action_id: 'pick',
            options: Array.from({ length: 150 }, (_, index) => ({
              text: { type: 'plain_text' as const, text: `${'o'.repeat(100)} ${index}` },
              value: `v${index}`,
            })),
            initial_option: { text: { type: 'plain_text', text: 'late' }, value: 'v120' },
          },
        },
        {
          type: 'input',
          block_id: 'text',
          label: { type: 'plain_text', text: 'Text' },
          element: { type: 'plain_text_input', action_id: 'text', initial_value: 'i'.repeat(5000) },
        },
        ...Array.from({ length: 120 }, (_, index) => section(`row ${index}`, `r${index}`)),
      ],
    };
    const fitted = fitView(view);
    expect(fitted.title.text.length).toBeLessThanOrEqual(LIMITS.modalTitle);
    expect(fitted.blocks).toHaveLength(LIMITS.modalBlocks);
    const select = (fitted.blocks[0] as { element: { options: unknown[]; initial_option?: unknown } }).element;
    expect(select.options).toHaveLength(LIMITS.selectOptions);
    // The initial option was beyond the first 100 options, so it is dropped rather than rejected by Slack.
    expect(select.initial_option).toBeUndefined();
    expect(blockKitViolations('modal', fitted as unknown as Record<string, unknown>)).toEqual([]);
  });
});
