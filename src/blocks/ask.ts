import type { types } from '@slack/bolt';
import { escapeMrkdwn, formatScore, plural, quote } from './format.js';
import { ASK_BLOCKS, ASK_CALLBACK_ID, ASK_FINALISTS_ACTION } from './ids.js';
import { fitView, type KnownBlock, LIMITS, type ModalView, truncate } from './limits.js';
import { CONTACT_HINT, noticeView } from './modals.js';

// The Ask finalists form (docs/architecture.md#asking-finalists): the button on the digest and on `/hiring proposals`
// answers, the modal (finalists, one or two questions, a preview), the "sending" view and the per-candidate outcome.

export const ASK_TITLE = 'Ask finalists';
/** Every input's action id in the form (the block ids tell them apart). */
export const ASK_INPUT_ACTION = 'value';
const ASK_PREVIEW_BLOCK = 'ask_preview';

/** The "Ask finalists…" button for one job (value: the job id). */
export function askFinalistsButton(jobId: string): types.Button {
  return {
    type: 'button',
    action_id: ASK_FINALISTS_ACTION,
    text: { type: 'plain_text', text: 'Ask finalists…' },
    value: jobId,
  };
}

/** The button alone in an actions block. */
export function askFinalistsActions(jobId: string, blockId: string): KnownBlock {
  return { type: 'actions', block_id: blockId.slice(0, LIMITS.blockId), elements: [askFinalistsButton(jobId)] };
}

export interface AskOptionInput {
  proposalId: string;
  name: string;
  rank: number;
  score: number | null;
  partial: boolean;
  /** Questions already reached them in an earlier round. */
  askedBefore?: boolean;
}

export type AskOutcomeInput =
  | { name: string; state: 'sent' }
  | { name: string; state: 'already' }
  | { name: string; state: 'failed' | 'unconfirmed'; reason: string };

export interface AskModalInput {
  jobTitle: string;
  /** Every proposal of the job the bot knows, ranked, best first. */
  options: readonly AskOptionInput[];
  selected: readonly string[];
  maxFinalists: number;
  maxQuestionLength: number;
  privateMetadata: string;
  /** The preview: what each finalist reads, with the questions in it (placeholders before anything is typed). */
  preview: string;
  /** What was typed (kept after a partial failure). */
  first?: string;
  second?: string;
  /** The last attempt's outcome, per candidate (shown above the form when some failed). */
  outcomes?: readonly AskOutcomeInput[];
}

