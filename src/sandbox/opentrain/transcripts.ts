// AI-interview transcripts for seeded and generated proposals. Plain prose only: transcripts are sanitised by the
// platform, so nothing here may look like contact details (no emails, phone numbers, handles or links).

import type { TranscriptTurnRecord } from './types.js';

export type InterviewTopic = 'sentiment' | 'medical' | 'general';

interface Exchange {
  question: string;
  answer: string;
}

const EXCHANGES: Record<InterviewTopic, Exchange[]> = {
  sentiment: [
    {
      question: 'Tell me about your experience labeling sentiment in social media posts.',
      answer:
        'I spent two years annotating Spanish-language posts for a sentiment model, including sarcasm and mixed-sentiment cases.',
    },
    {
      question: 'How do you label a post that praises a product but complains about the delivery?',
      answer:
        'The guidelines usually ask for the overall stance, so I would mark it mixed and tag the aspects separately if the schema allows it.',
    },
    {
      question: 'How do you handle sarcasm, for example "Genial, otra vez sin wifi"?',
      answer:
        'Literally it is positive, but the intent is clearly negative. I label the intent and add a sarcasm flag when one exists.',
    },
    {
      question: 'Which regional varieties of Spanish are you comfortable with?',
      answer:
        'Peninsular Spanish natively, and I have worked a lot with Mexican and Rioplatense slang from customer-support datasets.',
    },
    {
      question: 'What do you do when the guidelines do not cover a case?',
      answer:
        'I flag it with a short note instead of guessing, and I batch my questions so the project lead can answer them together.',
    },
    {
      question: 'How many posts can you label per hour while keeping quality high?',
      answer:
        'Around 250 to 300 short posts an hour for three-way sentiment; fewer when aspect tags or intensity scores are needed.',
    },
    {
      question: 'How do you keep your labels consistent over a long project?',
      answer:
        'I keep a personal list of tricky examples with the decision we agreed on, and I re-read it at the start of each session.',
    },
    {
      question: 'Have you worked with emoji-only or very short posts?',
      answer:
        'Yes. Emoji carry a lot of the sentiment, but some are ironic in context, so I read the thread when it is available.',
    },
  ],
  medical: [
    {
      question: 'Describe your experience annotating chest X-rays.',
      answer:
        'I have drawn bounding boxes for nodules, effusions and cardiomegaly on about eight thousand studies for a research dataset.',
    },
    {
      question: 'How do you decide where a bounding box should end on a poorly defined opacity?',
      answer:
        'I follow the protocol margin rule, and when the edge is ambiguous I box the visible extent and mark the finding as uncertain.',
    },
    {
      question: 'What annotation tools have you used for DICOM images?',
      answer:
        'Mostly web-based DICOM viewers with windowing controls; I adjust the window level before drawing so faint findings are not missed.',
    },
    {
      question: 'How do you handle studies with support devices such as lines and tubes?',
      answer:
        'Devices get their own class when the schema has one; otherwise I make sure they are not boxed as pathology.',
    },
    {
      question: 'What is your medical background?',
      answer:
        'I trained as a radiographer and worked in a hospital imaging department before moving to annotation work full time.',
    },
    {
      question: 'How do you keep quality up over long annotation sessions?',
      answer:
        'Short breaks every hour, and I review a random sample of my own boxes at the end of each day against the reference set.',
    },
  ],
  general: [
    {
      question: 'Tell me about your most recent data labeling project.',
      answer:
        'I classified customer-support tickets into twelve intents and flagged personal data for redaction before the text was exported.',
    },
    {
      question: 'How do you approach a new set of labeling guidelines?',
      answer:
        'I read them end to end, label a practice batch, and compare my answers with the gold set before starting on real data.',
    },
    {
      question: 'What do you do when two guideline rules conflict?',
      answer:
        'I note the conflict with an example and ask the reviewer, then apply the answer consistently afterwards.',
    },
    {
      question: 'How many hours a week can you commit?',
      answer: 'Around thirty hours a week, mostly on weekday mornings in my time zone.',
    },
  ],
};

const FOLLOW_UPS = [
  'Can you walk me through a concrete example of that?',
  'What would you do differently on a second pass?',
  'How would you explain that decision to a reviewer who disagreed?',
  'Which part of that work did you find hardest?',
];

