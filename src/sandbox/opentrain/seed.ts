// The seeded organisation: Mira Chen's team with two open jobs, a draft and an archived job, fifteen proposals in
// both payload variants, their candidates' profiles, and conversations — plus another organisation for ownership
// checks. Every timestamp is relative to the sandbox clock.

import { ALL_SCOPES, FEATURE_KEYS, PRE_CLAIM_SCOPES, SANDBOX_TOKENS } from './auth.js';
import type { FreelancerRecord, JobRecord, PaymentType, ProposalVariant } from './types.js';
import { APP_ORIGIN, type SandboxWorld } from './world.js';

const PROPOSAL_KEYS = [
  'withConversation',
  'spanishRecent',
  'longTranscript',
  'agency',
  'noInterview',
  'fixedBid',
  'transcriptUnavailable',
  'notReadyForMessaging',
  'guide',
  'guideRecent',
  'guideOlder',
  'medicalTop',
  'oddUnit',
  'medicalMaybe',
  'hired',
] as const;

export type SeedProposalKey = (typeof PROPOSAL_KEYS)[number];

export interface SeedIds {
  /** The owner organisation (both sandbox tokens belong to it). */
  organizationId: string;
  users: { owner: string; otherEmployer: string };
  jobs: { spanish: string; medical: string; draft: string; archived: string };
  /** Seeded proposals by what makes them interesting. */
  proposals: Record<SeedProposalKey, string>;
  /** The candidate behind each seeded proposal (same keys), plus profiles with no proposal. */
  freelancers: Record<SeedProposalKey, string> & { hidden: string; unavailable: string; invitable: string };
  conversations: {
    /** Pre-hire thread of `proposals.withConversation`: employer wrote first, the candidate's last reply is unanswered. */
    existing: string;
    /** Post-hire (`bucket: job`) thread of `proposals.hired` on the archived job; last message is ours. */
    postHire: string;
  };
  /** Another organisation's data: 403 for its job/proposal, 404 for its conversation. */
  otherAccount: {
    organizationId: string;
    userId: string;
    jobId: string;
    proposalId: string;
    freelancerId: string;
    conversationId: string;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

interface PersonSpec {
  first: string;
  initial: string;
  slug: string;
  title: string;
  bio: string;
  city: string;
  country: string;
  countryCode: string;
  hourlyRateUsd: number;
  availability?: string;
  expertiseLevel: string;
  englishLevel: string;
  memberDaysAgo: number;
  identityVerified: boolean;
  skills: FreelancerRecord['skills'];
  languages: FreelancerRecord['languages'];
  earnedUsd: number;
  billedHours: number;
  jobSuccessScore: number | null;
  averageRating: number | null;
  highestEarningsUsd: number;
  agency?: FreelancerRecord['agency'];
  labelExperience?: Omit<FreelancerRecord['labelExperience'][number], 'id'>[];
  workExperience?: Omit<FreelancerRecord['workExperience'][number], 'id'>[];
  education?: Omit<FreelancerRecord['education'][number], 'id'>[];
  reviews?: { rating: number; comment: string; daysAgo: number }[];
  hidden?: boolean;
  unavailable?: boolean;
}

const TEXT_SKILLS = (subjectMatter: string[], tags: string[]): FreelancerRecord['skills'] => ({
  subjectMatter,
  tags,
  software: ['Label Studio'],
  dataTypes: ['TEXT'],
  labelTypes: ['CLASSIFICATION'],
});

const IMAGE_SKILLS = (subjectMatter: string[], software: string[]): FreelancerRecord['skills'] => ({
  subjectMatter,
  tags: ['BOUNDING_BOX', 'MEDICAL_IMAGING'],
  software,
  dataTypes: ['IMAGE'],
  labelTypes: ['BOUNDING_BOX', 'SEGMENTATION'],
});

const SPANISH_NATIVE = [
  { language: 'Spanish', proficiency: 'NATIVE' },
  { language: 'English', proficiency: 'FLUENT' },
];

const PEOPLE: Record<SeedProposalKey | 'hidden' | 'unavailable' | 'invitable', PersonSpec> = {
  withConversation: {
    first: 'Maria',
    initial: 'G',
    slug: 'maria-g',
    title: 'Text Annotation Specialist',
    bio: 'Native Spanish speaker with 4 years of NLP annotation experience.',
    city: 'Madrid',
    country: 'Spain',
    countryCode: 'ES',
    hourlyRateUsd: 18,
    availability: 'FULL_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'FLUENT',
    memberDaysAgo: 830,
    identityVerified: true,
    skills: TEXT_SKILLS(['Social media', 'Customer support'], ['SENTIMENT_ANALYSIS', 'TEXT_CLASSIFICATION']),
    languages: SPANISH_NATIVE,
    earnedUsd: 2400,
    billedHours: 310,
    jobSuccessScore: 98,
    averageRating: 4.9,
    highestEarningsUsd: 2400,
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
        title: 'Community Manager',
        company: 'Retail brand (Spain)',
        description: 'Moderated and tagged customer conversations across social channels.',
        fromYear: 2019,
        toYear: 2022,
        current: false,
        city: 'Madrid',
        country: 'Spain',
      },
    ],
    education: [
      {
        school: 'Universidad Complutense de Madrid',
        degree: 'BA',
        areaOfStudy: 'Hispanic Philology',
        fromYear: 2014,
        toYear: 2018,
        description: null,
      },
    ],
    reviews: [
      { rating: 5, comment: 'Fast, precise, great guideline questions.', daysAgo: 140 },
      { rating: 4.8, comment: 'Consistent labels across a long project.', daysAgo: 260 },
    ],
  },
  spanishRecent: {
    first: 'Diego',
    initial: 'M',
    slug: 'diego-m',
    title: 'Bilingual Content Moderator & Annotator',
    bio: 'Content moderator turned annotator; Mexican Spanish and English, comfortable with slang-heavy social posts.',
    city: 'Guadalajara',
    country: 'Mexico',
    countryCode: 'MX',
    hourlyRateUsd: 15,
    availability: 'PART_TIME',
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'FLUENT',
    memberDaysAgo: 410,
    identityVerified: true,
    skills: TEXT_SKILLS(['Social media', 'Gaming'], ['CONTENT_MODERATION', 'SENTIMENT_ANALYSIS']),
    languages: SPANISH_NATIVE,
    earnedUsd: 1350,
    billedHours: 120,
    jobSuccessScore: 95,
    averageRating: 4.7,
    highestEarningsUsd: 900,
    reviews: [{ rating: 4.7, comment: 'Reliable and quick to adapt to guideline changes.', daysAgo: 75 }],
  },
  longTranscript: {
    first: 'Lucía',
    initial: 'F',
    slug: 'lucia-f',
    title: 'Computational Linguist — Sentiment & Intent',
    bio: 'Linguist specialised in sentiment, sarcasm and intent annotation for Spanish-language models; former annotation lead.',
    city: 'Buenos Aires',
    country: 'Argentina',
    countryCode: 'AR',
    hourlyRateUsd: 24,
    availability: 'FULL_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'FLUENT',
    memberDaysAgo: 1100,
    identityVerified: true,
    skills: TEXT_SKILLS(
      ['Social media', 'Linguistics', 'Finance'],
      ['SENTIMENT_ANALYSIS', 'INTENT_CLASSIFICATION', 'NER'],
    ),
    languages: [...SPANISH_NATIVE, { language: 'Portuguese', proficiency: 'CONVERSATIONAL' }],
    earnedUsd: 8600,
    billedHours: 540,
    jobSuccessScore: 100,
    averageRating: 5,
    highestEarningsUsd: 5200,
    labelExperience: [
      {
        title: 'Rioplatense sarcasm dataset',
        description: 'Led a team of six labeling sarcasm and irony in forum posts.',
        fromYear: 2022,
        toYear: null,
        ongoing: true,
        software: 'Label Studio',
        dataType: 'TEXT',
        labelTypes: ['CLASSIFICATION', 'SPAN'],
      },
    ],
    education: [
      {
        school: 'Universidad de Buenos Aires',
        degree: 'MA',
        areaOfStudy: 'Linguistics',
        fromYear: 2015,
        toYear: 2017,
        description: 'Thesis on irony markers in online Spanish.',
      },
    ],
    reviews: [
      { rating: 5, comment: 'Outstanding judgement on ambiguous cases.', daysAgo: 30 },
      { rating: 5, comment: 'Wrote half of our edge-case guidelines.', daysAgo: 190 },
    ],
  },
  agency: {
    first: 'Camila',
    initial: 'R',
    slug: 'lingualabel-partners',
    title: 'Spanish & Portuguese Annotation Team',
    bio: 'Managed annotation team of 18 native speakers with two-step QA on every batch.',
    city: 'Bogotá',
    country: 'Colombia',
    countryCode: 'CO',
    hourlyRateUsd: 22,
    availability: 'FULL_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'FLUENT',
    memberDaysAgo: 700,
    identityVerified: true,
    skills: TEXT_SKILLS(['Social media', 'E-commerce', 'Telecom'], ['SENTIMENT_ANALYSIS', 'TRANSCRIPTION']),
    languages: [...SPANISH_NATIVE, { language: 'Portuguese', proficiency: 'NATIVE' }],
    earnedUsd: 41_000,
    billedHours: 3900,
    jobSuccessScore: 93,
    averageRating: 4.6,
    highestEarningsUsd: 15_500,
    agency: {
      name: 'LinguaLabel Partners',
      website: 'https://lingualabel.example',
      headcount: 18,
      industryExperience: ['Social media', 'E-commerce', 'Telecom'],
    },
    reviews: [{ rating: 4.6, comment: 'Scaled to 40k items a week without quality loss.', daysAgo: 60 }],
  },
  noInterview: {
    first: 'Pablo',
    initial: 'R',
    slug: 'pablo-r',
    title: 'Customer Support Data Labeler',
    bio: 'New to annotation after five years in customer support; careful reader, quick learner.',
    city: 'Santiago',
    country: 'Chile',
    countryCode: 'CL',
    hourlyRateUsd: 14,
    availability: 'PART_TIME',
    expertiseLevel: 'ENTRY_LEVEL',
    englishLevel: 'CONVERSATIONAL',
    memberDaysAgo: 45,
    identityVerified: false,
    skills: TEXT_SKILLS(['Customer support'], ['TEXT_CLASSIFICATION']),
    languages: [
      { language: 'Spanish', proficiency: 'NATIVE' },
      { language: 'English', proficiency: null },
    ],
    earnedUsd: 0,
    billedHours: 0,
    jobSuccessScore: null,
    averageRating: null,
    highestEarningsUsd: 0,
  },
  fixedBid: {
    first: 'Andrés',
    initial: 'P',
    slug: 'andres-p',
    title: 'NLP Annotation Lead',
    bio: 'Runs small annotation projects end to end: guidelines, calibration, labeling and QA reports.',
    city: 'Sevilla',
    country: 'Spain',
    countryCode: 'ES',
    hourlyRateUsd: 30,
    availability: 'PART_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'NATIVE',
    memberDaysAgo: 950,
    identityVerified: true,
    skills: TEXT_SKILLS(['Social media', 'Politics'], ['SENTIMENT_ANALYSIS', 'GUIDELINE_WRITING']),
    languages: SPANISH_NATIVE,
    earnedUsd: 12_400,
    billedHours: 600,
    jobSuccessScore: 97,
    averageRating: 4.8,
    highestEarningsUsd: 6000,
  },
  transcriptUnavailable: {
    first: 'Carmen',
    initial: 'L',
    slug: 'carmen-l',
    title: 'Social Media Analyst',
    bio: 'Social listening analyst with experience tagging brand mentions.',
    city: 'Montevideo',
    country: 'Uruguay',
    countryCode: 'UY',
    hourlyRateUsd: 17,
    availability: 'PART_TIME',
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'FLUENT',
    memberDaysAgo: 300,
    identityVerified: true,
    skills: TEXT_SKILLS(['Marketing'], ['SENTIMENT_ANALYSIS']),
    languages: SPANISH_NATIVE,
    earnedUsd: 600,
    billedHours: 40,
    jobSuccessScore: 90,
    averageRating: 4.5,
    highestEarningsUsd: 600,
  },
  notReadyForMessaging: {
    first: 'Javier',
    initial: 'T',
    slug: 'javier-t',
    title: 'Linguistic QA Reviewer',
    bio: 'Reviews machine-translated and labeled Spanish text for consistency and tone.',
    city: 'Valencia',
    country: 'Spain',
    countryCode: 'ES',
    hourlyRateUsd: 20,
    availability: 'FULL_TIME',
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'FLUENT',
    memberDaysAgo: 520,
    identityVerified: true,
    skills: TEXT_SKILLS(['Localization'], ['QUALITY_ASSURANCE', 'SENTIMENT_ANALYSIS']),
    languages: SPANISH_NATIVE,
    earnedUsd: 3100,
    billedHours: 190,
    jobSuccessScore: 96,
    averageRating: 4.8,
    highestEarningsUsd: 1800,
  },
  guide: {
    first: 'Alex',
    initial: 'R',
    slug: 'alex-r',
    title: 'Senior AI Trainer',
    bio: 'Former radiology technician; annotates medical images and trains junior annotators.',
    city: 'Austin',
    country: 'USA',
    countryCode: 'US',
    hourlyRateUsd: 55,
    availability: 'FULL_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'NATIVE',
    memberDaysAgo: 1300,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Radiology', 'Healthcare'], ['3D Slicer', 'CVAT']),
    languages: [{ language: 'English', proficiency: 'NATIVE' }],
    earnedUsd: 31_000,
    billedHours: 640,
    jobSuccessScore: 99,
    averageRating: 4.9,
    highestEarningsUsd: 12_000,
    reviews: [{ rating: 5, comment: 'Caught labeling errors our own reviewers missed.', daysAgo: 90 }],
  },
  guideRecent: {
    first: 'Priya',
    initial: 'S',
    slug: 'priya-s',
    title: 'Radiology Annotation Specialist',
    bio: 'Radiographer with three years of chest X-ray and CT annotation for research datasets.',
    city: 'Bengaluru',
    country: 'India',
    countryCode: 'IN',
    hourlyRateUsd: 30,
    availability: 'FULL_TIME',
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'FLUENT',
    memberDaysAgo: 600,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Radiology'], ['CVAT']),
    languages: [
      { language: 'English', proficiency: 'FLUENT' },
      { language: 'Hindi', proficiency: 'NATIVE' },
      { language: 'Kannada', proficiency: 'NATIVE' },
    ],
    earnedUsd: 5400,
    billedHours: 210,
    jobSuccessScore: 94,
    averageRating: 4.7,
    highestEarningsUsd: 2600,
  },
  guideOlder: {
    first: 'Elena',
    initial: 'P',
    slug: 'elena-p',
    title: 'Biomedical Annotator',
    bio: 'Biomedical engineer annotating microscopy and X-ray images.',
    city: 'Athens',
    country: 'Greece',
    countryCode: 'GR',
    hourlyRateUsd: 35,
    availability: 'PART_TIME',
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'FLUENT',
    memberDaysAgo: 380,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Biomedical engineering'], ['CVAT', 'V7']),
    languages: [
      { language: 'Greek', proficiency: 'NATIVE' },
      { language: 'English', proficiency: 'FLUENT' },
    ],
    earnedUsd: 2100,
    billedHours: 70,
    jobSuccessScore: 92,
    averageRating: 4.6,
    highestEarningsUsd: 1500,
  },
  medicalTop: {
    first: 'Tomasz',
    initial: 'K',
    slug: 'tomasz-k',
    title: 'Radiologist — Medical Imaging Annotation',
    bio: 'Board-certified radiologist reviewing and annotating thoracic imaging for AI datasets.',
    city: 'Kraków',
    country: 'Poland',
    countryCode: 'PL',
    hourlyRateUsd: 70,
    availability: 'PART_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'FLUENT',
    memberDaysAgo: 1500,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Radiology', 'Oncology'], ['3D Slicer', 'OsiriX']),
    languages: [
      { language: 'Polish', proficiency: 'NATIVE' },
      { language: 'English', proficiency: 'FLUENT' },
      { language: 'German', proficiency: 'CONVERSATIONAL' },
    ],
    earnedUsd: 58_000,
    billedHours: 820,
    jobSuccessScore: 100,
    averageRating: 5,
    highestEarningsUsd: 22_000,
    education: [
      {
        school: 'Jagiellonian University Medical College',
        degree: 'MD',
        areaOfStudy: 'Medicine',
        fromYear: 2006,
        toYear: 2012,
        description: 'Residency in diagnostic radiology.',
      },
    ],
    reviews: [{ rating: 5, comment: 'Expert-level reads and clear notes on uncertain findings.', daysAgo: 20 }],
  },
  oddUnit: {
    first: 'Amina',
    initial: 'O',
    slug: 'amina-o',
    title: 'Medical Image Segmentation Annotator',
    bio: 'Segmentation and bounding-box annotation for X-ray and ultrasound datasets.',
    city: 'Lagos',
    country: 'Nigeria',
    countryCode: 'NG',
    hourlyRateUsd: 20,
    availability: 'FULL_TIME',
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'NATIVE',
    memberDaysAgo: 250,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Healthcare'], ['CVAT', 'Labelbox']),
    languages: [
      { language: 'English', proficiency: 'NATIVE' },
      { language: 'Yoruba', proficiency: 'NATIVE' },
    ],
    earnedUsd: 1900,
    billedHours: 110,
    jobSuccessScore: 91,
    averageRating: 4.5,
    highestEarningsUsd: 1200,
  },
  medicalMaybe: {
    first: 'Kenji',
    initial: 'W',
    slug: 'kenji-w',
    title: 'DICOM Annotation Specialist',
    bio: 'Medical imaging annotator focused on chest radiographs and quality control.',
    city: 'Osaka',
    country: 'Japan',
    countryCode: 'JP',
    hourlyRateUsd: 50,
    availability: 'PART_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'CONVERSATIONAL',
    memberDaysAgo: 900,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Radiology'], ['OsiriX', 'CVAT']),
    languages: [
      { language: 'Japanese', proficiency: 'NATIVE' },
      { language: 'English', proficiency: 'CONVERSATIONAL' },
    ],
    earnedUsd: 14_000,
    billedHours: 290,
    jobSuccessScore: 97,
    averageRating: 4.8,
    highestEarningsUsd: 7000,
  },
  hired: {
    first: 'Grace',
    initial: 'O',
    slug: 'grace-o',
    title: 'AI Safety Rater',
    bio: 'Rates chatbot responses for safety and helpfulness; background in trust and safety.',
    city: 'Dublin',
    country: 'Ireland',
    countryCode: 'IE',
    hourlyRateUsd: 40,
    availability: 'FULL_TIME',
    expertiseLevel: 'EXPERT',
    englishLevel: 'NATIVE',
    memberDaysAgo: 720,
    identityVerified: true,
    skills: TEXT_SKILLS(['Trust and safety'], ['RLHF', 'SAFETY_RATING']),
    languages: [{ language: 'English', proficiency: 'NATIVE' }],
    earnedUsd: 19_500,
    billedHours: 480,
    jobSuccessScore: 100,
    averageRating: 5,
    highestEarningsUsd: 9800,
  },
  hidden: {
    first: 'Nils',
    initial: 'H',
    slug: 'nils-h',
    title: 'Data Labeler',
    bio: 'Profile closed.',
    city: 'Oslo',
    country: 'Norway',
    countryCode: 'NO',
    hourlyRateUsd: 25,
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'FLUENT',
    memberDaysAgo: 500,
    identityVerified: false,
    skills: TEXT_SKILLS([], []),
    languages: [],
    earnedUsd: 0,
    billedHours: 0,
    jobSuccessScore: null,
    averageRating: null,
    highestEarningsUsd: 0,
    hidden: true,
  },
  unavailable: {
    first: 'Nora',
    initial: 'B',
    slug: 'nora-b',
    title: 'Medical Imaging Annotator',
    bio: 'Currently fully booked on a long-term project.',
    city: 'Toronto',
    country: 'Canada',
    countryCode: 'CA',
    hourlyRateUsd: 45,
    availability: 'NOT_AVAILABLE',
    expertiseLevel: 'EXPERT',
    englishLevel: 'NATIVE',
    memberDaysAgo: 1000,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Radiology'], ['3D Slicer']),
    languages: [
      { language: 'English', proficiency: 'NATIVE' },
      { language: 'French', proficiency: 'FLUENT' },
    ],
    earnedUsd: 27_000,
    billedHours: 600,
    jobSuccessScore: 98,
    averageRating: 4.9,
    highestEarningsUsd: 11_000,
    unavailable: true,
  },
  invitable: {
    first: 'Lukas',
    initial: 'H',
    slug: 'lukas-h',
    title: 'Medical Data Annotator',
    bio: 'Medical student annotating radiology and pathology images on weekends.',
    city: 'Munich',
    country: 'Germany',
    countryCode: 'DE',
    hourlyRateUsd: 32,
    availability: 'PART_TIME',
    expertiseLevel: 'INTERMEDIATE',
    englishLevel: 'FLUENT',
    memberDaysAgo: 330,
    identityVerified: true,
    skills: IMAGE_SKILLS(['Radiology', 'Pathology'], ['CVAT']),
    languages: [
      { language: 'German', proficiency: 'NATIVE' },
      { language: 'English', proficiency: 'FLUENT' },
      { language: 'Spanish', proficiency: 'CONVERSATIONAL' },
    ],
    earnedUsd: 4200,
    billedHours: 150,
    jobSuccessScore: 95,
    averageRating: 4.8,
    highestEarningsUsd: 2000,
  },
};

