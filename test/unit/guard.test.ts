import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/services/guard/normalise.js';
import { checkOutboundMessage, findContactDetails, MAX_MESSAGE_LENGTH } from '../../src/services/guard.js';

type Kind = 'email' | 'phone' | 'contact_handle' | 'off_platform_link';

function expectRefused(text: string, finding: Kind, words?: string): void {
  const result = checkOutboundMessage(text);
  expect(result, text).toMatchObject({ ok: false });
  if (result.ok) return;
  expect(result.findings).toContain(finding);
  if (words !== undefined) expect(result.message).toContain(words);
  expect(result.message).toContain('Your text was kept');
}

describe('checkOutboundMessage — refuses contact details', () => {
  it.each([
    ['email address', 'Write to me at maria.garcia+jobs@gmail.com please', 'email'],
    ['obfuscated email', 'my address is maria at gmail dot com', 'email'],
    ['bracketed email', 'maria[at]example[dot]org', 'email'],
    ['spaced email', 'maria @ gmail . com', 'email'],
    ['UK phone with +44', 'Ring +44 20 7946 0958 after lunch', 'phone'],
    ['US phone with dashes', 'Call 555-123-4567', 'phone'],
    ['phone with parentheses', 'number (415) 555 0132', 'phone'],
    ['French phone with dots', 'Mon numéro: 06.12.34.56.78', 'phone'],
    ['phone without separators', 'text 07911123456', 'phone'],
    ['short +country phone', 'WA +34 612345', 'phone'],
  ])('%s', (_label, text, finding) => {
    const result = checkOutboundMessage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.findings).toContain(finding);
  });

  it.each([
    ['WhatsApp link', 'Message me: https://wa.me/447911123456', 'off_platform_link'],
    ['Telegram link', 'join t.me/mariag_labels', 'off_platform_link'],
    ['Discord invite', 'come to discord.gg/abc123', 'off_platform_link'],
    ['Signal link', 'signal.me/#p/+34612345678', 'off_platform_link'],
    ['LinkedIn profile', 'see linkedin.com/in/maria-g', 'off_platform_link'],
    ['WhatsApp by name', "Let's continue on WhatsApp", 'contact_handle'],
    ['Skype handle', 'my skype is maria.g.labels', 'contact_handle'],
    ['Telegram handle', 'Telegram: @mariag', 'contact_handle'],
    ['Signal the app', 'Can we talk on Signal?', 'contact_handle'],
    ['WeChat', 'add me on WeChat', 'contact_handle'],
    ['asking for the email', 'Could you send me your email?', 'contact_handle'],
    ['asking for the number', "What's your phone number?", 'contact_handle'],
    ['email me', 'Just email me the sample', 'contact_handle'],
    ['off platform', "Let's take this off-platform", 'contact_handle'],
  ])('%s', (_label, text, finding) => {
    const result = checkOutboundMessage(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.findings).toContain(finding);
  });

  it('explains why, names what was found, and says the text was kept', () => {
    const result = checkOutboundMessage('Email maria@example.com or call +44 20 7946 0958');
    expect(result).toEqual({
      ok: false,
      findings: ['email', 'phone'],
      message: expect.stringMatching(/^Not sent: the message contains an email address and a phone number\./),
    });
    if (!result.ok) {
      expect(result.message).toContain('OpenTrain keeps hiring conversations on the platform');
      expect(result.message).toContain('Your text was kept');
    }
  });
});

describe('checkOutboundMessage — normal hiring talk passes', () => {
  it.each([
    'We pay $42/hour for this batch.',
    'The job has 5,000 posts to label, about 1,000,000 tokens.',
    'Can you start on 2026-07-01?',
    'Your interview scored 86/100 — great work.',
    'Please take batch 12345 first.',
    'Daily sync at 09:30, ends 17:30-18:00.',
    'We plan the next phase for Q3 2026.',
    'You worked on this 2023-2025, right?',
    'Deadline 01.07.2026, budget $1,500.00 or €12 000.',
    'Accuracy must stay above 98.5% across 3.5 hours.',
    'Timestamps look like 2026-07-01T09:30:00Z in the export.',
    'Hi Maria! Thanks for applying. Could you label 200 more items at $0.06 per label by Friday?',
    "Let's do a quick video call: https://zoom.us/j/123456789 or https://meet.google.com/abc-defg-hij",
    'The signal-to-noise ratio in this dataset is low; strong signal on negation though.',
    'We use Label Studio and check your email notifications from OpenTrain.',
    'Tell us your number of available hours per week.',
    'Reach us on OpenTrain anytime.',
    'I looked at the data and it is clean.',
  ])('%s', (text) => {
    expect(checkOutboundMessage(text)).toEqual({ ok: true });
  });
});

