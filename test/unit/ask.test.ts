import { afterEach, describe, expect, it } from 'vitest';
import { askDoneView, askModal, askOutcomeLines, askSendingView, askSummaryText } from '../../src/blocks/ask.js';
import type { ModalView } from '../../src/blocks/limits.js';
import { askedMessage } from '../../src/blocks/relay.js';
import { blockKitViolations } from '../../src/blocks/validate.js';
import { DEFAULT_WEIGHTS } from '../../src/domain.js';
import { parseHiringCommand } from '../../src/handlers/commands/parse.js';
import { AskService } from '../../src/services/ask.js';
import {
  ASK_POLICY,
  composeQuestions,
  decideFinalist,
  type FinalistOption,
  finalistOptions,
  preselectFinalists,
  validateAsk,
} from '../../src/services/ask-plan.js';
import { rankProposals } from '../../src/services/ranking.js';
import { OutboundSender } from '../../src/services/relay/outbound.js';
import { type AskView, MAX_ASKS_PER_PROPOSAL, Store } from '../../src/store/index.js';
import { proposalWithCard, refusal, relayHarness, storeWith, timeoutError } from '../helpers/relay-fakes.js';

const modalViolations = (view: ModalView) => blockKitViolations('modal', view as unknown as Record<string, unknown>);

const record = (state: AskView['state']): AskView => ({
  askId: 'a1',
  by: 'U1',
  at: '2026-03-02T12:00:00Z',
  questions: ['Q?'],
  state,
  messageId: state === 'sent' ? 'm1' : null,
  error: null,
});

function option(proposalId: string, rank: number, status = 'UNREVIEWED'): FinalistOption {
  return { proposalId, name: `Name ${rank}`, rank, score: 100 - rank, partial: false, status, askedBefore: false };
}

describe('/hiring ask parsing', () => {
  it('reads a job and an optional top N (default left to the form)', () => {
    expect(parseHiringCommand('ask spanish')).toEqual({ kind: 'ask', job: 'spanish' });
    expect(parseHiringCommand('ASK  Spanish Sentiment   top 5')).toEqual({
      kind: 'ask',
      job: 'Spanish Sentiment',
      top: 5,
    });
    expect(parseHiringCommand('ask <https://app.opentrain.ai/jobs/job_42|Spanish> top=2')).toEqual({
      kind: 'ask',
      job: 'job_42',
      top: 2,
    });
    expect(parseHiringCommand('questions job_42 top1')).toEqual({ kind: 'ask', job: 'job_42', top: 1 });
  });

  it('explains a missing job or a top N out of range, quoting the usage', () => {
    for (const [text, problem] of [
      ['ask', 'Which job?'],
      ['ask spanish top', '`top` needs a number'],
      ['ask spanish top many', 'whole number'],
      [`ask spanish top ${ASK_POLICY.maxFinalists + 1}`, `between 1 and ${ASK_POLICY.maxFinalists}`],
      ['ask spanish top 0', 'between 1 and'],
    ] as const) {
      const parsed = parseHiringCommand(text);
      expect(parsed.kind).toBe('invalid');
      expect(parsed.kind === 'invalid' && parsed.message).toContain(problem);
      expect(parsed.kind === 'invalid' && parsed.message).toContain('/hiring ask <job> [top N]');
    }
  });
});

