// The playground page: shows what the server renders (Block Kit is turned into HTML on the server, escaped there)
// and sends what you do back to it. No framework, no build step.

const $ = (selector, root = document) => root.querySelector(selector);
const params = new URLSearchParams(location.search);
/** `channel` is HOME while the app's Home tab is shown instead of a channel. */
const HOME = 'home';
const view = {
  user: params.get('user') || localStorage.getItem('playground-user') || '',
  channel: params.get('channel') || 'C0HIRING',
  thread: null,
  data: null,
  modalKey: null,
};

function toast(text, kind = 'error') {
  const item = document.createElement('div');
  item.className = `toast toast-${kind}`;
  item.textContent = text;
  $('#toasts').append(item);
  setTimeout(() => item.remove(), 6000);
}

async function api(path, body) {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: view.user || view.data?.me.id, ...body }),
    });
    const answer = await response.json();
    if (!answer.ok) toast(answer.error || 'Something went wrong');
    return answer;
  } catch (error) {
    toast(`The playground server did not answer: ${error}`);
    return { ok: false };
  }
}

// ---- rendering ------------------------------------------------------------------------------------------------

function time(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function text(value) {
  const span = document.createElement('span');
  span.textContent = value;
  return span.innerHTML;
}

function messageHtml(msg, inThread) {
  const classes = ['msg', msg.isBot ? 'msg-bot' : 'msg-person', msg.onlyYou ? 'msg-only-you' : ''].join(' ');
  const replies =
    !inThread && msg.replyCount > 0
      ? `<button type="button" class="thread-link" data-open-thread="${text(msg.ts)}">${msg.replyCount} ${msg.replyCount === 1 ? 'reply' : 'replies'}</button>`
      : '';
  const replyLink =
    !inThread && msg.replyCount === 0 && !msg.onlyYou
      ? `<button type="button" class="thread-link subtle" data-open-thread="${text(msg.ts)}">Reply in thread</button>`
      : '';
  const menu = msg.onlyYou
    ? ''
    : `<details class="msg-menu"><summary aria-label="More actions">⋯</summary><button type="button" class="shortcut-item" data-shortcut="${text(msg.ts)}">Send to candidate</button></details>`;
  return `<article class="${classes}" data-ts="${text(msg.ts)}"${msg.threadTs ? ` data-thread-ts="${text(msg.threadTs)}"` : ''}>
    <div class="avatar">${text(msg.author.slice(0, 1))}</div>
    <div class="msg-main">
      <div class="msg-head"><b>${text(msg.author)}</b>${msg.isBot ? '<span class="app-tag">APP</span>' : ''}
        <span class="muted small">${time(msg.ts)}${msg.edited ? ' (edited)' : ''}</span>
        ${msg.onlyYou ? '<span class="only-you">Only visible to you</span>' : ''}${menu}</div>
      <div class="msg-body">${msg.html}</div>
      ${replies}${replyLink}
    </div>
  </article>`;
}

/**
 * Updates a list in place: a message whose HTML is unchanged keeps its element, so a click, a hover or an open menu
 * is not lost when something else in the channel changes.
 */
function renderList(element, messages, inThread) {
  const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
  const existing = new Map([...element.children].map((child) => [child.dataset.key, child]));
  let previous = null;
  for (const msg of messages) {
    const key = `${msg.onlyYou ? 'private' : 'message'}:${msg.ts}`;
    const html = messageHtml(msg, inThread);
    let item = existing.get(key);
    existing.delete(key);
    if (item === undefined || item.playgroundHtml !== html) {
      const template = document.createElement('template');
      template.innerHTML = html;
      const fresh = template.content.firstElementChild;
      fresh.dataset.key = key;
      fresh.playgroundHtml = html;
      if (item) item.replaceWith(fresh);
      item = fresh;
    }
    const wanted = previous ? previous.nextElementSibling : element.firstElementChild;
    if (item !== wanted) element.insertBefore(item, wanted);
    previous = item;
  }
  for (const gone of existing.values()) gone.remove();
  if (atBottom) element.scrollTop = element.scrollHeight;
}

function renderSidebar(data) {
  const switcher = $('#user-switcher');
  switcher.innerHTML = data.teammates
    .map(
      (mate) =>
        `<option value="${text(mate.id)}">${text(mate.realName)}${mate.reviewer ? '' : ' (not a reviewer)'}</option>`,
    )
    .join('');
  switcher.value = data.me.id;
  $('#who-role').textContent = data.me.reviewer
    ? 'Reviewer: may invite and message candidates'
    : 'Not a reviewer: may vote and read';
  $('#channels').innerHTML = data.channels
    .map(
      (ch) =>
        `<a href="#" data-channel="${text(ch.id)}" class="${ch.id === view.channel ? 'active' : ''}"># ${text(ch.name)}</a>`,
    )
    .join('');
  $('[data-home]').classList.toggle('active', view.channel === HOME);
  keepSelect(
    $('#knob-job'),
    data.sandbox.jobs.map((job) => [job.id, job.title]),
  );
  keepSelect(
    $('#knob-conversation'),
    data.sandbox.conversations.map((c) => [c.id, c.candidate]),
    'No conversation yet: click Message on a card',
  );
  keepSelect(
    $('#knob-approval-id'),
    data.sandbox.approvals.map((a) => [a.id, a.label]),
    'No hire waiting for approval',
  );
  keepSelect(
    $('#knob-contract-id'),
    data.sandbox.contracts.map((c) => [c.id, c.label]),
    'No contract yet: confirm a hire',
  );
}

/** Refills a select without losing the choice the person made. */
function keepSelect(select, entries, emptyLabel) {
  const chosen = select.value;
  select.innerHTML =
    entries.length === 0 && emptyLabel
      ? `<option value="">${text(emptyLabel)}</option>`
      : entries.map(([value, label]) => `<option value="${text(value)}">${text(label)}</option>`).join('');
  if (entries.some(([value]) => value === chosen)) select.value = chosen;
}

function renderModal(modal) {
  const backdrop = $('#modal');
  if (modal === null) {
    backdrop.hidden = true;
    view.modalKey = null;
    return;
  }
  const key = `${modal.id}:${modal.hash}`;
  backdrop.hidden = false;
  // The same view again (a refresh): leave the form alone so what you typed stays.
  if (key === view.modalKey) return;
  view.modalKey = key;
  const form = $('#modal-form');
  const body = $('#modal-body');
  // The same view updated by the app (views.update): like Slack, inputs with the same block_id and action_id keep
  // what was typed or chosen, and the one you were typing in keeps the focus.
  const kept = form.dataset.viewId === modal.id ? keepInputs(body) : null;
  form.dataset.viewId = modal.id;
  $('#modal-title').innerHTML = modal.title;
  body.innerHTML = modal.body;
  if (kept) restoreInputs(body, kept);
  $('#modal-close').innerHTML = modal.close;
  const submit = $('#modal-submit');
  submit.hidden = modal.submit === null;
  submit.innerHTML = modal.submit ?? '';
}

function inputKey(control) {
  return `${control.dataset.blockId}/${control.dataset.actionId}`;
}

/** An input block as the app drew it: typing and choosing change properties, not markup; errors are the page's. */
function drawnHtml(block) {
  const copy = block.cloneNode(true);
  for (const slot of copy.querySelectorAll('.bk-error')) slot.textContent = '';
  return copy.outerHTML;
}

/** What the form's inputs hold now, by block_id/action_id, and which one has the focus. */
function keepInputs(body) {
  const drawn = new Map(
    [...body.querySelectorAll('.bk-input-block')].map((block) => [block.dataset.blockId, drawnHtml(block)]),
  );
  const values = new Map();
  for (const control of body.querySelectorAll('.bk-input-block [data-action-id]')) {
    const key = inputKey(control);
    if (control.type === 'radio' || control.type === 'checkbox') {
      const checked = values.get(key)?.checked ?? new Set();
      if (control.checked) checked.add(control.value);
      values.set(key, { checked });
    } else if (control.multiple)
      values.set(key, { selected: new Set([...control.selectedOptions].map((o) => o.value)) });
    else values.set(key, { value: control.value });
  }
  const active = document.activeElement;
  const focus =
    active instanceof HTMLElement && body.contains(active) && active.dataset.actionId
      ? { key: inputKey(active), start: active.selectionStart, end: active.selectionEnd }
      : null;
  return { drawn, values, focus };
}

/**
 * Puts back what was typed or chosen in inputs the app drew the same way again. Slack keeps any input with the same
 * block_id and action_id; here an input the app changed (new initial options, as when a form comes back with only the
 * failed finalists chosen) takes the app's, since the page may never have shown the view in between.
 */
function restoreInputs(body, kept) {
  const unchanged = new Set(
    [...body.querySelectorAll('.bk-input-block')]
      .filter((block) => kept.drawn.get(block.dataset.blockId) === drawnHtml(block))
      .map((block) => block.dataset.blockId),
  );
  const controls = [...body.querySelectorAll('.bk-input-block [data-action-id]')].filter((control) =>
    unchanged.has(control.dataset.blockId),
  );
  for (const control of controls) {
    const state = kept.values.get(inputKey(control));
    if (state === undefined) continue;
    if (state.checked) control.checked = state.checked.has(control.value);
    else if (state.selected) for (const option of control.options) option.selected = state.selected.has(option.value);
    else control.value = state.value;
  }
  if (kept.focus === null) return;
  const control = controls.find((candidate) => inputKey(candidate) === kept.focus.key);
  if (control === undefined) return;
  control.focus();
  if (typeof kept.focus.start === 'number' && typeof control.setSelectionRange === 'function') {
    control.setSelectionRange(kept.focus.start, kept.focus.end);
  }
}

/** Your Home tab as the bot published it; redrawn only when it changed, so a click in it isn't lost. */
function renderHome(home) {
  const pane = $('#home');
  const key = home === null ? '' : `${home.id}:${home.hash}`;
  if (pane.dataset.key === key) return;
  pane.dataset.key = key;
  pane.dataset.viewId = home?.id ?? '';
  pane.innerHTML =
    home === null
      ? '<p class="muted">Opening the Home tab… the app publishes it when it hears you opened it.</p>'
      : home.html;
}

/** `asked` is what the request asked for: a click may have changed the view while it was on its way. */
function render(data, asked) {
  // Asked as another person or for another channel: the refresh queued by that change renders instead.
  if ((view.user && asked.user !== view.user) || asked.channel !== view.channel) return;
  view.data = data;
  if (!view.user) view.user = data.me.id;
  document.body.dataset.user = data.me.id;
  renderSidebar(data);
  const atHome = view.channel === HOME;
  $('#messages').hidden = atHome;
  $('#composer').hidden = atHome;
  $('#home').hidden = !atHome;
  if (atHome) renderHome(data.home);
  $('#channel-name').textContent = atHome ? 'OpenTrain Hiring — Home' : `# ${data.channel.name}`;
  $('#composer-text').placeholder = `Message #${data.channel.name}, or /hiring …`;
  renderList($('#messages'), data.messages, false);
  const thread = $('#thread');
  if (data.thread === null) {
    thread.hidden = true;
    // The thread asked for is gone; a thread opened since this request was made stays asked for.
    if (asked.thread === view.thread) view.thread = null;
  } else {
    thread.hidden = false;
    const list = $('#thread-messages');
    renderList(list, [data.thread.parent, ...data.thread.replies], true);
    // A thread just opened starts at its newest reply, like Slack.
    if (list.dataset.parent !== data.thread.parent.ts) list.scrollTop = list.scrollHeight;
    list.dataset.parent = data.thread.parent.ts;
  }
  renderModal(data.modal);
}

let refreshing = null;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  const query = new URLSearchParams({ user: view.user, channel: view.channel, thread: view.thread ?? '' });
  refreshing = fetch(`/api/state?${query}`)
    .then((response) => response.json())
    .then((data) =>
      render(data, { user: query.get('user'), channel: query.get('channel'), thread: query.get('thread') || null }),
    )
    .catch((error) => toast(`Could not load the workspace: ${error}`))
    .finally(() => {
      refreshing = null;
      if (again) {
        again = false;
        void refresh();
      }
    });
  return refreshing;
}

