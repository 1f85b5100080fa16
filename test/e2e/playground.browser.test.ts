import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/sandbox/harness.js';
import { CANDIDATE_REPLIES } from '../../src/sandbox/playground/activity.js';
import { groupAlive } from '../helpers/processes.js';

// The playground in a real browser: `npm run demo` in its own process group (as a terminal runs it), Debian's
// Chromium driven by playwright-core, and only what a person sees on the page is asserted. Ctrl-C is a SIGINT to
// the whole group, which must leave no process behind.

const CHROMIUM = '/usr/bin/chromium';
const REPO_ROOT = resolve(import.meta.dirname, '../..');
// PLAYGROUND_SCREENSHOT=docs/playground.png npx vitest run test/e2e/playground.browser.test.ts refreshes the README's.
const README_SCREENSHOT = process.env.PLAYGROUND_SCREENSHOT;

interface Demo {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startDemo(): Promise<Demo> {
  const port = await freePort();
  const child = spawn('npm', ['run', 'demo'], {
    cwd: REPO_ROOT,
    // Its own process group, like a shell job: Ctrl-C reaches every process in it.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PLAYGROUND_PORT: String(port),
      // Scripted activity sped up: candidates answer within a second; no surprise proposals or status changes
      // while the test counts cards.
      PLAYGROUND_REPLY_AFTER_MS: '200,600',
      PLAYGROUND_PROPOSAL_EVERY_MS: '3600000',
      PLAYGROUND_STATUS_EVERY_MS: '3600000',
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const deadline = Date.now() + 45_000;
  while (!/open http:\/\/127\.0\.0\.1:\d+/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the demo did not start:\n${output}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  const url = /open (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
  expect(url).toBe(`http://127.0.0.1:${port}`);
  return { child, url, output: () => output, exited };
}

/** What a person would wait for: polled for up to 10 s (the machine may be busy), not vitest's 1 s default. */
function eventually<T>(probe: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(probe, { timeout, interval: 100 });
}

/** The first proposal card in the channel (a message with vote buttons) whose text matches. */
function card(page: Page, hasText?: string | RegExp): Locator {
  const cards = page.locator('#messages article.msg').filter({ has: page.locator('[data-action-id="vote_up"]') });
  return (hasText === undefined ? cards : cards.filter({ hasText })).first();
}

describe('the playground in a browser', () => {
  let demo: Demo;
  let browser: Browser;
  let page: Page;
  let shots: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    shots = await mkdtemp(join(tmpdir(), 'playground-shots-'));
    [demo, browser] = await Promise.all([
      startDemo(),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      }),
    ]);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    await page.goto(demo.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (demo && demo.child.exitCode === null && groupAlive(demo.child.pid!)) process.kill(-demo.child.pid!, 'SIGKILL');
  });

  it('shows the hiring channel with proposal cards rendered from their blocks', async () => {
    // The bot itself, in Socket Mode: its own start-up line, as the terminal shows it.
    expect(demo.output()).toContain('hiring bot started (Socket Mode)');
    await eventually(() => page.locator('#channel-name').textContent()).toBe('# hiring');
    await card(page).waitFor();
    // Header fields, accessories and context render as text, never as raw JSON or markup.
    const first = card(page);
    await eventually(() => first.textContent()).toMatch(/Bid[\s\S]*Interview[\s\S]*Match/);
    expect(await page.locator('#messages').innerText()).not.toMatch(/"type":|<b>|&lt;/);
    await page.screenshot({ path: join(shots, '1-cards.png') });
  });

  it('👍 shows the tally and your name on the card', async () => {
    const target = card(page);
    const ts = await target.getAttribute('data-ts');
    await target.locator('[data-action-id="vote_up"]').click();
    const same = page.locator(`#messages article[data-ts="${ts}"]`);
    await eventually(() => same.locator('[data-action-id="vote_up"]').textContent()).toBe('👍 1');
    await eventually(() => same.locator('.bk-context').allTextContents()).toContainEqual('👍 @Ana Lima');
  });

  it('Transcript opens a modal with the interview turns', async () => {
    await card(page).locator('[data-action-id="card_transcript"]').click();
    const modal = page.locator('#modal-form');
    await eventually(() => modal.locator('#modal-title').textContent()).toMatch(/transcript/i);
    await eventually(() => modal.locator('#modal-body').innerText()).toMatch(/Interviewer[\s\S]*Candidate/);
    await page.screenshot({ path: join(shots, '2-transcript.png') });
    await page.locator('#modal-close').click();
    await eventually(() => page.locator('#modal').isHidden()).toBe(true);
  });

  it('Message refuses an e-mail address and keeps the text, then sends; the answer arrives in the thread', async () => {
    const target = card(page);
    const ts = (await target.getAttribute('data-ts'))!;
    await target.locator('[data-action-id="card_message"]').click();
    const box = page.locator('#modal-body textarea');
    await box.waitFor();
    const withEmail = 'Hi! Could you write to me at hiring@example.com about the next batch?';
    await box.fill(withEmail);
    await page.locator('#modal-submit').click();
    await eventually(() => page.locator('#modal-body .bk-error').textContent()).toMatch(/e-?mail/i);
    expect(await box.inputValue()).toBe(withEmail);

    await box.fill('Hi! Could you start a sample batch this week?');
    await page.locator('#modal-submit').click();
    await eventually(() => page.locator('#modal-body').innerText()).toMatch(/sent/i);
    await page.locator('#modal-close').click();

    // The card links its thread once the bot has posted there ("Conversation opened", your message).
    const threadLink = page.locator(`#messages article[data-ts="${ts}"] [data-open-thread]`);
    await eventually(() => threadLink.textContent()).toMatch(/^\d+ replies$/);
    await threadLink.click();
    const thread = page.locator('#thread-messages');
    await eventually(() => thread.innerText()).toContain('Could you start a sample batch this week?');
    await eventually(() => thread.innerText(), 15_000).toContain(CANDIDATE_REPLIES[0]);
    await page.screenshot({ path: join(shots, '3-thread.png') });
    if (README_SCREENSHOT) {
      const path = resolve(REPO_ROOT, README_SCREENSHOT);
      await mkdir(dirname(path), { recursive: true });
      await page.screenshot({ path });
    }
  });

  it("Send to candidate relays a teammate's reply in the card thread", async () => {
    const thread = page.locator('#thread-messages');
    await page.locator('#thread-composer-text').fill('Great, a sample batch of 50 is on its way.');
    await page.locator('#thread-composer-text').press('Enter');
    const mine = thread.locator('article.msg-person', { hasText: 'a sample batch of 50' });
    await mine.waitFor();
    await mine.locator('.msg-menu summary').click();
    await mine.locator('[data-shortcut]').click();
    const sent = thread.locator('article.msg-only-you', { hasText: 'Sent to' });
    await eventually(() => sent.count()).toBe(1);
    await eventually(() => thread.innerText()).toMatch(/@Ana Lima → .*:\s*Great, a sample batch of 50 is on its way\./);
    await page.locator('#thread-close').click();
  });

  // The hiring loop on the page: the finalists (best first) as the Ask form offered them, by name.
  let finalists: string[] = [];

  it('Ask finalists… on the digest: two chosen in the multi-select, the preview follows the question, both asked', async () => {
    await page.locator('#composer-text').fill('/hiring digest');
    await page.locator('#composer-text').press('Enter');
    const digest = page.locator('#messages article.msg', { hasText: 'Daily hiring digest' }).last();
    await digest.locator('[data-action-id="ask_finalists"]').first().click();
    const select = page.locator('#modal-body select[multiple]');
    await select.waitFor();
    const options = await select
      .locator('option')
      .evaluateAll((all) =>
        all.map((option) => ({ value: option.getAttribute('value') ?? '', label: option.textContent ?? '' })),
      );
    // "1. Maria G. — 81/100": the two best, by name.
    const chosen = options.slice(0, 2);
    finalists = chosen.map((option) => option.label.replace(/^\d+\.\s*/, '').replace(/\s+—\s+\d+\/100.*$/, ''));
    // The form pre-selects the top 3; a click on the third takes it out (a click toggles, like Slack's picker).
    const selected = () =>
      select.evaluate((list) =>
        [...(list as unknown as { selectedOptions: { value: string }[] }).selectedOptions].map((o) => o.value),
      );
    expect(await selected()).toEqual(options.slice(0, 3).map((option) => option.value));
    await select.locator('option').nth(2).click();
    expect(await selected()).toEqual(chosen.map((option) => option.value));
    const question = 'How would you label a sarcastic post that uses only positive words?';
    await page.locator('#modal-body [name="ask_q1"]').fill(question);
    // The form's preview is redrawn by the bot as you type (dispatch_action); what you typed stays.
    await eventually(async () => (await page.locator('#modal-body').innerText()).split('Preview')[1]).toContain(
      question,
    );
    expect(await page.locator('#modal-body [name="ask_q1"]').inputValue()).toBe(question);
    await page.screenshot({ path: join(shots, '4-ask.png') });

    await page.locator('#modal-submit').click();
    await eventually(() => page.locator('#modal-body').innerText()).toContain('Asked 2 finalists');
    for (const name of finalists) expect(await page.locator('#modal-body').innerText()).toContain(`${name} — sent`);
    await page.locator('#modal-close').click();

    for (const name of finalists) {
      await card(page, name).locator('[data-open-thread]').click();
      const thread = page.locator('#thread-messages');
      await eventually(() => thread.innerText()).toMatch(new RegExp(`@Ana Lima asked:[\\s\\S]*${question}`));
      // The scripted candidate answers within a second, before Slack's pacing posted every note: the answer still
      // shows below the question, never above it.
      await eventually(async () => {
        const text = await thread.innerText();
        return text.lastIndexOf(`${name} wrote:`) > text.indexOf('@Ana Lima asked:');
      }).toBe(true);
      await page.locator('#thread-close').click();
    }
  });

  it('a candidate answers (knob); /hiring shortlist shows both answers; Hire… fills the datepicker form', async () => {
    await page.locator('#knob-conversation').selectOption({ label: finalists[1]! });
    await page.locator('#knob-reply button').click();
    await page.locator('#composer-text').fill('/hiring shortlist spanish top 2');
    await page.locator('#composer-text').press('Enter');
    const shortlist = page.locator('#messages article.msg', { hasText: 'Shortlist —' }).last();
    await eventually(() => shortlist.innerText()).toMatch(
      new RegExp(`${finalists[0]}[\\s\\S]*Latest answer[\\s\\S]*${finalists[1]}[\\s\\S]*Latest answer`),
    );
    expect(await shortlist.innerText()).not.toContain('No answer yet');

    await shortlist.locator('[data-action-id="card_hire"]').first().click();
    await page.locator('#modal-body [name="hire_name"]').fill('Sample batch');
    await page.locator('#modal-body [name="hire_amount"]').fill('250');
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('#modal-body input[type="date"][name="hire_due"]').fill(due);
    await page.locator('#modal-submit').click();
    // $250 + 10 % + $9.95; the due date as the form was given it.
    await eventually(() => page.locator('#modal-body').innerText()).toMatch(/requested[\s\S]*\$284\.95 with fees/);
    await page.locator('#modal-close').click();
    await eventually(() => shortlist.innerText()).toContain('Hire requested by @Ana Lima — waiting for approval');
    await page.screenshot({ path: join(shots, '5-shortlist.png') });
  });

  it('Home lists the approval; Confirm hire (knob) empties it; Payment pending and Budget LOW reach the thread', async () => {
    await page.locator('[data-home]').click();
    const home = page.locator('#home');
    await eventually(() => home.innerText()).toMatch(
      new RegExp(`Hire approvals pending \\(1\\)[\\s\\S]*${finalists[0]}[\\s\\S]*Review approval on OpenTrain`),
    );
    await eventually(() => page.locator('#knob-approval-id option').first().textContent()).toContain(finalists[0]);
    await page.locator('#knob-approval button[value="confirmed"]').click();
    await eventually(() => home.innerText()).toContain('Hire approvals pending (0)');

    await page.locator('[data-channel="C0HIRING"]').click();
    const shortlist = page.locator('#messages article.msg', { hasText: 'Shortlist —' }).last();
    await eventually(() => shortlist.innerText()).toContain('✅ Hired');
    await eventually(() => page.locator('#knob-contract-id option').first().getAttribute('value')).toMatch(/^ctr_/);
    await page.locator('#knob-contract button[value="payment"]').click();
    await page.locator('#knob-contract button[value="LOW"]').click();

    await card(page, finalists[0]).locator('[data-open-thread]').click();
    const thread = page.locator('#thread-messages');
    await eventually(() => thread.innerText(), 15_000).toContain('Contract created');
    await eventually(() => thread.innerText(), 15_000).toContain(
      'An invoice of $250 for “Sample batch” is waiting for payment',
    );
    await eventually(() => thread.innerText(), 15_000).toContain('Budget is running low');
    await page.screenshot({ path: join(shots, '6-post-hire-notices.png') });
    await page.locator('#thread-close').click();
  });

  it('/hiring proposals <job> answers only to you', async () => {
    await page.locator('#composer-text').fill('/hiring proposals spanish');
    await page.locator('#composer-text').press('Enter');
    const answer = page.locator('#messages article.msg-only-you').last();
    await eventually(() => answer.innerText()).toMatch(/Spanish/);
    expect(await answer.innerText()).toContain('Only visible to you');
  });

  it('shows a message with HTML in it as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.__injected=1"> <script>window.__injected=2</script>';
    await page.locator('#composer-text').fill(hostile);
    await page.locator('#composer-text').press('Enter');
    const mine = page.locator('#messages article.msg-person').last();
    await eventually(() => mine.locator('.msg-body').innerText()).toBe(hostile);
    expect(await page.locator('#messages img, #messages script').count()).toBe(0);
    expect(await page.evaluate('globalThis.__injected')).toBeUndefined();
  });

  it('the Home tab shows your overview as the bot publishes it, and its button leads to the card', async () => {
    await page.locator('[data-home]').click();
    const home = page.locator('#home');
    await eventually(() => page.locator('#channel-name').textContent()).toBe('OpenTrain Hiring — Home');
    await eventually(() => home.innerText()).toContain('Your hiring overview');
    expect(await home.innerText()).toMatch(/Open jobs[\s\S]*\d+ unreviewed, \d+ you haven't voted on/);
    expect(await home.innerText()).toContain('Conversations awaiting our reply');
    expect(await page.locator('#messages').isHidden()).toBe(true);
    await page.screenshot({ path: join(shots, '4-home.png') });

    // Review next: the card opens in the page (its thread pane shows the card with its vote buttons).
    await home.locator('[data-action-id="home_open_card"]').first().click();
    await eventually(() => page.locator('#thread').isHidden()).toBe(false);
    await eventually(() => page.locator('#thread-messages [data-action-id="vote_up"]').count()).toBe(1);
    await eventually(() => page.locator('#channel-name').textContent()).toBe('# hiring');
    await page.locator('#thread-close').click();
  });

  it('the teammate who is not a reviewer is refused an invite', async () => {
    await page.locator('#user-switcher').selectOption({ label: 'Cleo Park (not a reviewer)' });
    await eventually(() => page.locator('#who-role').textContent()).toMatch(/Not a reviewer/);
    await card(page).locator('[data-action-id="card_invite"]').click();
    const refusal = page.locator('#messages article.msg-only-you', { hasText: 'Only the hiring reviewers' });
    await eventually(() => refusal.count()).toBe(1);
    expect(await refusal.innerText()).toContain('invite trainers');
    expect(await page.locator('#modal').isHidden()).toBe(true);
  });

  it('Ctrl-C (SIGINT to the process group) stops every process of the demo', async () => {
    const pgid = demo.child.pid!;
    process.kill(-pgid, 'SIGINT');
    // npm itself ends by the signal, as after Ctrl-C in a terminal; what matters is that nothing is left.
    const { code, signal } = await demo.exited;
    expect(code === 0 || signal === 'SIGINT').toBe(true);
    await eventually(() => groupAlive(pgid)).toBe(false);
    expect(demo.output()).toContain('SIGINT: stopping the playground');
    await expect(fetch(demo.url)).rejects.toThrow();
  });
});

describe('the playground stopped from outside', () => {
  it('a SIGTERM to npm alone (as `timeout` or a supervisor sends it) stops the launcher and the bot', async () => {
    const demo = await startDemo();
    const pgid = demo.child.pid!;
    try {
      process.kill(pgid, 'SIGTERM');
      await demo.exited;
      await eventually(() => groupAlive(pgid)).toBe(false);
      expect(demo.output()).toContain('SIGTERM: stopping the playground');
    } finally {
      if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
    }
  }, 60_000);
});
