// The subset of Block Kit validation Slack performs that our builders could plausibly get wrong. Problems are
// reported the way Slack words them ("[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]")
// so a failing test points straight at the offending field.

/** Where blocks are shown: a message, a modal, or an App Home tab (views of type `home`, up to 100 blocks too). */
export type BlockSurface = 'message' | 'modal' | 'home';

export const BLOCK_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  homeBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  actionsElements: 25,
  contextElements: 10,
  blockId: 255,
  actionId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  options: 100,
  optionText: 75,
  optionValue: 150,
  altText: 2000,
  viewTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
  messageText: 40000,
} as const;

const KNOWN_BLOCK_TYPES = new Set([
  'actions',
  'context',
  'context_actions',
  'divider',
  'file',
  'header',
  'image',
  'input',
  'markdown',
  'rich_text',
  'section',
  'table',
  'video',
]);

type Problems = string[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(problems: Problems, message: string, pointer: string): void {
  problems.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
}

function checkLength(problems: Problems, value: unknown, pointer: string, max: number, min = 0): void {
  if (value === undefined) return;
  if (typeof value !== 'string') {
    problem(problems, 'must be a string', pointer);
    return;
  }
  if (value.length > max) problem(problems, `must be less than ${max + 1} characters`, pointer);
  if (value.length < min) problem(problems, `must be more than ${min - 1} characters`, pointer);
}

interface TextRule {
  max: number;
  min?: number;
  plainOnly?: boolean;
  required?: boolean;
}

function checkTextObject(problems: Problems, value: unknown, pointer: string, rule: TextRule): void {
  if (value === undefined) {
    if (rule.required) problem(problems, 'missing required field: text', pointer);
    return;
  }
  if (!isRecord(value)) {
    problem(problems, 'must be a text object', pointer);
    return;
  }
  if (value.type !== 'plain_text' && (rule.plainOnly || value.type !== 'mrkdwn')) {
    problem(problems, rule.plainOnly ? 'must be plain_text' : 'must be plain_text or mrkdwn', `${pointer}/type`);
  }
  if (typeof value.text !== 'string') {
    problem(problems, 'must be a string', `${pointer}/text`);
    return;
  }
  checkLength(problems, value.text, `${pointer}/text`, rule.max, rule.min ?? 1);
}

function checkOptions(problems: Problems, options: unknown, pointer: string, maxOptions: number): string[] {
  if (options === undefined) return [];
  if (!Array.isArray(options)) {
    problem(problems, 'must be an array', pointer);
    return [];
  }
  if (options.length > maxOptions) problem(problems, `must provide no more than ${maxOptions} items`, pointer);
  const values: string[] = [];
  options.forEach((option, index) => {
    const at = `${pointer}/${index}`;
    if (!isRecord(option)) {
      problem(problems, 'must be an option object', at);
      return;
    }
    checkTextObject(problems, option.text, `${at}/text`, { max: BLOCK_LIMITS.optionText, required: true });
    checkLength(problems, option.value, `${at}/value`, BLOCK_LIMITS.optionValue, 1);
    if (typeof option.value === 'string') values.push(option.value);
  });
  return values;
}

function checkElement(problems: Problems, element: unknown, pointer: string, actionIds: Set<string>): void {
  if (!isRecord(element) || typeof element.type !== 'string') {
    problem(problems, 'must be an element object with a type', pointer);
    return;
  }
  if (element.action_id !== undefined) {
    checkLength(problems, element.action_id, `${pointer}/action_id`, BLOCK_LIMITS.actionId, 1);
    if (typeof element.action_id === 'string') {
      if (actionIds.has(element.action_id)) {
        problem(problems, `action_id "${element.action_id}" is already used in this block`, `${pointer}/action_id`);
      }
      actionIds.add(element.action_id);
    }
  }
  checkTextObject(problems, element.placeholder, `${pointer}/placeholder`, {
    max: BLOCK_LIMITS.placeholder,
    plainOnly: true,
  });
  switch (element.type) {
    case 'button':
      checkTextObject(problems, element.text, `${pointer}/text`, {
        max: BLOCK_LIMITS.buttonText,
        plainOnly: true,
        required: true,
      });
      checkLength(problems, element.value, `${pointer}/value`, BLOCK_LIMITS.buttonValue);
      checkLength(problems, element.url, `${pointer}/url`, BLOCK_LIMITS.url);
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        problem(problems, 'must be one of primary, danger', `${pointer}/style`);
      }
      break;
    case 'static_select':
    case 'multi_static_select': {
      if (element.options === undefined && element.option_groups === undefined) {
        problem(problems, 'must provide options or option_groups', pointer);
      }
      const values = checkOptions(problems, element.options, `${pointer}/options`, BLOCK_LIMITS.options);
      const initial = element.initial_option;
      if (isRecord(initial) && element.options !== undefined && !values.includes(String(initial.value))) {
        problem(problems, 'initial_option must match one of the options', `${pointer}/initial_option`);
      }
      break;
    }
    case 'overflow':
      if (!Array.isArray(element.options) || element.options.length === 0) {
        problem(problems, 'must provide at least one option', `${pointer}/options`);
        break;
      }
      checkOptions(problems, element.options, `${pointer}/options`, 5);
      break;
    case 'radio_buttons':
    case 'checkboxes':
      checkOptions(problems, element.options, `${pointer}/options`, 10);
      break;
    case 'plain_text_input':
      if (typeof element.max_length === 'number' && element.max_length > 3000) {
        problem(problems, 'must be less than 3001', `${pointer}/max_length`);
      }
      if (typeof element.initial_value === 'string' && typeof element.max_length === 'number') {
        checkLength(problems, element.initial_value, `${pointer}/initial_value`, element.max_length);
      }
      break;
    default:
      break;
  }
}