interface ProposalSpec {
  job: 'spanish' | 'medical' | 'archived';
  variant: ProposalVariant;
  minutesAgo: number;
  interviewScore: number | null;
  matchScore: number | null;
  bid: { amountUsd: number; unit: string; labelerHourlyRateUsd: number | null };
  /** Final status and when it was set (an event in the ledger); omitted = still UNREVIEWED. */
  status?: { raw: string; minutesAgo: number };
  withInterview?: boolean;
  transcriptAvailable?: boolean;
  transcriptTurns?: number;
  longTranscript?: boolean;
  messagingReady?: boolean;
}

const perLabel = (amountUsd: number) => ({ amountUsd, unit: 'PER_LABEL', labelerHourlyRateUsd: null });
const perHour = (amountUsd: number, rate: number) => ({ amountUsd, unit: 'PER_HOUR', labelerHourlyRateUsd: rate });

const PROPOSALS: Record<SeedProposalKey, ProposalSpec> = {
  withConversation: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 5 * 24 * 60,
    interviewScore: 86,
    matchScore: 91,
    bid: perLabel(0.06),
    status: { raw: 'SHORTLISTED', minutesAgo: 4 * 24 * 60 + 120 },
  },
  spanishRecent: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 3 * 60,
    interviewScore: 78,
    matchScore: 84,
    bid: perLabel(0.05),
  },
  longTranscript: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 40,
    interviewScore: 92,
    matchScore: 88,
    bid: perLabel(0.07),
    transcriptTurns: 44,
    longTranscript: true,
  },
  agency: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 20 * 60,
    interviewScore: 74,
    matchScore: 80,
    bid: perLabel(0.045),
  },
  noInterview: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 2 * 24 * 60,
    interviewScore: null,
    matchScore: 72,
    bid: perLabel(0.055),
    withInterview: false,
  },
  fixedBid: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 6 * 24 * 60 - 90,
    interviewScore: 81,
    matchScore: 77,
    bid: { amountUsd: 450, unit: 'FIXED', labelerHourlyRateUsd: null },
    status: { raw: 'MAYBE', minutesAgo: 5 * 24 * 60 },
  },
  transcriptUnavailable: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 5 * 24 * 60 + 300,
    interviewScore: 70,
    matchScore: 66,
    bid: perLabel(0.06),
    transcriptAvailable: false,
    status: { raw: 'NOT_A_FIT', minutesAgo: 4 * 24 * 60 + 600 },
  },
  notReadyForMessaging: {
    job: 'spanish',
    variant: 'reference',
    minutesAgo: 9 * 60,
    interviewScore: 83,
    matchScore: 79,
    bid: perLabel(0.065),
    messagingReady: false,
  },
  guide: {
    job: 'medical',
    variant: 'guide',
    minutesAgo: 2 * 24 * 60 + 200,
    interviewScore: 86,
    matchScore: 87,
    bid: perHour(42, 55),
    status: { raw: 'SHORTLISTED', minutesAgo: 24 * 60 + 30 },
  },
  guideRecent: {
    job: 'medical',
    variant: 'guide',
    minutesAgo: 5 * 60,
    interviewScore: 79,
    matchScore: 82,
    bid: perHour(28, 30),
  },
  guideOlder: {
    job: 'medical',
    variant: 'guide',
    minutesAgo: 4 * 24 * 60 - 60,
    interviewScore: 72,
    matchScore: 70,
    bid: perHour(35, 35),
    status: { raw: 'RESUME_SENT', minutesAgo: 3 * 24 * 60 },
  },
  medicalTop: {
    job: 'medical',
    variant: 'reference',
    minutesAgo: 25,
    interviewScore: 94,
    matchScore: 93,
    bid: perHour(65, 70),
  },
  oddUnit: {
    job: 'medical',
    variant: 'reference',
    minutesAgo: 30 * 60,
    interviewScore: 68,
    matchScore: 71,
    bid: { amountUsd: 1.2, unit: 'PER_IMAGE', labelerHourlyRateUsd: 20 },
  },
  medicalMaybe: {
    job: 'medical',
    variant: 'reference',
    minutesAgo: 3 * 24 * 60 + 400,
    interviewScore: 88,
    matchScore: 85,
    bid: perHour(48, 50),
    status: { raw: 'MAYBE', minutesAgo: 2 * 24 * 60 },
  },
  hired: {
    job: 'archived',
    variant: 'reference',
    minutesAgo: 40 * 24 * 60,
    interviewScore: 90,
    matchScore: 89,
    bid: perHour(40, 40),
    status: { raw: 'HIRED', minutesAgo: 30 * 24 * 60 },
  },
};

