import { describe, expect, it } from 'vitest';
import { askModal } from '../../src/blocks/ask.js';
import { type ProposalCardInput, proposalCard } from '../../src/blocks/card.js';
import { helpMessage } from '../../src/blocks/help.js';
import { hireModal } from '../../src/blocks/hire.js';
import { inviteModal, messageModal } from '../../src/blocks/modals.js';
import { inboundMessage } from '../../src/blocks/relay.js';
import { transcriptView } from '../../src/blocks/transcript.js';
import type { Proposal } from '../../src/domain.js';
import { blockHtml, blocksHtml, messageHtml, viewHtml } from '../../src/sandbox/playground/blockkit-html.js';
import { mrkdwnToHtml } from '../../src/sandbox/playground/mrkdwn-html.js';
import { submittedValues } from '../../src/sandbox/playground/view-state.js';
import { makeStoredProposal } from '../helpers/store-fixtures.js';

// The page's Block Kit renderer against the bot's real blocks (built with src/blocks/*), plus the mrkdwn and
// Block Kit features Slack draws that the bot may use. Assertions read the HTML a browser would get.

const NAMES = {
  userName: (id: string) => (id === 'U0ANA0001' ? 'Ana Lima' : `user ${id}`),
  channelName: (id: string) => (id === 'C0HIRING' ? 'hiring' : id.toLowerCase()),
};

const NOW = new Date('2026-06-12T12:00:00Z');

/** A realistic proposal (the store fixture's), its summary holding an `&` the builder must escape. */
function proposal(overrides: Partial<Proposal> = {}): Proposal {
  const base = makeStoredProposal(1).proposal;
  return {
    ...base,
    id: 'prop_1',
    aiInterview: { score: 86, summary: 'Clear answers on sarcasm & negation.', transcriptAvailable: true },
    ...overrides,
  };
}

function card(overrides: Partial<ProposalCardInput> = {}) {
  return proposalCard({
    proposal: proposal(),
    rank: null,
    votes: {},
    notes: [],
    conversation: null,
    ...overrides,
  });
}

/** The text a person reads: tags dropped, entities decoded. */
function visible(html: string): string {
  return html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}

