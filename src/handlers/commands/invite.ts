import { escapeMrkdwn } from '../../blocks/format.js';
import { inviteCandidate, inviteDeps, inviteOutcomeText } from '../../services/invites.js';
import { loadProfile, reviewDeps } from '../../services/review.js';
import { type CommandArgs, ephemeral, findJob } from './shared.js';

/** `/hiring invite <freelancer> <job>` (reviewers only; the dispatcher checks): the same invite as the card's modal. */
export async function inviteCommand({
  command,
  respond,
  parsed,
  ctx,
}: CommandArgs<{ freelancer: string; job: string }>): Promise<void> {
  // The profile gives the user id a slug or link stands for; both lookups run side by side.
  const [profile, job] = await Promise.all([
    loadProfile(reviewDeps(ctx), parsed.freelancer),
    findJob(ctx, respond, parsed.job),
  ]);
  if (!job) return; // findJob has answered
  if (!profile.ok) {
    await respond(ephemeral({ text: `:warning: ${escapeMrkdwn(profile.message)}` }));
    return;
  }
  const outcome = await inviteCandidate(inviteDeps(ctx), {
    freelancerId: profile.value.id,
    candidateName: profile.value.displayName,
    job: { id: job.id, title: job.title },
    invitedBy: command.user_id,
  });
  await respond(ephemeral({ text: inviteOutcomeText(outcome) }));
}
