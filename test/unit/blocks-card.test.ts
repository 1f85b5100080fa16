import { describe, expect, it } from 'vitest';
import { isSplitVote, type ProposalCardInput, proposalCard, voteSummary } from '../../src/blocks/card.js';
import { blockKitViolations } from '../../src/blocks/validate.js';
import type { Proposal, RankedProposal } from '../../src/domain.js';

function proposal(overrides: Partial<Proposal> = {}): Proposal {
  return {
    id: 'prop_1',
    jobId: 'job_1',
    jobTitle: 'Spanish Sentiment Labeling — Social Media Posts',
    createdAt: '2026-06-12T10:00:00.000Z',
    updatedAt: '2026-06-12T10:00:00.000Z',
    status: { raw: 'UNREVIEWED', label: 'Unreviewed' },
    bid: { amountUsd: 0.06, unit: 'PER_LABEL', labelerHourlyRateUsd: 55 },
    candidate: {
      id: 'usr_1',
      profileSlug: 'maria-g',
      displayName: 'Maria G.',
      profileTitle: 'Text Annotation Specialist',
      country: 'Spain',
      countryCode: 'ES',
      talentType: 'individual',
      highestEarningsUsd: 2400,
      reviewCount: 7,
    },
    interviewScore: 86,
    matchScore: 91,
    aiInterview: { score: 86, summary: 'Clear, careful answers on sarcasm and negation.', transcriptAvailable: true },
    verification: { identityVerified: true, location: { status: 'PASSED', method: 'GPS' } },
    ...overrides,
  };
}

const RANK: RankedProposal = { proposalId: 'prop_1', score: 78.4, rank: 2, of: 12, partial: false, priceFit: 40 };

function card(overrides: Partial<ProposalCardInput> = {}) {
  return proposalCard({
    proposal: proposal(),
    rank: RANK,
    votes: {},
    notes: [],
    conversation: null,
    ...overrides,
  });
}

/** Every text a person can see on the card, joined. */
function visibleText(blocks: unknown[]): string {
  const texts: string[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (typeof record.text === 'string') texts.push(record.text);
      for (const [key, child] of Object.entries(record)) if (key !== 'text' || typeof child !== 'string') walk(child);
    }
  };
  walk(blocks);
  return texts.join('\n');
}

function buttons(blocks: unknown[]): { action_id: string; text: string; value: string }[] {
  const found: { action_id: string; text: string; value: string }[] = [];
  for (const block of blocks as { type: string; elements?: unknown[] }[]) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements as { action_id: string; text: { text: string }; value: string }[]) {
      found.push({ action_id: element.action_id, text: element.text.text, value: element.value });
    }
  }
  return found;
}

function fieldTexts(blocks: unknown[]): string[] {
  const facts = (blocks as { block_id?: string; fields?: { text: string }[] }[]).find(
    (b) => b.block_id === 'card_facts',
  );
  return facts?.fields?.map((field) => field.text) ?? [];
}