describe('the proposal card', () => {
  it('renders the header section, fields, status context and the buttons with their action ids and values', () => {
    const html = messageHtml(card(), NAMES);
    expect(html).toContain('<b>Maria G.</b>');
    expect(visible(html)).toMatch(/Bid\s+\$21 \/ hour/);
    expect(visible(html)).toMatch(/Interview\s+51\/100/);
    for (const action of ['card_transcript', 'card_profile', 'card_invite', 'card_message', 'vote_up']) {
      expect(html).toMatch(
        new RegExp(
          `<button type="button" class="bk-button[^"]*" data-block-id="[^"]*" data-action-id="${action}"[^>]*data-value="prop_1"`,
        ),
      );
    }
    expect(html).toContain('class="bk-fields"');
    expect(html).toContain('class="bk-context"');
    // The & from the summary is Slack-escaped by the builder and shown as one &.
    expect(visible(html)).toContain('sarcasm & negation');
    expect(visible(html)).not.toMatch(/\*Maria|&amp;amp;/);
  });

  it('shows the vote tally and the voters by name', () => {
    const html = messageHtml(card({ votes: { U0ANA0001: 'up' } }), NAMES);
    expect(html).toMatch(/data-action-id="vote_up"[^>]*>👍 1<\/button>/);
    expect(html).toContain('👍 <span class="mention">@Ana Lima</span>');
  });

  it('escapes hostile candidate text: no markup from a name or summary reaches the page', () => {
    const hostile = proposal({
      candidate: { ...proposal().candidate, displayName: '<img src=x onerror=alert(1)>' },
      aiInterview: {
        score: 80,
        summary: '<script>alert(1)</script> *not bold* <@U0ANA0001>',
        transcriptAvailable: true,
      },
    });
    const html = messageHtml(card({ proposal: hostile }), NAMES);
    expect(html).not.toMatch(/<img src=x|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;');
    // The builder escaped the mention, so it stays text instead of pinging anyone.
    expect(html).not.toContain('@Ana Lima');
  });
});

describe('other bot messages and modals', () => {
  it('renders a relayed candidate message as a quote with its Reply button', () => {
    const message = inboundMessage({
      candidateName: 'Maria G.',
      content: 'Yes, I can start on Monday.\nSecond line.',
      sentAt: '2026-06-12T11:00:00Z',
      proposalId: 'prop_1',
      conversationId: 'conv_1',
      messageId: 'msg_1',
      now: NOW,
    });
    const html = messageHtml(message, NAMES);
    expect(html).toContain('<b>Maria G.</b> wrote:');
    expect(html).toContain('<blockquote>Yes, I can start on Monday.<br>Second line.</blockquote>');
    expect(html).toMatch(/class="bk-button bk-primary"[^>]*data-action-id="relay_reply"[^>]*>Reply</);
  });

  it('renders the help message without unsupported blocks', () => {
    const html = messageHtml(helpMessage(), NAMES);
    expect(html).toContain('/hiring');
    expect(html).not.toContain('bk-unknown');
  });

  it('renders the message composer with its text input, kept text, hint and labels', () => {
    const view = messageModal({
      callbackId: 'message_submit',
      title: 'Message candidate',
      candidateName: 'Maria G.',
      privateMetadata: '{}',
      initialText: 'Hello <there> & welcome',
      hint: 'OpenTrain refused it',
    });
    const rendered = viewHtml(view, NAMES);
    expect(rendered.title).toBe('Message candidate');
    expect(rendered.submit).toBe('Send');
    expect(rendered.close).toBe('Cancel');
    expect(rendered.body).toContain('<label class="bk-label">Message to Maria G.</label>');
    expect(rendered.body).toMatch(
      /<textarea[^>]*data-block-id="message" data-action-id="text"[^>]*>Hello &lt;there&gt; &amp; welcome<\/textarea>/,
    );
    expect(rendered.body).toContain('data-error-for="message"');
    expect(visible(rendered.body)).toContain('OpenTrain refused it');
  });

  it('renders the invite form as a select of the other jobs, and builds its submission like Slack', () => {
    const view = inviteModal({
      proposalId: 'prop_1',
      candidateName: 'Maria G.',
      jobs: [
        { id: 'job_2', title: 'French NER' },
        { id: 'job_3', title: 'German <audio>' },
      ],
      privateMetadata: '',
    });
    const rendered = viewHtml(view, NAMES);
    expect(rendered.body).toContain('<option value="job_2">French NER</option>');
    expect(rendered.body).toContain('<option value="job_3">German &lt;audio&gt;</option>');
    const values = submittedValues(view as unknown as Record<string, unknown>, [
      { blockId: 'job', actionId: 'job_select', values: ['job_3'] },
    ]);
    expect(values).toEqual({
      job: {
        job_select: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'German <audio>' }, value: 'job_3' },
        },
      },
    });
    // A value that isn't one of the options is not invented.
    const forged = submittedValues(view as unknown as Record<string, unknown>, [
      { blockId: 'job', actionId: 'job_select', values: ['job_999'] },
    ]);
    expect(forged.job?.job_select).toEqual({ type: 'static_select', selected_option: null });
  });

  it('renders the hire form (text, amount, date) and reads its submission back as Slack would send it', () => {
    const view = hireModal({ candidateName: 'Maria G.', jobTitle: 'Spanish', privateMetadata: '{}' });
    const rendered = viewHtml(view, NAMES);
    expect(rendered.body).toContain('type="date"');
    expect(rendered.body).toContain('data-block-id="hire_amount"');
    const values = submittedValues(view as unknown as Record<string, unknown>, [
      { blockId: 'hire_name', actionId: 'value', values: ['Pilot'] },
      { blockId: 'hire_amount', actionId: 'value', values: ['500'] },
      { blockId: 'hire_due', actionId: 'value', values: ['2026-12-12'] },
    ]);
    expect(values).toEqual({
      hire_name: { value: { type: 'plain_text_input', value: 'Pilot' } },
      hire_amount: { value: { type: 'plain_text_input', value: '500' } },
      hire_due: { value: { type: 'datepicker', selected_date: '2026-12-12' } },
    });
  });

  it('renders the ask form: finalists as a multiple select with the top ones chosen, and submits several', () => {
    const view = askModal({
      jobTitle: 'Spanish NER',
      options: [
        { proposalId: 'prop_1', name: 'Maria G.', rank: 1, score: 90, partial: false },
        { proposalId: 'prop_2', name: 'Ben <K>', rank: 2, score: 80, partial: false },
        { proposalId: 'prop_3', name: 'Cy L.', rank: 3, score: 70, partial: false },
      ],
      selected: ['prop_1', 'prop_2'],
      maxFinalists: 10,
      maxQuestionLength: 2000,
      privateMetadata: '',
      preview: 'Thank you…',
    });
    const rendered = viewHtml(view, NAMES);
    expect(rendered.body).toContain('<select multiple');
    expect(rendered.body).toContain('<option value="prop_2" selected>2. Ben &lt;K&gt; — 80/100</option>');
    expect(rendered.body).toContain('<option value="prop_3">3. Cy L. — 70/100</option>');
    // The questions update the preview as they are typed (dispatch_action): the page sends block_actions then.
    expect(rendered.body).toMatch(/<textarea[^>]*name="ask_q1"[^>]*data-dispatch="on_character_entered"/);
    // Slack adds "(optional)" to an optional input's label itself: once.
    expect(rendered.body.match(/\(optional\)/g)).toHaveLength(1);
    const values = submittedValues(view as unknown as Record<string, unknown>, [
      { blockId: 'ask_finalists', actionId: 'value', values: ['prop_1', 'prop_3'] },
    ]);
    expect(values.ask_finalists).toEqual({
      value: {
        type: 'multi_static_select',
        selected_options: [expect.objectContaining({ value: 'prop_1' }), expect.objectContaining({ value: 'prop_3' })],
      },
    });
  });

  it('renders the transcript modal with Interviewer and Candidate turns', () => {
    const view = transcriptView({
      candidateName: 'Maria G.',
      transcript: {
        proposalId: 'prop_1',
        score: 86,
        summary: 'Good.',
        turns: [
          { id: 't1', role: 'interviewer', content: 'How do you label sarcasm?', sentAt: '2026-06-12T10:00:00Z' },
          { id: 't2', role: 'candidate', content: 'Context & tone.', sentAt: '2026-06-12T10:01:00Z' },
        ],
      },
    });
    const text = visible(viewHtml(view, NAMES).body);
    expect(text).toMatch(/Interviewer[\s\S]*How do you label sarcasm\?[\s\S]*Candidate[\s\S]*Context & tone\./);
  });
});

