import type { types } from '@slack/bolt';

// Over ~300 lines on purpose: the one home of Block Kit's limits; a second file would make two homes.
// The one place that knows Block Kit's limits. Builders shape content sensibly (cutting at turn or paragraph
// boundaries with a note that says so); fitMessage / fitView are the last line of defence that guarantees Slack
// never answers `invalid_blocks`, `msg_blocks_too_long` or a view error because of something we rendered.

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

/** A chat message as this app posts it: the fallback text plus blocks (metadata and the like pass through). */
export interface MessageContent {
  text: string;
  blocks: KnownBlock[];
}

export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  /**
   * Slack rejects chat.postMessage with `msg_blocks_too_long` once the blocks' text adds up to roughly 12–13k
   * characters (undocumented; reported in slackapi/bolt-js#2509 and #2867). We stay well under it.
   */
  messageBlocksTextBudget: 10_000,
  messageText: 40_000,
  sectionText: 3000,
  sectionFieldText: 2000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  buttonUrl: 3000,
  actionValue: 2000,
  actionsElements: 25,
  contextElementText: 2000,
  contextElements: 10,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  privateMetadata: 3000,
  callbackId: 255,
  blockId: 255,
  actionId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  selectOptions: 100,
  overflowOptions: 5,
  checkboxOptions: 10,
  inputInitialValue: 3000,
  plainTextInputMaxLength: 3000,
  imageAltText: 2000,
} as const;

export const ELLIPSIS = '…';

/**
 * Cut `text` to at most `max` characters (UTF-16 units, which never undercounts Slack's own count), ending with '…'.
 * Never splits a surrogate pair, an HTML entity (`&amp;`) or an unfinished mrkdwn link/mention (`<@U123>`), which
 * would otherwise show as garbage.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let cut = max - 1;
  cut = safeCutIndex(text, cut);
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * Split text into pieces of at most `max` characters, preferring paragraph, then line, then word boundaries, so
 * long content can span several sections instead of being cut.
 */
export function splitText(text: string, max: number): string[] {
  if (max <= 0) return [];
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = lastBoundary(window, '\n\n', max);
    if (cut < max / 2) cut = lastBoundary(window, '\n', max);
    if (cut < max / 2) cut = lastBoundary(window, ' ', max);
    if (cut < max / 2) cut = safeCutIndex(rest, max);
    cut = outsideOpenLink(rest, cut);
    if (cut <= 0) cut = safeCutIndex(rest, max) || max;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces.filter((piece, index) => piece.length > 0 || index === 0);
}

/** A message that satisfies every Block Kit limit, with any cut blocks replaced by a "…N more not shown" note. */
export function fitMessage<T extends MessageContent>(message: T): T {
  const blocks = fitBlockList(message.blocks.map(fitBlock), LIMITS.messageBlocks, LIMITS.messageBlocksTextBudget);
  return { ...message, text: truncate(message.text, LIMITS.messageText), blocks };
}

/** A modal view that satisfies every Block Kit limit. */
export function fitView<T extends ModalView>(view: T): T {
  const blocks = fitBlockList(
    (view.blocks as KnownBlock[]).map(fitBlock),
    LIMITS.modalBlocks,
    Number.POSITIVE_INFINITY,
  );
  const fitted: T = { ...view, blocks, title: fitTextObject(view.title, LIMITS.modalTitle) };
  if (view.submit) fitted.submit = fitTextObject(view.submit, LIMITS.modalSubmit);
  if (view.close) fitted.close = fitTextObject(view.close, LIMITS.modalClose);
  // Builders keep metadata to a few ids; the cut only keeps views.open from failing (the handler then reports it).
  if (view.private_metadata !== undefined) {
    fitted.private_metadata = view.private_metadata.slice(0, LIMITS.privateMetadata);
  }
  if (view.callback_id !== undefined) fitted.callback_id = view.callback_id.slice(0, LIMITS.callbackId);
  return fitted;
}

/** A Home tab view that satisfies every Block Kit limit (at most 100 blocks, the last a "…N more" note if cut). */
export function fitHomeView<T extends HomeView>(view: T): T {
  const blocks = fitBlockList((view.blocks as KnownBlock[]).map(fitBlock), LIMITS.homeBlocks, Number.POSITIVE_INFINITY);
  const fitted: T = { ...view, blocks };
  if (view.private_metadata !== undefined)
    fitted.private_metadata = view.private_metadata.slice(0, LIMITS.privateMetadata);
  if (view.callback_id !== undefined) fitted.callback_id = view.callback_id.slice(0, LIMITS.callbackId);
  return fitted;
}

