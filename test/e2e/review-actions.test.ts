import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HARNESS_CHANNEL, type Harness, startHarness } from '../../src/sandbox/harness.js';
import type { SeedProposalKey } from '../../src/sandbox/opentrain/index.js';
import type { RecordedResponse, StoredSlackView } from '../../src/sandbox/slack/standin.js';

// Transcript, Profile and Invite on the card, their `/hiring` commands and `/hiring proposals`, end to end: the real
// app over HTTP with signed requests, the OpenTrain sandbox behind it and the Slack stand-in recording what people see.

const ALICE = 'U0ALICE0001';
const REVIEWER = 'U0REVIEWER1';
const OUTSIDER = 'U0OUTSIDER1';

// Anything in a block, flattened: what a person reads.
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('\n');
  if (value && typeof value === 'object') return Object.values(value).map(textOf).join('\n');
  return '';
}

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: unknown[]; element?: unknown };

function blocksOf(view: StoredSlackView | Record<string, unknown> | undefined): Block[] {
  const raw = view && 'view' in view ? (view.view as Record<string, unknown>) : view;
  return ((raw?.blocks as Block[] | undefined) ?? []) as Block[];
}

function sectionTexts(blocks: Block[]): string[] {
  return blocks.filter((block) => block.type === 'section' && block.text).map((block) => block.text!.text);
}

/** A small world per describe: harness, seeded cards posted, helpers bound to it. */
function world(env: Record<string, string> = {}) {
  const state = { h: null as unknown as Harness, logs: [] as string[] };
  beforeAll(async () => {
    // 72 h of backfill also cards the seeded two-day-old proposal without an interview.
    state.h = await startHarness({ env: { BACKFILL_HOURS: '72', ...env }, logSink: (line) => state.logs.push(line) });
    await state.h.bot.ctx.sync.runOnce();
    await state.h.bot.idle();
  });
  afterAll(async () => {
    await state.h?.close();
  });

  const ids = () => state.h.sandbox.ids;
  const proposalId = (key: SeedProposalKey) => ids().proposals[key];
  const nameOf = (key: SeedProposalKey) => state.h.sandbox.state.freelancers.get(ids().freelancers[key])!.displayName;

  function cardOf(key: SeedProposalKey) {
    const id = proposalId(key);
    const card = state.h.slack
      .messages(HARNESS_CHANNEL)
      .find((message) => message.metadata?.event_payload.proposal_id === id);
    if (!card) throw new Error(`no card for ${key}`);
    return card;
  }

  /** Clicks a card button; returns the HTTP answer time and, later, the modal this click opened. */
  async function click(actionId: string, key: SeedProposalKey, userId = ALICE) {
    const card = cardOf(key);
    const started = performance.now();
    const result = await state.h.sender.blockAction({
      actionId,
      value: proposalId(key),
      userId,
      channelId: HARNESS_CHANNEL,
      messageTs: card.ts,
    });
    const ackMs = performance.now() - started;
    expect(result.status).toBe(200);
    const successfulOpens = () => state.h.slack.calls.filter((call) => call.method === 'views.open' && call.ok);
    return {
      ackMs,
      result,
      /** The views.open call made with this click's trigger. */
      openCall: () =>
        state.h.slack.calls.find((call) => call.method === 'views.open' && call.args.trigger_id === result.triggerId),
      /** The stand-in creates views in the order views.open succeeds, so the nth open is the nth root view. */
      openedView: () => {
        const index = successfulOpens().findIndex((call) => call.args.trigger_id === result.triggerId);
        const opened = [...state.h.slack.views.values()].filter((view) => view.rootViewId === view.id);
        return index >= 0 ? opened[index] : undefined;
      },
    };
  }

  async function command(text: string, userId = ALICE) {
    const started = performance.now();
    const result = await state.h.sender.command(text, { userId, channelId: HARNESS_CHANNEL });
    const ackMs = performance.now() - started;
    expect(result.status).toBe(200);
    const id = result.responseUrl!.split('/').at(-1);
    return {
      ackMs,
      result,
      responses: (): RecordedResponse[] => state.h.slack.responses.filter((response) => response.id === id),
    };
  }

  function submitInvite(jobId: string, userId = ALICE, viewId?: string) {
    return state.h.sender.viewSubmission({
      callbackId: 'invite_submit',
      userId,
      ...(viewId ? { viewId } : {}),
      values: { job: { job_select: { type: 'static_select', selected_option: { value: jobId } } } },
    });
  }

  return { state, ids, proposalId, nameOf, cardOf, click, command, submitInvite };
}

