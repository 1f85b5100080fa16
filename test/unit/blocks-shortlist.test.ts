import { describe, expect, it } from 'vitest';
import { CARD_ACTIONS, SHORTLIST_EVENT_TYPE } from '../../src/blocks/ids.js';
import { blockTextLength, LIMITS } from '../../src/blocks/limits.js';
import {
  type ShortlistFinalist,
  type ShortlistInput,
  shortlistMessage,
  threadLink,
} from '../../src/blocks/shortlist.js';
import { blockKitViolations } from '../../src/blocks/validate.js';
import { ASK_POLICY } from '../../src/services/ask-plan.js';
import { fingerprint } from '../../src/services/fingerprint.js';
import { visibleText } from '../helpers/slack-text.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

// The shortlist message as a pure function of what the store holds: what a reader sees for each finalist, within
// Block Kit's limits whatever the input.

const ASKED_AT = '2026-03-02T09:00:00.000Z';

function finalist(index: number, overrides: Partial<ShortlistFinalist> = {}): ShortlistFinalist {
  const { proposal } = makeStoredProposal(index, 'job_a');
  return {
    proposal: { ...proposal, candidate: { ...proposal.candidate, displayName: `Candidate ${index}` } },
    rank: { proposalId: proposal.id, score: 91 - index, rank: index + 1, of: 5, partial: false, priceFit: 50 },
    votes: {},
    asked: [],
    lastInbound: null,
    hire: null,
    links: {
      card: `https://example.slack.com/archives/C0HIRING/p17000000000${index}`,
      thread: `https://example.slack.com/archives/C0HIRING/p17000000000${index}?thread_ts=1700000000.${index}&cid=C0HIRING`,
    },
    ...overrides,
  };
}

function input(finalists: ShortlistFinalist[], shortlistId: string | null = 'sl_1'): ShortlistInput {
  return { jobId: 'job_a', jobTitle: 'Spanish medical QA', shortlistId, requestedBy: 'U0ANNA', finalists };
}

function hireButtons(blocks: unknown[]): string[] {
  const values: string[] = [];
  for (const block of blocks as { accessory?: { action_id?: string; value?: string } }[]) {
    if (block.accessory?.action_id === CARD_ACTIONS.hire && block.accessory.value) values.push(block.accessory.value);
  }
  return values;
}