function checkBlock(problems: Problems, block: unknown, pointer: string, surface: BlockSurface): void {
  if (!isRecord(block) || typeof block.type !== 'string') {
    problem(problems, 'must be a block object with a type', pointer);
    return;
  }
  if (!KNOWN_BLOCK_TYPES.has(block.type)) {
    problem(problems, `unsupported type: ${block.type}`, `${pointer}/type`);
    return;
  }
  const actionIds = new Set<string>();
  switch (block.type) {
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        problem(problems, 'must provide either text or fields', pointer);
      }
      checkTextObject(problems, block.text, `${pointer}/text`, { max: BLOCK_LIMITS.sectionText });
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) problem(problems, 'must be an array', `${pointer}/fields`);
        else {
          if (block.fields.length > BLOCK_LIMITS.sectionFields) {
            problem(problems, `must provide no more than ${BLOCK_LIMITS.sectionFields} items`, `${pointer}/fields`);
          }
          block.fields.forEach((field, index) => {
            checkTextObject(problems, field, `${pointer}/fields/${index}`, { max: BLOCK_LIMITS.sectionFieldText });
          });
        }
      }
      if (block.accessory !== undefined) checkElement(problems, block.accessory, `${pointer}/accessory`, actionIds);
      break;
    }
    case 'header':
      checkTextObject(problems, block.text, `${pointer}/text`, {
        max: BLOCK_LIMITS.headerText,
        plainOnly: true,
        required: true,
      });
      break;
    case 'actions':
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        problem(problems, 'must provide at least one element', `${pointer}/elements`);
        break;
      }
      if (block.elements.length > BLOCK_LIMITS.actionsElements) {
        problem(problems, `must provide no more than ${BLOCK_LIMITS.actionsElements} items`, `${pointer}/elements`);
      }
      block.elements.forEach((element, index) => {
        checkElement(problems, element, `${pointer}/elements/${index}`, actionIds);
      });
      break;
    case 'context':
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        problem(problems, 'must provide at least one element', `${pointer}/elements`);
        break;
      }
      if (block.elements.length > BLOCK_LIMITS.contextElements) {
        problem(problems, `must provide no more than ${BLOCK_LIMITS.contextElements} items`, `${pointer}/elements`);
      }
      block.elements.forEach((element, index) => {
        if (isRecord(element) && element.type === 'image') return;
        checkTextObject(problems, element, `${pointer}/elements/${index}`, { max: BLOCK_LIMITS.sectionText });
      });
      break;
    case 'input':
      if (surface === 'message') {
        problem(problems, 'input blocks are only allowed in modals and Home tabs', `${pointer}/type`);
        break;
      }
      checkTextObject(problems, block.label, `${pointer}/label`, {
        max: BLOCK_LIMITS.inputLabel,
        plainOnly: true,
        required: true,
      });
      checkTextObject(problems, block.hint, `${pointer}/hint`, { max: BLOCK_LIMITS.inputHint, plainOnly: true });
      if (block.element === undefined) problem(problems, 'missing required field: element', pointer);
      else checkElement(problems, block.element, `${pointer}/element`, actionIds);
      break;
    case 'image':
      checkLength(problems, block.image_url, `${pointer}/image_url`, BLOCK_LIMITS.url);
      checkLength(problems, block.alt_text, `${pointer}/alt_text`, BLOCK_LIMITS.altText, 1);
      break;
    default:
      break;
  }
}

