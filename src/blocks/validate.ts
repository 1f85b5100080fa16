import { blockTextLength, LIMITS } from './limits.js';

// An independent checker for the limits fitMessage / fitView enforce: it reports, never fixes. Tests run every
// builder's output through it, and a caller may use it to log a payload Slack is about to reject.

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(value: unknown): string | null {
  return isRecord(value) && typeof value.text === 'string' ? value.text : null;
}

/** Every Block Kit limit a chat message or modal view breaks, as readable strings; empty when it is valid. */
export function blockKitViolations(surface: 'message', payload: { text?: string; blocks: unknown[] }): string[];
export function blockKitViolations(surface: 'modal', payload: Json): string[];
export function blockKitViolations(surface: 'message' | 'modal', payload: Json | { blocks: unknown[] }): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  const blocks = Array.isArray(payload.blocks) ? payload.blocks : [];

  if (surface === 'message') {
    const text = (payload as { text?: unknown }).text;
    check(typeof text !== 'string' || text.length <= LIMITS.messageText, 'message text too long');
    check(blocks.length <= LIMITS.messageBlocks, `message has ${blocks.length} blocks`);
    const total = blocks.reduce((sum: number, block) => sum + blockTextLength(block), 0);
    check(total <= LIMITS.messageBlocksTextBudget, `message blocks hold ${total} characters`);
  } else {
    const view = payload as Json;
    check(blocks.length <= LIMITS.modalBlocks, `modal has ${blocks.length} blocks`);
    const title = textOf(view.title);
    check(title !== null && title.length > 0 && title.length <= LIMITS.modalTitle, `modal title "${title}"`);
    for (const key of ['submit', 'close'] as const) {
      if (view[key] === undefined) continue;
      const text = textOf(view[key]);
      check(text !== null && text.length > 0 && text.length <= LIMITS.modalSubmit, `modal ${key} "${text}"`);
    }
    if (typeof view.private_metadata === 'string') {
      check(view.private_metadata.length <= LIMITS.privateMetadata, 'private_metadata too long');
    }
    if (typeof view.callback_id === 'string')
      check(view.callback_id.length <= LIMITS.callbackId, 'callback_id too long');
    const hasInput = blocks.some((block) => isRecord(block) && block.type === 'input');
    check(!hasInput || view.submit !== undefined, 'modal with an input needs a submit button');
  }

  const blockIds = new Set<string>();
  blocks.forEach((block, index) => {
    const where = `block ${index}`;
    if (!isRecord(block)) {
      problems.push(`${where} is not an object`);
      return;
    }
    if (typeof block.block_id === 'string') {
      check(block.block_id.length <= LIMITS.blockId, `${where} block_id too long`);
      check(!blockIds.has(block.block_id), `${where} repeats block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        const text = block.text === undefined ? null : textOf(block.text);
        const fields = Array.isArray(block.fields) ? block.fields : null;
        check(text !== null || (fields !== null && fields.length > 0), `${where} section has neither text nor fields`);
        if (text !== null) checkText(check, text, LIMITS.sectionText, `${where} section text`);
        if (fields) {
          check(fields.length <= LIMITS.sectionFields, `${where} has ${fields.length} fields`);
          for (const field of fields) checkText(check, textOf(field), LIMITS.sectionFieldText, `${where} field`);
        }
        if (isRecord(block.accessory)) checkElement(check, block.accessory, `${where} accessory`);
        break;
      }
      case 'header':
        checkText(check, textOf(block.text), LIMITS.headerText, `${where} header`);
        break;
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        check(elements.length > 0 && elements.length <= LIMITS.contextElements, `${where} context elements`);
        for (const element of elements) {
          if (isRecord(element) && element.type === 'image') continue;
          checkText(check, textOf(element), LIMITS.contextElementText, `${where} context text`);
        }
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        check(elements.length > 0 && elements.length <= LIMITS.actionsElements, `${where} actions elements`);
        for (const element of elements) if (isRecord(element)) checkElement(check, element, `${where} element`);
        break;
      }
      case 'input':
        checkText(check, textOf(block.label), LIMITS.inputLabel, `${where} input label`);
        if (isRecord(block.element)) checkElement(check, block.element, `${where} input element`);
        break;
      case 'divider':
        break;
      default:
        break;
    }
  });
  return problems;
}

function checkText(check: (ok: boolean, problem: string) => void, text: string | null, max: number, where: string) {
  check(text !== null && text.trim().length > 0, `${where} is empty`);
  if (text !== null) check(text.length <= max, `${where} has ${text.length} > ${max} characters`);
}

function checkElement(check: (ok: boolean, problem: string) => void, element: Json, where: string) {
  if (typeof element.action_id === 'string') check(element.action_id.length <= LIMITS.actionId, `${where} action_id`);
  if (element.type === 'button') {
    checkText(check, textOf(element.text), LIMITS.buttonText, `${where} button text`);
    if (typeof element.value === 'string') check(element.value.length <= LIMITS.actionValue, `${where} value`);
    if (typeof element.url === 'string') check(element.url.length <= LIMITS.buttonUrl, `${where} url`);
  }
  if (element.placeholder !== undefined) {
    checkText(check, textOf(element.placeholder), LIMITS.placeholder, `${where} placeholder`);
  }
  if (Array.isArray(element.options)) {
    const max = element.type === 'overflow' ? LIMITS.overflowOptions : LIMITS.selectOptions;
    check(element.options.length <= max, `${where} has ${element.options.length} options`);
    for (const option of element.options) {
      checkText(check, isRecord(option) ? textOf(option.text) : null, LIMITS.optionText, `${where} option text`);
      if (isRecord(option) && typeof option.value === 'string') {
        check(option.value.length <= LIMITS.optionValue, `${where} option value`);
      }
    }
  }
  if (element.type === 'plain_text_input' && typeof element.initial_value === 'string') {
    check(element.initial_value.length <= LIMITS.inputInitialValue, `${where} initial_value`);
  }
}
