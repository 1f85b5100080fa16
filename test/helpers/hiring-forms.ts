// The hiring forms' `view.state.values` as Slack sends them on submit: the Ask finalists form and the Hire… form.

/** The Ask finalists form: the chosen proposals and one or two questions (an empty second is left out). */
export function askFormValues(finalists: readonly string[], first: string, second = '') {
  return {
    ask_finalists: {
      value: {
        type: 'multi_static_select',
        selected_options: finalists.map((value) => ({ value, text: { type: 'plain_text', text: value } })),
      },
    },
    ask_q1: { value: { type: 'plain_text_input', value: first } },
    ask_q2: { value: { type: 'plain_text_input', value: second || null } },
  };
}

/** The Hire… form: the first milestone's name, amount (as typed) and due date (`YYYY-MM-DD`, or none). */
export function hireFormValues(terms: { name: string; amount: string; dueDate?: string | null }) {
  return {
    hire_name: { value: { type: 'plain_text_input', value: terms.name } },
    hire_amount: { value: { type: 'plain_text_input', value: terms.amount } },
    hire_due: { value: { type: 'datepicker', selected_date: terms.dueDate ?? null } },
  };
}

/** The proposals the Ask form pre-selected, in its order (best first). */
export function preselectedFinalists(view: { view: { blocks?: unknown } } | undefined): string[] {
  const blocks = (view?.view.blocks ?? []) as {
    block_id?: string;
    element?: { initial_options?: { value: string }[] };
  }[];
  return (blocks.find((b) => b.block_id === 'ask_finalists')?.element?.initial_options ?? []).map((o) => o.value);
}