// ---- what you do ------------------------------------------------------------------------------------------------

function context(element) {
  const form = element.closest('#modal-form');
  if (form) return { viewId: form.dataset.viewId };
  const home = element.closest('#home');
  if (home) return { viewId: home.dataset.viewId };
  const msg = element.closest('.msg');
  return { channel: view.channel, ts: msg?.dataset.ts, threadTs: msg?.dataset.threadTs };
}

document.addEventListener('click', async (event) => {
  const target = event.target;
  if (!(target instanceof Element)) return;
  const channel = target.closest('[data-channel]');
  if (channel) {
    event.preventDefault();
    view.channel = channel.dataset.channel;
    view.thread = null;
    return refresh();
  }
  if (target.closest('[data-home]')) {
    event.preventDefault();
    return openHome();
  }
  const open = target.closest('[data-open-thread]');
  if (open) {
    view.thread = open.dataset.openThread;
    return refresh();
  }
  const shortcut = target.closest('[data-shortcut]');
  if (shortcut) {
    shortcut.closest('details')?.removeAttribute('open');
    return api('/api/shortcut', { channel: view.channel, ts: shortcut.dataset.shortcut });
  }
  const button = target.closest('button[data-kind="button"]');
  if (button) {
    if (button.dataset.confirm && !window.confirm(button.dataset.confirm)) return;
    // A link to a message here (a card's permalink on the Home tab) opens it in the page, as Slack opens it in place.
    const permalink = /\/archives\/([A-Z0-9]+)\/p(\d+)(\d{6})(?:$|\?)/.exec(button.dataset.url ?? '');
    if (permalink) {
      view.channel = permalink[1];
      view.thread = `${permalink[2]}.${permalink[3]}`;
      void refresh();
    } else if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
    button.disabled = true;
    await api('/api/action', {
      ...context(button),
      kind: 'button',
      actionId: button.dataset.actionId,
      blockId: button.dataset.blockId,
      value: button.dataset.value,
    });
    button.disabled = false;
  }
});

