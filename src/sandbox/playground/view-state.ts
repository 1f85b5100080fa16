// A modal's form, as the page read it, turned into `view.state.values` the way Slack builds it: keyed by block_id
// and action_id, with each element's own shape (value, selected_option with the option's text, selected_options).

export interface SubmittedInput {
  blockId: string;
  actionId: string;
  /** Text for a text input; chosen option values for selects, radio buttons and checkboxes. */
  values: string[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((group) => (isRecord(group) && Array.isArray(group.options) ? group.options : []))
    : [];
  return [...direct, ...grouped].filter(isRecord);
}

/** Only inputs that exist in the view are taken, with the element's real type and options. */
export function submittedValues(view: Json, inputs: readonly SubmittedInput[]): Record<string, Record<string, Json>> {
  const values = new Map<string, Record<string, Json>>();
  const blocks = Array.isArray(view.blocks) ? view.blocks.filter(isRecord) : [];
  for (const block of blocks) {
    if (block.type !== 'input' || !isRecord(block.element) || typeof block.block_id !== 'string') continue;
    const element = block.element;
    const actionId = typeof element.action_id === 'string' ? element.action_id : '';
    const input = inputs.find((entry) => entry.blockId === block.block_id && entry.actionId === actionId);
    const given = Array.isArray(input?.values) ? input.values.filter((value) => typeof value === 'string') : [];
    const chosen = optionsOf(element).filter((option) => given.includes(String(option.value)));
    let state: Json;
    switch (element.type) {
      case 'plain_text_input':
        state = { type: 'plain_text_input', value: given[0] === undefined || given[0] === '' ? null : given[0] };
        break;
      case 'datepicker':
        state = { type: 'datepicker', selected_date: given[0] === undefined || given[0] === '' ? null : given[0] };
        break;
      case 'static_select':
      case 'radio_buttons':
        state = { type: element.type, selected_option: chosen[0] ?? null };
        break;
      case 'checkboxes':
      case 'multi_static_select':
        state = { type: element.type, selected_options: chosen };
        break;
      default:
        state = { type: String(element.type) };
    }
    values.set(block.block_id, { [actionId]: state });
  }
  return Object.fromEntries(values);
}
