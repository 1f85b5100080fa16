import { describe, expect, it } from 'vitest';
import {
  HIRING_USAGE,
  helpMessage,
  jobsMessage,
  proposalsMessage,
  statusMessage,
  usageError,
  watchingMessage,
} from '../../src/blocks/help.js';
import { blockKitViolations } from '../../src/blocks/validate.js';

function allText(value: unknown): string {
  return JSON.stringify(value);
}

function sectionTexts(blocks: unknown[]): string[] {
  return (blocks as { type: string; text?: { text: string } }[])
    .filter((block) => block.type === 'section' && block.text)
    .map((block) => block.text!.text);
}

describe('helpMessage', () => {
  it('shows the usage of every /hiring subcommand in docs/architecture.md#hiring-command', () => {
    const message = helpMessage();
    const text = sectionTexts(message.blocks).join('\n');
    for (const usage of [
      '/hiring jobs',
      '/hiring proposals &lt;job&gt; [status] [top N]',
      '/hiring transcript &lt;proposal&gt;',
      '/hiring profile &lt;freelancer id, slug or URL&gt;',
      '/hiring invite &lt;freelancer&gt; &lt;job&gt;',
      '/hiring watch &lt;job&gt; [#channel]',
      '/hiring unwatch &lt;job&gt;',
      '/hiring watching',
      '/hiring weights [interview=0.5 match=0.3 price=0.2] [job]',
      '/hiring digest',
      '/hiring status',
      '/hiring help',
    ]) {
      expect(text).toContain(`\`${usage}\``);
    }
    expect(Object.keys(HIRING_USAGE)).toHaveLength(13);
    expect(blockKitViolations('message', message)).toEqual([]);
  });

  it('answers bad input with the problem and a pointer to help', () => {
    const message = usageError('Which job? Usage: `/hiring unwatch <job>`');
    expect(message.text).toBe('Which job? Usage: `/hiring unwatch <job>`');
    expect(allText(message.blocks)).toContain('`/hiring help` lists every command.');
  });
});

describe('jobsMessage and watchingMessage', () => {
  const rows = [
    {
      id: 'job_1',
      title: 'Spanish Sentiment',
      status: 'OPEN',
      total: 12,
      unreviewed: 5,
      channelId: 'C123',
      watched: true,
    },
    { id: 'job_2', title: 'French NER', status: 'DRAFT', total: 0, unreviewed: 0, channelId: null, watched: false },
  ];

  it('lists jobs with status, counts and where their cards go', () => {
    const text = sectionTexts(jobsMessage(rows).blocks).join('\n');
    expect(text).toContain('• *Spanish Sentiment* `job_1`\n   Open · 12 proposals (5 unreviewed) · cards → <#C123>');
    expect(text).toContain('• *French NER* `job_2`\n   Draft · 0 proposals (0 unreviewed) · not watched');
  });

  it('says when there are no jobs', () => {
    expect(allText(jobsMessage([]))).toContain('You have no jobs on OpenTrain yet');
  });

  it('lists watched jobs with their channels', () => {
    const message = watchingMessage([rows[0]!, { id: 'job_3', title: 'X', channelId: null }]);
    expect(sectionTexts(message.blocks)).toEqual(['• *Spanish Sentiment* → <#C123>\n• *X* → _no channel set_']);
    expect(allText(watchingMessage([]))).toContain('No job is watched.');
  });

  it('splits 500 jobs into sections within limits', () => {
    const many = Array.from({ length: 500 }, (_, index) => ({
      ...rows[0]!,
      id: `job_${index}`,
      title: `Job ${index}`,
    }));
    expect(blockKitViolations('message', jobsMessage(many))).toEqual([]);
  });
});

describe('proposalsMessage', () => {
  it('lists ranked proposals with score, partial marker, status, bid and card link', () => {
    const message = proposalsMessage({
      jobTitle: 'Spanish Sentiment',
      rows: [
        {
          rank: 1,
          name: 'Maria G.',
          score: 86.4,
          partial: false,
          status: 'Unreviewed',
          bid: '$0.06 / label',
          permalink: 'https://x.slack.com/archives/C1/p1',
        },
        {
          rank: 2,
          name: 'Ana R.',
          score: 70,
          partial: true,
          status: 'Shortlisted',
          bid: '$42 / hour',
          permalink: null,
        },
        { rank: 3, name: 'Luis P.', score: null, partial: true, status: 'Unreviewed', bid: '—', permalink: null },
      ],
    });
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Proposals — Spanish Sentiment' } });
    expect(sectionTexts(message.blocks)[0]).toBe(
      [
        '1. *<https://x.slack.com/archives/C1/p1|Maria G.>* — 86/100 · Unreviewed · $0.06 / label',
        '2. *Ana R.* — 70/100 _(partial)_ · Shortlisted · $42 / hour',
        '3. *Luis P.* — — · Unreviewed · —',
      ].join('\n'),
    );
    expect(message.text).toBe('3 proposals on Spanish Sentiment');
  });

  it('says when nothing matches', () => {
    expect(allText(proposalsMessage({ jobTitle: 'X', rows: [] }))).toContain('No proposals on X match.');
  });
});

describe('statusMessage', () => {
  it('reports reachability, claim, scopes, features, watched jobs, sync, cursor and last error', () => {
    const message = statusMessage({
      claimed: false,
      scopes: ['proposals:read', 'messages:read'],
      features: { public_api_hiring: false, public_api_messaging_writes: true },
      watched: [{ title: 'Spanish Sentiment', channelId: 'C123' }],
      lastSyncAt: '2026-06-12T11:59:00Z',
      cursor: '1042',
      lastError: 'OpenTrain answered 503.',
      mode: 'ledger',
      openTrainReachable: true,
      channelProblems: ["I'm not a member of <#G0PRIVATE> (a private channel): someone there must `/invite` me."],
      now: new Date('2026-06-12T12:00:00Z'),
    });
    const text = allText(message.blocks);
    expect(text).toContain('✅ reachable');
    expect(text).toContain('not claimed');
    expect(text).toContain('`proposals:read` `messages:read`');
    expect(text).toContain('❌ `public_api_hiring`');
    expect(text).toContain('✅ `public_api_messaging_writes`');
    expect(text).toContain('Spanish Sentiment → <#C123>');
    expect(text).toContain('1 minute ago');
    expect(text).toContain('`1042`');
    expect(text).toContain('OpenTrain answered 503.');
    expect(text).toContain('*Channels*');
    expect(text).toContain("• I'm not a member of <#G0PRIVATE>");
    expect(message.text).toBe('Hiring bot status: OpenTrain reachable, account not claimed, 1 watched job.');
    expect(blockKitViolations('message', message)).toEqual([]);
  });

  it('handles a first run with nothing known', () => {
    const message = statusMessage({
      claimed: true,
      scopes: [],
      features: {},
      watched: [],
      lastSyncAt: null,
      cursor: null,
      lastError: null,
      mode: null,
      openTrainReachable: false,
      channelProblems: [],
      now: new Date(),
    });
    const text = allText(message.blocks);
    expect(text).toContain('❌ not reachable');
    expect(text).toContain('*Last sync*\\nnever');
    expect(text).toContain('*Last error*\\nnone');
    expect(text).not.toContain('*Channels*');
  });
});
