import { describe, expect, it } from 'vitest';
import { conversationOpened, inboundMessage, outboundMessage } from '../../src/blocks/relay.js';
import { blockKitViolations } from '../../src/blocks/validate.js';

const NOW = new Date('2026-06-12T12:00:00Z');

function input(content: string) {
  return {
    candidateName: 'Maria G.',
    content,
    sentAt: '2026-06-12T11:58:00Z',
    proposalId: 'prop_1',
    conversationId: 'conv_1',
    messageId: 'msg_9',
    now: NOW,
  };
}

describe('inboundMessage', () => {
  it('quotes the candidate and offers a Reply button carrying the proposal and conversation', () => {
    const message = inboundMessage(input('Hola! I can start Monday.'));
    expect(message.text).toBe('Maria G.: Hola! I can start Monday.');
    const first = message.blocks[0] as { text: { text: string } };
    expect(first.text.text).toBe('*Maria G.* wrote:\n>Hola! I can start Monday.');
    expect(JSON.stringify(message.blocks)).toContain('Sent 2 minutes ago on OpenTrain');
    const actions = message.blocks.find((block) => block.type === 'actions') as {
      block_id: string;
      elements: { action_id: string; text: { text: string }; value: string }[];
    };
    expect(actions.block_id).toBe('relay_msg_9');
    expect(actions.elements).toHaveLength(1);
    expect(actions.elements[0]?.action_id).toBe('relay_reply');
    expect(actions.elements[0]?.text.text).toBe('Reply');
    expect(JSON.parse(actions.elements[0]!.value)).toEqual({ proposalId: 'prop_1', conversationId: 'conv_1' });
  });

  it('escapes the candidate text', () => {
    const message = inboundMessage(input('<!channel> see <https://evil.test|this>'));
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    expect(JSON.stringify(message)).not.toContain('<https://evil.test');
  });

  it('splits a 10,000-character message across sections within limits', () => {
    const message = inboundMessage(input('word '.repeat(2000)));
    expect(message.blocks.filter((block) => block.type === 'section').length).toBeGreaterThan(1);
    expect(blockKitViolations('message', message)).toEqual([]);
    expect(message.blocks.at(-1)?.type).toBe('actions');
  });

  it('keeps the Reply button even for a message of thousands of short lines', () => {
    const message = inboundMessage(input('ok\n'.repeat(3300)));
    expect(blockKitViolations('message', message)).toEqual([]);
    expect(message.blocks.at(-1)?.type).toBe('actions');
    expect(JSON.stringify(message.blocks)).toContain('message cut — read it in full on OpenTrain');
  });
});

describe('outboundMessage and conversationOpened', () => {
  it('shows who sent what to whom', () => {
    const message = outboundMessage({ userId: 'U123', candidateName: 'Maria G.', content: 'Thanks, Maria!' });
    expect(message.text).toBe('<@U123> → Maria G.: Thanks, Maria!');
    expect((message.blocks[0] as { text: { text: string } }).text.text).toBe('<@U123> → Maria G.:\n>Thanks, Maria!');
    expect(blockKitViolations('message', message)).toEqual([]);
  });

  it('announces the conversation', () => {
    const message = conversationOpened('U123');
    expect(message.text).toBe('Conversation opened by <@U123>');
    expect(JSON.stringify(message.blocks)).toContain('Conversation opened by <@U123>');
  });
});
