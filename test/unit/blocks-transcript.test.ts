import { describe, expect, it } from 'vitest';
import { errorView, loadingView } from '../../src/blocks/modals.js';
import { transcriptMessage, transcriptView } from '../../src/blocks/transcript.js';
import { blockKitViolations } from '../../src/blocks/validate.js';
import type { Transcript, TranscriptTurn } from '../../src/domain.js';

function turn(index: number, role: TranscriptTurn['role'], content: string): TranscriptTurn {
  return { id: `m${index}`, role, content, sentAt: new Date(Date.UTC(2026, 5, 12, 10, index)).toISOString() };
}

const TRANSCRIPT: Transcript = {
  proposalId: 'prop_1',
  score: 86,
  summary: 'Strong grasp of sarcasm and negation.',
  turns: [
    turn(0, 'interviewer', 'How do you label sarcasm?'),
    turn(1, 'candidate', 'I look at context & tone.'),
    turn(2, 'system', 'Interview ended.'),
  ],
};

function sectionTexts(blocks: unknown[]): string[] {
  return (blocks as { type: string; text?: { text: string } }[])
    .filter((block) => block.type === 'section')
    .map((block) => block.text?.text ?? '');
}

function contextTexts(blocks: unknown[]): string[] {
  return (blocks as { type: string; elements?: { text?: string }[] }[])
    .filter((block) => block.type === 'context')
    .map((block) => block.elements?.map((element) => element.text ?? '').join(' ') ?? '');
}

const asView = (view: unknown) => view as Record<string, unknown>;

describe('loading and error views', () => {
  it('shows a loading modal with an optional callback id', () => {
    const view = loadingView('Interview transcript', 'transcript_view');
    expect(view.callback_id).toBe('transcript_view');
    expect(view.title.text).toBe('Interview transcript');
    expect(sectionTexts(view.blocks)).toEqual([':hourglass_flowing_sand: Loading…']);
    expect(loadingView('Profile').callback_id).toBeUndefined();
  });

  it('shows an error in words, within the title limit', () => {
    const view = errorView(
      'A title much longer than twenty-four characters',
      'OpenTrain is not answering. Try again in a minute.',
    );
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(sectionTexts(view.blocks)).toEqual([':warning: OpenTrain is not answering. Try again in a minute.']);
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
  });
});

describe('transcriptView', () => {
  it('shows the summary with the score first, then labelled turns with times', () => {
    const view = transcriptView({ candidateName: 'Maria G.', jobTitle: 'Spanish sentiment', transcript: TRANSCRIPT });
    const blocks = view.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Maria G. — AI interview' } });
    expect(contextTexts(blocks)[0]).toContain('Job: *Spanish sentiment*');
    expect(contextTexts(blocks)[0]).toContain('Score: *86/100*');
    const sections = sectionTexts(blocks);
    expect(sections[0]).toBe('*Summary*\n>Strong grasp of sarcasm and negation.');
    expect(sections.slice(1)).toEqual([
      '*Interviewer* · <!date^1781258400^{time}|10:00 UTC>\nHow do you label sarcasm?',
      '*Candidate* · <!date^1781258460^{time}|10:01 UTC>\nI look at context &amp; tone.',
      '*System* · <!date^1781258520^{time}|10:02 UTC>\nInterview ended.',
    ]);
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
  });

  it('says "Interview completed." for an empty transcript', () => {
    const view = transcriptView({ candidateName: 'Maria G.', transcript: { ...TRANSCRIPT, turns: [] } });
    expect(contextTexts(view.blocks)).toContain('Interview completed.');
  });

  it('splits a long turn across several sections', () => {
    const long = `${'word '.repeat(1500)}`.trim();
    const view = transcriptView({
      candidateName: 'Maria G.',
      transcript: { ...TRANSCRIPT, summary: null, turns: [turn(0, 'candidate', long)] },
    });
    const sections = sectionTexts(view.blocks);
    expect(sections.length).toBe(3);
    expect(sections[0]?.startsWith('*Candidate*')).toBe(true);
    for (const text of sections) expect(text.length).toBeLessThanOrEqual(3000);
    expect(sections.join(' ').match(/word/g)).toHaveLength(1500);
  });

  it('cuts a 500-turn transcript at 100 blocks with a note saying how many turns are missing', () => {
    const turns = Array.from({ length: 500 }, (_, index) =>
      turn(index, index % 2 === 0 ? 'interviewer' : 'candidate', `Turn ${index} `.repeat(50)),
    );
    const view = transcriptView({
      candidateName: 'Maria G.',
      transcript: { ...TRANSCRIPT, summary: 'S'.repeat(10_000), turns },
    });
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(blockKitViolations('modal', asView(view))).toEqual([]);
    const shownTurns = view.blocks.filter((block) => /^turn_\d+_0$/.test(block.block_id ?? '')).length;
    expect(contextTexts(view.blocks).at(-1)).toBe(
      `Transcript cut: ${500 - shownTurns} more turns — open it on OpenTrain`,
    );
  });
});

describe('transcriptMessage', () => {
  it('fits an ephemeral message, cut with the same note', () => {
    const turns = Array.from({ length: 500 }, (_, index) => turn(index, 'candidate', 'x'.repeat(400)));
    const message = transcriptMessage({
      candidateName: 'Maria G.',
      jobTitle: 'Spanish sentiment',
      transcript: { ...TRANSCRIPT, summary: 'S'.repeat(10_000), turns },
    });
    expect(message.text).toBe('AI interview transcript — Maria G. for Spanish sentiment');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(blockKitViolations('message', message)).toEqual([]);
    expect(contextTexts(message.blocks).at(-1)).toMatch(/^Transcript cut: \d+ more turns — open it on OpenTrain$/);
  });

  it('shows a single huge turn partly rather than not at all', () => {
    const message = transcriptMessage({
      candidateName: 'Maria G.',
      transcript: { ...TRANSCRIPT, summary: null, turns: [turn(0, 'candidate', 'y'.repeat(60_000))] },
    });
    expect(blockKitViolations('message', message)).toEqual([]);
    expect(sectionTexts(message.blocks)[0]?.startsWith('*Candidate*')).toBe(true);
    expect(contextTexts(message.blocks).at(-1)).toBe(
      'Transcript cut: the rest of this turn (the last one shown is incomplete) — open it on OpenTrain',
    );
  });
});