// A click on a multi-select's option adds or removes it, like Slack's picker (a list box would replace the choice
// unless Ctrl or ⌘ is held).
document.addEventListener('mousedown', (event) => {
  const option = event.target;
  if (!(option instanceof HTMLOptionElement) || !option.parentElement?.multiple) return;
  event.preventDefault();
  option.selected = !option.selected;
  option.parentElement.focus();
});

document.addEventListener('change', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.dataset.actionId) return;
  // Selects inside input blocks are part of the form: Slack sends them with the submission, not on change.
  if (select.closest('.bk-input-block')) return;
  void api('/api/action', {
    ...context(select),
    kind: select.dataset.kind,
    actionId: select.dataset.actionId,
    blockId: select.dataset.blockId,
    value: select.value,
  });
});

$('#user-switcher').addEventListener('change', (event) => {
  view.user = event.target.value;
  localStorage.setItem('playground-user', view.user);
  view.modalKey = null;
  // Each teammate has their own Home tab: switching while it shows opens theirs.
  if (view.channel === HOME) return openHome();
  void refresh();
});

/** Shows the Home tab and tells the app you opened it (app_home_opened); it publishes your overview. */
async function openHome() {
  view.channel = HOME;
  view.thread = null;
  void refresh();
  await api('/api/home', {});
  void refresh();
}

