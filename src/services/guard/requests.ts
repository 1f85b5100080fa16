// Requests for contact details ("send me your number", "pásame tu WhatsApp", "schick mir deine Nummer") and
// invitations to take the conversation or the payment off OpenTrain, in English, Spanish, French, German,
// Portuguese and Italian. Matched on the skeleton view (see normalise.ts). A phrase that keeps things on OpenTrain
// ("contact me directly here", "pay you directly via OpenTrain") passes.

import { ALONE, CHANNEL_NAMES, type ChannelFinding, START } from './channels.js';
import type { NormalisedText } from './normalise.js';

/** "…directly, here on OpenTrain": what follows keeps the conversation where it is. */
const STAYS_HERE = '(?![^.!?]{0,30}(?:here|opentrain|aqui|ici|hier|qui))';

/** Asking for, or announcing, a contact detail. */
const CONTACT_NOUN =
  '(?:(?:personal|private|direct|cell|mobile|phone|telephone) )?' +
  '(?:e-?mail(?: address)?|phone(?: number)?|mobile(?: number)?|cell(?: number)?|number|digits|contact(?:s| details| info)?|' +
  'handle|socials?|numero de (?:telefono|telephone|telefone|celular|movil|portable|whatsapp|contacto|contato)|' +
  'numero|telefono|telephone|telefone|tel|movil|celular|correo(?: electronico)?|mail|courriel|portable|' +
  'adresse(?: mail| e-?mail)?|nummer|handynummer|telefonnummer|handy|e-?mail-adresse|contato|contacto|zap|whats|' +
  `${CHANNEL_NAMES})`;
/** What may follow the noun in a request: the end of the clause or a linking word — not "email preference". */
const REQUEST_END =
  '(?=\\s?(?:$|[.,;:!?)]|(?:so|and|y|e|et|und|or|please|pls|por favor|stp|svp|bitte|to|for|here|aqui|ici|hier|' +
  'personal|perso|personnel|pessoal|privado|privat|that|que|asap|now|when|if)(?![a-z])))';
const REQUESTS: RegExp[] = [
  new RegExp(
    `${START}(?:send|share|give|drop|leave|provide|text|dm|tell|pass|shoot|pasame|pasa|dame|mandame|enviame|comparteme|compartime|` +
      `manda|envia|deja|dejame|envoie|envoyez|donne|donnez|passe|laisse|file|communique|partage|schick|schicke|gib|sende|` +
      `geben sie|senden sie|passa|da|compartilha|deixa|me passa|me manda|mandami|dammi|pasas|mandas|das|envias|compartes|dejas|passes|donnes|envoies|gibst|schickst|pasar|dar|enviar|mandar|compartir|` +
      `dejar|passar|donner|envoyer|filer|laisser|geben|schicken|senden)(?:[- ](?:me|us|moi|nous|mir|uns))?\\s` +
      `(?:(?:bitte|please|pls|stp|por favor|porfa|mal)\\s)?` +
      `(?:your|ur|tu|su|ton|ta|votre|vos|deine|deinen|ihre|ihren|dein|seu|sua|teu|tua|o seu|o teu|il tuo|la tua)\\s${CONTACT_NOUN}${REQUEST_END}`,
  ),
  new RegExp(
    `${START}(?:what'?s|what is|can i (?:get|have)|could i (?:get|have)|cual es|quel est|quelle est|wie (?:ist|lautet)|qual e|qual eh|qual o|qual) ` +
      `(?:your|ur|tu|su|ton|ta|votre|deine|ihre|dein|o seu|o teu|seu|sua|teu|il tuo) ${CONTACT_NOUN}${REQUEST_END}`,
  ),
  new RegExp(
    `${START}(?:your|ur|tu|su|ton|votre|deine|ihre|seu|teu) (?:personal|private|personnel|perso|privat|privada|privado|pessoal)(?:e|en)? (?:e-?mail|phone|number|contact|numero|correo|mail|nummer|telefon|contato|contacto)`,
  ),
  // German word order: "kannst du mir deine Nummer geben?"
  new RegExp(
    `${START}(?:mir|uns) (?:(?:bitte|mal|doch) )?(?:deine|ihre|dein|ihr|deinen|ihren) ${CONTACT_NOUN}${REQUEST_END}`,
  ),
  // "call me tomorrow", "email me the sample" — not "call me Dana"
  new RegExp(
    `${START}(?:e-?mail|call|phone|ring|text|sms|whatsapp|telegram|skype) me(?=\\s?(?:$|[.,;:!?)]|(?:on|at|via|when|any|anytime|` +
      `tomorrow|tonight|later|back|please|asap|now|today|after|before|if|and|so|the|a|an|your|it|instead|directly)${ALONE}))${STAYS_HERE}`,
  ),
  /(?<![a-z])(?:llamame|llamenme|appelle-moi|appelez-moi|ruf mich an|rufen sie mich an|me liga|me ligue|chiamami)(?![a-z])/,
  new RegExp(
    `${START}(?:my|mi|mon|ma|meu|minha|mein|meine|il mio) (?:personal |private |perso |personal |privat )?(?:e-?mail(?: address)?|email address|phone(?: number)?|mobile|cell|number|numero|telefono|movil|celular|correo|mail|adresse mail|nummer|handynummer|telefonnummer|e-?mail-adresse|contato|zap|whats|gmail|hotmail) (?:personal |perso |pessoal )?(?:is|es|est|c'est|ist|lautet|e|eh|:)${ALONE}`,
  ),
  new RegExp(`${START}(?:reach|contact) (?:me|us) (?:directly|privately|personally|outside)${ALONE}${STAYS_HERE}`),
];

