// Block Kit → HTML for the playground page: a faithful subset of how Slack draws messages and modals. Pure and
// generic (it knows Block Kit, not the bot's cards); every string from a payload is escaped. Interactive elements
// carry data-* attributes the page reads to send the click back as Slack would (block_id, action_id, value).

import { escapeHtml, type MentionNames, mrkdwnToHtml, plainToHtml, safeUrl } from './mrkdwn-html.js';

export type { MentionNames } from './mrkdwn-html.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function list(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** A text object (plain_text or mrkdwn). */
export function textHtml(text: unknown, names: MentionNames): string {
  if (!isRecord(text)) return '';
  if (text.type === 'mrkdwn') return mrkdwnToHtml(str(text.text), names);
  return plainToHtml(str(text.text), text.emoji !== false);
}

function plainLabel(text: unknown): string {
  return isRecord(text) ? plainToHtml(str(text.text), text.emoji !== false) : '';
}

function attrs(values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeHtml(value)}"`)
    .join('');
}

function unknownBox(kind: string, type: unknown): string {
  return `<div class="bk-unknown">Unsupported ${kind}: <code>${escapeHtml(String(type ?? 'missing type'))}</code></div>`;
}

function confirmText(element: Json): string | undefined {
  const confirm = element.confirm;
  if (!isRecord(confirm)) return undefined;
  return [str(isRecord(confirm.title) ? confirm.title.text : ''), str(isRecord(confirm.text) ? confirm.text.text : '')]
    .filter((part) => part !== '')
    .join('\n');
}

function optionHtml(option: Json, selected: boolean): string {
  const value = str(option.value);
  return `<option${attrs({ value })}${selected ? ' selected' : ''}>${plainLabel(option.text)}</option>`;
}

/** An interactive element inside actions / section accessory (message or modal). */
function elementHtml(element: Json, blockId: string, extra: Record<string, string> = {}): string {
  const common = { 'data-block-id': blockId, 'data-action-id': str(element.action_id), ...extra };
  switch (element.type) {
    case 'button': {
      const style = element.style === 'primary' || element.style === 'danger' ? ` bk-${element.style}` : '';
      const url = typeof element.url === 'string' ? safeUrl(element.url) : null;
      const data = attrs({
        ...common,
        'data-kind': 'button',
        'data-value': typeof element.value === 'string' ? element.value : undefined,
        'data-url': url ?? undefined,
        'data-confirm': confirmText(element),
      });
      return `<button type="button" class="bk-button${style}"${data}>${plainLabel(element.text)}</button>`;
    }
    case 'static_select': {
      const initial = isRecord(element.initial_option) ? str(element.initial_option.value) : undefined;
      const placeholder = `<option value="" disabled${initial === undefined ? ' selected' : ''}>${plainLabel(element.placeholder) || 'Select…'}</option>`;
      const groups = list(element.option_groups);
      const options =
        groups.length > 0
          ? groups
              .map(
                (group) =>
                  `<optgroup label="${escapeHtml(str(isRecord(group.label) ? group.label.text : ''))}">${list(
                    group.options,
                  )
                    .map((o) => optionHtml(o, str(o.value) === initial))
                    .join('')}</optgroup>`,
              )
              .join('')
          : list(element.options)
              .map((o) => optionHtml(o, str(o.value) === initial))
              .join('');
      return `<select class="bk-select"${attrs({ ...common, 'data-kind': 'static_select' })}>${placeholder}${options}</select>`;
    }
    case 'overflow': {
      const options = list(element.options)
        .map((o) => optionHtml(o, false))
        .join('');
      return `<select class="bk-overflow" title="More actions"${attrs({ ...common, 'data-kind': 'overflow' })}><option value="" selected disabled>⋯</option>${options}</select>`;
    }
    case 'image':
      return imageHtml(element, 'bk-accessory-image');
    default:
      return unknownBox('element', element.type);
  }
}

function imageHtml(image: Json, className: string): string {
  const url = safeUrl(str(image.image_url));
  const alt = escapeHtml(str(image.alt_text));
  if (url === null) return `<span class="${className} bk-image-missing">[image: ${alt}]</span>`;
  return `<img class="${className}" src="${escapeHtml(url)}" alt="${alt}" loading="lazy">`;
}

function sectionHtml(block: Json, blockId: string, names: MentionNames): string {
  const text = block.text === undefined ? '' : `<div class="bk-text">${textHtml(block.text, names)}</div>`;
  const fields = list(block.fields);
  const fieldsHtml =
    fields.length === 0
      ? ''
      : `<div class="bk-fields">${fields.map((field) => `<div class="bk-field">${textHtml(field, names)}</div>`).join('')}</div>`;
  const accessory = isRecord(block.accessory)
    ? `<div class="bk-accessory">${elementHtml(block.accessory, blockId)}</div>`
    : '';
  return `<div class="bk-section"><div class="bk-section-body">${text}${fieldsHtml}</div>${accessory}</div>`;
}

function contextHtml(block: Json, names: MentionNames): string {
  const parts = list(block.elements).map((element) =>
    element.type === 'image'
      ? imageHtml(element, 'bk-context-image')
      : `<span class="bk-context-text">${textHtml(element, names)}</span>`,
  );
  return `<div class="bk-context">${parts.join('')}</div>`;
}

function actionsHtml(block: Json, blockId: string): string {
  return `<div class="bk-actions">${list(block.elements)
    .map((element) => elementHtml(element, blockId))
    .join('')}</div>`;
}