$('#thread-close').addEventListener('click', () => {
  view.thread = null;
  void refresh();
});

function composer(formSelector, textSelector, threadTs) {
  const form = $(formSelector);
  const box = $(textSelector);
  const send = async () => {
    const value = box.value.trim();
    if (value === '') return;
    const answer = await api('/api/post', { channel: view.channel, threadTs: threadTs(), text: value });
    if (answer.ok) box.value = '';
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void send();
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  });
}
composer('#composer', '#composer-text', () => undefined);
composer('#thread-composer', '#thread-composer-text', () => view.thread ?? undefined);

// ---- modals -----------------------------------------------------------------------------------------------------

function formInputs(form) {
  const inputs = [];
  const missing = [];
  for (const block of form.querySelectorAll('.bk-input-block')) {
    const controls = [...block.querySelectorAll('[data-action-id]')];
    if (controls.length === 0) continue;
    const first = controls[0];
    let values;
    if (first.type === 'radio' || first.type === 'checkbox')
      values = controls.filter((c) => c.checked).map((c) => c.value);
    else if (first.multiple) values = [...first.selectedOptions].map((o) => o.value);
    else values = first.value === '' ? [] : [first.value];
    if (values.length === 0 && !block.querySelector('.bk-optional')) missing.push(block.dataset.blockId);
    inputs.push({ blockId: block.dataset.blockId, actionId: first.dataset.actionId, values });
  }
  return { inputs, missing };
}

// A text input with dispatch_action sends block_actions as Slack does: as you type (`on_character_entered`, here
// after a short pause) or on Enter (`on_enter_pressed`, the default), with the form's state along.
const DISPATCH_PAUSE_MS = 300;
const dispatchTimers = new Map();