/** The opened modal: loading view at first (views.open, within the trigger's 3 s), then exactly the content. */
function expectLoadingThenContent(click: Awaited<ReturnType<ReturnType<typeof world>['click']>>): StoredSlackView {
  const open = click.openCall();
  expect(open?.ok).toBe(true);
  expect(textOf(open!.args.view)).toContain('Loading');
  const view = click.openedView()!;
  expect(view).toBeDefined();
  expect(view.updates).toBe(1);
  expect(textOf(view.view)).not.toContain('Loading');
  return view;
}

describe('transcript, profile and invite (owner token, everyone may act)', () => {
  const w = world();

  it('Transcript button: a loading modal at once, then the transcript in the same view', async () => {
    const click = await w.click('card_transcript', 'spanishRecent');
    await w.state.h.bot.idle();
    const view = expectLoadingThenContent(click);
    expect(view.view.title).toMatchObject({ text: 'Interview transcript' });
    const blocks = blocksOf(view);
    expect(textOf(blocks[0])).toContain(`${w.nameOf('spanishRecent')} — AI interview`);
    expect(blocks.some((block) => block.block_id === 'turn_0_0')).toBe(true);
    expect(textOf(blocks)).toContain('*Interviewer*');
    expect(textOf(blocks)).toContain('*Candidate*');
    // The view was updated by id and with the hash views.open returned.
    const update = w.state.h.slack.callsTo('views.update').at(-1)!;
    expect(update.view_id).toBe(view.id);
    expect(typeof update.hash).toBe('string');
  });

  it('Profile button: the candidate profile in the modal', async () => {
    const click = await w.click('card_profile', 'spanishRecent');
    await w.state.h.bot.idle();
    const view = expectLoadingThenContent(click);
    expect(view.view.title).toMatchObject({ text: 'Trainer profile' });
    const text = textOf(view.view);
    expect(text).toContain(w.nameOf('spanishRecent'));
    expect(text).toContain('Bilingual Content Moderator');
    expect(blocksOf(view).some((block) => block.block_id === 'profile_agency')).toBe(false);

    // "Open on OpenTrain" is a link button: Slack opens the page and still sends the click, which is only acked —
    // no "older version" warning, no second modal, nothing posted, and no "unhandled request" in the operator's log.
    const logs = w.state.logs.length;
    const calls = w.state.h.slack.calls.length;
    const ephemerals = w.state.h.slack.ephemerals.length;
    const linkClick = await w.state.h.sender.blockAction({
      actionId: 'profile_open',
      userId: ALICE,
      view: { id: view.id, callbackId: 'profile_view' },
    });
    expect(linkClick.status).toBe(200);
    await w.state.h.bot.idle();
    expect(w.state.h.slack.calls.slice(calls)).toEqual([]);
    expect(w.state.h.slack.ephemerals.length).toBe(ephemerals);
    expect(w.state.logs.slice(logs).filter((line) => line.includes('unhandled Slack request'))).toEqual([]);
  });

  it('Profile button on an agency: the agency block', async () => {
    const click = await w.click('card_profile', 'agency');
    await w.state.h.bot.idle();
    const view = expectLoadingThenContent(click);
    expect(view.view.title).toMatchObject({ text: 'Agency profile' });
    const agencyBlock = blocksOf(view).find((block) => block.block_id === 'profile_agency');
    expect(agencyBlock?.text?.text).toContain('*Agency*');
    expect(textOf(view.view)).toContain(w.nameOf('agency'));
  });

  it('Transcript button without an interview: the modal says so', async () => {
    const click = await w.click('card_transcript', 'noInterview');
    await w.state.h.bot.idle();
    const view = expectLoadingThenContent(click);
    expect(textOf(view.view)).toContain('No AI interview was recorded for this proposal.');
  });

  it('a transcript long enough to need splitting stays within Block Kit limits and says where it was cut', async () => {
    const turns = w.state.h.sandbox.state.proposals.get(w.proposalId('longTranscript'))!.interview!.turns.length;
    const click = await w.click('card_transcript', 'longTranscript');
    await w.state.h.bot.idle();
    const view = expectLoadingThenContent(click);
    // A modal holds 100 blocks: every turn fits. The stand-in validated the view; check the limits anyway.
    const modalBlocks = blocksOf(view);
    expect(modalBlocks.length).toBeLessThanOrEqual(100);
    for (const text of sectionTexts(modalBlocks)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(modalBlocks.filter((block) => /^turn_\d+_0$/.test(block.block_id ?? ''))).toHaveLength(turns);

    // A message holds 50 blocks and ~12k characters: the ephemeral is cut at a turn, with a note.
    const { responses } = await w.command(`transcript ${w.proposalId('longTranscript')}`);
    await w.state.h.bot.idle();
    const [response] = responses();
    expect(response?.body.response_type).toBe('ephemeral');
    const blocks = response!.body.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const text of sectionTexts(blocks)) expect(text.length).toBeLessThanOrEqual(3000);
    expect(textOf(blocks).length).toBeLessThanOrEqual(12_000);
    const cut = blocks.find((block) => block.block_id === 'transcript_cut');
    expect(textOf(cut)).toMatch(/Transcript cut: \d+ more turns? .*open it on OpenTrain/);
  });

  it('/hiring transcript answers ephemerally with the transcript', async () => {
    const { ackMs, responses } = await w.command(`transcript ${w.proposalId('agency')}`);
    expect(ackMs).toBeLessThan(1000);
    await w.state.h.bot.idle();
    const [response] = responses();
    expect(response?.body.response_type).toBe('ephemeral');
    expect(String(response!.body.text)).toContain(`AI interview transcript — ${w.nameOf('agency')}`);
    expect(textOf(response!.body.blocks)).toContain('*Candidate*');
  });

  it('/hiring transcript when the transcript is unavailable: says so without asking /interview', async () => {
    const id = w.proposalId('transcriptUnavailable');
    const { responses } = await w.command(`transcript ${id}`);
    await w.state.h.bot.idle();
    expect(String(responses()[0]?.body.text)).toContain('No AI interview transcript is available');
    const asked = w.state.h.sandbox.requests.filter((request) => request.path === `/proposals/${id}/interview`);
    expect(asked).toHaveLength(0);
  });

  it('/hiring profile by slug and by pasted link', async () => {
    const bySlug = await w.command('profile maria-g');
    const byLink = await w.command(`profile <https://app.opentrain.ai/freelancers/${w.ids().freelancers.agency}>`);
    await w.state.h.bot.idle();
    const slugAnswer = bySlug.responses()[0]!.body;
    expect(slugAnswer.response_type).toBe('ephemeral');
    expect(String(slugAnswer.text)).toContain('Profile: Maria G.');
    expect(textOf(slugAnswer.blocks)).toContain('Text Annotation Specialist');
    const linkAnswer = byLink.responses()[0]!.body;
    expect(textOf(linkAnswer.blocks)).toContain('*Agency*');
  });

  it('/hiring profile of a hidden profile: the 404 in one sentence', async () => {
    const { responses } = await w.command(`profile ${w.ids().freelancers.hidden}`);
    await w.state.h.bot.idle();
    const [response] = responses();
    expect(response?.body.response_type).toBe('ephemeral');
    expect(response?.body.text).toBe(":warning: That profile doesn't exist or isn't visible to you.");
  });

  it('Invite to job…: the form lists the other published jobs; submitting invites, notes the card, confirms', async () => {
    const { medical, spanish, draft, archived } = w.ids().jobs;
    const click = await w.click('card_invite', 'spanishRecent');
    await w.state.h.bot.idle();
    const form = expectLoadingThenContent(click);
    expect(form.view.callback_id).toBe('invite_submit');
    const select = blocksOf(form).find((block) => block.block_id === 'job')?.element as {
      options: { value: string }[];
      initial_option?: { value: string };
    };
    // Not the job applied to, not the draft, not the archived one.
    expect(select.options.map((option) => option.value)).toEqual([medical]);
    expect(select.options.map((option) => option.value)).not.toContain(spanish);
    expect([draft, archived].some((id) => select.options.some((option) => option.value === id))).toBe(false);
    expect(JSON.parse(String(form.view.private_metadata))).toMatchObject({
      proposalId: w.proposalId('spanishRecent'),
      freelancerId: w.ids().freelancers.spanishRecent,
      channel: HARNESS_CHANNEL,
      messageTs: w.cardOf('spanishRecent').ts,
    });

    const started = performance.now();
    const submitted = await w.submitInvite(medical, ALICE, form.id);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(submitted.json).toMatchObject({ response_action: 'update' });
    await w.state.h.bot.idle();

    const invites = w.state.h.sandbox.state.invites.filter(
      (invite) => invite.jobId === medical && invite.freelancerId === w.ids().freelancers.spanishRecent,
    );
    expect(invites).toHaveLength(1);
    const card = w.cardOf('spanishRecent');
    expect(textOf(card.blocks)).toContain(
      `Invited to *Medical Image Annotation — Chest X-ray Bounding Boxes* by <@${ALICE}>`,
    );
    expect(w.state.h.bot.ctx.store.data.proposals[w.proposalId('spanishRecent')]!.notes).toHaveLength(1);
    const confirmation = w.state.h.slack.ephemerals.filter((e) => e.user === ALICE && /Invited \*/.test(e.text ?? ''));
    expect(confirmation.at(-1)?.channel).toBe(HARNESS_CHANNEL);
    expect(textOf(w.state.h.slack.views.get(form.id)!.view)).toContain('Invited *Diego M.*');
  });

  it('inviting again: "already invited" in words, nothing new on the card', async () => {
    const click = await w.click('card_invite', 'spanishRecent');
    await w.state.h.bot.idle();
    const form = click.openedView()!;
    const updatesBefore = w.cardOf('spanishRecent').updates;
    await w.submitInvite(w.ids().jobs.medical, ALICE, form.id);
    await w.state.h.bot.idle();
    expect(textOf(w.state.h.slack.views.get(form.id)!.view)).toContain('was already invited');
    expect(w.state.h.bot.ctx.store.data.proposals[w.proposalId('spanishRecent')]!.notes).toHaveLength(1);
    expect(w.cardOf('spanishRecent').updates).toBe(updatesBefore);
    expect(
      w.state.h.sandbox.state.invites.filter((i) => i.freelancerId === w.ids().freelancers.spanishRecent),
    ).toHaveLength(1);
  });

  it('/hiring invite by slug to a job named by title: invited', async () => {
    const { responses } = await w.command('invite lukas-h chest x-ray');
    await w.state.h.bot.idle();
    expect(String(responses()[0]?.body.text)).toContain('Invited *Lukas H.* to *Medical Image Annotation');
    expect(
      w.state.h.sandbox.state.invites.some(
        (invite) => invite.freelancerId === w.ids().freelancers.invitable && invite.jobId === w.ids().jobs.medical,
      ),
    ).toBe(true);
  });

  it('/hiring invite to the draft job: the job is not published', async () => {
    const { responses } = await w.command(`invite ${w.ids().freelancers.invitable} Japanese Speech`);
    await w.state.h.bot.idle();
    expect(responses()[0]?.body.text).toBe(
      ":warning: That job isn't published on OpenTrain, so nobody can be invited yet; publish it first.",
    );
  });

  it('/hiring invite of an unavailable trainer, and with the hiring feature off: the reasons in words', async () => {
    const unavailable = await w.command(`invite ${w.ids().freelancers.unavailable} medical`);
    await w.state.h.bot.idle();
    expect(String(unavailable.responses()[0]?.body.text)).toContain("isn't available for invitations right now");

    w.state.h.sandbox.setFeature('public_api_hiring', false);
    try {
      const featureOff = await w.command('invite lukas-h spanish sentiment');
      await w.state.h.bot.idle();
      expect(String(featureOff.responses()[0]?.body.text)).toContain(
        "OpenTrain's hiring feature (public_api_hiring) isn't enabled for this account.",
      );
    } finally {
      w.state.h.sandbox.setFeature('public_api_hiring', true);
    }
  });

  it('/hiring proposals: ranked by composite score, with links to the cards', async () => {
    const { responses } = await w.command('proposals spanish sentiment');
    await w.state.h.bot.idle();
    const body = responses()[0]!.body;
    expect(body.response_type).toBe('ephemeral');
    const lines = sectionTexts(body.blocks as Block[])
      .join('\n')
      .split('\n')
      .filter((line) => /^\d+\. /.test(line));
    // Scores (0.5·interview + 0.3·match + 0.2·price fit among per-label bids) worked out by hand from the seed.
    const expected: [SeedProposalKey, string][] = [
      ['fixedBid', '84/100'],
      ['agency', '81/100'],
      ['spanishRecent', '80/100'],
      ['withConversation', '78/100'],
      ['longTranscript', '72/100'],
      ['notReadyForMessaging', '69/100'],
      ['noInterview', '67/100 _(partial)_'],
      ['transcriptUnavailable', '63/100'],
    ];
    expect(lines).toHaveLength(expected.length);
    expected.forEach(([key, score], index) => {
      const line = lines[index]!;
      expect(line.startsWith(`${index + 1}. `)).toBe(true);
      expect(line).toContain(w.nameOf(key));
      expect(line).toContain(`— ${score}`);
    });
    // Cards the bot posted are linked (chat.getPermalink); proposals without a card are plain names.
    const permalink = `https://example.slack.com/archives/${HARNESS_CHANNEL}/p${w.cardOf('agency').ts.replace('.', '')}`;
    expect(lines[1]).toContain(`<${permalink}|${w.nameOf('agency')}>`);
    expect(lines[0]).toContain(`*${w.nameOf('fixedBid')}*`);
    expect(lines[0]).not.toContain('<https://');
  });

  it('/hiring proposals with a status and top N', async () => {
    const { responses } = await w.command('proposals spanish sentiment unreviewed top 2');
    await w.state.h.bot.idle();
    const body = responses()[0]!.body;
    expect(
      w.state.h.sandbox.requests.some((r) => r.path.endsWith('/proposals') && r.query.status === 'UNREVIEWED'),
    ).toBe(true);
    const text = textOf(body.blocks);
    expect(text).toContain(`1. *<`);
    expect(text).toContain(w.nameOf('agency'));
    expect(text).toContain(w.nameOf('spanishRecent'));
    expect(text).not.toContain(w.nameOf('fixedBid'));
    expect(text).toContain('Showing the top 2 of 5');
  });

  it('with OpenTrain slowed to 2.5 s a call, every button and command is acknowledged at once and completes later', async () => {
    const { h } = w.state;
    // An invite form to submit while OpenTrain is slow.
    const inviteClick = await w.click('card_invite', 'longTranscript');
    await h.bot.idle();
    const form = inviteClick.openedView()!;

    h.sandbox.setLatency(2500);
    try {
      const clicks = await Promise.all([
        w.click('card_transcript', 'agency'),
        w.click('card_profile', 'agency'),
        w.click('card_invite', 'agency'),
      ]);
      const commands = await Promise.all([
        w.command(`transcript ${w.proposalId('spanishRecent')}`),
        w.command('profile maria-g'),
        w.command('invite lukas-h chest x-ray'),
        w.command('proposals chest x-ray top 3'),
      ]);
      const submitStarted = performance.now();
      const submitted = await w.submitInvite(w.ids().jobs.medical, ALICE, form.id);
      const submitMs = performance.now() - submitStarted;

      for (const { ackMs } of [...clicks, ...commands]) expect(ackMs).toBeLessThan(1000);
      expect(submitMs).toBeLessThan(1000);
      expect(submitted.json).toMatchObject({ response_action: 'update' });
      // Nothing is done yet: OpenTrain hasn't answered.
      for (const command of commands) expect(command.responses()).toHaveLength(0);

      await h.bot.idle();
      const [transcript, profile, invite] = clicks.map((click) => expectLoadingThenContent(click));
      expect(textOf(transcript!.view)).toContain('AI interview');
      expect(textOf(profile!.view)).toContain('*Agency*');
      expect(invite!.view.callback_id).toBe('invite_submit');
      for (const command of commands) expect(command.responses()).toHaveLength(1);
      expect(String(commands[2]!.responses()[0]!.body.text)).toContain('already invited');
      expect(textOf(commands[3]!.responses()[0]!.body.blocks)).toContain('1. ');
      expect(textOf(h.slack.views.get(form.id)!.view)).toContain('Invited *');
    } finally {
      h.sandbox.setLatency(0);
    }
  }, 30_000);
});