/**
 * When a text input sends block_actions as it is typed in (`dispatch_action` on the input block): Slack's
 * `trigger_actions_on`, by default on Enter.
 */
function dispatchTriggers(block: Json, element: Json): string | undefined {
  if (block.dispatch_action !== true || element.type !== 'plain_text_input') return undefined;
  const config = isRecord(element.dispatch_action_config) ? element.dispatch_action_config : {};
  const triggers = Array.isArray(config.trigger_actions_on) ? config.trigger_actions_on.filter(isString) : [];
  return (triggers.length > 0 ? triggers : ['on_enter_pressed']).join(' ');
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The form control of an input block; its name is `block_id` and its data-action-id the element's action_id. */
function inputElementHtml(element: Json, blockId: string, dispatch?: string): string {
  const common = {
    'data-block-id': blockId,
    'data-action-id': str(element.action_id),
    name: blockId,
    'data-dispatch': dispatch,
  };
  const placeholder = isRecord(element.placeholder) ? str(element.placeholder.text) : undefined;
  switch (element.type) {
    case 'plain_text_input': {
      const value = str(element.initial_value);
      const limits = attrs({
        maxlength: typeof element.max_length === 'number' ? String(element.max_length) : undefined,
        placeholder,
      });
      return element.multiline === true
        ? `<textarea class="bk-input" rows="4"${attrs({ ...common, 'data-kind': 'plain_text_input' })}${limits}>${escapeHtml(value)}</textarea>`
        : `<input class="bk-input" type="text"${attrs({ ...common, 'data-kind': 'plain_text_input', value })}${limits}>`;
    }
    case 'static_select':
      return elementHtml(element, blockId, { name: blockId });
    case 'datepicker':
      return `<input class="bk-input" type="date"${attrs({ ...common, 'data-kind': 'datepicker', value: str(element.initial_date) })}>`;
    case 'multi_static_select': {
      const initial = new Set(list(element.initial_options).map((o) => str(o.value)));
      const options = list(element.options)
        .map((o) => optionHtml(o, initial.has(str(o.value))))
        .join('');
      return `<select multiple class="bk-select bk-multi"${attrs({ ...common, 'data-kind': 'multi_static_select' })}>${options}</select>`;
    }
    case 'radio_buttons':
    case 'checkboxes': {
      const type = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
      const initial = new Set(
        [element.initial_option, ...list(element.initial_options)].filter(isRecord).map((o) => str(o.value)),
      );
      const options = list(element.options)
        .map(
          (option) =>
            `<label class="bk-choice"><input type="${type}"${attrs({ ...common, 'data-kind': str(element.type), value: str(option.value) })}${initial.has(str(option.value)) ? ' checked' : ''}> ${plainLabel(option.text)}</label>`,
        )
        .join('');
      return `<div class="bk-choices">${options}</div>`;
    }
    default:
      return unknownBox('input element', element.type);
  }
}

function inputHtml(block: Json, blockId: string): string {
  const element = isRecord(block.element) ? block.element : {};
  const optional = block.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
  const hint = isRecord(block.hint) ? `<div class="bk-hint">${plainLabel(block.hint)}</div>` : '';
  return (
    `<div class="bk-input-block"${attrs({ 'data-block-id': blockId })}>` +
    `<label class="bk-label">${plainLabel(block.label)}${optional}</label>` +
    `${inputElementHtml(element, blockId, dispatchTriggers(block, element))}${hint}<div class="bk-error"${attrs({ 'data-error-for': blockId })}></div></div>`
  );
}

/** One block. Unknown types become a labelled box so a new block never blanks the page. */
export function blockHtml(block: unknown, names: MentionNames): string {
  if (!isRecord(block)) return unknownBox('block', typeof block);
  const blockId = str(block.block_id);
  switch (block.type) {
    case 'header':
      return `<div class="bk-header">${plainLabel(block.text)}</div>`;
    case 'section':
      return sectionHtml(block, blockId, names);
    case 'context':
      return contextHtml(block, names);
    case 'actions':
      return actionsHtml(block, blockId);
    case 'divider':
      return '<hr class="bk-divider">';
    case 'image': {
      const title = isRecord(block.title) ? `<figcaption>${plainLabel(block.title)}</figcaption>` : '';
      return `<figure class="bk-image">${title}${imageHtml(block, 'bk-image-img')}</figure>`;
    }
    case 'input':
      return inputHtml(block, blockId);
    default:
      return unknownBox('block', block.type);
  }
}

export function blocksHtml(blocks: unknown, names: MentionNames): string {
  return Array.isArray(blocks) ? blocks.map((block) => blockHtml(block, names)).join('') : '';
}

/** A message body: its blocks, or its text as mrkdwn when it has none (like Slack). */
export function messageHtml(message: { text?: string; blocks?: unknown }, names: MentionNames): string {
  if (Array.isArray(message.blocks) && message.blocks.length > 0) return blocksHtml(message.blocks, names);
  return `<div class="bk-text">${mrkdwnToHtml(message.text ?? '', names)}</div>`;
}

export interface RenderedView {
  title: string;
  submit: string | null;
  close: string;
  body: string;
}

/** A modal: title, submit / close labels and the body, each as HTML. */
export function viewHtml(view: unknown, names: MentionNames): RenderedView {
  const record = isRecord(view) ? view : {};
  return {
    title: plainLabel(record.title) || 'App',
    submit: isRecord(record.submit) ? plainLabel(record.submit) : null,
    close: isRecord(record.close) ? plainLabel(record.close) : 'Cancel',
    body: blocksHtml(record.blocks, names),
  };
}
