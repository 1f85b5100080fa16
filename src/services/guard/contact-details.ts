// E-mail addresses and phone numbers, matched on the normalised views (see normalise.ts). Each check scans with
// bounded quantifiers only, so a 10,000-character message costs a few milliseconds whatever it holds.

import { type NormalisedText, SPELLED_AT, SPELLED_DOT } from './normalise.js';

// --- e-mail ------------------------------------------------------------------------------------------------------

/** Top-level domains an address written with a spelled-out "at" must end in. */
const MAIL_TLDS = new Set(
  (
    'com net org io ai co me info biz edu gov app dev xyz email mail online site tech pro ' +
    'uk de fr es it pt br mx ar cl pe uy ve ec bo py ru ua pl nl be ch at se no dk fi ie in cn jp kr au nz ca us za ' +
    'ng ke eg ma tn dz tr gr ro cz sk hu il ae sa pk bd ph id my sg vn th tw hk lu is ee lv lt si hr rs bg'
  ).split(' '),
);

/** With a real "@": these, any two-letter country domain, or the mail ones above — so that "a @ b.shape" in a code
 * snippet is not an address. */
const OTHER_TLDS = new Set(
  'studio agency design art blog club shop store page live cloud digital media news works solutions systems network company group team world life space website one lol ninja rocks expert academy education'.split(
    ' ',
  ),
);

/** Mail providers: "maria at gmail" is an address even without its ".com". Company names that are also ordinary
 * employers ("I worked at Yahoo") only count with a top-level domain. */
const MAIL_PROVIDERS = new Set(
  'gmail googlemail hotmail outlook yahoo ymail live msn aol icloud protonmail proton gmx web yandex zoho tutanota tuta fastmail qq 163 126 naver libero orange free laposte wanadoo sfr t-online freenet uol bol terra seznam rambler wp onet interia'.split(
    ' ',
  ),
);
const BARE_MAIL_PROVIDERS = new Set('gmail googlemail hotmail ymail icloud protonmail gmx yandex'.split(' '));

/** Something that names an address nearby, which makes "name at company.com" an address rather than a workplace. */
const MAIL_CUE = /(?<![a-z])(?:e-?mail|mail|correo|courriel|e-?mail-adresse|adresse mail)(?![a-z])/;

const ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}._%+\\-])([\\p{L}\\p{N}._%+\\-]{1,64})([@${SPELLED_AT}])([\\p{L}\\p{N}\\-]{1,63}(?:[.${SPELLED_DOT}][\\p{L}\\p{N}\\-]{1,63}){0,5})`,
  'gu',
);

/** "gmail: maria.garcia.labels" — a mail provider named with the address's local part. */
const PROVIDER_AND_NAME =
  /(?<![a-z0-9])(?:gmail|googlemail|hotmail|outlook|yahoo|protonmail|proton|icloud|gmx|yandex)\s?[:=]\s?[a-z0-9._%+-]{3,64}/;

export function hasEmail(view: NormalisedText): boolean {
  if (PROVIDER_AND_NAME.test(view.skeleton)) return true;
  if (!view.joined.includes('@') && !view.joined.includes(SPELLED_AT)) return false;
  ADDRESS.lastIndex = 0;
  for (let match = ADDRESS.exec(view.joined); match !== null; match = ADDRESS.exec(view.joined)) {
    const [, local, at, domain] = match;
    // The domain of one candidate may be the local part of the next ("line at maria.g@outlook.com").
    ADDRESS.lastIndex = match.index + local!.length + 1;
    if (!/[\p{L}\p{N}]/u.test(local!)) continue;
    const labels = domain!.split(/[.\uE001]/).filter((label) => label.length > 0);
    const tld = labels.length > 1 ? labels.at(-1)! : undefined;
    const provider = labels[0]!;
    if (at === '@') {
      if (tld !== undefined && (/^\p{L}{2}$/u.test(tld) || MAIL_TLDS.has(tld) || OTHER_TLDS.has(tld))) return true;
      if (tld === undefined && MAIL_PROVIDERS.has(provider)) return true;
      // "maria@gmaildotcom"
      if (tld === undefined && MAIL_TLDS.has(provider.match(/.dot([a-z]{2,6})$/)?.[1] ?? '')) return true;
      continue;
    }
    if (tld === undefined) {
      if (BARE_MAIL_PROVIDERS.has(provider)) return true;
      continue;
    }
    if (!MAIL_TLDS.has(tld)) continue;
    const spelledDot = domain!.includes(SPELLED_DOT);
    if (spelledDot || MAIL_PROVIDERS.has(provider) || /[._\d+]/.test(local!) || MAIL_CUE.test(view.skeleton)) {
      return true;
    }
  }
  return false;
}

// --- phone numbers -----------------------------------------------------------------------------------------------

/** Numbers of ordinary hiring talk that sit next to digit groups; replaced by a breaker before runs are read. */
const NOT_PHONE_CONTEXT: RegExp[] = [
  // Meeting ids and passcodes read out next to such a link.
  /(?:meeting id|passcode|id de reunion|code)\s?:?\s?[\d ]{1,20}/g,
  // Numbers that name an order, invoice, ticket, product or book: "order 4500123456", "SKU format is 12-3456-789"
  /(?<![a-z])(?:order|invoice|ticket|ref|reference|batch|task|job|item|sku|isbn|issn|ean|upc|asin|doi|serial|part|model|pedido|factura|commande|facture|rechnung|bestellung|auftrag|fatura|tarefa)s?(?: (?:numbers?|no\.?|nr\.?|numero|nummer|format|like|is|es|est|ist|e|e\.g\.|p\. ej\.|z\.b\.|ex\.|#)){0,3}:? ?#?\d[\d-]{0,20}/g,
  // Hyphenated ISBNs: 978-3-16-148410-0, 0-306-40615-2
  /(?<![\d-])(?:97[89]-)?\d{1,5}-\d{1,7}-\d{1,7}-[\dx](?![\d-])/g,
  // Time ranges written with dots or "h": 9.00-17.30, 9h00 - 17h30
  /(?<![\d.])\d{1,2}[.h]\d{2}\s?-\s?\d{1,2}[.h]\d{2}(?![\d.])/g,
  // Times: 09:30, 9:30:15
  /(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)/g,
  // Money with a currency sign or word before or after: $1,500.00, R$ 1.500,00, 1 500 000 €, 2.5k USD
  /(?:[$€£¥₹₽₩]|r\$|usd|eur|gbp)\s?\d[\d.,' ]{0,20}(?:\s?k\b)?/g,
  /\d[\d.,' ]{0,20}?\s?(?:[$€£¥₹₽₩]|(?:usd|eur|euros?|gbp|dollars?|dolares|reais|brl|chf|mxn|pesos|k)(?![a-z]))/g,
  // Percentages: 98%, 12.5 %
  /\d[\d.,]{0,12}\s?%/g,
  // Version numbers: v1.2.3, version 10.15.7
  /(?:\bv|version\s?|versao\s?|versión\s?)\d{1,4}(?:\.\d{1,4}){1,4}/g,
];

/** Links to OpenTrain itself and to one-off video meetings (their ids are long digit runs). */
const ALLOWED_LINK_HINT = /opentrain\.ai|zoom\.us\/j|meet\.google\.com|teams\.microsoft\.com/;
const ALLOWED_LINK = /\S{0,200}(?:opentrain\.ai|zoom\.us\/j|meet\.google\.com|teams\.microsoft\.com)\S{0,500}/g;

/** Words that say a number nearby is a phone number. */
const PHONE_CUE = new RegExp(
  '(?<![a-z])(?:(?:call|text|ring|sms|whatsapp) me|my (?:phone|mobile|cell|number|whatsapp)|' +
    'mi (?:numero|movil|celular|telefono|whatsapp|wsp)|mon (?:numero|portable|tel)|meu (?:numero|celular|telefone|zap|whats)|' +
    'meine (?:nummer|handynummer|telefonnummer)|mein handy|llamame|appelle-moi|appelez-moi|ruf mich|me liga|me ligue|' +
    'chiamami|(?:tel|phone|mobile|cell|movil|celular|telefono|telefone|portable|handy|whatsapp|zap)\\s?[:.])(?![a-z])',
);

/** Digits with phone-style separators between them (spaces, dots, dashes, slashes, parentheses, underscores). */
const DIGIT_RUN = /(?:\+ ?)?(?:\( ?)?\d(?:[ .\-/()_]{0,3}\d){0,24}/g;

export function hasPhone(view: NormalisedText): boolean {
  let text = view.skeleton;
  if (ALLOWED_LINK_HINT.test(text)) text = text.replace(ALLOWED_LINK, '#');
  text = text.replace(/(?<=\d[ .-]?)[o](?=[ .-]?\d)/g, '0');
  for (const pattern of NOT_PHONE_CONTEXT) text = text.replace(pattern, '#');
  const cued = PHONE_CUE.test(view.skeleton);
  for (const match of text.matchAll(DIGIT_RUN)) {
    if (isPhoneNumber(match[0], text.slice(Math.max(0, match.index - 2), match.index), cued)) return true;
  }
  return hasSpelledOutPhone(view.skeleton);
}

const isYear = (group: string) => /^(?:19|20)\d\d$/.test(group);
const gapKind = (gap: string) => gap.trim().charAt(0) || ' ';

function isPhoneNumber(run: string, before: string, cued: boolean): boolean {
  const groups = run.match(/\d+/g) ?? [];
  const digits = groups.join('');
  if (digits.length < 7 || digits.length > 15) return false;
  const international = run.startsWith('+') || digits.startsWith('00');
  const areaCode = run.includes('(');
  if (international || areaCode) return !isDateSequence(run, groups);
  // Part of an identifier: "OT-2026-0012345", "ABC1234567", "#1234567".
  if (/(?:[\p{L}#_]|[\p{L}\d][-_/])$/u.test(before)) return false;
  // An unseparated run is an id or a count unless it is long, or the message talks about phones ("llámame 612345678").
  if (groups.length === 1) return digits.length >= 10 || cued;
  if (isDateSequence(run, groups)) return false;
  const gaps = run.split(/\d+/).slice(1, -1);
  const kinds = new Set(gaps.map(gapKind));
  const [first, second] = groups as [string, string];
  if (groups.length === 2) {
    if (groups.every(isYear)) return false;
    if (isYear(first) && second.startsWith('0')) return false; // project and invoice codes: 2026-0045
    const kind = gapKind(gaps[0]!);
    if ((kind === '.' || kind === '/') && !first.startsWith('0')) return false; // 3.14159265, 1500/2000
    if (first.endsWith('00') && second.endsWith('00')) return false; // 1500-2000 words
    // A range of rows or items: 1200-1450 (not 3456-7890, which doubles)
    if (
      kind === '-' &&
      first.length === second.length &&
      !first.startsWith('0') &&
      +second > +first &&
      +second < 2 * +first
    ) {
      return false;
    }
    return true;
  }
  // One digit at a time ("6 1 2 3 4 5 6 7 8") — unless counting ("1 2 3 4 5 6 7").
  if (groups.every((group) => group.length === 1))
    return !groups.every((group, i) => i === 0 || +group === +groups[i - 1]! + 1);
  const rest = groups.slice(1);
  // Thousands grouped with spaces or dots: 1 500 000, 12.000.000
  if (
    kinds.size === 1 &&
    (kinds.has(' ') || kinds.has('.')) &&
    first.length <= 2 &&
    rest.every((g) => g.length === 3)
  ) {
    return first.startsWith('0');
  }
  // IPv4 addresses: 192.168.1.100
  if (groups.length === 4 && kinds.size === 1 && kinds.has('.') && groups.every((g) => g.length <= 3 && +g <= 255)) {
    return false;
  }
  // Lists of numbers: "85 90 95 88", "0.95 0.87 0.91"
  if (!first.startsWith('0') && groups.length >= 4 && groups.every((g) => g.length === 2)) return false;
  if (kinds.has(' ') && kinds.has('.') && gaps.some((gap) => gap === '.')) return false;
  return true;
}

/** Dates and ranges of dates or years written with the same separators a phone number uses. */
function isDateSequence(run: string, groups: string[]): boolean {
  if (groups.length >= 2 && groups.every(isYear)) return true;
  if (groups.length % 3 !== 0) return false;
  for (let i = 0; i < groups.length; i += 3) {
    const [a, b, c] = groups.slice(i, i + 3) as [string, string, string];
    const yearFirst = isYear(a) && b.length <= 2 && c.length <= 2;
    const yearLast = a.length <= 2 && b.length <= 2 && (isYear(c) || c.length === 2) && +a <= 31 && +b <= 31;
    if (!yearFirst && !yearLast) return false;
  }
  return !run.startsWith('+') || groups.length > 3;
}

/** Digits spelled out in English, Spanish, French, German, Portuguese and Italian. */
const DIGIT_WORDS = new Map<string, string>(
  Object.entries({
    zero: '0',
    oh: '0',
    cero: '0',
    null: '0',
    one: '1',
    uno: '1',
    un: '1',
    une: '1',
    um: '1',
    eins: '1',
    two: '2',
    dos: '2',
    deux: '2',
    zwei: '2',
    dois: '2',
    due: '2',
    three: '3',
    tres: '3',
    trois: '3',
    drei: '3',
    tre: '3',
    four: '4',
    cuatro: '4',
    quatre: '4',
    vier: '4',
    quatro: '4',
    quattro: '4',
    five: '5',
    cinco: '5',
    cinq: '5',
    funf: '5',
    cinque: '5',
    six: '6',
    seis: '6',
    sechs: '6',
    sei: '6',
    seven: '7',
    siete: '7',
    sept: '7',
    sieben: '7',
    sete: '7',
    sette: '7',
    eight: '8',
    ocho: '8',
    huit: '8',
    acht: '8',
    oito: '8',
    otto: '8',
    nine: '9',
    nueve: '9',
    neuf: '9',
    neun: '9',
    nove: '9',
  }),
);
const DIGIT_WORD = [...DIGIT_WORDS.keys()].sort((a, b) => b.length - a.length).join('|');
const SPELLED_RUN = new RegExp(
  `(?<![a-z])(?:${DIGIT_WORD}|\\d{1,4})(?![a-z])(?:[ ,.\\-]{1,3}(?:${DIGIT_WORD}|\\d{1,4})(?![a-z])){6,24}`,
  'g',
);

/** "six one two, three four five…": seven or more digits, at least three of them as words. */
function hasSpelledOutPhone(skeleton: string): boolean {
  // "six1two three4five": digits glued to number words
  const spaced = skeleton.replace(/(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/g, ' ');
  for (const [run] of spaced.matchAll(SPELLED_RUN)) {
    const tokens = run.split(/[ ,.-]+/).filter((token) => token.length > 0);
    const words = tokens.filter((token) => DIGIT_WORDS.has(token)).length;
    const digits = tokens.map((token) => DIGIT_WORDS.get(token) ?? token).join('');
    if (words >= 3 && digits.length >= 7 && digits.length <= 15) return true;
  }
  return false;
}
