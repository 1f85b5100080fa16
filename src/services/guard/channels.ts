// Off-platform channels: links and handles of messengers, social networks and booking pages, in English, Spanish,
// French, German, Portuguese and Italian, with a few native-script spellings. A channel's name alone is not enough ("the signal in the data", "line by line", "we
// label Telegram posts"): it counts with a handle, an id, a possessive ("my WhatsApp"), an invitation ("add me on",
// "join our") or a question ("are you on Signal?"). Matched on the skeleton view, so look-alike letters, accents,
// zero-width characters and "W h a t s A p p" / "Whats-App" spellings are already undone.

import type { NormalisedText } from './normalise.js';

/** A name a person would write for the channel; `weak` names are also ordinary words and need stronger context. */
interface Channel {
  label: string;
  names: string[];
  weakNames?: string[];
}

const CHANNELS: Channel[] = [
  {
    label: 'WhatsApp',
    names: ['whatsapp', 'whatsap', 'watsapp', 'watsap', 'wasap', 'wassap', 'wpp', 'zapzap', 'zap', 'whats'],
    weakNames: ['wa', 'wsp'],
  },
  { label: 'Telegram', names: ['telegram', 'telegramm', 'telega'], weakNames: ['tg'] },
  { label: 'Signal', names: [], weakNames: ['signal'] },
  { label: 'Skype', names: ['skype'] },
  { label: 'Discord', names: ['discord'], weakNames: ['dc'] },
  { label: 'WeChat', names: ['wechat', 'weixin'] },
  { label: 'LINE', names: [], weakNames: ['line'] },
  { label: 'Viber', names: ['viber'] },
  { label: 'Instagram', names: ['instagram', 'insta'], weakNames: ['ig'] },
  { label: 'Facebook', names: ['facebook', 'fb messenger'], weakNames: ['fb', 'messenger'] },
  { label: 'LinkedIn', names: ['linkedin'] },
  { label: 'X/Twitter', names: ['twitter'], weakNames: ['x'] },
  { label: 'Snapchat', names: ['snapchat'], weakNames: ['snap', 'sc'] },
  { label: 'TikTok', names: ['tiktok'] },
  { label: 'Kik', names: ['kik'] },
  { label: 'KakaoTalk', names: ['kakaotalk', 'kakao'] },
  { label: 'iMessage', names: ['imessage', 'facetime'] },
  { label: 'Calendly', names: ['calendly'] },
];

/** "w.h.a.t.s.a.p.p" is joined by normalise(); this also tolerates one separator anywhere ("whats-app", "tele gram"). */
const spelled = (name: string) => [...name.replace(/ /g, '')].join('[ ._*\\-]?');
const alternation = (names: string[]) =>
  [...names]
    .sort((a, b) => b.length - a.length)
    .map(spelled)
    .join('|');

/** Names that are never ordinary words, written with any one separator between letters. */
export const CHANNEL_NAMES = alternation(CHANNELS.flatMap((c) => c.names));
const WEAK = alternation(CHANNELS.flatMap((c) => c.weakNames ?? []));
const ANY = `${CHANNEL_NAMES}|${WEAK}`;
/** Abbreviations that are a channel next to a handle ("TG … @maria_l"), unlike "line" or "signal". */
const ABBREVIATIONS = alternation(['tg', 'ig', 'wa', 'fb', 'dc', 'sc', 'wsp']);
/** Weak names longer than a letter ("x id" is a column, "LINE id" a handle). */
const WEAK_WORDS = alternation(CHANNELS.flatMap((c) => c.weakNames ?? []).filter((name) => name.length > 1));
/** Word edges that count digits as part of a word ("tg2" is not "tg"). */
export const ALONE = '(?![a-z0-9])';
export const START = '(?<![a-z0-9])';

/** Verbs that address the reader ("add me", "escríbeme", "schreib mir", "me chama"): an object pronoun is required,
 * so "add a tag to each post on Instagram" is not an invitation. Fused forms carry their pronoun. */
const ADDRESSING_VERBS =
  'add|find|follow|contact|reach|call|ping|text|message|msg|write|dm|send|catch|hit|look|search|ecris|ecrivez|contacte|' +
  'contactez|appelle|appelez|ajoute|ajoutez|envoie|envoyez|retrouve|retrouvez|suis|suivez|schreib|schreibe|schreiben|' +
  'kontaktiere|kontaktieren|ruf|rufen|meld|melde|adde|fuge|folge|folg|schick|schicke|schicken';
