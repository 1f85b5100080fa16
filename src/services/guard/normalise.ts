// Normalisation for the outbound guard: every disguise that leaves the text readable to a person is undone here, so
// the detectors match one canonical spelling. The views are only matched against, never shown or sent.
// Every step is a single left-to-right pass (bounded quantifiers, no nested repetition): linear in the text length.

/** Marks a spelled-out "at" (" at ", " arroba ", " chez "…): weaker evidence than "@", so the detectors weigh it. */
export const SPELLED_AT = '\uE000';
/** Marks a spelled-out "dot" (" dot ", " punto ", " point "…). */
export const SPELLED_DOT = '\uE001';

export interface NormalisedText {
  /** Decoded, NFKC, invisible controls removed, one space for any whitespace, one hyphen for any dash, ASCII digits,
   * lower case. Keeps other scripts as written (for native-script keywords such as "телеграм" or "微信"). */
  plain: string;
  /** `plain` without diacritics, look-alike letters folded to Latin, and letter-by-letter spellings ("w h a t s")
   * joined. */
  skeleton: string;
  /** `skeleton` with separator disguises resolved: "(at)", "[dot]", " @ ", " . " become "@" and "."; spelled-out
   * " at " / " dot " become SPELLED_AT / SPELLED_DOT. */
  joined: string;
}

export function normalise(text: string): NormalisedText {
  let plain = decodeEscapes(unwrapSlackMarkup(text)).normalize('NFKC');
  plain = plain
    .replace(INVISIBLE, '')
    .replace(DOT_LIKE, '.')
    .replace(DASH_LIKE, '-')
    .replace(/[\s\p{Z}]+/gu, ' ')
    .replace(/\p{Nd}/gu, asciiDigit)
    .toLowerCase();
  const skeleton = joinSpacedLetters(foldConfusables(plain.normalize('NFD').replace(/\p{M}/gu, '')));
  return { plain, skeleton, joined: resolveSeparators(skeleton) };
}

// --- Slack markup and escapes ------------------------------------------------------------------------------------

/** Slack's mrkdwn as a message shortcut delivers it: user/channel mentions carry no contact detail; links keep both
 * their target and their label. */
