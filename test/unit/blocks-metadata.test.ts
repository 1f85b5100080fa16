import { describe, expect, it } from 'vitest';
import { encodeMessageTarget, parseMessageTarget } from '../../src/blocks/metadata.js';

// What the composer's private_metadata and the Reply button carry comes back from Slack: anything unreadable is
// null (the handler then answers with a sentence), never a throw or a polluted object.

describe('message target', () => {
  it('round-trips through the string Slack carries', () => {
    const target = { proposalId: 'prop_1', conversationId: 'conv_1' };
    expect(parseMessageTarget(encodeMessageTarget(target))).toEqual(target);
  });

  it('drops extra keys when encoding, and is null for anything that is not a target', () => {
    const encoded = encodeMessageTarget({ proposalId: 'p', conversationId: 'c', extra: 1 } as never);
    expect(JSON.parse(encoded)).toEqual({ proposalId: 'p', conversationId: 'c' });
    for (const raw of [
      undefined,
      '',
      'not json',
      '[]',
      'null',
      '{"proposalId":"p"}',
      '{"proposalId":"","conversationId":"c"}',
    ]) {
      expect(parseMessageTarget(raw)).toBeNull();
    }
  });

  it('a __proto__ key from outside never reaches Object.prototype', () => {
    const parsed = parseMessageTarget('{"proposalId":"p","conversationId":"c","__proto__":{"polluted":true}}');
    expect(parsed).toEqual({ proposalId: 'p', conversationId: 'c' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
