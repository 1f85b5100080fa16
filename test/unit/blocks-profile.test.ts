import { describe, expect, it } from 'vitest';
import { profileMessage, profileView } from '../../src/blocks/profile.js';
import { blockKitViolations } from '../../src/blocks/validate.js';
import type { FreelancerProfile } from '../../src/domain.js';

function profile(overrides: Partial<FreelancerProfile> = {}): FreelancerProfile {
  return {
    id: 'usr_1',
    profileSlug: 'maria-g',
    profileUrl: 'https://app.opentrain.ai/profile/maria-g',
    displayName: 'Maria G.',
    talentType: 'individual',
    title: 'Text Annotation Specialist',
    bio: 'Native Spanish speaker with 4 years of NLP annotation experience.',
    city: 'Madrid',
    country: 'Spain',
    hourlyRateUsd: 18,
    availability: 'FULL_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'FLUENT',
    memberSince: '2024-03-02T10:00:00.000Z',
    identityVerified: true,
    skills: {
      subjectMatter: ['Social media', 'Customer support'],
      tags: ['SENTIMENT_ANALYSIS', 'TEXT_CLASSIFICATION'],
      software: ['Label Studio'],
      dataTypes: ['TEXT'],
      labelTypes: ['CLASSIFICATION'],
    },
    languages: [
      { language: 'Spanish', proficiency: 'NATIVE' },
      { language: 'English', proficiency: 'FLUENT' },
      { language: 'Catalan', proficiency: null },
    ],
    stats: { totalEarnedUsd: 2400, billedHours: 310, jobSuccessScore: 98, reviewCount: 7, averageRating: 4.9 },
    agency: null,
    labelExperience: [
      {
        title: 'Spanish tweet sentiment corpus',
        description: 'Annotated 120k tweets for a sentiment model.',
        fromYear: 2023,
        toYear: 2025,
        ongoing: false,
        software: 'Label Studio',
        dataType: 'TEXT',
        labelTypes: ['CLASSIFICATION'],
      },
    ],
    workExperience: [
      {
        title: 'Content moderator',
        company: 'Acme',
        description: null,
        fromYear: 2021,
        toYear: null,
        current: true,
        city: 'Madrid',
        country: 'Spain',
      },
    ],
    education: [
      {
        school: 'Universidad Complutense',
        degree: 'BA',
        areaOfStudy: 'Linguistics',
        fromYear: 2015,
        toYear: 2019,
        description: null,
      },
    ],
    reviews: [
      {
        id: 'r1',
        rating: 5,
        comment: 'Fast, precise, great guideline questions.',
        createdAt: '2026-01-20T12:00:00.000Z',
      },
    ],
    ...overrides,
  };
}

function allText(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}

function sectionTexts(blocks: unknown[]): string[] {
  return (blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[])
    .filter((block) => block.type === 'section')
    .flatMap((block) => (block.text ? [block.text.text] : (block.fields ?? []).map((field) => field.text)));
}

describe('profileView', () => {
  it('shows the masked profile: title, bio, location, rate, levels, skills, languages, stats', () => {
    const view = profileView(profile());
    expect(view.title.text).toBe('Trainer profile');
    expect(view.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Maria G.' } });
    const texts = sectionTexts(view.blocks);
    expect(texts[0]).toBe(
      '*Text Annotation Specialist*\nNative Spanish speaker with 4 years of NLP annotation experience.',
    );
    expect(allText(view.blocks)).toContain('📍 Madrid, Spain · Individual · Identity verified ✓ · Member since');
    expect(texts).toEqual(
      expect.arrayContaining([
        '*Hourly rate*\n$18 / hour',
        '*Availability*\nFull time',
        '*Expertise*\nExpert',
        '*English*\nFluent',
        '*Rating*\n★ 4.9 (7 reviews)',
        '*Job success*\n98%',
        '*Billed hours*\n310 h',
        '*Total earned*\n$2,400',
        '*Skills*\nSubject matter: Social media, Customer support\nTags: Sentiment analysis, Text classification\nSoftware: Label Studio\nData types: Text\nLabel types: Classification',
        '*Languages*\nSpanish (Native), English (Fluent), Catalan',
      ]),
    );
    expect(blockKitViolations('modal', view as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('shows experience with years ("present" when ongoing), education and reviews', () => {
    const texts = sectionTexts(profileView(profile()).blocks).join('\n');
    expect(texts).toContain('• *Spanish tweet sentiment corpus* (2023–2025) — Text · Classification · Label Studio');
    expect(texts).toContain('• *Content moderator*, Acme (2021–present) — Madrid, Spain');
    expect(texts).toContain('• *Universidad Complutense* — BA, Linguistics (2015–2019)');
    expect(texts).toContain('★ 5.0 · <!date^');
    expect(texts).toContain('>Fast, precise, great guideline questions.');
  });

  it('has an "Open on OpenTrain" link button when the profile URL is known', () => {
    const intro = profileView(profile()).blocks.find((block) => block.block_id === 'profile_intro') as {
      accessory?: { action_id: string; url: string; text: { text: string } };
    };
    expect(intro.accessory).toMatchObject({
      action_id: 'profile_open',
      url: 'https://app.opentrain.ai/profile/maria-g',
      text: { text: 'Open on OpenTrain' },
    });
    const without = profileView(profile({ profileUrl: null })).blocks.find(
      (block) => block.block_id === 'profile_intro',
    );
    expect(without).not.toHaveProperty('accessory');
  });

  it('shows the latest five reviews, newest first', () => {
    const reviews = Array.from({ length: 8 }, (_, index) => ({
      id: `r${index}`,
      rating: 4,
      comment: `review ${index}`,
      createdAt: new Date(Date.UTC(2026, 0, index + 1)).toISOString(),
    }));
    const text = sectionTexts(profileView(profile({ reviews })).blocks).join('\n');
    expect(text.match(/review \d/g)).toEqual(['review 7', 'review 6', 'review 5', 'review 4', 'review 3']);
  });

  it('shows an agency block for agencies', () => {
    const view = profileView(
      profile({
        talentType: 'agency',
        displayName: 'LabelWorks',
        agency: {
          name: 'LabelWorks',
          website: 'https://labelworks.example',
          headcount: 12,
          industryExperience: ['HEALTHCARE', 'Retail'],
        },
      }),
    );
    expect(view.title.text).toBe('Agency profile');
    expect(sectionTexts(view.blocks)).toContain(
      '*Agency*\n*LabelWorks* · https://labelworks.example · 12 people\nIndustry experience: Healthcare, Retail',
    );
  });

  it('never shows more than city and country for location', () => {
    const text = allText(profileView(profile()).blocks);
    expect(text).not.toMatch(/@|phone|email/i);
  });

  it('fits limits with absurd content, as a modal and as a message', () => {
    const huge = profile({
      bio: 'B'.repeat(10_000),
      labelExperience: Array.from({ length: 200 }, (_, index) => ({
        ...profile().labelExperience[0]!,
        title: `Project ${index}`,
        description: 'D'.repeat(500),
      })),
      reviews: Array.from({ length: 50 }, (_, index) => ({
        id: `r${index}`,
        rating: 5,
        comment: 'C'.repeat(3000),
        createdAt: '2026-01-01',
      })),
    });
    const view = profileView(huge);
    expect(blockKitViolations('modal', view as unknown as Record<string, unknown>)).toEqual([]);
    const message = profileMessage(huge);
    expect(message.text).toBe('Profile: Maria G. — Text Annotation Specialist');
    expect(blockKitViolations('message', message)).toEqual([]);
  });
});
