import { z } from 'zod';

// What the app's modals and buttons carry back to it, encoded into Slack's `private_metadata` and button `value`
// strings, and parsed back (a boundary: what comes back is checked, and anything unreadable is null, never a throw).

/** Where a composed message goes: the message composer's private_metadata and the Reply button's value. */
const messageTargetSchema = z.object({ proposalId: z.string().min(1), conversationId: z.string().min(1) });
export type MessageTarget = z.infer<typeof messageTargetSchema>;

export function encodeMessageTarget(target: MessageTarget): string {
  return JSON.stringify({ proposalId: target.proposalId, conversationId: target.conversationId });
}

export function parseMessageTarget(raw: string | undefined): MessageTarget | null {
  return parseJson(raw, messageTargetSchema);
}

/** What the invite modal carries from the card click to the submission. */
const inviteMetadataSchema = z.object({
  proposalId: z.string().min(1),
  freelancerId: z.string().min(1),
  /** The card's channel and message: where the confirmation goes. */
  channel: z.string().min(1).nullable(),
  messageTs: z.string().min(1).nullable(),
  candidateName: z.string(),
  /** The job the candidate applied to (not offered again). */
  jobId: z.string(),
});
export type InviteMetadata = z.infer<typeof inviteMetadataSchema>;

export function encodeInviteMetadata(metadata: InviteMetadata): string {
  return JSON.stringify(metadata);
}

/** Parsed metadata, or null when it isn't ours or is from an older version of the form. */
export function parseInviteMetadata(raw: string | undefined): InviteMetadata | null {
  return parseJson(raw, inviteMetadataSchema);
}

/**
 * What the ask form carries: the round's id (drawn when the form opens; every submission of this form is the same
 * round, so it never asks anyone twice), the job, and where the person opened it (for a summary when the form is gone).
 */
const askMetadataSchema = z.object({
  askId: z.string().min(1).max(64),
  jobId: z.string().min(1),
  channel: z.string().min(1).nullable(),
});
export type AskMetadata = z.infer<typeof askMetadataSchema>;

export function encodeAskMetadata(metadata: AskMetadata): string {
  return JSON.stringify({ askId: metadata.askId, jobId: metadata.jobId, channel: metadata.channel });
}

export function parseAskMetadata(raw: string | undefined): AskMetadata | null {
  return parseJson(raw, askMetadataSchema);
}

function parseJson<T>(raw: string | undefined, schema: z.ZodType<T>): T | null {
  if (!raw) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** What the hire modal carries: the proposal, where the click was (for a word there), and the terms once typed. */
const hireMetadataSchema = z.object({
  proposalId: z.string().min(1),
  channel: z.string().min(1).nullable(),
  messageTs: z.string().min(1).nullable(),
  /** Set on the Not-a-fit confirmation step: the terms the person typed, sent once they confirm. */
  terms: z
    .object({
      name: z.string().nullable(),
      description: z.string().nullable(),
      amountUsd: z.number().positive(),
      dueDate: z.string().nullable(),
    })
    .nullable(),
});
export type HireMetadata = z.infer<typeof hireMetadataSchema>;

export function encodeHireMetadata(metadata: HireMetadata): string {
  return JSON.stringify(metadata);
}

export function parseHireMetadata(raw: string | undefined): HireMetadata | null {
  return parseJson(raw, hireMetadataSchema);
}