describe('Block Kit the bot may use', () => {
  it('draws static selects, overflow menus, images and dividers', () => {
    const html = blocksHtml(
      [
        {
          type: 'actions',
          block_id: 'b1',
          elements: [
            {
              type: 'static_select',
              action_id: 'pick',
              placeholder: { type: 'plain_text', text: 'Status' },
              options: [{ text: { type: 'plain_text', text: 'Shortlisted' }, value: 'SHORTLISTED' }],
            },
            {
              type: 'overflow',
              action_id: 'more',
              options: [{ text: { type: 'plain_text', text: 'Archive' }, value: 'archive' }],
            },
            {
              type: 'button',
              action_id: 'open',
              text: { type: 'plain_text', text: 'Open' },
              url: 'javascript:alert(1)',
            },
          ],
        },
        { type: 'divider' },
        {
          type: 'image',
          image_url: 'https://example.com/a.png',
          alt_text: 'chart "1"',
          title: { type: 'plain_text', text: 'Chart' },
        },
        { type: 'image', image_url: 'javascript:alert(1)', alt_text: 'bad' },
      ],
      NAMES,
    );
    expect(html).toContain(
      '<select class="bk-select" data-block-id="b1" data-action-id="pick" data-kind="static_select">',
    );
    expect(html).toContain('<option value="SHORTLISTED">Shortlisted</option>');
    expect(html).toContain('data-kind="overflow"');
    expect(html).toContain('<option value="archive">Archive</option>');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<hr class="bk-divider">');
    expect(html).toContain('<img class="bk-image-img" src="https://example.com/a.png" alt="chart &quot;1&quot;"');
    expect(html).toContain('[image: bad]');
  });

  it('shows an unknown block or element as a labelled box, never nothing', () => {
    expect(blockHtml({ type: 'video', title: 'x' }, NAMES)).toContain('Unsupported block: <code>video</code>');
    expect(blockHtml({ type: '<b>' }, NAMES)).toContain('<code>&lt;b&gt;</code>');
    expect(blockHtml('nonsense', NAMES)).toContain('bk-unknown');
    const html = blockHtml({ type: 'actions', elements: [{ type: 'datepicker', action_id: 'd' }] }, NAMES);
    expect(html).toContain('Unsupported element: <code>datepicker</code>');
  });

  it('marks a dispatching text input with its triggers (Enter when none are given), and no other', () => {
    const input = (block: Record<string, unknown>) =>
      blockHtml({ type: 'input', block_id: 'b', label: { type: 'plain_text', text: 'L' }, ...block }, NAMES);
    const text = { type: 'plain_text_input', action_id: 'a' };
    expect(input({ dispatch_action: true, element: text })).toContain('data-dispatch="on_enter_pressed"');
    expect(
      input({
        dispatch_action: true,
        element: {
          ...text,
          dispatch_action_config: { trigger_actions_on: ['on_character_entered', 'on_enter_pressed'] },
        },
      }),
    ).toContain('data-dispatch="on_character_entered on_enter_pressed"');
    expect(input({ element: text })).not.toContain('data-dispatch');
  });

  it('falls back to the message text when there are no blocks', () => {
    expect(messageHtml({ text: 'plain *text*' }, NAMES)).toBe('<div class="bk-text">plain <b>text</b></div>');
  });
});