function addPerson(world: SandboxWorld, spec: PersonSpec, nowMs: number): FreelancerRecord {
  const id = world.newId('usr');
  const withIds = <T>(items: T[] | undefined, prefix: string) =>
    (items ?? []).map((item) => ({ id: world.newId(prefix), ...item }));
  return world.addFreelancer({
    id,
    profileSlug: spec.slug,
    displayName: spec.agency ? spec.agency.name : `${spec.first} ${spec.initial}.`,
    firstName: spec.first,
    lastNameInitial: spec.initial,
    talentType: spec.agency ? 'Agency' : 'Individual',
    agency: spec.agency ?? null,
    title: spec.title,
    bio: spec.bio,
    city: spec.city,
    country: spec.country,
    countryCode: spec.countryCode,
    profilePhotoUrl: `${APP_ORIGIN}/avatars/${spec.slug}.jpg`,
    hourlyRateUsd: spec.hourlyRateUsd,
    availability: spec.availability ?? 'PART_TIME',
    expertiseLevel: spec.expertiseLevel,
    englishLevel: spec.englishLevel,
    memberSince: new Date(nowMs - spec.memberDaysAgo * DAY).toISOString(),
    identityVerified: spec.identityVerified,
    skills: spec.skills,
    languages: spec.languages,
    stats: {
      totalEarnedUsd: spec.earnedUsd,
      billedHours: spec.billedHours,
      jobSuccessScore: spec.jobSuccessScore,
      reviewCount: spec.reviews?.length ?? 0,
      averageRating: spec.averageRating,
    },
    highestEarningsUsd: spec.highestEarningsUsd,
    labelExperience: withIds(spec.labelExperience, 'lexp'),
    workExperience: withIds(spec.workExperience, 'wexp'),
    education: withIds(spec.education, 'edu'),
    reviews: (spec.reviews ?? []).map((review) => ({
      id: world.newId('rev'),
      rating: review.rating,
      comment: review.comment,
      createdAt: new Date(nowMs - review.daysAgo * DAY).toISOString(),
    })),
    hidden: spec.hidden ?? false,
    unavailable: spec.unavailable ?? false,
  });
}