/** Every problem Slack would report for these blocks on this surface; empty when Slack would accept them. */
export function findBlockProblems(blocks: unknown, surface: BlockSurface, pointer = '/blocks'): string[] {
  const problems: Problems = [];
  if (!Array.isArray(blocks)) {
    problem(problems, 'must be an array', pointer);
    return problems;
  }
  const max =
    surface === 'message'
      ? BLOCK_LIMITS.messageBlocks
      : surface === 'home'
        ? BLOCK_LIMITS.homeBlocks
        : BLOCK_LIMITS.modalBlocks;
  if (blocks.length > max) problem(problems, `no more than ${max} items allowed`, pointer);
  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const at = `${pointer}/${index}`;
    if (isRecord(block) && block.block_id !== undefined) {
      checkLength(problems, block.block_id, `${at}/block_id`, BLOCK_LIMITS.blockId, 1);
      if (typeof block.block_id === 'string') {
        if (blockIds.has(block.block_id)) problem(problems, `duplicate block_id "${block.block_id}"`, `${at}/block_id`);
        blockIds.add(block.block_id);
      }
    }
    checkBlock(problems, block, at, surface);
  });
  return problems;
}

/** View-level problems (title, buttons, metadata) that Slack reports as invalid_arguments. */
export function findViewProblems(view: Record<string, unknown>, allowedTypes: readonly string[]): string[] {
  const problems: Problems = [];
  if (typeof view.type !== 'string' || !allowedTypes.includes(view.type)) {
    problem(problems, `must be one of ${allowedTypes.join(', ')}`, '/view/type');
  }
  if (view.type === 'modal') {
    checkTextObject(problems, view.title, '/view/title', {
      max: BLOCK_LIMITS.viewTitle,
      plainOnly: true,
      required: true,
    });
    checkTextObject(problems, view.submit, '/view/submit', { max: BLOCK_LIMITS.viewTitle, plainOnly: true });
    checkTextObject(problems, view.close, '/view/close', { max: BLOCK_LIMITS.viewTitle, plainOnly: true });
    const hasInput =
      Array.isArray(view.blocks) && view.blocks.some((block) => isRecord(block) && block.type === 'input');
    if (hasInput && view.submit === undefined) {
      problem(problems, 'must provide submit when the view contains input blocks', '/view/submit');
    }
  }
  checkLength(problems, view.private_metadata, '/view/private_metadata', BLOCK_LIMITS.privateMetadata);
  checkLength(problems, view.callback_id, '/view/callback_id', BLOCK_LIMITS.callbackId);
  checkLength(problems, view.external_id, '/view/external_id', BLOCK_LIMITS.callbackId);
  return problems;
}