describe('finalists', () => {
  it('offers every known proposal of the job ranked by composite score, and pre-selects the top N not yet decided', () => {
    const stored = [1, 2, 3, 4, 5].map((index) => proposalWithCard(index));
    stored[0]!.proposal.interviewScore = 10; // the worst
    stored[1]!.proposal.status = { raw: 'DECLINED', label: 'Declined' };
    for (const s of stored) s.proposal.jobId = 'job_x';
    const ranks = new Map(
      rankProposals(
        stored.map((s) => s.proposal),
        DEFAULT_WEIGHTS,
      ).map((r) => [r.proposalId, r]),
    );
    const options = finalistOptions(stored, ranks);
    expect(options.map((o) => o.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(options.at(-1)!.proposalId).toBe(stored[0]!.proposal.id);
    const top3 = preselectFinalists(options, 3);
    expect(top3).toHaveLength(3);
    expect(top3).not.toContain(stored[1]!.proposal.id);
    expect(top3).toEqual(
      options
        .filter((o) => o.status !== 'DECLINED')
        .slice(0, 3)
        .map((o) => o.proposalId),
    );
    // More than there are, or more than a round holds.
    expect(preselectFinalists(options, 50)).toHaveLength(4);
    const many = Array.from({ length: 30 }, (_, index) => option(`p${index}`, index + 1));
    expect(preselectFinalists(many, 30)).toHaveLength(ASK_POLICY.maxFinalists);
  });
});

describe('the message and its validation', () => {
  it('composes one or two questions as one message with the job title', () => {
    expect(composeQuestions('Spanish NER', ['  Why us? '])).toBe(
      "Thank you for your proposal for “Spanish NER”. Before we decide, we'd like to ask you:\n\nWhy us?",
    );
    expect(composeQuestions('Spanish NER', ['Why us?', 'When can you start?'])).toBe(
      "Thank you for your proposal for “Spanish NER”. Before we decide, we'd like to ask you two questions:\n\n" +
        '1. Why us?\n\n2. When can you start?',
    );
    expect(composeQuestions('Spanish NER', ['Why us?', '  '])).toBe(composeQuestions('Spanish NER', ['Why us?']));
  });

  it('needs a known finalist and a first question; refuses contact details and over-long questions under their input', () => {
    const known = new Set(['p1', 'p2']);
    const ok = validateAsk({ finalists: ['p1', 'p1', 'p2'], first: ' Why? ', second: '' }, 'Job', known);
    expect(ok).toEqual({
      ok: true,
      finalists: ['p1', 'p2'],
      questions: ['Why?'],
      text: composeQuestions('Job', ['Why?']),
    });
    expect(validateAsk({ finalists: ['nope'], first: 'Why?', second: '' }, 'Job', known)).toEqual({
      ok: false,
      errors: { finalists: 'Choose at least one finalist to ask.' },
    });
    const empty = validateAsk({ finalists: ['p1'], first: '  ', second: 'Second?' }, 'Job', known);
    expect(empty.ok === false && empty.errors.first).toContain('Write the question');
    const contact = validateAsk({ finalists: ['p1'], first: 'Why?', second: 'Mail me at a.b@gmail.com' }, 'Job', known);
    expect(contact.ok === false && contact.errors.second).toContain('email address');
    expect(contact.ok === false && contact.errors.first).toBeUndefined();
    const long = validateAsk(
      { finalists: ['p1'], first: 'x'.repeat(ASK_POLICY.maxQuestionLength + 1), second: '' },
      'Job',
      known,
    );
    expect(long.ok === false && long.errors.first).toContain('2,001 characters');
    const tooMany = Array.from({ length: ASK_POLICY.maxFinalists + 1 }, (_, index) => `p${index}`);
    const over = validateAsk({ finalists: tooMany, first: 'Why?', second: '' }, 'Job', new Set(tooMany));
    expect(over.ok === false && over.errors.finalists).toContain(`at most ${ASK_POLICY.maxFinalists}`);
  });
});

describe('the idempotency decision per finalist', () => {
  it('sends when not asked in this round or failed, skips when sent, checks first when the outcome is unknown', () => {
    expect(decideFinalist(undefined, null)).toBe('send');
    expect(decideFinalist(undefined, 'conv_1')).toBe('send');
    expect(decideFinalist(record('failed'), 'conv_1')).toBe('send');
    expect(decideFinalist(record('sent'), 'conv_1')).toBe('skip');
    expect(decideFinalist(record('sent'), null)).toBe('skip');
    expect(decideFinalist(record('sending'), 'conv_1')).toBe('verify');
    // No conversation linked: nothing can have reached the candidate.
    expect(decideFinalist(record('sending'), null)).toBe('send');
  });
});

describe('the form and its outcome (blocks)', () => {
  const base = {
    jobTitle: 'Spanish <Sentiment>',
    selected: ['p1', 'p2', 'p3'],
    maxFinalists: ASK_POLICY.maxFinalists,
    maxQuestionLength: ASK_POLICY.maxQuestionLength,
    privateMetadata: '{"askId":"a1","jobId":"job_1","channel":null}',
    preview: composeQuestions('Spanish <Sentiment>', ['‹your first question›']),
  };

  it('shows the ranked finalists with the top ones selected, two question inputs and the preview, within Block Kit limits', () => {
    const options = Array.from({ length: 120 }, (_, index) => option(`p${index + 1}`, index + 1));
    const view = askModal({ ...base, options });
    expect(modalViolations(view)).toEqual([]);
    const blocks = view.blocks as { block_id?: string; element?: Record<string, unknown>; text?: { text: string } }[];
    const select = blocks.find((b) => b.block_id === 'ask_finalists')!.element as {
      options: unknown[];
      initial_options: { value: string }[];
      max_selected_items: number;
    };
    expect(select.options).toHaveLength(100);
    expect(select.initial_options.map((o) => o.value)).toEqual(['p1', 'p2', 'p3']);
    expect(select.max_selected_items).toBe(ASK_POLICY.maxFinalists);
    expect(JSON.stringify(blocks)).toContain('Showing the top 100 of 120 proposals');
    expect(blocks.map((b) => b.block_id)).toEqual(expect.arrayContaining(['ask_q1', 'ask_q2', 'ask_preview']));
    const preview = blocks.find((b) => b.block_id === 'ask_preview')!.text!.text;
    expect(preview).toContain('>Thank you for your proposal for “Spanish &lt;Sentiment&gt;”');
    expect(view.callback_id).toBe('ask_submit');
    expect(view.submit?.text).toBe('Send questions');
  });

  it('marks finalists an earlier round reached; a long name is cut, never the score or the mark', () => {
    const long = {
      ...option('p1', 1),
      name: 'Maria Guadalupe Fernández de la Torre y Montenegro-Villalobos',
      askedBefore: true,
    };
    const view = askModal({ ...base, options: [long, option('p2', 2)] });
    expect(modalViolations(view)).toEqual([]);
    const select = (view.blocks as { block_id?: string; element?: { options?: { text: { text: string } }[] } }[]).find(
      (b) => b.block_id === 'ask_finalists',
    )!.element!;
    const [first, second] = select.options!.map((o) => o.text.text);
    expect(first).toMatch(/^1\. Maria Guadalupe .*… — 99\/100 · asked before$/);
    expect(first!.length).toBeLessThanOrEqual(75);
    expect(second).toBe('2. Name 2 — 98/100');
  });

  it('a preview too long for one section says where it stops', () => {
    const long = 'How would you label a sarcastic post? '.repeat(52).trim();
    const view = askModal({ ...base, options: [option('p1', 1)], preview: composeQuestions('Job', [long, long]) });
    expect(modalViolations(view)).toEqual([]);
    const preview = (view.blocks as { block_id?: string; text?: { text: string } }[]).find(
      (b) => b.block_id === 'ask_preview',
    )!.text!.text;
    expect(preview.length).toBeLessThanOrEqual(3000);
    expect(preview).toMatch(/…\n_The preview stops here; each finalist reads the whole message._$/);
    const short = askModal({ ...base, options: [option('p1', 1)], preview: composeQuestions('Job', ['Why?']) });
    expect(JSON.stringify(short.blocks)).not.toContain('preview stops here');
  });

  it('after a partial failure: the outcome per candidate, the questions kept, a retry button', () => {
    const view = askModal({
      ...base,
      options: [option('p1', 1), option('p2', 2)],
      selected: ['p2'],
      first: 'Why?',
      second: 'When?',
      outcomes: [
        { name: 'Ana <R>', state: 'sent' },
        { name: 'Ben K.', state: 'failed', reason: 'OpenTrain is rate limiting; try again in 30 seconds.' },
      ],
    });
    expect(modalViolations(view)).toEqual([]);
    const json = JSON.stringify(view.blocks);
    expect(json).toContain('✓ *Ana &lt;R&gt;* — sent');
    expect(json).toContain('✗ *Ben K.* — OpenTrain is rate limiting; try again in 30 seconds.');
    expect(json).toContain('"initial_value":"Why?"');
    expect(json).toContain('"initial_value":"When?"');
    expect(view.submit?.text).toBe('Try again');
  });

  it('sending, done and summary say what happened per candidate', () => {
    expect(JSON.stringify(askSendingView(3).blocks)).toContain('Sending to 3 finalists…');
    const outcomes = [
      { name: 'Ana', state: 'sent' as const },
      { name: 'Ben', state: 'already' as const },
      { name: 'Cy', state: 'unconfirmed' as const, reason: 'Not confirmed.' },
    ];
    expect(askOutcomeLines(outcomes)).toEqual([
      '✓ *Ana* — sent',
      '✓ *Ben* — already asked (not sent again)',
      '? *Cy* — Not confirmed.',
    ]);
    expect(modalViolations(askDoneView(outcomes.slice(0, 2)))).toEqual([]);
    const summary = askSummaryText('Job', outcomes, ['Why <now>?', 'When?']);
    expect(summary).toContain('? *Cy* — Not confirmed.');
    expect(summary).toContain('choose only them');
    expect(summary).toContain('>Why &lt;now&gt;?\n>When?');
    expect(askSummaryText('Job', outcomes.slice(0, 2), ['Why?'])).not.toContain('Why?');
    expect(askedMessage({ userId: 'U1', candidateName: 'Ana', content: 'Why <now>?' }).text).toBe(
      '<@U1> asked: Why &lt;now&gt;?',
    );
  });
});

describe('AskService over the relay sender (fakes)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function service() {
    const proposals = [1, 2, 3].map((index) => ({ ...proposalWithCard(index), asked: [] }));
    for (const p of proposals) p.proposal.jobId = 'job_x';
    const relay = await relayHarness(proposals, cleanups);
    const sender = new OutboundSender(relay.parts());
    const ask = new AskService({
      store: relay.store,
      relay: sender,
      ranksFor: () => new Map(),
      askedNote: askedMessage,
      logger: relay.parts().logger,
      clock: relay.time.clock,
    });
    const ids = proposals.map((p) => p.proposal.id);
    return { ...relay, ask, ids };
  }

  const round = (ids: string[], askId = 'round_1') => ({
    askId,
    jobId: 'job_x',
    userId: 'U0ANNA',
    finalists: ids,
    questions: ['Why?'],
  });

  it('one refusal is reported for that finalist and the others still get the questions; records follow', async () => {
    const s = await service();
    s.openTrain.sendBehaviour = ['ok', { refuse: refusal(403) }, 'ok'];
    const outcomes = await s.ask.ask(round(s.ids));
    expect(outcomes.map((o) => o.state)).toEqual(['sent', 'failed', 'sent']);
    expect(s.openTrain.sent).toHaveLength(2);
    const states = s.ids.map((id) => s.store.data.proposals[id]!.asked!.map((a) => a.state));
    expect(states).toEqual([['sent'], ['failed'], ['sent']]);
    expect(s.threadTexts(s.ids[0]!).some((text) => text.startsWith('<@U0ANNA> asked:'))).toBe(true);

    // Again (the same round): only the failed one is sent to.
    const again = await s.ask.ask(round(s.ids));
    expect(again.map((o) => o.state)).toEqual(['already', 'sent', 'already']);
    expect(s.openTrain.sent).toHaveLength(3);
  });

  it('reports progress after each finalist; a throwing listener stops nobody', async () => {
    const s = await service();
    s.openTrain.sendBehaviour = ['ok', { refuse: refusal(403) }, 'ok'];
    const seen: string[][] = [];
    const outcomes = await s.ask.ask(round(s.ids), (done) => {
      seen.push(done.map((o) => o.state));
      throw new Error('the listener broke');
    });
    expect(seen).toEqual([['sent'], ['sent', 'failed'], ['sent', 'failed', 'sent']]);
    expect(outcomes.map((o) => o.state)).toEqual(['sent', 'failed', 'sent']);
    expect(s.openTrain.sent).toHaveLength(2);
  });

  it('two submissions of one round at once send once to each finalist', async () => {
    const s = await service();
    const [a, b] = await Promise.all([s.ask.ask(round(s.ids)), s.ask.ask(round(s.ids))]);
    expect(s.openTrain.sent).toHaveLength(3);
    expect([...a, ...b].filter((o) => o.state === 'sent')).toHaveLength(3);
    expect(b.map((o) => o.state)).toEqual(['already', 'already', 'already']);
  });

  it('a send whose outcome is unknown stays "sending", and the next attempt finds it in the conversation', async () => {
    const s = await service();
    const lost = timeoutError();
    // Stored by OpenTrain, the answer lost, and the check (read right away) doesn't see it yet.
    s.openTrain.sendBehaviour = [{ lose: lost, stored: false }];
    const first = await s.ask.ask(round([s.ids[0]!]));
    expect(first[0]).toMatchObject({ state: 'unconfirmed' });
    expect(s.store.data.proposals[s.ids[0]!]!.asked![0]).toMatchObject({ state: 'sending' });
    // It did arrive after all.
    const conversationId = s.store.data.proposals[s.ids[0]!]!.conversation!.id;
    const text = composeQuestions('job_x', ['Why?']);
    s.openTrain.say(conversationId, text, { fromViewer: true });
    const again = await s.ask.ask(round([s.ids[0]!]));
    expect(again[0]).toMatchObject({ state: 'sent' });
    expect(s.openTrain.sent).toHaveLength(0);
    expect(s.store.data.proposals[s.ids[0]!]!.asked![0]).toMatchObject({ state: 'sent' });
  });
});

