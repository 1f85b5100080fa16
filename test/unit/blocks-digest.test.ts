import { describe, expect, it } from 'vitest';
import { type DigestJob, digestMessage } from '../../src/blocks/digest.js';
import { blockKitViolations } from '../../src/blocks/validate.js';

function job(overrides: Partial<DigestJob> = {}): DigestJob {
  return {
    jobId: 'job_1',
    title: 'Spanish Sentiment Labeling',
    newCount: 3,
    unreviewedCount: 5,
    top: [
      {
        proposalId: 'p1',
        name: 'Maria G.',
        score: 86.2,
        partial: false,
        permalink: 'https://team.slack.com/archives/C1/p1',
      },
      { proposalId: 'p2', name: 'Ana R.', score: 80, partial: true, permalink: null },
      {
        proposalId: 'p3',
        name: 'Luis P.',
        score: 71,
        partial: false,
        permalink: 'https://team.slack.com/archives/C1/p3',
      },
      { proposalId: 'p4', name: 'Not Shown', score: 50, partial: false, permalink: null },
    ],
    awaitingReply: [{ name: 'Maria G.', needsReply: 2, permalink: 'https://team.slack.com/archives/C1/p1' }],
    splitVotes: [{ name: 'Ana R.', up: 2, down: 1, maybe: 0, permalink: null }],
    ...overrides,
  };
}

function sectionTexts(blocks: unknown[]): string[] {
  return (blocks as { type: string; text?: { text: string } }[])
    .filter((block) => block.type === 'section')
    .map((block) => block.text?.text ?? '');
}

describe('digestMessage', () => {
  it('dates the header in the digest time zone', () => {
    const message = digestMessage({
      generatedAt: new Date('2026-11-23T08:00:00Z'),
      timeZone: 'Europe/Madrid',
      jobs: [job()],
    });
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Daily hiring digest — Monday 23 November 2026' },
    });
    // 23:30 UTC on Monday is already Tuesday in Tokyo.
    const tokyo = digestMessage({
      generatedAt: new Date('2026-11-23T23:30:00Z'),
      timeZone: 'Asia/Tokyo',
      jobs: [job()],
    });
    expect(tokyo.blocks[0]).toMatchObject({ text: { text: 'Daily hiring digest — Tuesday 24 November 2026' } });
    expect(message.text).toBe('Daily hiring digest — Monday 23 November 2026: 3 new proposals across 1 job.');
  });

  it('lists per job: new, unreviewed, top 3 with links, awaiting reply, split votes', () => {
    const message = digestMessage({ generatedAt: new Date('2026-11-23T08:00:00Z'), timeZone: 'UTC', jobs: [job()] });
    expect(sectionTexts(message.blocks)).toEqual([
      [
        '*Spanish Sentiment Labeling*',
        '3 new proposals in the last 24 h · 5 unreviewed',
        '',
        '*Top candidates*',
        '1. <https://team.slack.com/archives/C1/p1|Maria G.> — 86/100',
        '2. Ana R. — 80/100 _(partial)_',
        '3. <https://team.slack.com/archives/C1/p3|Luis P.> — 71/100',
        '',
        '*Awaiting our reply*',
        '• <https://team.slack.com/archives/C1/p1|Maria G.> — 2 messages to answer',
        '',
        '*Split votes*',
        '• Ana R. — 👍 2 · 👎 1 · 🤔 0',
      ].join('\n'),
    ]);
    expect(JSON.stringify(message.blocks)).not.toContain('Not Shown');
  });

  it('separates jobs with dividers and leaves out empty lists', () => {
    const message = digestMessage({
      generatedAt: new Date('2026-11-23T08:00:00Z'),
      timeZone: 'UTC',
      jobs: [
        job(),
        job({ jobId: 'job_2', title: 'French NER', newCount: 1, top: [], awaitingReply: [], splitVotes: [] }),
      ],
    });
    // A job with candidates offers "Ask finalists…" (value: its id); one without has nothing to ask.
    expect(message.blocks.map((block) => block.type)).toEqual(['header', 'section', 'actions', 'divider', 'section']);
    const actions = message.blocks[2] as { elements: { action_id: string; value: string }[] };
    expect(actions.elements).toEqual([expect.objectContaining({ action_id: 'ask_finalists', value: job().jobId })]);
    expect(sectionTexts(message.blocks)[1]).toBe('*French NER*\n1 new proposal in the last 24 h · 5 unreviewed');
  });

  it('says so when there is nothing', () => {
    const message = digestMessage({ generatedAt: new Date('2026-11-23T08:00:00Z'), timeZone: 'UTC', jobs: [] });
    expect(JSON.stringify(message.blocks)).toContain('Nothing new on your watched jobs.');
  });

  it('escapes names and stays within limits for many jobs', () => {
    const jobs = Array.from({ length: 80 }, (_, index) =>
      job({
        jobId: `job_${index}`,
        title: `<!channel> Job ${index} ${'t'.repeat(200)}`,
        awaitingReply: Array.from({ length: 40 }, () => ({ name: 'N'.repeat(100), needsReply: 1, permalink: null })),
      }),
    );
    const message = digestMessage({ generatedAt: new Date('2026-11-23T08:00:00Z'), timeZone: 'UTC', jobs });
    expect(blockKitViolations('message', message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).not.toContain('<!channel>');
    expect(JSON.stringify(message.blocks.at(-1))).toMatch(/more not shown/);
  });
});

describe('hires waiting for approval in the digest', () => {
  it('lists each with who asked, the expiry (flagged within a day) and the approval link', () => {
    const { blocks } = digestMessage({
      generatedAt: new Date('2026-11-30T08:00:00Z'),
      timeZone: 'UTC',
      jobs: [
        job({
          approvals: [
            {
              name: 'Maria G.',
              permalink: 'https://team.slack.com/archives/C1/p1',
              approvalUrl: 'https://app.opentrain.ai/approvals/appr_1',
              expiresAt: '2026-11-30T20:00:00.000Z',
              requestedBy: 'U1',
              expiringSoon: true,
            },
            {
              name: 'Ana R.',
              permalink: null,
              approvalUrl: 'https://app.opentrain.ai/approvals/appr_2',
              expiresAt: '2026-12-02T20:00:00.000Z',
              requestedBy: null,
              expiringSoon: false,
            },
          ],
        }),
      ],
    });
    const text = sectionTexts(blocks).join('\n');
    expect(text).toContain('*Hires waiting for approval*');
    expect(text).toContain(
      '• <https://team.slack.com/archives/C1/p1|Maria G.> — requested by <@U1> · ⚠️ expires within a day (<!date^1796068800^{date_short_pretty} {time}|30 Nov 2026 20:00 UTC>) · <https://app.opentrain.ai/approvals/appr_1|Open the approval>',
    );
    expect(text).toContain('• Ana R. — requested on OpenTrain · expires <!date^');
    expect(blockKitViolations('message', { blocks })).toEqual([]);
  });

  it('says nothing about approvals when none are waiting', () => {
    const text = sectionTexts(digestMessage({ generatedAt: new Date(), timeZone: 'UTC', jobs: [job()] }).blocks).join(
      '',
    );
    expect(text).not.toContain('waiting for approval');
  });
});