/** Characters a block contributes to the cumulative message budget: every string in it, to be safe. */
export function blockTextLength(block: unknown): number {
  if (typeof block === 'string') return block.length;
  if (Array.isArray(block)) return block.reduce((sum: number, item) => sum + blockTextLength(item), 0);
  if (block && typeof block === 'object') {
    let sum = 0;
    for (const [key, value] of Object.entries(block)) {
      if (key === 'type') continue;
      sum += blockTextLength(value);
    }
    return sum;
  }
  return 0;
}

/** The note that replaces blocks cut for length. */
export function moreNotShownNote(hidden: number): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `${ELLIPSIS}${hidden} more not shown` }] };
}

// ---------------------------------------------------------------------------------------------------------------
// Internals: a structural walk over plain block objects. Block Kit JSON is plain data, so the walk treats it as
// records and only touches the keys whose limits it knows; everything else passes through unchanged.

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fitBlockList(blocks: KnownBlock[], maxBlocks: number, textBudget: number): KnownBlock[] {
  const noteReserve = 40;
  let total = 0;
  for (let index = 0; index < blocks.length; index += 1) {
    const block = blocks[index]!;
    const length = blockTextLength(block);
    const overCount = index >= maxBlocks - 1 && blocks.length > maxBlocks;
    const overBudget = total + length > textBudget - (index < blocks.length - 1 ? noteReserve : 0);
    if (!overCount && !overBudget) {
      total += length;
      continue;
    }
    const kept = blocks.slice(0, index);
    // A long section crossing the budget keeps what fits of its text rather than vanishing whole.
    const room = textBudget - total - noteReserve;
    const shortened = overBudget && !overCount ? shortenSection(block, room) : null;
    if (shortened) kept.push(shortened);
    const hidden = blocks.length - kept.length;
    if (hidden > 0) kept.push(moreNotShownNote(hidden));
    return kept;
  }
  return blocks;
}

function shortenSection(block: KnownBlock, room: number): KnownBlock | null {
  if (block.type !== 'section' || !block.text || block.fields || block.accessory) return null;
  const overhead = blockTextLength({ ...block, text: { ...block.text, text: '' } });
  const textRoom = room - overhead;
  if (textRoom < 200) return null;
  return { ...block, text: { ...block.text, text: truncate(block.text.text, textRoom) } };
}

function fitBlock(block: KnownBlock): KnownBlock {
  return fitBlockRecord(block as unknown as Json) as unknown as KnownBlock;
}

function fitBlockRecord(block: Json): Json {
  const out: Json = { ...block };
  if (typeof out.block_id === 'string') out.block_id = out.block_id.slice(0, LIMITS.blockId);
  switch (block.type) {
    case 'section': {
      if (out.text !== undefined) out.text = fitRequiredText(out.text, LIMITS.sectionText);
      if (Array.isArray(out.fields)) {
        out.fields = out.fields
          .slice(0, LIMITS.sectionFields)
          .map((field) => fitRequiredText(field, LIMITS.sectionFieldText));
      }
      if (out.text === undefined && (!Array.isArray(out.fields) || out.fields.length === 0)) {
        out.text = { type: 'mrkdwn', text: ' ' };
      }
      if (isRecord(out.accessory)) out.accessory = fitElement(out.accessory);
      break;
    }
    case 'header':
      out.text = fitRequiredText(out.text, LIMITS.headerText);
      break;
    case 'context':
      if (Array.isArray(out.elements)) {
        out.elements = out.elements.slice(0, LIMITS.contextElements).map((element) => {
          if (isRecord(element) && element.type === 'image') return fitImage(element);
          return fitRequiredText(element, LIMITS.contextElementText);
        });
      }
      break;
    case 'actions':
      if (Array.isArray(out.elements)) {
        out.elements = out.elements
          .slice(0, LIMITS.actionsElements)
          .map((element) => (isRecord(element) ? fitElement(element) : element));
      }
      break;
    case 'input':
      out.label = fitRequiredText(out.label, LIMITS.inputLabel);
      if (out.hint !== undefined) out.hint = fitRequiredText(out.hint, LIMITS.inputHint);
      if (isRecord(out.element)) out.element = fitElement(out.element);
      break;
    case 'image':
      return fitImage(out);
    default:
      break;
  }
  return out;
}

function fitImage(image: Json): Json {
  const out: Json = { ...image };
  if (typeof out.alt_text === 'string') out.alt_text = truncate(out.alt_text, LIMITS.imageAltText);
  if (out.title !== undefined) out.title = fitRequiredText(out.title, LIMITS.imageAltText);
  return out;
}