describe('shortlistMessage', () => {
  it('shows each finalist’s scores, summary, card link and a Hire… button, with the shortlist metadata', () => {
    const message = shortlistMessage(input([finalist(0), finalist(1)]));
    const text = visibleText(message);
    expect(text).toContain('Shortlist — Spanish medical QA');
    expect(text).toContain('<https://example.slack.com/archives/C0HIRING/p170000000000|Candidate 0>');
    expect(text).toContain('composite *91/100*');
    expect(text).toContain('interview 50/100');
    expect(text).toContain('match 40/100');
    expect(text).toContain('bid $20 / hour');
    expect(text).toContain('Strong, structured answers on annotation guidelines');
    expect(text).toContain('No votes yet');
    expect(text).toContain('_No questions asked yet._');
    expect(text).toContain('|Open the thread>');
    expect(text).toContain('kept up to date');
    expect(hireButtons(message.blocks)).toEqual(['prop_000000', 'prop_000001']);
    expect(message.metadata).toEqual({
      event_type: SHORTLIST_EVENT_TYPE,
      event_payload: { shortlist_id: 'sl_1', job_id: 'job_a' },
    });
    expect(blockKitViolations('message', message)).toEqual([]);
  });

  it('names the voters by kind', () => {
    const message = shortlistMessage(input([finalist(0, { votes: { U0ANNA: 'up', U0BEN: 'up', U0CAT: 'down' } })]));
    expect(visibleText(message)).toContain('Votes: 👍 <@U0ANNA>, <@U0BEN>   👎 <@U0CAT>');
  });

  it('shows each question asked with the latest answer under the round it followed', () => {
    const asked = [
      { by: 'U0ANNA', at: ASKED_AT, questions: ['Which DICOM viewers have you used?', 'How many hours a week?'] },
    ];
    const waiting = visibleText(shortlistMessage(input([finalist(0, { asked })])));
    expect(waiting).toMatch(/_No answer yet, asked <!date\^1772442000\^[^>]*> by <@U0ANNA>:_/);
    expect(waiting).toContain('• Which DICOM viewers have you used?');
    expect(waiting).toContain('• How many hours a week?');

    // A message from before the question is not its answer.
    const before = { at: '2026-03-01T09:00:00.000Z', text: 'Thanks for considering me!' };
    const early = visibleText(shortlistMessage(input([finalist(0, { asked, lastInbound: before })])));
    expect(early).toContain('No answer yet');
    expect(early).not.toContain('Thanks for considering me!');

    const answer = { at: '2026-03-02T10:30:00.000Z', text: 'OHIF and 3D Slicer; about 30 hours.' };
    const answered = visibleText(shortlistMessage(input([finalist(0, { asked, lastInbound: answer })])));
    expect(answered).toContain('*Asked by <@U0ANNA>* <!date^1772442000^');
    expect(answered).toContain('*Latest answer* <!date^1772447400^');
    expect(answered).toContain('>OHIF and 3D Slicer; about 30 hours.');
    expect(answered).not.toContain('No answer yet');
  });

  it('without ask rounds, shows the candidate’s latest message (e.g. an answer to the Message button)', () => {
    const lastInbound = { at: '2026-03-02T10:30:00.000Z', text: 'Happy to do a paid trial.' };
    const text = visibleText(shortlistMessage(input([finalist(0, { lastInbound })])));
    expect(text).toContain('_No questions asked with Ask finalists yet._\n*Latest message* <!date^1772447400^');
    expect(text).toContain('>Happy to do a paid trial.');
  });

  it('with two rounds, an answer to the first leaves the second waiting', () => {
    const asked = [
      { by: 'U0ANNA', at: ASKED_AT, questions: ['First question?'] },
      { by: 'U0BEN', at: '2026-03-03T09:00:00.000Z', questions: ['Second question?'] },
    ];
    const lastInbound = { at: '2026-03-02T12:00:00.000Z', text: 'Answer to the first.' };
    const text = visibleText(shortlistMessage(input([finalist(0, { asked, lastInbound })])));
    expect(text.indexOf('Answer to the first.')).toBeLessThan(text.indexOf('Second question?'));
    expect(text).toMatch(/_No answer yet, asked <!date\^1772528400\^[^>]*> by <@U0BEN>:_\n• Second question\?/);
  });

  it('never repeats a withheld message, and escapes candidate text', () => {
    const asked = [{ by: 'U0ANNA', at: ASKED_AT, questions: ['<!channel> are you there?'] }];
    const withheld = visibleText(
      shortlistMessage(input([finalist(0, { asked, lastInbound: { at: '2026-03-02T10:00:00.000Z', text: null } })])),
    );
    expect(withheld).toMatch(/_Replied <!date\^[^>]*> — read it in the thread._/);
    expect(withheld).toContain('&lt;!channel&gt; are you there?');
    const hostile = visibleText(
      shortlistMessage(
        input([finalist(0, { asked, lastInbound: { at: '2026-03-02T10:00:00.000Z', text: '<@U0BOSS> <!here> hi' } })]),
      ),
    );
    expect(hostile).toContain('&lt;@U0BOSS&gt; &lt;!here&gt; hi');
    expect(hostile).not.toContain('<!here>');
  });

  it('shows the hire state as the card does; a hired finalist has no Hire… button', () => {
    const base = {
      approvalId: 'apv_1',
      requestedBy: 'U0ANNA',
      requestedAt: '2026-03-02T09:00:00.000Z',
      approvalUrl: 'https://app.opentrain.ai/approvals/apv_1',
      terms: { name: 'First batch', description: null, amountUsd: 500, dueDate: null },
      superseded: [],
    };
    const pendingHire = {
      ...base,
      status: 'pending',
      expiresAt: '2026-03-05T09:00:00.000Z',
      resolvedAt: null,
      contractId: null,
    };
    const pending = shortlistMessage(input([finalist(0, { hire: pendingHire })]));
    const text = visibleText(pending);
    expect(text).toContain('Hire requested by <@U0ANNA> — waiting for approval (expires <!date^1772701200^');
    expect(text).toContain('<https://app.opentrain.ai/approvals/apv_1|Open the approval>');
    expect(hireButtons(pending.blocks)).toEqual(['prop_000000']);
    const confirmed = { ...base, status: 'confirmed', expiresAt: null, resolvedAt: null, contractId: 'ctr_1' };
    const hired = shortlistMessage(input([finalist(0, { hire: confirmed })]));
    expect(visibleText(hired)).toContain('✅ Hired — approval confirmed · contract ctr_1');
    expect(hireButtons(hired.blocks)).toEqual([]);
  });

  it('shown only to the person who asked: no metadata, and it says it won’t be kept up to date', () => {
    const message = shortlistMessage(input([finalist(0)], null));
    expect(message.metadata).toBeUndefined();
    expect(visibleText(message)).toContain("only you see this, and it won't be kept up to date");
  });

  it('a finalist without a posted card has no links, but keeps everything else', () => {
    const text = visibleText(shortlistMessage(input([finalist(0, { links: null })])));
    expect(text).toContain('*1. Candidate 0*');
    expect(text).not.toContain('Open the thread');
  });

  it('stays within Block Kit’s limits at the most finalists with the longest texts, cutting excerpts not finalists', () => {
    const long = 'Very long answer. '.repeat(400);
    const finalists = Array.from({ length: ASK_POLICY.maxFinalists }, (_, index) => {
      const base = finalist(index);
      return finalist(index, {
        proposal: { ...base.proposal, aiInterview: { score: 80, summary: long, transcriptAvailable: true } },
        votes: Object.fromEntries(Array.from({ length: 40 }, (_, v) => [`U0VOTER${v}`, 'up' as const])),
        asked: Array.from({ length: 5 }, (_, round) => ({
          by: 'U0ANNA',
          at: new Date(Date.parse(ASKED_AT) + round * 3_600_000).toISOString(),
          questions: [long, long],
        })),
        lastInbound: { at: '2026-03-02T09:30:00.000Z', text: long.slice(0, 500) },
      });
    });
    const message = shortlistMessage(input(finalists));
    expect(blockKitViolations('message', message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
    expect(blockTextLength(message.blocks)).toBeLessThanOrEqual(LIMITS.messageBlocksTextBudget);
    // Nothing was cut as a whole: every finalist and its Hire… button is there.
    expect(visibleText(message)).not.toContain('more not shown');
    expect(hireButtons(message.blocks)).toHaveLength(ASK_POLICY.maxFinalists);
    const text = visibleText(message);
    expect(text).toContain('Very long answer. Very long');
    expect(text).toContain('…');
    expect(text).toMatch(/\d earlier rounds? of questions in the thread/);
  });

  it('renders the same input to the same fingerprint, and a vote to a different one', () => {
    const one = shortlistMessage(input([finalist(0), finalist(1)]));
    const again = shortlistMessage(input([finalist(0), finalist(1)]));
    const voted = shortlistMessage(input([finalist(0, { votes: { U0ANNA: 'up' } }), finalist(1)]));
    expect(fingerprint(again)).toBe(fingerprint(one));
    expect(fingerprint(voted)).not.toBe(fingerprint(one));
  });
});

describe('threadLink', () => {
  it('opens the card’s permalink on its thread', () => {
    expect(threadLink('https://x.slack.com/archives/C1/p1700000000000100', 'C1', '1700000000.000100')).toBe(
      'https://x.slack.com/archives/C1/p1700000000000100?thread_ts=1700000000.000100&cid=C1',
    );
    expect(threadLink('https://x.slack.com/archives/C1/p1?foo=1', 'C1', '1.2')).toBe(
      'https://x.slack.com/archives/C1/p1?foo=1&thread_ts=1.2&cid=C1',
    );
  });
});