describe('proposalCard', () => {
  it('shows everything docs/architecture.md#proposal-card lists', () => {
    const { blocks } = card({ proposalUrl: 'https://app.opentrain.ai/proposals/prop_1' });
    const text = visibleText(blocks);
    expect(text).toContain('*<https://app.opentrain.ai/proposals/prop_1|Maria G.>* · Text Annotation Specialist');
    expect(text).toContain('Applied to *Spanish Sentiment Labeling — Social Media Posts*');
    expect(fieldTexts(blocks)).toEqual([
      '*Bid*\n$0.06 / label\nProfile rate $55 / hour',
      '*Interview*\n86/100',
      '*Match*\n91/100',
      '*Rank score*\n78/100 · 🏅 top 3 in this job',
      '*Country*\nSpain',
      '*Type*\nIndividual',
      '*Track record*\n7 reviews · highest earnings $2,400',
      '*Verification*\nIdentity ✓ · Location PASSED (GPS)',
    ]);
    // A date Slack renders in the viewer's zone, so the card needs no edit as time passes.
    expect(text).toContain(
      'Status: *Unreviewed* · Received <!date^1781258400^{date_short_pretty} {time}|12 Jun 2026 10:00 UTC>',
    );
    expect(text).toContain('*AI interview summary*\n>Clear, careful answers on sarcasm and negation.');
  });

  it('writes a one-sentence fallback text with name, job, scores and bid', () => {
    expect(card().text).toBe(
      'Maria G. applied to Spanish Sentiment Labeling — Social Media Posts: interview 86/100, match 91/100, ' +
        'rank score 78/100; bid $0.06 / label.',
    );
  });

  it('carries the proposal and job ids and the votes as message metadata', () => {
    expect(card().metadata).toEqual({
      event_type: 'opentrain_proposal',
      event_payload: { proposal_id: 'prop_1', job_id: 'job_1', votes: {}, notes: '' },
    });
    const voted = card({ votes: { U1: 'up', U2: 'maybe' }, notes: ['Invited to A by <@U1>', 'Invited to B by <@U2>'] });
    expect(voted.metadata.event_payload.votes).toEqual({ U1: 'up', U2: 'maybe' });
    expect(voted.metadata.event_payload.notes).toBe('Invited to A by <@U1>\nInvited to B by <@U2>');
  });

  it('shows both scores on 0–100 and a dash for missing ones, with a partial marker', () => {
    const { blocks } = card({
      proposal: proposal({
        interviewScore: null,
        matchScore: 87,
        bid: { amountUsd: 42, unit: 'PER_HOUR', labelerHourlyRateUsd: null },
      }),
      rank: { ...RANK, score: 80.2, partial: true },
    });
    const fields = fieldTexts(blocks);
    expect(fields).toContain('*Interview*\n—');
    expect(fields).toContain('*Match*\n87/100');
    expect(fields).toContain('*Bid*\n$42 / hour');
    expect(fields).toContain('*Rank score*\n80/100 · 🏅 top 3 in this job · _partial_');
  });

  it('marks the job’s top 3 instead of an exact rank, so a card outside it shows the score alone', () => {
    const shown = (rank: number, of: number) =>
      fieldTexts(card({ rank: { ...RANK, rank, of } }).blocks).find((f) => f.startsWith('*Rank score*'));
    expect(shown(1, 1)).toBe('*Rank score*\n78/100 · 🏅 top 3 in this job');
    expect(shown(3, 200)).toBe('*Rank score*\n78/100 · 🏅 top 3 in this job');
    expect(shown(4, 200)).toBe('*Rank score*\n78/100');
    // The job's size is not on the card: another arrival below the top 3 leaves it as it was.
    expect(card({ rank: { ...RANK, rank: 40, of: 200 } })).toEqual(card({ rank: { ...RANK, rank: 41, of: 201 } }));
  });

  it('has the action buttons, each carrying the proposal id', () => {
    const found = buttons(card().blocks);
    expect(found.map((button) => [button.action_id, button.text])).toEqual([
      ['card_transcript', 'Transcript'],
      ['card_profile', 'Profile'],
      ['card_invite', 'Invite to job…'],
      ['card_message', 'Message'],
      ['card_hire', 'Hire…'],
      ['vote_up', '👍 0'],
      ['vote_down', '👎 0'],
      ['vote_maybe', '🤔 0'],
    ]);
    for (const button of found) expect(button.value).toBe('prop_1');
  });

  it('shows vote tallies on the buttons and voters under them', () => {
    const { blocks } = card({ votes: { U1: 'up', U2: 'up', U3: 'maybe' } });
    expect(buttons(blocks).map((button) => button.text)).toEqual(expect.arrayContaining(['👍 2', '👎 0', '🤔 1']));
    expect(visibleText(blocks)).toContain('👍 <@U1>, <@U2>   🤔 <@U3>');
  });

  it('shows notes and the open conversation', () => {
    const { blocks } = card({
      notes: ['Invited to Dental X-ray labelling by <@U1>'],
      conversation: { unread: 2, awaitingReply: true },
    });
    const text = visibleText(blocks);
    expect(text).toContain('Invited to Dental X-ray labelling by <@U1>');
    expect(text).toContain('Conversation open (2 unread) · awaiting our reply');
  });

  it('shows agencies, unverified identity and missing data plainly', () => {
    const { blocks } = card({
      proposal: proposal({
        candidate: {
          ...proposal().candidate,
          talentType: 'agency',
          reviewCount: null,
          highestEarningsUsd: null,
          country: null,
        },
        verification: null,
        aiInterview: null,
        createdAt: '...',
      }),
      rank: null,
    });
    const fields = fieldTexts(blocks);
    expect(fields).toContain('*Type*\nAgency');
    expect(fields).toContain('*Country*\n—');
    expect(fields).toContain('*Verification*\n—');
    expect(fields).toContain('*Rank score*\n—');
    expect(visibleText(blocks)).toContain('Received ...');
    expect(visibleText(blocks)).not.toContain('AI interview summary');
  });

  it('escapes candidate text so it cannot mention the channel', () => {
    const { blocks, text } = card({
      proposal: proposal({ candidate: { ...proposal().candidate, displayName: '<!channel> Eve' } }),
    });
    expect(JSON.stringify(blocks)).not.toContain('<!channel>');
    expect(text).not.toContain('<!channel>');
  });

  it('stays within every Block Kit limit with absurd input', () => {
    const { blocks, text } = card({
      proposal: proposal({
        jobTitle: 'J'.repeat(5000),
        candidate: { ...proposal().candidate, displayName: 'N'.repeat(3000), profileTitle: 'T'.repeat(5000) },
        aiInterview: { score: 90, summary: 'S'.repeat(10_000), transcriptAvailable: true },
        status: { raw: 'X', label: 'L'.repeat(3000) },
      }),
      notes: Array.from({ length: 200 }, (_, index) => `Invited to job ${index} by <@U${index}>`),
      votes: Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`U${index}`, 'up' as const])),
    });
    expect(blockKitViolations('message', { text, blocks })).toEqual([]);
    // The buttons are never what gets cut.
    expect(buttons(blocks).map((button) => button.action_id)).toEqual([
      'card_transcript',
      'card_profile',
      'card_invite',
      'card_message',
      'card_hire',
      'vote_up',
      'vote_down',
      'vote_maybe',
    ]);
    expect(buttons(blocks).find((button) => button.action_id === 'vote_up')?.text).toBe('👍 300');
  });
});

describe('vote helpers', () => {
  it('summarises votes and spots a split', () => {
    const votes = { U1: 'up', U2: 'down', U3: 'maybe', U4: 'up' } as const;
    expect(voteSummary(votes)).toEqual({
      up: 2,
      down: 1,
      maybe: 1,
      voters: { up: ['U1', 'U4'], down: ['U2'], maybe: ['U3'] },
    });
    expect(isSplitVote(votes)).toBe(true);
    expect(isSplitVote({ U1: 'up', U2: 'maybe' })).toBe(false);
    expect(isSplitVote({})).toBe(false);
  });
});
