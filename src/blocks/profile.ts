import type { types } from '@slack/bolt';
import type { FreelancerProfile } from '../domain.js';
import {
  escapeMrkdwn,
  formatMoney,
  formatUsd,
  formatYears,
  humanize,
  MISSING,
  parseDate,
  plural,
  quote,
  slackDate,
  talentTypeLabel,
} from './format.js';
import { PROFILE_OPEN_ACTION } from './ids.js';
import {
  fitMessage,
  fitView,
  type KnownBlock,
  LIMITS,
  type MessageContent,
  type ModalView,
  splitText,
  truncate,
} from './limits.js';

// The masked public profile (GET /freelancers/{idOrSlug}) as a modal or an ephemeral message. It only ever shows
// what the API returns, which never includes contact details; location stops at city and country.

const MAX_REVIEWS = 5;

export function profileView(profile: FreelancerProfile): ModalView {
  return fitView({
    type: 'modal',
    callback_id: 'profile_view',
    title: { type: 'plain_text', text: profile.talentType === 'agency' ? 'Agency profile' : 'Trainer profile' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: profileBlocks(profile),
  });
}

export function profileMessage(profile: FreelancerProfile): MessageContent {
  const title = profile.title ? ` — ${escapeMrkdwn(profile.title)}` : '';
  return fitMessage({ text: `Profile: ${escapeMrkdwn(profile.displayName)}${title}`, blocks: profileBlocks(profile) });
}

function profileBlocks(profile: FreelancerProfile): KnownBlock[] {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'profile_header',
      text: { type: 'plain_text', text: profile.displayName || 'Profile' },
    },
  ];

  const intro: types.SectionBlock = {
    type: 'section',
    block_id: 'profile_intro',
    text: { type: 'mrkdwn', text: introText(profile) },
  };
  if (profile.profileUrl && /^https?:\/\//i.test(profile.profileUrl)) {
    intro.accessory = {
      type: 'button',
      action_id: PROFILE_OPEN_ACTION,
      text: { type: 'plain_text', text: 'Open on OpenTrain' },
      url: profile.profileUrl,
    };
  }
  blocks.push(intro);
  blocks.push({ type: 'context', block_id: 'profile_meta', elements: [{ type: 'mrkdwn', text: metaLine(profile) }] });
  blocks.push({ type: 'section', block_id: 'profile_facts', fields: factFields(profile) });

  pushSections(blocks, 'profile_skills', '*Skills*', skillLines(profile));
  if (profile.languages.length > 0) {
    const languages = profile.languages.map(
      (entry) => `${escapeMrkdwn(entry.language)}${entry.proficiency ? ` (${humanize(entry.proficiency)})` : ''}`,
    );
    pushSections(blocks, 'profile_languages', '*Languages*', [languages.join(', ')]);
  }
  if (profile.agency) pushSections(blocks, 'profile_agency', '*Agency*', agencyLines(profile.agency));
  pushSections(blocks, 'profile_label_experience', '*Labelling experience*', labelExperienceLines(profile));
  pushSections(blocks, 'profile_work', '*Work experience*', workExperienceLines(profile));
  pushSections(blocks, 'profile_education', '*Education*', educationLines(profile));
  pushSections(blocks, 'profile_reviews', '*Latest reviews*', reviewLines(profile));
  return blocks;
}

function introText(profile: FreelancerProfile): string {
  const lines = [`*${escapeMrkdwn(profile.title ?? 'No title')}*`];
  if (profile.bio?.trim()) lines.push(escapeMrkdwn(profile.bio.trim()));
  return truncate(lines.join('\n'), LIMITS.sectionText);
}

function metaLine(profile: FreelancerProfile): string {
  const parts: string[] = [];
  const location = [profile.city, profile.country].filter((part): part is string => !!part?.trim()).join(', ');
  parts.push(`📍 ${location ? escapeMrkdwn(location) : 'Location not given'}`);
  const type = talentTypeLabel(profile.talentType);
  if (type) parts.push(type);
  if (profile.identityVerified === true) parts.push('Identity verified ✓');
  else if (profile.identityVerified === false) parts.push('Identity not verified');
  if (parseDate(profile.memberSince)) parts.push(`Member since ${slackDate(profile.memberSince!, '{date_short}')}`);
  return parts.join(' · ');
}