function addJob(
  world: SandboxWorld,
  organizationId: string,
  nowMs: number,
  init: { title: string; status: string; paymentType: PaymentType; createdDaysAgo: number; updatedDaysAgo: number },
): JobRecord {
  const open = init.status === 'OPEN';
  return world.addJob({
    id: world.newId('job'),
    organizationId,
    title: init.title,
    status: init.status,
    published: open,
    acceptingApplicants: open,
    paymentType: init.paymentType,
    createdAt: new Date(nowMs - init.createdDaysAgo * DAY).toISOString(),
    updatedAt: new Date(nowMs - init.updatedDaysAgo * DAY).toISOString(),
  });
}

/**
 * Seeds the world; the ledger receives the whole history in chronological order. With `full: false` only the two
 * organisations, their users, tokens and jobs exist (an empty ledger), and the proposal, freelancer and conversation
 * ids are empty strings.
 */
export function seedSandbox(world: SandboxWorld, { full }: { full: boolean }): SeedIds {
  const nowMs = world.now().getTime();
  world.ledger.beginBatch();
  const owner = seedOrganisations(world, nowMs);
  const ids: SeedIds = {
    organizationId: owner.organizationId,
    users: { owner: owner.ownerUserId, otherEmployer: owner.otherUserId },
    jobs: {
      spanish: owner.jobs.spanish.id,
      medical: owner.jobs.medical.id,
      draft: owner.jobs.draft.id,
      archived: owner.jobs.archived.id,
    },
    proposals: Object.fromEntries(PROPOSAL_KEYS.map((key) => [key, ''])) as SeedIds['proposals'],
    freelancers: Object.fromEntries(
      [...PROPOSAL_KEYS, 'hidden', 'unavailable', 'invitable'].map((key) => [key, '']),
    ) as SeedIds['freelancers'],
    conversations: { existing: '', postHire: '' },
    otherAccount: {
      organizationId: owner.otherOrganizationId,
      userId: owner.otherUserId,
      jobId: owner.otherJob.id,
      proposalId: '',
      freelancerId: '',
      conversationId: '',
    },
  };
  if (full) seedActivity(world, nowMs, owner, ids);
  world.ledger.commitBatch();
  return ids;
}

