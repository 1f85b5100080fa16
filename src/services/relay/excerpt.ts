import { truncate } from '../../blocks/limits.js';
import { findContactDetails } from '../guard.js';

// What the store keeps of a candidate's newest message for the shortlist (docs/architecture.md#shortlist): a short
// excerpt, never contact details. OpenTrain masks profiles and transcripts, but a chat message is the candidate's own
// text; the relay shows it in the card's thread as is, and the shortlist repeats only what the guard finds clean.

/** The longest excerpt kept; the thread has the whole message. */
export const ANSWER_EXCERPT_MAX = 500;

/** The excerpt to keep, or null when the message mentions contact details or off-platform channels. */
export function answerExcerpt(content: string): string | null {
  const text = content.trim();
  if (text === '') return '(empty message)';
  // The guard reads the whole text (linear time, at most 10,000 characters): a detail past the cut counts too.
  if (findContactDetails(text).length > 0) return null;
  return truncate(text, ANSWER_EXCERPT_MAX);
}