function fitElement(element: Json): Json {
  const out: Json = { ...element };
  if (typeof out.action_id === 'string') out.action_id = out.action_id.slice(0, LIMITS.actionId);
  if (out.placeholder !== undefined) out.placeholder = fitRequiredText(out.placeholder, LIMITS.placeholder);
  switch (element.type) {
    case 'button':
      out.text = fitRequiredText(out.text, LIMITS.buttonText);
      if (typeof out.value === 'string') out.value = out.value.slice(0, LIMITS.actionValue);
      if (typeof out.url === 'string' && out.url.length > LIMITS.buttonUrl) delete out.url;
      break;
    case 'static_select':
    case 'multi_static_select':
      fitOptionsOf(out, LIMITS.selectOptions);
      break;
    case 'overflow':
      fitOptionsOf(out, LIMITS.overflowOptions);
      break;
    case 'checkboxes':
    case 'radio_buttons':
      fitOptionsOf(out, LIMITS.checkboxOptions);
      break;
    case 'plain_text_input':
      if (typeof out.initial_value === 'string') {
        out.initial_value = truncate(out.initial_value, LIMITS.inputInitialValue);
      }
      if (typeof out.max_length === 'number') {
        out.max_length = Math.min(out.max_length, LIMITS.plainTextInputMaxLength);
      }
      break;
    default:
      break;
  }
  return out;
}

function fitOptionsOf(element: Json, maxOptions: number): void {
  if (Array.isArray(element.options)) {
    element.options = element.options.slice(0, maxOptions).map(fitOption);
  }
  if (Array.isArray(element.option_groups)) {
    let room = maxOptions;
    element.option_groups = element.option_groups.map((group) => {
      if (!isRecord(group) || !Array.isArray(group.options)) return group;
      const options = group.options.slice(0, Math.max(room, 0)).map(fitOption);
      room -= options.length;
      return { ...group, label: fitRequiredText(group.label, LIMITS.optionText), options };
    });
  }
  // An initial option must be one of the options Slack receives, with the same (fitted) text.
  const values = new Map<string, Json>();
  for (const option of allOptions(element)) {
    if (typeof option.value === 'string') values.set(option.value, option);
  }
  if (isRecord(element.initial_option)) {
    const match = typeof element.initial_option.value === 'string' && values.get(element.initial_option.value);
    if (match) element.initial_option = match;
    else delete element.initial_option;
  }
  if (Array.isArray(element.initial_options)) {
    element.initial_options = element.initial_options
      .map((option) => (isRecord(option) && typeof option.value === 'string' ? values.get(option.value) : undefined))
      .filter((option): option is Json => option !== undefined);
  }
}

function allOptions(element: Json): Json[] {
  const options: Json[] = [];
  if (Array.isArray(element.options)) options.push(...element.options.filter(isRecord));
  if (Array.isArray(element.option_groups)) {
    for (const group of element.option_groups) {
      if (isRecord(group) && Array.isArray(group.options)) options.push(...group.options.filter(isRecord));
    }
  }
  return options;
}

function fitOption(option: unknown): Json {
  if (!isRecord(option)) return { text: { type: 'plain_text', text: '—' }, value: '' };
  const out: Json = { ...option, text: fitRequiredText(option.text, LIMITS.optionText) };
  if (typeof out.value === 'string') out.value = out.value.slice(0, LIMITS.optionValue);
  if (out.description !== undefined) out.description = fitRequiredText(out.description, LIMITS.optionDescription);
  return out;
}

/** Slack refuses empty texts where one is required; an em dash is the least surprising stand-in. */
function fitRequiredText(value: unknown, max: number): unknown {
  if (!isRecord(value) || typeof value.text !== 'string') return value;
  const text = value.text.trim() === '' ? '—' : truncate(value.text, max);
  return { ...value, text };
}

function fitTextObject<T extends { text: string }>(value: T, max: number): T {
  return { ...value, text: value.text.trim() === '' ? '—' : truncate(value.text, max) };
}

function lastBoundary(window: string, separator: string, max: number): number {
  const index = window.lastIndexOf(separator, max);
  return index <= 0 ? -1 : index;
}

/** Move a cut point left so it does not split a surrogate pair, an entity, or an open `<…>` link. */
function safeCutIndex(text: string, cut: number): number {
  let index = cut;
  const code = text.charCodeAt(index - 1);
  if (code >= 0xd800 && code <= 0xdbff) index -= 1;
  const entity = /&[a-z#0-9]{0,6}$/i.exec(text.slice(0, index));
  if (entity) index -= entity[0].length;
  return Math.max(outsideOpenLink(text, index), 0);
}

/** Move a cut point to before an unfinished `<…>` link or mention (links are at most a few hundred characters). */
function outsideOpenLink(text: string, cut: number): number {
  const head = text.slice(0, cut);
  const open = head.lastIndexOf('<');
  if (open >= 0 && head.indexOf('>', open) === -1 && cut - open <= 500) return open;
  return cut;
}