function factFields(profile: FreelancerProfile): types.MrkdwnElement[] {
  const { stats } = profile;
  const rating =
    stats.averageRating === null
      ? 'Not rated yet'
      : `★ ${stats.averageRating.toFixed(1)}${stats.reviewCount !== null ? ` (${plural(stats.reviewCount, 'review')})` : ''}`;
  const fields: [string, string][] = [
    ['Hourly rate', profile.hourlyRateUsd === null ? MISSING : `${formatMoney(profile.hourlyRateUsd)} / hour`],
    ['Availability', enumText(profile.availability)],
    ['Expertise', enumText(profile.expertiseLevel)],
    ['English', enumText(profile.englishLevel)],
    ['Rating', rating],
    ['Job success', stats.jobSuccessScore === null ? MISSING : `${Math.round(stats.jobSuccessScore)}%`],
    [
      'Billed hours',
      stats.billedHours === null ? MISSING : `${Math.round(stats.billedHours).toLocaleString('en-US')} h`,
    ],
    ['Total earned', formatUsd(stats.totalEarnedUsd)],
  ];
  return fields.map(([label, value]) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` }));
}

function enumText(value: string | null): string {
  return value ? escapeMrkdwn(humanize(value)) : MISSING;
}

function list(values: string[]): string {
  return values.map((value) => escapeMrkdwn(humanize(value))).join(', ');
}

function skillLines(profile: FreelancerProfile): string[] {
  const { skills } = profile;
  const groups: [string, string[]][] = [
    ['Subject matter', skills.subjectMatter],
    ['Tags', skills.tags],
    ['Software', skills.software],
    ['Data types', skills.dataTypes],
    ['Label types', skills.labelTypes],
  ];
  return groups.filter(([, values]) => values.length > 0).map(([label, values]) => `${label}: ${list(values)}`);
}

function agencyLines(agency: NonNullable<FreelancerProfile['agency']>): string[] {
  const parts: string[] = [];
  if (agency.name) parts.push(`*${escapeMrkdwn(agency.name)}*`);
  if (agency.website) parts.push(escapeMrkdwn(agency.website));
  if (agency.headcount !== null) parts.push(plural(agency.headcount, 'person', 'people'));
  const lines = parts.length > 0 ? [parts.join(' · ')] : [];
  if (agency.industryExperience.length > 0) lines.push(`Industry experience: ${list(agency.industryExperience)}`);
  return lines;
}

function labelExperienceLines(profile: FreelancerProfile): string[] {
  return profile.labelExperience.map((entry) => {
    const years = formatYears(entry.fromYear, entry.toYear, entry.ongoing);
    const details = [
      entry.dataType ? humanize(entry.dataType) : null,
      entry.labelTypes.length > 0 ? entry.labelTypes.map(humanize).join(', ') : null,
      entry.software,
    ].filter((part): part is string => !!part);
    let line = `• *${escapeMrkdwn(entry.title)}*${years ? ` (${years})` : ''}`;
    if (details.length > 0) line += ` — ${escapeMrkdwn(details.join(' · '))}`;
    if (entry.description?.trim()) line += `\n   ${escapeMrkdwn(entry.description.trim())}`;
    return line;
  });
}

function workExperienceLines(profile: FreelancerProfile): string[] {
  return profile.workExperience.map((entry) => {
    const years = formatYears(entry.fromYear, entry.toYear, entry.current);
    const where = [entry.city, entry.country].filter((part): part is string => !!part).join(', ');
    let line = `• *${escapeMrkdwn(entry.title)}*${entry.company ? `, ${escapeMrkdwn(entry.company)}` : ''}`;
    if (years) line += ` (${years})`;
    if (where) line += ` — ${escapeMrkdwn(where)}`;
    if (entry.description?.trim()) line += `\n   ${escapeMrkdwn(entry.description.trim())}`;
    return line;
  });
}

function educationLines(profile: FreelancerProfile): string[] {
  return profile.education.map((entry) => {
    const years = formatYears(entry.fromYear, entry.toYear, false);
    const study = [entry.degree, entry.areaOfStudy].filter((part): part is string => !!part).join(', ');
    let line = `• *${escapeMrkdwn(entry.school)}*${study ? ` — ${escapeMrkdwn(study)}` : ''}`;
    if (years) line += ` (${years})`;
    if (entry.description?.trim()) line += `\n   ${escapeMrkdwn(entry.description.trim())}`;
    return line;
  });
}

function reviewLines(profile: FreelancerProfile): string[] {
  const newestFirst = [...profile.reviews].sort(
    (a, b) => (parseDate(b.createdAt)?.getTime() ?? 0) - (parseDate(a.createdAt)?.getTime() ?? 0),
  );
  return newestFirst.slice(0, MAX_REVIEWS).map((review) => {
    const rating = review.rating === null ? 'No rating' : `★ ${review.rating.toFixed(1)}`;
    const date = parseDate(review.createdAt) ? ` · ${slackDate(review.createdAt, '{date_short}')}` : '';
    const comment = review.comment?.trim() ? `\n${quote(escapeMrkdwn(review.comment.trim()))}` : '';
    return `${rating}${date}${comment}`;
  });
}

/** A titled list as one section, or several when it is longer than a section holds. */
function pushSections(blocks: KnownBlock[], blockId: string, title: string, lines: string[]): void {
  if (lines.length === 0) return;
  const pieces = splitText(lines.join('\n'), LIMITS.sectionText - title.length - 1);
  pieces.forEach((piece, index) => {
    blocks.push({
      type: 'section',
      block_id: index === 0 ? blockId : `${blockId}_${index}`,
      text: { type: 'mrkdwn', text: index === 0 ? `${title}\n${piece}` : piece },
    });
  });
}