export function askModal(input: AskModalInput): ModalView {
  const blocks: KnownBlock[] = [];
  const title = escapeMrkdwn(input.jobTitle);
  if (input.outcomes && input.outcomes.length > 0) {
    blocks.push(section('ask_outcome', `*Last attempt*\n${askOutcomeLines(input.outcomes).join('\n')}`));
    blocks.push(
      context(
        'ask_retry_hint',
        'The failed finalists are selected: submit to try them again. Nobody who got the questions is asked twice.',
      ),
    );
  } else {
    blocks.push(
      section(
        'ask_intro',
        `Ask finalists of *${title}* one or two questions in their OpenTrain conversation. Each card's thread shows what you asked.`,
      ),
    );
  }
  const options: types.PlainTextOption[] = input.options.slice(0, LIMITS.selectOptions).map(optionOf);
  const initial = options.filter((option) => input.selected.includes(option.value ?? ''));
  const select: types.MultiStaticSelect = {
    type: 'multi_static_select',
    action_id: ASK_INPUT_ACTION,
    placeholder: { type: 'plain_text', text: 'Choose finalists' },
    options,
    max_selected_items: input.maxFinalists,
  };
  if (initial.length > 0) select.initial_options = initial;
  blocks.push({
    type: 'input',
    block_id: ASK_BLOCKS.finalists,
    label: { type: 'plain_text', text: 'Finalists' },
    hint: {
      type: 'plain_text',
      text: `Ranked by composite score; up to ${input.maxFinalists} per round. "Asked before": an earlier round reached them (their card's thread shows it).`,
    },
    element: select,
  });
  if (input.options.length > LIMITS.selectOptions) {
    blocks.push(
      context(
        'ask_more_options',
        `Showing the top ${LIMITS.selectOptions} of ${input.options.length} proposals by score.`,
      ),
    );
  }
  blocks.push(
    questionInput(ASK_BLOCKS.first, 'Question 1', input.first, input.maxQuestionLength, false),
    questionInput(ASK_BLOCKS.second, 'Question 2', input.second, input.maxQuestionLength, true),
    context('ask_contact_hint', CONTACT_HINT),
    previewSection(input.preview),
  );
  return fitView({
    type: 'modal',
    callback_id: ASK_CALLBACK_ID,
    private_metadata: input.privateMetadata,
    title: { type: 'plain_text', text: ASK_TITLE },
    submit: { type: 'plain_text', text: input.outcomes?.length ? 'Try again' : 'Send questions' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  });
}

/** The form as Slack showed it, with the preview rewritten for what the person has typed so far. */
export function withPreview(
  view: {
    callback_id?: string;
    private_metadata?: string;
    title: ModalView['title'];
    submit?: ModalView['submit'] | null;
    close?: ModalView['close'] | null;
    blocks: unknown[];
  },
  preview: string,
): ModalView {
  const blocks = (view.blocks as KnownBlock[]).map((block) =>
    block.block_id === ASK_PREVIEW_BLOCK ? previewSection(preview) : block,
  );
  return fitView({
    type: 'modal',
    ...(view.callback_id ? { callback_id: view.callback_id } : {}),
    ...(view.private_metadata ? { private_metadata: view.private_metadata } : {}),
    title: view.title,
    ...(view.submit ? { submit: view.submit } : {}),
    ...(view.close ? { close: view.close } : {}),
    blocks,
  });
}

const PREVIEW_CUT = '\n_The preview stops here; each finalist reads the whole message._';

/** The preview in one section; two long questions don't fit Slack's 3,000 characters, and then it says it was cut. */
function previewSection(preview: string): KnownBlock {
  const text = `*Preview — what each finalist reads*\n${quote(escapeMrkdwn(preview))}`;
  if (text.length <= LIMITS.sectionText) return section(ASK_PREVIEW_BLOCK, text);
  return section(ASK_PREVIEW_BLOCK, `${truncate(text, LIMITS.sectionText - PREVIEW_CUT.length)}${PREVIEW_CUT}`);
}

/** The job has no proposal the bot tracks (said the same by the ask form and `/hiring shortlist`). */
export function noFinalistsText(jobTitle: string): string {
  return `The bot tracks no proposals of *${escapeMrkdwn(jobTitle)}* yet, so there is nobody to choose from. \`/hiring watch\` the job so its proposals arrive as cards, then try again.`;
}

/** The job has no proposal the bot knows of: nothing to choose from. */
export function askNothingView(jobTitle: string): ModalView {
  return noticeView({ title: ASK_TITLE, blockId: 'ask_nothing', text: noFinalistsText(jobTitle) });
}

/**
 * The submission's immediate answer, then its progress while OpenTrain answers finalist by finalist (the outcome
 * replaces it). Closing the form loses nothing: the outcome then comes as a message only the person sees.
 */
export function askSendingView(count: number, done: readonly AskOutcomeInput[] = []): ModalView {
  const progress = done.length > 0 ? `\n${done.length} of ${count} done:\n${askOutcomeLines(done).join('\n')}` : '';
  return noticeView({
    title: ASK_TITLE,
    blockId: 'ask_sending',
    text:
      `:hourglass_flowing_sand: Sending to ${plural(count, 'finalist')}…${progress}\n\n` +
      '_You can close this form: the outcome then comes to you as a message only you can see._',
  });
}

/** Everyone got the questions (now or earlier in this round). */
export function askDoneView(outcomes: readonly AskOutcomeInput[]): ModalView {
  return noticeView({
    title: ASK_TITLE,
    blockId: 'ask_done',
    close: 'Done',
    text: `*Asked ${plural(outcomes.length, 'finalist')}*\n${askOutcomeLines(outcomes).join('\n')}`,
  });
}

/** One line per candidate: "✓ Maria G. — sent", "✗ Ben K. — <reason>". */
export function askOutcomeLines(outcomes: readonly AskOutcomeInput[]): string[] {
  return outcomes.map((outcome) => {
    const name = `*${escapeMrkdwn(outcome.name)}*`;
    if (outcome.state === 'sent') return `✓ ${name} — sent`;
    if (outcome.state === 'already') return `✓ ${name} — already asked (not sent again)`;
    return `${outcome.state === 'failed' ? '✗' : '?'} ${name} — ${escapeMrkdwn(outcome.reason)}`;
  });
}

/**
 * The ephemeral summary, when the form was closed before the outcome could be shown in it: per candidate, and — when
 * some didn't get them — the questions quoted back (nothing typed is lost) and how to ask only those.
 */
export function askSummaryText(
  jobTitle: string,
  outcomes: readonly AskOutcomeInput[],
  questions: readonly string[],
): string {
  const lines = [`Questions on *${escapeMrkdwn(jobTitle)}*:`, ...askOutcomeLines(outcomes)];
  if (outcomes.some((outcome) => outcome.state === 'failed' || outcome.state === 'unconfirmed')) {
    lines.push(
      'To try the ones marked ✗ again, open *Ask finalists…* and choose only them (a new form is a new round). Your questions:',
      ...questions.map((question) => quote(escapeMrkdwn(question))),
    );
  }
  return lines.join('\n');
}

/** "3. Maria G. — 84/100 (partial) · asked before": the name is what gets cut, never the score or the note. */
function optionOf(option: AskOptionInput): types.PlainTextOption {
  const partial = option.partial && option.score !== null ? ' (partial)' : '';
  const tail = ` — ${formatScore(option.score)}${partial}${option.askedBefore ? ' · asked before' : ''}`;
  const head = `${option.rank}. `;
  const name = truncate(option.name, Math.max(1, LIMITS.optionText - head.length - tail.length));
  return {
    text: { type: 'plain_text', text: truncate(`${head}${name}${tail}`, LIMITS.optionText) },
    value: option.proposalId,
  };
}

function questionInput(
  blockId: string,
  label: string,
  initial: string | undefined,
  maxLength: number,
  optional: boolean,
): KnownBlock {
  const element: types.PlainTextInput = {
    type: 'plain_text_input',
    action_id: ASK_INPUT_ACTION,
    multiline: true,
    max_length: maxLength,
    placeholder: {
      type: 'plain_text',
      text: optional ? 'Another question, if you have one' : 'e.g. How would you handle sarcasm in a post?',
    },
  };
  if (initial) element.initial_value = initial.slice(0, maxLength);
  // Typing updates the preview (the form re-renders it; Slack keeps what was typed, block and action ids unchanged).
  element.dispatch_action_config = { trigger_actions_on: ['on_character_entered'] };
  return {
    type: 'input',
    block_id: blockId,
    optional,
    dispatch_action: true,
    label: { type: 'plain_text', text: label },
    element,
  };
}

function section(blockId: string, text: string): KnownBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

function context(blockId: string, text: string): KnownBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text }] };
}