const OBJECT =
  '(?:[- ](?:me|us|moi|nous|mir|uns|mich)(?: (?:up|back|directly|privately|there|instead|anytime|einfach|doch|mal|gerne|simplement))?)';
const FUSED_VERBS =
  'hmu|look me up|look us up|escribeme|escribime|contactame|llamame|agregame|anademe|sigueme|mandame|buscame|' +
  'encuentrame|scrivimi|contattami|chiamami|aggiungimi|' +
  "(?:me|te|nos|lhe|m'|m) ?(?:chama|chame|escreve|escreva|manda|mande|adiciona|adicione|segue|siga|liga|ligue|escribo|" +
  'llamo|mando|agrego|agregas|agrega|escribes|llamas|mandas|pasas|contacto|ajouter|ajoutes|ecrire|contacter|appeler|' +
  'suivre|retrouver)';
/** Verbs of conversing, with at most a short complement before the channel ("let's continue the chat on WhatsApp"). */
const CONVERSING_VERBS =
  'talk|chat|continue|speak|connect|move|switch|talking|chatting|continuing|speaking|messaging|texting|keep in touch|take this|habla|hablar|hablamos|hablemos|pasemos|seguimos|sigamos|' +
  'seguir|parlons|parler|continuons|continuer|passons|reden|sprechen|wechseln|weiter|fala|falar|falamos|conversar|' +
  'conversamos|continuar|vamos|sentiamoci|passer|basculer|aller|pasar|pasarnos|mudar|ir';
const COMPLEMENT =
  '(?: (?:with (?:me|us|you)|this|it|more|further|there|later|instead|directly|privately|the (?:conversation|chat)|' +
  'our (?:conversation|chat)|conmigo|avec moi|mit mir|comigo))?';
const CONTACT_PHRASE = `(?:(?:${ADDRESSING_VERBS})${OBJECT}|(?:${FUSED_VERBS})|(?:${CONVERSING_VERBS})${COMPLEMENT})`;
const PREPOSITIONS = 'on|via|over|through|by|por|en|sur|par|auf|uber|bei|per|no|na|pelo|pela|em|su|to|al|a|zu|para|pro';
const WEAK_PREPOSITIONS = 'on|via|over|through|to|por|en|sur|par|auf|uber|per|no|na|pelo|pela|su';
/** After a name in a question or an invitation to join: the end of the clause, not "WhatsApp experience". */
const CLAUSE_END = `(?=\\s?(?:$|[.,;:!?)]|(?:account|app|server|group|grupo|groupe|gruppe|channel|canal|kanal|community|bei)${ALONE}|(?:or|o|ou|oder) (?:${CHANNEL_NAMES})${ALONE}\\s?(?:$|[.,;:!?)])|@))`;
const ARTICLE =
  '(?:(?:the|el|la|le|der|die|das|o|a|my|mi|mon|meu|mein|meinem|our|nuestro|notre|nosso|unser|il|mio)\\s)?';
const POSSESSIVES = 'my|mi|mon|ma|meu|minha|mein|meine|meinen|meinem|mio|mia';
/** "mi número de WhatsApp", "mon compte Telegram", "my Skype name". */
const ACCOUNT_WORDS =
  '(?:numero|number|nummer|cuenta|compte|conta|konto|account|usuario|user|id|perfil|profil|profile|pseudo)(?: (?:de|do|da|on|auf|sur|bei))?';
const HANDLE = '@[a-z0-9_.]{2,30}';
/** A user name as people write one: letters with a dot, underscore or digit inside ("maria.labels", "maria_l"). */
const USER_NAME = '[a-z][a-z0-9_]{0,30}(?:[._][a-z0-9]|\\d)[a-z0-9_.]{0,30}';
/** After a weak name: the end of a clause, "app", or a handle — never "line 42", "line by line", "signal processing". */
const WEAK_END = `(?=\\s?(?:$|[.,;:!?)]|app${ALONE}|messenger${ALONE}|${HANDLE}|\\+\\d|as @?[a-z0-9_]{0,30}[._\\d]))`;

export interface ChannelFinding {
  kind: 'contact_handle' | 'off_platform_link';
  /** Words for the refusal: "a Telegram handle", "an invitation to continue off OpenTrain". */
  what: string;
}