describe('unclaimed token and REVIEWER_IDS', () => {
  const w = world({ OT_API_TOKEN: 'ot_pat_sandbox_unclaimed', REVIEWER_IDS: REVIEWER });

  it('anyone may read transcripts and profiles', async () => {
    const click = await w.click('card_profile', 'spanishRecent', OUTSIDER);
    await w.state.h.bot.idle();
    expect(textOf(expectLoadingThenContent(click).view)).toContain(w.nameOf('spanishRecent'));
  });

  it('Invite to job… by someone who is not a reviewer: refused ephemerally, naming who may invite', async () => {
    const click = await w.click('card_invite', 'spanishRecent', OUTSIDER);
    await w.state.h.bot.idle();
    expect(click.openCall()).toBeUndefined();
    const refusal = w.state.h.slack.ephemerals.filter((e) => e.user === OUTSIDER).at(-1);
    expect(refusal?.channel).toBe(HARNESS_CHANNEL);
    expect(refusal?.text).toContain(`Only the hiring reviewers (<@${REVIEWER}>) can invite trainers`);
  });

  it('/hiring invite by someone who is not a reviewer: refused in the ack, OpenTrain untouched', async () => {
    const before = w.state.h.sandbox.requests.length;
    const { result } = await w.command(`invite lukas-h chest x-ray`, OUTSIDER);
    expect(result.json).toMatchObject({ response_type: 'ephemeral' });
    expect(String((result.json as { text: string }).text)).toContain(`<@${REVIEWER}>`);
    await w.state.h.bot.idle();
    expect(w.state.h.sandbox.requests.slice(before).some((r) => r.path.includes('/invites'))).toBe(false);
  });

  it('submitting the form as a non-reviewer is refused too', async () => {
    const click = await w.click('card_invite', 'spanishRecent', REVIEWER);
    await w.state.h.bot.idle();
    const form = click.openedView()!;
    await w.submitInvite(w.ids().jobs.medical, OUTSIDER, form.id);
    await w.state.h.bot.idle();
    expect(w.state.h.sandbox.requests.some((r) => r.path.includes('/invites'))).toBe(false);
    expect(w.state.h.slack.ephemerals.filter((e) => e.user === OUTSIDER).at(-1)?.text).toContain(
      'Only the hiring reviewers',
    );
  });

  it('unclaimed account: the form comes back with the claim link and the chosen job still selected', async () => {
    const click = await w.click('card_invite', 'spanishRecent', REVIEWER);
    await w.state.h.bot.idle();
    const form = click.openedView()!;
    await w.submitInvite(w.ids().jobs.medical, REVIEWER, form.id);
    await w.state.h.bot.idle();
    const view = w.state.h.slack.views.get(form.id)!;
    expect(view.view.callback_id).toBe('invite_submit');
    const error = blocksOf(view).find((block) => block.block_id === 'invite_error');
    expect(error?.text?.text).toContain(
      'A human must claim this OpenTrain account before the bot can invite AI trainers.',
    );
    expect(error?.text?.text).toContain('https://app.opentrain.ai/claim');
    const select = blocksOf(view).find((block) => block.block_id === 'job')?.element as {
      initial_option?: { value: string };
    };
    expect(select.initial_option?.value).toBe(w.ids().jobs.medical);
    expect(w.state.h.sandbox.state.invites).toHaveLength(0);
    expect(w.state.h.bot.ctx.store.data.proposals[w.proposalId('spanishRecent')]!.notes).toHaveLength(0);
  });

  it('/hiring invite with the unclaimed account: the claim link', async () => {
    const { responses } = await w.command('invite lukas-h chest x-ray', REVIEWER);
    await w.state.h.bot.idle();
    expect(String(responses()[0]?.body.text)).toContain('Claim it at https://app.opentrain.ai/claim');
  });
});