function dispatchInput(control) {
  const form = control.closest('#modal-form');
  if (!form) return;
  void api('/api/action', {
    viewId: form.dataset.viewId,
    kind: 'plain_text_input',
    actionId: control.dataset.actionId,
    blockId: control.dataset.blockId,
    value: control.value,
    inputs: formInputs(form).inputs,
  });
}

document.addEventListener('input', (event) => {
  const control = event.target;
  if (!(control instanceof HTMLElement) || !control.dataset.dispatch?.split(' ').includes('on_character_entered'))
    return;
  const key = inputKey(control);
  clearTimeout(dispatchTimers.get(key));
  dispatchTimers.set(
    key,
    setTimeout(() => {
      dispatchTimers.delete(key);
      dispatchInput(control);
    }, DISPATCH_PAUSE_MS),
  );
});

document.addEventListener('keydown', (event) => {
  const control = event.target;
  if (event.key !== 'Enter' || event.shiftKey || !(control instanceof HTMLElement)) return;
  if (!control.dataset.dispatch?.split(' ').includes('on_enter_pressed')) return;
  event.preventDefault();
  dispatchInput(control);
});

function showErrors(form, errors) {
  for (const slot of form.querySelectorAll('.bk-error')) slot.textContent = '';
  for (const [blockId, message] of Object.entries(errors)) {
    const slot = [...form.querySelectorAll('.bk-error')].find((el) => el.dataset.errorFor === blockId);
    if (slot) slot.textContent = String(message);
    else toast(String(message));
  }
}

$('#modal-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const { inputs, missing } = formInputs(form);
  if (missing.length > 0) {
    return showErrors(form, Object.fromEntries(missing.map((id) => [id, 'Please complete this required field.'])));
  }
  const submit = $('#modal-submit');
  submit.disabled = true;
  const answer = await api('/api/submit', { viewId: form.dataset.viewId, inputs });
  submit.disabled = false;
  showErrors(form, answer.errors ?? {});
  await refresh();
});

for (const [id, all] of [
  ['#modal-close', false],
  ['#modal-x', true],
]) {
  $(id).addEventListener('click', async () => {
    await api('/api/close', { viewId: $('#modal-form').dataset.viewId, all });
    await refresh();
  });
}

// ---- sandbox knobs ------------------------------------------------------------------------------------------------

function knob(formSelector, path, body, done) {
  $(formSelector).addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await api(path, body());
    if (answer.ok) toast(done, 'info');
  });
}
knob(
  '#knob-proposal',
  '/api/knobs/proposal',
  () => ({ jobId: $('#knob-job').value }),
  'Proposal added: its card follows',
);
knob(
  '#knob-reply',
  '/api/knobs/candidate-reply',
  () => ({ conversationId: $('#knob-conversation').value }),
  'The candidate replied',
);
knob(
  '#knob-latency',
  '/api/knobs/latency',
  () => ({ ms: Number($('#knob-latency-ms').value) }),
  'OpenTrain latency set',
);
knob(
  '#knob-errors',
  '/api/knobs/errors',
  () => ({ count: Number($('#knob-errors-count').value) }),
  'The next OpenTrain calls fail',
);
/** A knob form with one submit button per choice: the pressed button's value is sent as `name`. */
function choiceKnob(formSelector, path, body, name, done) {
  $(formSelector).addEventListener('submit', async (event) => {
    event.preventDefault();
    const choice = event.submitter?.value;
    const answer = await api(path, { ...body(), [name]: choice });
    if (answer.ok) toast(done(choice), 'info');
  });
}
choiceKnob(
  '#knob-approval',
  '/api/knobs/approval',
  () => ({ approvalId: $('#knob-approval-id').value }),
  'status',
  (status) => `The hire approval was ${status} on OpenTrain`,
);
choiceKnob(
  '#knob-contract',
  '/api/knobs/contract',
  () => ({ contractId: $('#knob-contract-id').value }),
  'event',
  (event) => (event === 'payment' ? 'An invoice now waits for payment' : `The contract's budget is now ${event}`),
);
$('#knob-clear').addEventListener('click', async () => {
  const answer = await api('/api/knobs/clear', {});
  if (answer.ok) toast('Latency and errors cleared', 'info');
});

// ---- live updates -------------------------------------------------------------------------------------------------

const events = new EventSource('/api/events');
events.addEventListener('change', () => void refresh());
void refresh();