const HANDLE_PATTERNS: RegExp[] = [
  // "tg: @handle", "IG @maria", "Telegram @mariag", "insta - @maria"
  new RegExp(`${START}(?:${ANY})\\s?(?:id|user ?name|handle|nick)?\\s?[:=\\-]?\\s?${HANDLE}`),
  // "Skype: maria.g.labels", "WhatsApp: +34…", "LINE ID: maria"
  new RegExp(
    `${START}(?:${CHANNEL_NAMES})\\s?[:=]\\s?(?:@|\\+\\s?\\d|\\d[\\d .\\-]{5,}\\d|[a-z_-][a-z0-9_-]{0,30}[._#\\d])`,
  ),
  new RegExp(`${START}(?:${CHANNEL_NAMES}|${WEAK_WORDS})\\s?(?:id|user ?name|handle|nick(?:name)?)${ALONE}`),
  // "IG maria.labels", "snap: maria_l" — an abbreviation and a user name
  new RegExp(`${START}(?:ig|tg|fb|wsp|snap)${ALONE}\\s?[:=]?\\s?@?${USER_NAME}`),
  // "WhatsApp +44 7911…", "Telegram (0)612…", "zap 0612…"
  new RegExp(`${START}(?:${CHANNEL_NAMES})\\s?[:=\\-]?\\s?(?:\\+\\s?\\d|\\(\\d|0\\d)`),
  new RegExp(`${START}(?:${CHANNEL_NAMES})\\s?(?:number|numero|nummer|nr|contact|contacto|contato|kontakt)${ALONE}`),
  // "my WhatsApp", "mi número de WhatsApp", "mon Telegram", "meu zap"
  new RegExp(`${START}(?:${POSSESSIVES})\\s(?:${ACCOUNT_WORDS}\\s)?(?:${CHANNEL_NAMES})${ALONE}`),
  new RegExp(`${START}(?:${POSSESSIVES})\\s(?:${WEAK})\\s?(?:id|handle|user ?name|:)`),
  // "WhatsApp me", "skype me"
  new RegExp(`${START}(?:${CHANNEL_NAMES})\\s(?:me|moi|mir|mich)${ALONE}`),
  // "let's continue on WhatsApp", "add me on WeChat", "escríbeme por Telegram", "schreib mir auf WhatsApp"
  new RegExp(`${START}${CONTACT_PHRASE} (?:${PREPOSITIONS})\\s${ARTICLE}(?:${CHANNEL_NAMES})${ALONE}`),
  new RegExp(`${START}${CONTACT_PHRASE} (?:${WEAK_PREPOSITIONS})\\s(?:${WEAK})${ALONE}${WEAK_END}`),
  // "lass uns auf Signal weiterreden", "on continue sur Signal", "seguimos por Telegram"
  new RegExp(
    `${START}(?:${WEAK_PREPOSITIONS})\\s(?:${ANY})\\s(?:weiter[a-z]{0,10}|schreiben|reden|sprechen|melden|continuar|hablar|hablamos|falar|falamos|conversar|parler|continuer|talk|chat|continue)${ALONE}`,
  ),
  // "send me a WhatsApp", "me manda um whats", "schick mir eine WhatsApp"
  new RegExp(
    `${START}(?:send|manda|mande|envia|mandame|envoie|envoyez|schick|schicke)(?:[- ](?:me|mir|moi))? (?:a|an|um|uma|un|una|une|eine|ein) (?:${CHANNEL_NAMES})${ALONE}`,
  ),
  // "Signal works for me", "I prefer Telegram", "prefiero WhatsApp"
  new RegExp(
    `${START}(?:${CHANNEL_NAMES}|signal|tg|ig)${ALONE} (?:works|is (?:fine|better|easier|best)|works better|funciona|marche|geht|va mejor) (?:for me|para mi|pour moi|fur mich|pra mim|mejor|besser)${ALONE}`,
  ),
  new RegExp(
    `${START}(?:i prefer|i'?d prefer|prefiero|preferiria|je prefere|je preferes|ich bevorzuge|ich nehme lieber|prefiro|preferisco) (?:${CHANNEL_NAMES})${ALONE}`,
  ),
  // "we can keep chatting on TG if you like: @maria_l" — a channel and a handle in one sentence
  new RegExp(
    `${START}(?:on|via|auf|sur|por|no|na|pelo|en) (?:${CHANNEL_NAMES}|${ABBREVIATIONS})${ALONE}[^.!?]{0,40}?@[a-z0-9_]{0,30}[._\\d][a-z0-9_.]{0,30}`,
  ),
  // "I'm on Signal as maria.42", "I'm @maria_labels on Twitter"
  new RegExp(
    `${START}(?:i'?m|i am|find me|je suis|ich bin|estoy|estou|sono) on (?:(?:${CHANNEL_NAMES})${ALONE}|(?:${WEAK})${ALONE}${WEAK_END})`,
  ),
  new RegExp(
    `(?:${HANDLE}|(?:i'?m|i am|soy|je suis|ich bin|sou) @?[a-z0-9_.]{2,30})\\s(?:on|at|in|auf|en|sur|no|na|su)\\s(?:(?:${CHANNEL_NAMES})${ALONE}|(?:${WEAK})${ALONE}${WEAK_END})`,
  ),
  // "are you on Signal?", "do you have WhatsApp?", "¿tienes Telegram?", "hast du WhatsApp?"
  new RegExp(
    `${START}(?:do you|are you|you|r u|tienes|tenes|usas|tiene|tens|voce tem|tem|as-tu|as tu|avez-vous|avez vous|` +
      `hast du|haben sie|nutzt du|hai)\\s(?:(?:have|use|got|on|using|un|una|um|uma|ein|eine)\\s)?(?:(?:${CHANNEL_NAMES})${ALONE}${CLAUSE_END}|(?:${WEAK})${ALONE}${WEAK_END})`,
  ),
  // "join our Discord", "únete a mi grupo de Telegram", "tritt unserem Discord bei"
  new RegExp(
    `${START}(?:join|unete|unase|unirte|rejoins|rejoignez|rejoindre|tritt|beitreten|entra|entre|participe)${ALONE}` +
      `(?:\\s[^\\s.!?]{1,20}){0,3}?\\s(?:${CHANNEL_NAMES})${ALONE}${CLAUSE_END}`,
  ),
  // "find me @maria_labels", "follow us at @acme"
  new RegExp(
    `${START}(?:find|follow|add|dm|ping|search|look for|contact|reach) (?:me|us)\\s(?:[a-z]{1,10}\\s){0,3}?${HANDLE}`,
  ),
  // Video calls are a normal hiring step (one-off meeting links pass); a personal meeting id or room is a handle.
  new RegExp(
    `${START}(?:${POSSESSIVES}) (?:personal )?(?:zoom|teams|skype|google meet|meet)(?: personal)? (?:id|room|link|meeting id|pmi)${ALONE}`,
  ),
  /(?<![a-z0-9])(?:handle|username|user name|usuario|pseudo|nick|benutzername|usuario)\s?(?:is|es|est|ist|e|:|=)?\s?@[a-z0-9_.]{2,30}/,
];