/** Taking the conversation, or the payment, off OpenTrain. */
const INVITATIONS: RegExp[] = [
  /(?<![a-z])off[- ]?(?:the )?(?:platform|opentrain|ot|site)(?![a-z])|outside (?:of )?(?:the platform|opentrain|this (?:platform|site|app)|here)(?![a-z])/,
  new RegExp(
    `${START}(?:move|take|continue|talk|chat|speak|communicate)(?: this| it| our (?:chat|conversation|talk)| the (?:chat|conversation))? ` +
      `(?:elsewhere|somewhere else|privately|in private|directly)${ALONE}${STAYS_HERE}`,
  ),
  /(?<![a-z])(?:avoid|skip|bypass|save on|without|dodge) (?:the )?(?:opentrain|platform|site)(?:'?s)? (?:fees?|commission|cut)(?![a-z])|cut out the middleman|pay (?:you|me) (?:directly|outside|privately)(?! (?:via|through|on|in|with) opentrain)/,
  /(?<![a-z])(?:por )?fuera de (?:la plataforma|opentrain|aqui)|por (?:privado|interno|otro (?:lado|medio))|en privado|sin (?:la )?comision de (?:la plataforma|opentrain)|(?:pagarte|pagarle|te pago) (?:directo|directamente|por fuera)/,
  /(?<![a-z])(?:en dehors|hors)(?: de| d')? ?(?:la plateforme|plateforme|opentrain|ce site|ici)|en prive(?![a-z])|sans (?:les )?(?:frais|commissions?) (?:d'opentrain|de (?:la )?plateforme)|(?:continuons|passons|parlons) ailleurs/,
  new RegExp(
    `${START}au(?:ss|ß)erhalb (?:der plattform|von opentrain|opentrain)|(?:privat|direkt) (?:schreiben|kontaktieren|weiter|reden|melden)${ALONE}${STAYS_HERE}|` +
      `ohne (?:die )?(?:plattform|opentrain)${ALONE}|ohne (?:die )?(?:gebuhren|provision) (?:von|der) (?:opentrain|plattform)`,
  ),
  /(?<![a-z])fora (?:da plataforma|do opentrain|daqui)|(?:no|pelo|em) (?:privado|pv)(?![a-z])|sem (?:a )?(?:taxa|comissao) (?:da plataforma|do opentrain)|por fora(?![a-z])/,
  /(?<![a-z])(?:without|sin|sans|ohne|sem|senza) (?:the |la |a |o |die )?(?:opentrain|platform|plataforma|plateforme|plattform|piattaforma) (?:taking|fees?|cut|commission|comision|comissao|frais|gebuhren?|taxa|involved|in the middle|in between|de por medio|au milieu|dazwischen)(?![a-z])|(?:work|deal|continue|talk|trabajar|seguir|travailler|continuer|arbeiten|trabalhar|continuar)(?: together| directly| juntos| directamente| directement| direkt| diretamente)? (?:without|sin|sans|ohne|sem|senza) (?:the |la |a |o )?(?:opentrain|platform|plataforma|plateforme|plattform)(?![a-z])/,
  /(?<![a-z])fuori (?:dalla piattaforma|da opentrain)|in privato(?![a-z])|buiten (?:het platform|opentrain)/,
];

export function findRequests(view: NormalisedText): ChannelFinding[] {
  const found: ChannelFinding[] = [];
  if (REQUESTS.some((pattern) => pattern.test(view.skeleton))) {
    found.push({ kind: 'contact_handle', what: 'a request for contact details' });
  }
  if (INVITATIONS.some((pattern) => pattern.test(view.skeleton))) {
    found.push({ kind: 'contact_handle', what: 'an invitation to continue off OpenTrain' });
  }
  return found;
}