describe('checkOutboundMessage — OpenTrain limits', () => {
  it('refuses an empty message', () => {
    expect(checkOutboundMessage('   \n ')).toEqual({
      ok: false,
      findings: ['empty'],
      message: 'The message is empty — write something to send.',
    });
  });

  it('refuses more than 10,000 characters and keeps the text', () => {
    const result = checkOutboundMessage('a'.repeat(MAX_MESSAGE_LENGTH + 1));
    expect(result).toMatchObject({ ok: false, findings: ['too_long'] });
    if (!result.ok) {
      expect(result.message).toContain('10,001 characters');
      expect(result.message).toContain('up to 10,000');
      expect(result.message).toContain('Your text was kept');
    }
    expect(checkOutboundMessage('a'.repeat(MAX_MESSAGE_LENGTH))).toEqual({ ok: true });
  });

  it('lists each kind once in a stable order', () => {
    expect(findContactDetails('wa.me/447911123456 and whatsapp +44 7911 123456, a@b.co')).toEqual([
      'email',
      'phone',
      'contact_handle',
      'off_platform_link',
    ]);
  });
});

describe('normalise — undoes what a person would not notice', () => {
  it.each([
    ['zero-width space, joiner, word joiner, BOM', 'wh\u200bat\u200ds\u2060ap\ufeffp', 'whatsapp'],
    ['bidi override and isolate', '\u202emaria\u202c \u2066gmail\u2069', 'maria gmail'],
    ['soft hyphen', 'tele\u00adgram', 'telegram'],
    ['full-width letters and signs', 'ＭＡＲＩＡ＠ＧＭＡＩＬ．ＣＯＭ', 'maria@gmail.com'],
    ['Cyrillic look-alikes', 'Теlеgrаm', 'telegram'],
    ['Greek look-alikes', 'Τelegrαm', 'telegram'],
    ['mathematical bold', '𝐖𝐡𝐚𝐭𝐬𝐀𝐩𝐩', 'whatsapp'],
    ['accents', 'Télégram', 'telegram'],
    ['letter by letter', 'W h a t s A p p', 'whatsapp'],
    ['HTML entities', 'maria&#64;gmail&#x2e;com &commat;', 'maria@gmail.com @'],
    ['percent-encoding', 'maria%40gmail%2Ecom', 'maria@gmail.com'],
    ['Arabic-Indic digits', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['Extended Arabic-Indic (Persian) digits', '۰۹۱۲', '0912'],
    ['Devanagari digits', '९८७६५', '98765'],
    ['Thai digits', '๐๘๑', '081'],
    ['Bengali digits', '০১২৩', '0123'],
    ['full-width digits', '０６１２', '0612'],
    ['en and em dashes, minus', '555–123—4567−8', '555-123-4567-8'],
    ['no-break and thin spaces', '06\u00a012\u200934\u202f56', '06 12 34 56'],
    ['Slack user mention', 'ask <@U0123ABC> today', 'ask today'],
  ])('%s', (_label, text, skeleton) => {
    expect(normalise(text).skeleton).toBe(skeleton);
  });

  it.each([
    ['spelled-out at and dot', 'maria at gmail dot com', 'maria\uE000gmail\uE001com'],
    ['bracketed at and dot', 'maria [at] gmail (dot) com', 'maria@gmail.com'],
    ['bracketed symbols', 'maria (@) gmail [.] com', 'maria@gmail.com'],
    ['Spanish', 'maria arroba gmail punto com', 'maria\uE000gmail\uE001com'],
    ['French', 'marie chez orange point fr', 'marie\uE000orange\uE001fr'],
    ['German', 'max bei gmx punkt de', 'max\uE000gmx\uE001de'],
    ['spaces around symbols', 'maria @ gmail . com', 'maria@gmail.com'],
    ['a decorator keeps its space', 'use @dataclass', 'use @dataclass'],
  ])('%s', (_label, text, joined) => {
    expect(normalise(text).joined).toBe(joined);
  });
});

describe('checkOutboundMessage — refuses disguised e-mail addresses', () => {
  it.each([
    ['spelled-out at, real dot', 'maria at gmail.com'],
    ['spelled-out at and dot', 'maria dot garcia at gmail dot com'],
    ['bracketed', 'maria[at]protonmail[dot]com'],
    ['parenthesised', 'max.mueller(at)web(punkt)de'],
    ['full-width @ and .', 'maria＠gmail．com'],
    ['zero-width space inside', 'ma\u200bria@gm\u200bail.com'],
    ['%40', 'maria%40gmail.com'],
    ['&#64;', 'maria&#64;gmail.com'],
    ['&commat; and &period;', 'maria&commat;yahoo&period;com'],
    ['ideographic full stop', 'maria@gmail\u3002com'],
    ['middle dot', 'maria @ gmail · com'],
    ['provider without its domain', 'it is maria_g at hotmail'],
    ['Spanish arroba/punto', 'Mi correo es maria arroba gmail punto com'],
    ['French arobase', 'Écrivez-moi à marie.dupont arobase gmail.com'],
    ['German bei/punkt', 'Meine E-Mail: max punkt mueller bei gmx punkt de'],
    ['Portuguese arroba/ponto', 'Meu email é joao arroba gmail ponto com'],
    ['Italian chiocciola', 'giulia chiocciola libero punto it'],
    ['Cyrillic letters inside', 'mаria@gmаil.com'],
    ['quoted at and dot', 'maria "at" gmail "dot" com'],
    ['dot glued into the domain', 'maria@gmaildotcom'],
    ['provider and user name', 'gmail: maria.garcia.labels'],
  ])('%s', (_label, text) => expectRefused(text, 'email', 'an email address'));
});

describe('checkOutboundMessage — refuses phone numbers with any separators and digits', () => {
  it.each([
    ['en dashes', 'Call me on 555–123–4567'],
    ['em dashes', '07911—123—456'],
    ['slashes', 'my cell 555/123/4567'],
    ['spaced slashes', '415 / 555 / 0132'],
    ['dots', 'text me: 555.123.4567'],
    ['underscores', '415_555_0132'],
    ['area code in parentheses', '(415)5550132'],
    ['+country and trunk zero', 'Ruf mich an: +49 (0)171 123 45 67'],
    ['00 country prefix', '0044 7911 123 456'],
    ['French pairs', 'Mon numéro : 06 12 34 56 78'],
    ['Spanish triples', 'Llámame al 612 345 678'],
    ['Brazilian mobile', 'Meu celular é (11) 98765-4321'],
    ['German with slash', '030/12345678'],
    ['one digit at a time', '5 5 5 1 2 3 4 5 6 7'],
    ['zero-width spaces inside', '+1 415 5\u200b55 01\u200b32'],
    ['letter O for zero', '+1 415 555 O132'],
    ['Arabic-Indic digits', 'My number is ٠٥٥٥ ١٢٣ ٤٥٦٧'],
    ['Devanagari digits', 'फ़ोन: ९८७६५ ४३२१०'],
    ['full-width digits', '電話 ０９０－１２３４－５６７８'],
    ['spelled out in English', 'five five five, one two three, four five six seven'],
    ['spelled out in Spanish', 'seis uno dos, tres cuatro cinco, seis siete ocho'],
    ['spelled out in German', 'null eins sieben eins, eins zwei drei, vier fünf sechs sieben'],
    ['digits glued to number words', 'six1two three4five six7eight'],
    ['one digit per line', '+34\n612\n345\n678'],
    ['unseparated, with words that call it a phone', 'mi número es 612345678'],
  ])('%s', (_label, text) => expectRefused(text, 'phone', 'a phone number'));
});

describe('checkOutboundMessage — refuses messenger and social handles', () => {
  it.each([
    ['hyphenated name', "Let's continue on Whats-App, it's easier", 'a WhatsApp handle'],
    ['letter by letter', 'Add me on W h a t s A p p', 'a WhatsApp handle'],
    ['Cyrillic letters in the name', 'Теlеgram: @maria_labels', 'a Telegram handle'],
    ['tg: @handle', 'tg: @maria_labels', 'a Telegram handle'],
    ['Signal as the app', 'Are you on Signal? Easier to talk there', 'a Signal handle'],
    ['Skype id', 'Skype: maria.g.labels', 'a Skype handle'],
    ['Discord tag', 'Discord: maria#1234', 'a Discord handle'],
    ['WeChat id', 'WeChat ID: mariag88', 'a WeChat handle'],
    ['LINE', 'add me on LINE', 'a LINE handle'],
    ['Viber number', 'Viber +34612345678', 'a Viber handle'],
    ['IG: @handle', 'IG: @maria.labels', 'an Instagram handle'],
    ['insta possessive', 'my insta is maria.labels', 'an Instagram handle'],
    ['LinkedIn invitation', 'connect with me on LinkedIn', 'a LinkedIn handle'],
    ['X handle', 'X: @maria_labels', 'an X/Twitter handle'],
    ['Snapchat', 'my snapchat is maria_lbl', 'a Snapchat handle'],
    ['abbreviation and user name', 'IG maria.labels', 'an Instagram handle'],
    ['Spanish', 'Escríbeme por WhatsApp y lo hablamos', 'a WhatsApp handle'],
    ['French', 'Tu as Telegram ? Mon pseudo : @marie_d', 'a Telegram handle'],
    ['German', 'Lass uns auf Signal weiterreden', 'a Signal handle'],
    ['Portuguese slang', 'Me chama no zap que é mais fácil', 'a WhatsApp handle'],
    ['Russian', 'Напишите мне в телеграм: @maria_l', 'handle'],
    ['Chinese', '加我微信: maria88', 'a messenger handle'],
    ['personal meeting room id', 'my personal zoom id is on request', 'handle'],
  ])('%s', (_label, text, words) => expectRefused(text, 'contact_handle', words));
});

describe('checkOutboundMessage — refuses off-platform links', () => {
  it.each([
    ['t[.]me', 'find me on t[.]me/maria_labels', 'a link to a messenger (Telegram)'],
    ['t . me', 'https://t . me/maria_labels', 'a link to a messenger (Telegram)'],
    ['t dot me slash', 't dot me slash maria_labels', 'a link to a messenger (Telegram)'],
    ['wa[.]me', 'wa[.]me/34612345678', 'a link to a messenger (WhatsApp)'],
    ['percent-encoded wa.me', 'https://wa.me/%2B34612345678', 'a link to a messenger (WhatsApp)'],
    ['Instagram profile', 'instagram.com/maria.labels', 'a link to a social profile (Instagram)'],
    ['Facebook Messenger', 'm.me/maria.garcia', 'a link to a social profile (Facebook)'],
    ['X profile', 'x.com/maria_labels', 'a link to a social profile (X/Twitter)'],
    ['TikTok profile', 'tiktok.com/@maria.labels', 'a link to a social profile (TikTok)'],
    ['link in bio', 'all my links: linktr.ee/marialabels', 'a link to a personal page'],
    ['Calendly', 'Book a slot on calendly.com/maria-g', 'a link to a booking page'],
    ['Zoom personal room', 'zoom.us/my/maria.garcia', 'a link to a booking page'],
    ['Discord invite', 'discord.gg/abc123', 'a link to a messenger (Discord)'],
  ])('%s', (_label, text, words) => expectRefused(text, 'off_platform_link', words));
});

describe('checkOutboundMessage — refuses invitations to leave OpenTrain and requests for contact details', () => {
  it.each([
    ['English', "let's move this off OpenTrain, I'll send you details", 'an invitation to continue off OpenTrain'],
    ['outside the platform', 'Contact me outside the platform and I can do it cheaper', 'off OpenTrain'],
    ['fees', 'We could skip the platform fees if you pay me directly', 'off OpenTrain'],
    ['letter by letter', "let's move this off O p e n T r a i n", 'off OpenTrain'],
    ['without OpenTrain taking a cut', 'maybe we could work directly without OpenTrain taking a cut?', 'off OpenTrain'],
    ['Spanish', 'Mejor hablemos fuera de la plataforma', 'off OpenTrain'],
    ['French', 'On peut continuer en dehors de la plateforme ?', 'off OpenTrain'],
    ['German', 'Wir können außerhalb der Plattform weitermachen', 'off OpenTrain'],
    ['Portuguese', 'Podemos conversar fora da plataforma?', 'off OpenTrain'],
    ['Italian', 'Possiamo continuare fuori dalla piattaforma?', 'off OpenTrain'],
    ['asking for the number (es)', 'Pásame tu número y te llamo', 'a request for contact details'],
    ['asking for the number (fr)', 'Envoie-moi ton numéro stp', 'a request for contact details'],
    ['asking for the number (de)', 'Schick mir deine Handynummer', 'a request for contact details'],
    ['asking for the WhatsApp (pt)', 'Me passa seu zap?', 'a request for contact details'],
    ['asking for the e-mail (de)', 'Wie lautet deine E-Mail-Adresse?', 'a request for contact details'],
  ])('%s', (_label, text, words) => expectRefused(text, 'contact_handle', words));

  it('names every kind found once and never repeats the contact detail itself', () => {
    const result = checkOutboundMessage('tg: @maria_labels or maria at gmail dot com, +34 612 345 678');
    expect(result).toMatchObject({ ok: false, findings: ['email', 'phone', 'contact_handle'] });
    if (result.ok) return;
    expect(result.message).toMatch(
      /^Not sent: the message contains an email address, a phone number and a Telegram handle\. /,
    );
    for (const detail of ['maria', 'gmail', '612', '@']) expect(result.message).not.toContain(detail);
  });
});

describe('checkOutboundMessage — ordinary hiring talk passes untouched', () => {
  it.each([
    ['time with "at"', 'Are you free at 3pm tomorrow?'],
    ['time ranges', 'We could do 9.00-17.30 on Mondays, or 14:00-18:00 UTC.'],
    ['dates', 'Contract period: 01.08.2026 - 31.10.2026, kick-off 2026-07-01.'],
    ['money', 'Budget range is $1,200 - $1,800; the rate is 1,500.00 USD.'],
    ['money in European format', 'Pagamos R$ 3.000,00 por mês; le budget est de 12 000 € HT.'],
    ['thousands with spaces and dots', 'Environ 1 500 000 mots, etwa 1.500.000 Tokens.'],
    ['percentages', 'Accuracy was 97.5% on the gold set, above our 95% bar.'],
    ['versions', 'Use Python 3.11, pandas 2.2.0 and version 10.15.7 of the tool.'],
    ['scores', 'Your sample scored 8.5/10, last time 92/100.'],
    ['years and year ranges', 'Between 2019-2023 you worked in medical NLP.'],
    ['ranges of counts', 'We need 2-3 weeks, 10-15 hours a week, rows 1200-1450.'],
    ['lists of scores', 'Scores per batch: 85 90 95 88 91; averages 0.95 0.87 0.91 0.89.'],
    ['ids', 'IDs look like OT-2026-0012345; task 100200 comes first.'],
    ['product numbers and ISBNs', 'SKU format is 12-3456-789; tag books by ISBN, e.g. 978-3-16-148410-0.'],
    ['long counts next to channel names', 'The WhatsApp corpus has 3456789 messages; the phone dataset 1234567 rows.'],
    ['an IP address in an exercise', 'The server IP in the exercise is 192.168.1.100.'],
    ['OpenTrain job link', 'Here is the job: https://app.opentrain.ai/jobs/48213/guidelines#section-2'],
    ['one-off meeting links', 'Call: https://zoom.us/j/98765432101 or https://meet.google.com/abc-defg-hij'],
    ['Slack mentions', "I'll loop in <@U0123ABC> and <@U0456DEF|dana>."],
    ['code with decorators', 'We use @dataclass and @pytest.fixture, and `@app.route("/labels")`.'],
    ['matrix products in code', 'In numpy, C = A @ B.transpose() and y = x @ w.shape[0].'],
    ['"at" and "dot"', 'Look at the dot product at this point.'],
    ['"signal"', 'The signal in the data is weak; signal me when batch 3 is done.'],
    ['"line"', 'Go line by line, in line with the guide; the bottom line is quality.'],
    ['"telegram"', 'You will annotate Telegram channel posts; keep a telegram-style brevity.'],
    ['messengers as data', 'The dataset is WhatsApp chat exports plus public Instagram captions.'],
    ['e-mail mentioned abstractly', "We'll e-mail the contract through OpenTrain once you accept."],
    ['a workplace with "at"', 'The team at Acme.io liked your work; I work at Siemens, ich arbeite bei Bosch.'],
    ['paid through OpenTrain', "We'll pay you directly via OpenTrain's milestone system."],
    ['talking on OpenTrain', 'Please message me here on OpenTrain; our QA lead will message you on OpenTrain too.'],
    ['a name, not a request', 'You can call me Dana.'],
    ['directly, but here', "Contact me directly here; you'll talk directly with our lead on OpenTrain."],
    ['no fees', "There are no fees for candidates; l'inscription est sans frais; ohne Gebühren für dich."],
    ['"em particular"', 'Em particular, gostamos do seu trabalho.'],
  ])('%s', (_label, text) => {
    expect(checkOutboundMessage(text)).toEqual({ ok: true });
  });
});

interface DisguisedEntry {
  class: string;
  lang: string;
  text: string;
}
interface OrdinaryEntry {
  lang: string;
  text: string;
}

function fixture<T>(name: string): T[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/guard/${name}`, import.meta.url), 'utf8')) as T[];
}

describe('checkOutboundMessage — corpus', () => {
  const disguised = fixture<DisguisedEntry>('disguised.json');
  const ordinary = fixture<OrdinaryEntry>('ordinary.json');

  it('holds at least 150 of each, in at least five languages', () => {
    expect(disguised.length).toBeGreaterThanOrEqual(150);
    expect(ordinary.length).toBeGreaterThanOrEqual(150);
    for (const corpus of [disguised, ordinary]) {
      const languages = new Set(corpus.map((entry) => entry.lang));
      for (const lang of ['en', 'es', 'fr', 'de', 'pt']) expect(languages).toContain(lang);
    }
  });

  it('refuses at least 95% of disguised contact details and no ordinary message', () => {
    const missed = disguised.filter((entry) => checkOutboundMessage(entry.text).ok);
    const refused = ordinary.filter((entry) => !checkOutboundMessage(entry.text).ok);
    const disguisedRefused = disguised.length - missed.length;
    console.info(
      `guard corpus: disguised refused ${disguisedRefused}/${disguised.length} ` +
        `(${((100 * disguisedRefused) / disguised.length).toFixed(1)}%), ` +
        `ordinary refused ${refused.length}/${ordinary.length}`,
    );
    expect(
      disguisedRefused / disguised.length,
      JSON.stringify(missed.map((entry) => entry.text)),
    ).toBeGreaterThanOrEqual(0.95);
    expect(refused.map((entry) => entry.text)).toEqual([]);
  });

  it.each(['email', 'phone', 'messenger', 'social', 'link', 'invitation', 'request'])(
    'refuses at least 95%% of the %s disguises of the corpus',
    (disguise) => {
      const entries = disguised.filter((entry) => entry.class === disguise);
      expect(entries.length).toBeGreaterThanOrEqual(10);
      const missed = entries.filter((entry) => checkOutboundMessage(entry.text).ok).map((entry) => entry.text);
      console.info(`guard corpus, ${disguise}: refused ${entries.length - missed.length}/${entries.length}`);
      expect(1 - missed.length / entries.length, JSON.stringify(missed)).toBeGreaterThanOrEqual(0.95);
    },
  );
});

describe('checkOutboundMessage — linear time', () => {
  const fill = (unit: string) => unit.repeat(Math.floor(MAX_MESSAGE_LENGTH / unit.length));
  it.each([
    ['one long word', fill('a')],
    ['one long accented word', fill('aé')],
    ['a long Cyrillic word', fill('а')],
    ['at signs', fill('a@')],
    ['spelled-out at', fill('at ')],
    ['spelled-out addresses', fill('maria at gmail dot ')],
    ['digits and separators', fill('1-')],
    ['digits and spaces', fill('1 2 ')],
    ['Arabic-Indic digits', fill('١ ')],
    ['letters one at a time', fill('w h a t s ')],
    ['contact verbs', fill('talk ')],
    ['possessives', fill('my ')],
    ['entities', fill('&#64;')],
    ['percent-encoding', fill('%40')],
    ['spelled-out digits', fill('six ')],
    ['zero-width spaces', `${fill('\u200b').slice(1)}a`],
    ['Slack markup openers', fill('<a|')],
    ['entities, invitations and pipes', fill('&#64;join |')],
    ['possessives, invisible characters and verbs', fill('my \u200b>talk ')],
    ['mixed digit systems and dashes', fill('١-\u200b%40')],
  ])('%s: 10,000 characters are checked in milliseconds, not seconds', (_label, text) => {
    expect(text.length).toBeGreaterThan(MAX_MESSAGE_LENGTH - 20);
    // The first run also compiles V8's native code for each pattern on this kind of string; time the second, which
    // is what backtracking would make slow (a catastrophic pattern takes seconds or more on either).
    const first = checkOutboundMessage(text);
    const started = performance.now();
    expect(checkOutboundMessage(text)).toEqual(first);
    expect(performance.now() - started).toBeLessThan(150);
  });
});