/** Native-script names of messengers, with a contact word of the same language near them. */
const NATIVE_SCRIPT: RegExp[] = [
  /(?:телеграм|телеграмм|ватсап|вотсап|вацап|вайбер|инстаграм|инсту|скайп)[^.!?]{0,40}(?:пиш|свяж|добав|номер|@)|(?:пиш|свяж|добав|мой|мою|мне)[^.!?]{0,40}(?:телеграм|ватсап|вотсап|вацап|вайбер|инстаграм|инсту|скайп)/,
  /(?:واتساب|واتس|تلجرام|تيليجرام|تلغرام)[^.!?]{0,40}(?:رقم|راسل|تواصل|@)|(?:راسل|تواصل|اضف|رقم)[^.!?]{0,40}(?:واتساب|واتس|تلجرام|تيليجرام|تلغرام)/,
  /加我?微信|微信号|微信[:：]|加我?(?:qq|line)|联系我/,
];

const LINK_DOT = '[.\\uE001]';
const link = (pattern: string) => new RegExp(`(?<![a-z0-9])${pattern.replace(/\\\./g, LINK_DOT)}`);
/** Links to profiles, chats, invitations and personal booking pages, each with the words that name it, written with any dot disguise ("t[.]me"). */
const LINKS: { label: string; pattern: RegExp }[] = [
  {
    label: 'a messenger (WhatsApp)',
    pattern: link('(?:wa\\.me|wa\\.link)\\s?/|(?:api|chat)\\.whatsapp\\.com|whatsapp\\.com\\s?/'),
  },
  { label: 'a messenger (Telegram)', pattern: link('(?:t|telegram)\\.(?:me|dog)\\s?/|t\\.me\\s@') },
  { label: 'a messenger (Signal)', pattern: link('signal\\.(?:me|group)') },
  { label: 'a messenger (Discord)', pattern: link('discord\\.gg\\s?/|discord(?:app)?\\.com/(?:invite|users)') },
  { label: 'a messenger (LINE)', pattern: link('line\\.me\\s?/') },
  { label: 'a messenger (Viber)', pattern: link('(?:invite\\.)?viber\\.(?:me|click)') },
  {
    label: 'a social profile (Facebook)',
    pattern: link('(?:m\\.me|fb\\.me|fb\\.com|facebook\\.com|messenger\\.com/t)\\s?/'),
  },
  { label: 'a social profile (Instagram)', pattern: link('(?:instagram\\.com|instagr\\.am|ig\\.me)\\s?/') },
  { label: 'a social profile (LinkedIn)', pattern: link('(?:linkedin\\.com/(?:in|pub)|lnkd\\.in)\\s?/') },
  { label: 'a social profile (X/Twitter)', pattern: link('(?:twitter|x)\\.com\\s?/\\s?@?[a-z0-9_]') },
  { label: 'a social profile (TikTok)', pattern: link('tiktok\\.com\\s?/\\s?@') },
  { label: 'a social profile (Snapchat)', pattern: link('snapchat\\.com/add') },
  { label: 'a messenger (Skype)', pattern: link('join\\.skype\\.com|skype:[a-z]') },
  { label: 'a messenger (WeChat)', pattern: link('u\\.wechat\\.com|weixin\\.qq\\.com') },
  { label: 'a messenger (Kik)', pattern: link('kik\\.me\\s?/') },
  { label: 'a personal page', pattern: link('(?:linktr\\.ee|about\\.me|bio\\.link|beacons\\.ai|carrd\\.co)\\s?/') },
  { label: 'a booking page', pattern: link('(?:calendly\\.com|cal\\.com|zoom\\.us/my|whereby\\.com)\\s?/\\s?[a-z]') },
  { label: 'a messenger', pattern: link('(?:whatsapp|tg|viber|weixin|sgnl|callto|facetime|skype)://') },
];