describe('AskRecords (the only writer of `asked`)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('one record per round: a retry replaces it, states follow, the oldest rounds go past the cap, all on disk', async () => {
    const stored = proposalWithCard(1);
    const { store, cleanup } = await storeWith([stored]);
    cleanups.push(cleanup);
    const id = stored.proposal.id;
    const begin = (askId: string, questions = ['Why?']) =>
      store.asks.begin(id, { askId, by: 'U1', at: '2026-03-02T12:00:00Z', questions });
    expect(store.asks.begin('nope', { askId: 'a', by: 'U1', at: 'x', questions: [] })).toBe(false);
    expect(begin('a')).toBe(true);
    store.asks.markFailed(id, 'a', 'OpenTrain is rate limiting; try again in 30 seconds.');
    expect(store.data.proposals[id]!.asked).toEqual([
      expect.objectContaining({
        askId: 'a',
        state: 'failed',
        error: 'OpenTrain is rate limiting; try again in 30 seconds.',
      }),
    ]);
    begin('a', ['Why, edited?']);
    store.asks.markSent(id, 'a', 'msg_1');
    expect(store.data.proposals[id]!.asked).toEqual([
      expect.objectContaining({
        askId: 'a',
        state: 'sent',
        messageId: 'msg_1',
        error: null,
        questions: ['Why, edited?'],
      }),
    ]);
    for (let round = 0; round < MAX_ASKS_PER_PROPOSAL + 5; round += 1) begin(`r${round}`);
    const asked = store.data.proposals[id]!.asked!;
    expect(asked).toHaveLength(MAX_ASKS_PER_PROPOSAL);
    expect(asked[0]!.askId).toBe('r5');
    await store.flush();
    const reopened = await Store.open({ file: store.file });
    expect(reopened.data.proposals[id]!.asked).toEqual(asked);
    await reopened.close();
  });
});