describe('mrkdwn', () => {
  const render = (text: string) => mrkdwnToHtml(text, NAMES);

  it('formats bold, italic, strike, code and preformatted text', () => {
    expect(render('*bold* _italic_ ~gone~ `a < b`')).toBe(
      '<b>bold</b> <i>italic</i> <s>gone</s> <code>a &lt; b</code>',
    );
    expect(render('```\nline 1\n*not bold*```')).toBe('<pre>line 1\n*not bold*</pre>');
    expect(render('snake_case_name and 2*3*4')).toBe('snake_case_name and 2*3*4');
  });

  it('renders links, and only safe schemes as links', () => {
    expect(render('<https://opentrain.ai/p/1|the profile>')).toBe(
      '<a href="https://opentrain.ai/p/1" target="_blank" rel="noopener noreferrer">the profile</a>',
    );
    expect(render('<javascript:alert(1)|click>')).toBe('click');
    expect(render('<https://x.test/?a=1&amp;b="2">')).toContain('href="https://x.test/?a=1&amp;b=&quot;2&quot;"');
  });

  it('renders mentions, special mentions and dates', () => {
    expect(render('<@U0ANA0001> in <#C0HIRING>')).toBe(
      '<span class="mention">@Ana Lima</span> in <span class="mention">#hiring</span>',
    );
    expect(render('<#C0OTHER|jobs>')).toBe('<span class="mention">#jobs</span>');
    expect(render('<!here>')).toBe('<span class="mention">@here</span>');
    expect(render('<!date^1781265600^{date_short}|Jun 12>')).toBe('<time>Jun 12</time>');
  });

  it('renders block quotes and the emoji the bot uses', () => {
    expect(render('said:\n>first\n&gt; second\nafter')).toBe('said:<blockquote>first<br>second</blockquote>after');
    expect(render(':warning: :white_check_mark: :hourglass_flowing_sand: :no_entry: :unknown_one:')).toBe(
      '⚠️ ✅ ⏳ ⛔ :unknown_one:',
    );
  });

  it('escapes HTML in text and never lets it through a mention label or the placeholder characters', () => {
    expect(render('&lt;b&gt;hi&lt;/b&gt; "q" \'s\'')).toBe('&lt;b&gt;hi&lt;/b&gt; &quot;q&quot; &#39;s&#39;');
    // Unescaped angle brackets are Slack's own link syntax; a tag-shaped one is shown as its plain text.
    expect(render('<script>')).toBe('script');
    expect(render('<@U1|<img src=x>>')).not.toContain('<img');
    expect(render('\uE0000\uE001')).toBe('0');
  });
});