/** "I prefer Telegram, username maria_l": a user name given in a message that names a channel. */
const USER_NAME_GIVEN = new RegExp(
  `${START}(?:user ?name|usuario|nombre de usuario|pseudo|benutzername|nick(?:name)?|handle)${ALONE}\\s?(?:is|es|est|ist|e|:|=)?\\s?@?${USER_NAME}`,
);
const CHANNEL_NAMED = new RegExp(`${START}(?:${CHANNEL_NAMES})${ALONE}`);

export function findChannels(view: NormalisedText): ChannelFinding[] {
  const found: ChannelFinding[] = [];
  for (const { label, pattern } of LINKS) {
    if (pattern.test(view.joined)) found.push({ kind: 'off_platform_link', what: `a link to ${label}` });
  }
  const handle =
    HANDLE_PATTERNS.find((pattern) => pattern.test(view.skeleton)) ??
    (CHANNEL_NAMED.test(view.skeleton) && USER_NAME_GIVEN.test(view.skeleton) ? CHANNEL_NAMED : undefined);
  if (handle) found.push({ kind: 'contact_handle', what: handleWords(view.skeleton, handle) });
  else if (NATIVE_SCRIPT.some((pattern) => pattern.test(view.plain))) {
    found.push({ kind: 'contact_handle', what: 'a messenger handle' });
  }
  return found;
}

const article = (label: string) => (/^[aeiouxAEIOUX]/.test(label) ? 'an' : 'a');

/** Names the channel the matched words belong to ("a Telegram handle"), else one named anywhere in the text. */
function handleWords(skeleton: string, pattern: RegExp): string {
  const named = channelNamedIn(skeleton.match(pattern)![0], true) ?? channelNamedIn(skeleton, false);
  return named ? `${article(named.label)} ${named.label} handle` : 'a messenger or social-media handle';
}

function channelNamedIn(text: string, weakToo: boolean): Channel | undefined {
  return CHANNELS.find((channel) => {
    const names = weakToo ? [...channel.names, ...(channel.weakNames ?? [])] : channel.names;
    return names.length > 0 && new RegExp(`${START}(?:${alternation(names)})${ALONE}`).test(text);
  });
}