// Long answers (> 1,000 characters each) so transcript splitting is exercised.
const LONG_ANSWERS = [
  'On my last project we had a three-tier review: annotators, a senior reviewer and a client spot check. The hardest part was never the obvious positive or negative posts, it was the long tail: posts that quote someone else, posts that are positive about a competitor, posts that are mostly a question with a bit of frustration at the end. We built a shared decision log, and every time a reviewer overturned a label we added the example, the old label, the new label and one sentence of reasoning. After two weeks the overturn rate dropped from about nine percent to under three. I also learned to read the whole thread when the platform gives it to us, because a reply like "claro, como siempre" flips meaning completely depending on what it answers. When the context was not available, our rule was to label only what the text itself supports and add the low-context flag, which the data science team later used to weight those examples down during training. I think that habit of writing down the reasoning, not just the label, is what made our batches consistent across twelve annotators in four countries.',
  'For sarcasm specifically, I use a three-step check. First, is there a literal sentiment? Second, is there a signal that the literal meaning is not intended, such as an exaggeration, an emoji that contradicts the words, quotation marks around a positive word, or a well-known sarcastic formula like "qué maravilla" after a complaint? Third, would a typical native reader from that region read it as sarcastic without further context? Only if all three point the same way do I label the intended sentiment and set the sarcasm flag. If the second or third step is uncertain, I keep the literal label and mark it for review, because a wrong sarcasm flag teaches the model the opposite of what we want. Regional variation matters a lot here: some expressions are sincere in Mexico and ironic in Spain, so I always check the locale metadata when the dataset provides it. In a calibration round last year our team agreed on sarcasm in only about seventy percent of cases at the start, and this checklist brought us above ninety percent after one week of practice and two short review meetings.',
  'When I receive a batch, I start by skimming a random sample of fifty items before labeling anything. That tells me the distribution: how many are clearly neutral, how many are spam or off-topic, how many contain several languages. If the distribution is very different from what the guidelines assume, I raise it right away, because it usually means either the sampling changed or the guidelines are missing a category. Then I label in focused blocks of about forty minutes, with a short break, and at the end of every block I re-check the items I marked as uncertain, since a fresh look often resolves them. I track my own throughput and my agreement with the gold items, and if my agreement dips I slow down instead of pushing for volume. At the end of the day I write a short note for the project lead with open questions, unusual patterns and any items I think should be removed from the dataset, for example duplicated posts, posts that are obviously machine generated or posts where the text is cut off so badly that no label would be meaningful.',
];

function exchangesFor(topic: InterviewTopic): Exchange[] {
  return EXCHANGES[topic];
}

/** A chronological transcript of `turns` messages (interviewer first), the last turn ending at `endAt`. */
export function buildTranscript(
  topic: InterviewTopic,
  turns: number,
  endAt: Date,
  nextId: () => string,
  options: { longAnswers?: boolean } = {},
): TranscriptTurnRecord[] {
  const bank = exchangesFor(topic);
  const contents: { role: 'interviewer' | 'candidate'; content: string }[] = [];
  for (let index = 0; contents.length < turns; index += 1) {
    const exchange = bank[index % bank.length]!;
    const round = Math.floor(index / bank.length);
    const question = round === 0 ? exchange.question : FOLLOW_UPS[(index + round) % FOLLOW_UPS.length]!;
    let answer = exchange.answer;
    if (options.longAnswers && index % 3 === 1) answer = LONG_ANSWERS[index % LONG_ANSWERS.length]!;
    else if (round > 0)
      answer = `${exchange.answer} In practice that meant checking my work against the examples first.`;
    contents.push({ role: 'interviewer', content: question });
    if (contents.length < turns) contents.push({ role: 'candidate', content: answer });
  }
  const stepMs = 50_000;
  const startMs = endAt.getTime() - stepMs * (contents.length - 1);
  return contents.map((turn, index) => ({
    id: nextId(),
    role: turn.role,
    content: turn.content,
    sentAt: new Date(startMs + index * stepMs).toISOString(),
  }));
}

export function interviewSummary(topic: InterviewTopic, score: number | null): string {
  if (score === null) return 'Interview completed.';
  const strength = score >= 85 ? 'Strong' : score >= 70 ? 'Solid' : 'Basic';
  switch (topic) {
    case 'sentiment':
      return `${strength} grasp of sentiment-labeling edge cases; handles sarcasm and mixed sentiment; clear communication.`;
    case 'medical':
      return `${strength} radiology annotation background; careful with ambiguous margins and support devices.`;
    default:
      return `${strength} general labeling experience; follows guidelines and asks clarifying questions.`;
  }
}