interface SeededOrganisations {
  organizationId: string;
  ownerUserId: string;
  jobs: Record<keyof SeedIds['jobs'], JobRecord>;
  otherOrganizationId: string;
  otherUserId: string;
  otherJob: JobRecord;
}

function seedOrganisations(world: SandboxWorld, nowMs: number): SeededOrganisations {
  const ownerUserId = world.newId('usr');
  const organizationId = world.newId('org');
  world.state.users.set(ownerUserId, {
    id: ownerUserId,
    organizationId,
    email: 'mira.chen@example.com',
    firstName: 'Mira',
    lastName: 'Chen',
    userType: 'EMPLOYER',
  });
  world.addAccount({ organizationId, name: 'Lumen Data Labs', ownerUserId, features: new Set(FEATURE_KEYS) });
  world.state.tokens.set(SANDBOX_TOKENS.owner, {
    token: SANDBOX_TOKENS.owner,
    id: world.newId('tok'),
    label: 'sandbox-owner',
    userId: ownerUserId,
    organizationId,
    scopes: [...ALL_SCOPES],
    claimed: true,
  });
  world.state.tokens.set(SANDBOX_TOKENS.unclaimed, {
    token: SANDBOX_TOKENS.unclaimed,
    id: world.newId('tok'),
    label: 'sandbox-agent-unclaimed',
    userId: ownerUserId,
    organizationId,
    scopes: [...PRE_CLAIM_SCOPES],
    claimed: false,
  });
  const jobs = {
    spanish: addJob(world, organizationId, nowMs, {
      title: 'Spanish Sentiment Labeling — Social Media Posts',
      status: 'OPEN',
      paymentType: 'PAY_PER_LABEL',
      createdDaysAgo: 6.5,
      updatedDaysAgo: 5.5,
    }),
    medical: addJob(world, organizationId, nowMs, {
      title: 'Medical Image Annotation — Chest X-ray Bounding Boxes',
      status: 'OPEN',
      paymentType: 'PAY_PER_HOUR',
      createdDaysAgo: 4.5,
      updatedDaysAgo: 4.2,
    }),
    draft: addJob(world, organizationId, nowMs, {
      title: 'Japanese Speech Transcription QA',
      status: 'DRAFT',
      paymentType: 'PAY_PER_HOUR',
      createdDaysAgo: 1,
      updatedDaysAgo: 0.5,
    }),
    archived: addJob(world, organizationId, nowMs, {
      title: 'English Safety Labeling — Chatbot Responses',
      status: 'ARCHIVED',
      paymentType: 'PAY_PER_HOUR',
      createdDaysAgo: 45,
      updatedDaysAgo: 12,
    }),
  };

  const otherUserId = world.newId('usr');
  const otherOrganizationId = world.newId('org');
  world.state.users.set(otherUserId, {
    id: otherUserId,
    organizationId: otherOrganizationId,
    email: 'tom.becker@example.com',
    firstName: 'Tom',
    lastName: 'Becker',
    userType: 'EMPLOYER',
  });
  world.addAccount({
    organizationId: otherOrganizationId,
    name: 'Northwind Robotics',
    ownerUserId: otherUserId,
    features: new Set(FEATURE_KEYS),
  });
  const otherJob = addJob(world, otherOrganizationId, nowMs, {
    title: 'LiDAR Point Cloud Segmentation',
    status: 'OPEN',
    paymentType: 'PAY_PER_HOUR',
    createdDaysAgo: 3,
    updatedDaysAgo: 3,
  });
  return { organizationId, ownerUserId, jobs, otherOrganizationId, otherUserId, otherJob };
}

