// The Hire… form as the tests drive it: what Slack sends when it is submitted.

/** The form's `view.state.values`: the first milestone's name, amount (as typed) and due date (`YYYY-MM-DD`, or none). */
export function hireFormValues(terms: { name: string; amount: string; dueDate?: string | null }) {
  return {
    hire_name: { value: { type: 'plain_text_input', value: terms.name } },
    hire_amount: { value: { type: 'plain_text_input', value: terms.amount } },
    hire_due: { value: { type: 'datepicker', selected_date: terms.dueDate ?? null } },
  };
}