function unwrapSlackMarkup(text: string): string {
  return text.replace(/<([@#!])[^<>\s]{1,80}>/g, ' ').replace(/<([^<>|\s]{1,2000})\|([^<>]{0,2000})>/g, '$1 $2');
}

const NAMED_ENTITIES = new Map<string, string>([
  ['commat', '@'],
  ['period', '.'],
  ['dot', '.'],
  ['amp', '&'],
  ['nbsp', ' '],
  ['plus', '+'],
  ['hyphen', '-'],
  ['dash', '-'],
  ['sol', '/'],
  ['colon', ':'],
  ['lowbar', '_'],
  ['lpar', '('],
  ['rpar', ')'],
  ['lsqb', '['],
  ['rsqb', ']'],
  ['lt', '<'],
  ['gt', '>'],
]);

/** Characters an address may be percent-encoded as; other percent signs ("50%20 more") stay as written. */
const PERCENT_DECODED = new Map<string, string>([
  ['40', '@'],
  ['2e', '.'],
  ['2b', '+'],
  ['2d', '-'],
  ['5f', '_'],
  ['3a', ':'],
  ['2f', '/'],
]);

/** HTML entities ("&#64;", "&#x40;", "&commat;") and percent-encoding ("%40") of address characters. */
function decodeEscapes(text: string): string {
  return text
    .replace(/&#(x[0-9a-f]{1,6}|[0-9]{1,7});?|&([a-z]{2,8});/gi, (entity, code: string | undefined, name?: string) => {
      if (name !== undefined) return NAMED_ENTITIES.get(name.toLowerCase()) ?? entity;
      const point = code!.startsWith('x') || code!.startsWith('X') ? Number.parseInt(code!.slice(1), 16) : Number(code);
      return point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : entity;
    })
    .replace(/(?<!\d)%([0-9a-f]{2})/gi, (encoded, hex: string) => PERCENT_DECODED.get(hex.toLowerCase()) ?? encoded);
}

// --- characters --------------------------------------------------------------------------------------------------

/** Format controls (zero-width space/joiners, bidi overrides and isolates, soft hyphen, BOM, tags), variation
 * selectors and fillers. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
/** Full stops of other scripts and middle dots NFKC leaves alone. */
const DOT_LIKE = /[\u3002\uFF61\uFE12\u00B7\u2022\u2219\u22C5\u2024\u2027\u30FB\u0701\u06D4]/gu;
/** Every dash and minus sign. */
const DASH_LIKE = /[\p{Pd}\u2212\u2043\uFE63\uFF0D]/gu;

/** Any decimal digit (Arabic-Indic, Devanagari, Bengali, Thai…) as ASCII. Unicode keeps each script's digits as a
 * contiguous run of ten from zero, so the value is the distance from the start of the run, modulo ten. */
function asciiDigit(digit: string): string {
  let point = digit.codePointAt(0)!;
  if (point <= 0x39) return digit;
  let distance = 0;
  while (distance < 60 && /\p{Nd}/u.test(String.fromCodePoint(point - 1))) {
    point -= 1;
    distance += 1;
  }
  return String(distance % 10);
}

/** Lower-case Cyrillic, Greek and Latin-extension letters that look like Latin ones (after lower-casing, so "Т"
 * and "т" both arrive as "т"). */
const CONFUSABLES = new Map<string, string>(
  Object.entries({
    а: 'a',
    в: 'b',
    е: 'e',
    ё: 'e',
    і: 'i',
    ї: 'i',
    ј: 'j',
    к: 'k',
    м: 'm',
    н: 'h',
    о: 'o',
    п: 'n',
    р: 'p',
    с: 'c',
    т: 't',
    у: 'y',
    х: 'x',
    ѕ: 's',
    ԁ: 'd',
    һ: 'h',
    ӏ: 'l',
    ԛ: 'q',
    ԝ: 'w',
    ь: 'b',
    α: 'a',
    β: 'b',
    γ: 'y',
    ε: 'e',
    ζ: 'z',
    η: 'n',
    ι: 'i',
    κ: 'k',
    μ: 'm',
    ν: 'v',
    ο: 'o',
    ρ: 'p',
    σ: 'o',
    τ: 't',
    υ: 'u',
    χ: 'x',
    ω: 'w',
    ı: 'i',
    ɩ: 'i',
    ɑ: 'a',
    ɡ: 'g',
    ʏ: 'y',
    օ: 'o',
    ս: 'u',
    ᴀ: 'a',
    ᴄ: 'c',
    ᴇ: 'e',
    ᴏ: 'o',
    ᴘ: 'p',
    ᴛ: 't',
  }),
);

function foldConfusables(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (char) => CONFUSABLES.get(char) ?? char);
}

/** "w h a t s a p p", "t-e-l-e-g-r-a-m", "s.k.y.p.e": three or more single letters, one separator apart, joined. */
function joinSpacedLetters(text: string): string {
  return text.replace(/(?<![\p{L}\p{N}])(?:\p{L}[ ._*-]){2,}\p{L}(?![\p{L}\p{N}])/gu, (run) =>
    run.replace(/[ ._*-]/g, ''),
  );
}

// --- separators --------------------------------------------------------------------------------------------------

const AT_WORDS = 'at|arroba|arobase|arobas|chez|bei|chiocciola|apenstaartje';
const DOT_WORDS = 'dot|punto|point|punkt|ponto';

const BRACKETED_AT = new RegExp(
  `\\s?(?:[[({<]\\s?(?:${AT_WORDS}|a|@)\\s?[\\])}>]|["“”«»](?:${AT_WORDS}|@)["“”«»])\\s?`,
  'g',
);
const BRACKETED_DOT = new RegExp(
  `\\s?(?:[[({<]\\s?(?:${DOT_WORDS}|\\.)\\s?[\\])}>]|["“”«»](?:${DOT_WORDS}|\\.)["“”«»])\\s?`,
  'g',
);
const SPELLED_AT_WORD = new RegExp(`(?:\\s[_*-]{0,2}|[_*-]{1,2})(?:${AT_WORDS})(?:[_*-]{0,2}\\s|[_*-]{1,2})`, 'g');
const SPELLED_DOT_WORD = new RegExp(`(?:\\s[_*-]{0,2}|[_*-]{1,2})(?:${DOT_WORDS})(?:[_*-]{0,2}\\s|[_*-]{1,2})`, 'g');

const MAIL_PROVIDER_AFTER_SPACE = / @(?=(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|protonmail|gmx|yandex)[ .])/g;

function resolveSeparators(text: string): string {
  return (
    text
      .replace(BRACKETED_AT, '@')
      .replace(BRACKETED_DOT, '.')
      // "maria @ gmail", "maria@ gmail", "maria @gmail.com" — but not "use @dataclass", where "@" starts a word.
      .replace(/ @ |@ /g, '@')
      .replace(MAIL_PROVIDER_AFTER_SPACE, '@')
      .replace(/ \. /g, '.')
      .replace(/ (?:slash|barra) /g, '/')
      .replace(SPELLED_AT_WORD, SPELLED_AT)
      .replace(SPELLED_DOT_WORD, SPELLED_DOT)
  );
}