/** Candidates, proposals with their status history, and conversations (employer first, then the candidate). */
function seedActivity(world: SandboxWorld, nowMs: number, orgs: SeededOrganisations, ids: SeedIds): void {
  const at = (minutesAgo: number) => new Date(nowMs - minutesAgo * MINUTE);
  const { freelancers, proposals } = ids;
  for (const [key, spec] of Object.entries(PEOPLE) as [keyof SeedIds['freelancers'], PersonSpec][]) {
    freelancers[key] = addPerson(world, spec, nowMs).id;
  }
  for (const key of PROPOSAL_KEYS) {
    const spec = PROPOSALS[key];
    const proposal = world.createProposal(orgs.jobs[spec.job].id, {
      freelancerId: freelancers[key],
      variant: spec.variant,
      createdAt: at(spec.minutesAgo),
      interviewScore: spec.interviewScore,
      matchScore: spec.matchScore,
      bid: spec.bid,
      withInterview: spec.withInterview ?? true,
      transcriptAvailable: spec.transcriptAvailable ?? true,
      transcriptTurns: spec.transcriptTurns ?? 8,
      longTranscript: spec.longTranscript ?? false,
      messagingReady: spec.messagingReady ?? true,
    });
    if (spec.status) world.setProposalStatus(proposal.id, spec.status.raw, at(spec.status.minutesAgo));
    proposals[key] = proposal.id;
  }
  world.state.proposals.get(proposals.hired)!.contract = { id: world.newId('ctr'), status: 'ended' };

  const existing = world.startConversation(
    world.state.proposals.get(proposals.withConversation)!,
    at(4 * 24 * 60),
  ).conversation;
  world.sendEmployerMessage(
    existing,
    'Hi Maria — your interview looked great. Could you start with a 5,000-post batch next week?',
    at(4 * 24 * 60 - 5),
  );
  world.addCandidateMessage(
    existing.id,
    '¡Gracias! Yes, I can take the batch. Should I follow the sarcasm rules we discussed in the interview?',
    at(4 * 24 * 60 - 130),
  );
  world.sendEmployerMessage(
    existing,
    'Yes, please use the v2 guidelines — they are attached to the job description.',
    at(3 * 24 * 60),
  );
  world.addCandidateMessage(
    existing.id,
    'Thanks — I can start Monday. I read the v2 guidelines; one question about emoji-only posts: neutral or skip?',
    at(120),
  );

  const postHire = world.addConversation({
    bucket: 'job',
    jobId: orgs.jobs.archived.id,
    ownerJobId: orgs.jobs.archived.id,
    proposalId: null,
    employerUserId: orgs.ownerUserId,
    freelancerId: freelancers.hired,
    organizationId: orgs.organizationId,
    createdAt: at(30 * 24 * 60).toISOString(),
  });
  world.sendEmployerMessage(
    postHire,
    'Welcome aboard, Grace! The first batch of 2,000 responses is ready.',
    at(30 * 24 * 60 - 10),
  );
  world.addCandidateMessage(postHire.id, 'Thank you! Starting on the first batch today.', at(30 * 24 * 60 - 45));
  world.sendEmployerMessage(
    postHire,
    'Thanks for the great work — we are wrapping up the project this week.',
    at(12 * 24 * 60),
  );
  ids.conversations = { existing: existing.id, postHire: postHire.id };

  const otherProposal = world.createProposal(orgs.otherJob.id, {
    variant: 'reference',
    createdAt: at(26 * 60),
    candidate: { firstName: 'Ravi', lastNameInitial: 'N', country: 'India', countryCode: 'IN' },
    bid: { amountUsd: 38, unit: 'PER_HOUR', labelerHourlyRateUsd: 40 },
    interviewScore: 84,
    matchScore: 81,
  });
  const otherConversation = world.startConversation(otherProposal, at(20 * 60)).conversation;
  world.sendEmployerMessage(otherConversation, 'Hi Ravi, are you familiar with our point cloud tool?', at(20 * 60 - 5));
  world.addCandidateMessage(otherConversation.id, 'Yes, I have used it for two years.', at(19 * 60));
  ids.otherAccount.proposalId = otherProposal.id;
  ids.otherAccount.freelancerId = otherProposal.freelancerId;
  ids.otherAccount.conversationId = otherConversation.id;
}
