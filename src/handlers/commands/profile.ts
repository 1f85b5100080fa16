import { escapeMrkdwn } from '../../blocks/format.js';
import { profileMessage } from '../../blocks/profile.js';
import { loadProfile, reviewDeps } from '../../services/review.js';
import { type CommandArgs, ephemeral } from './shared.js';

/** `/hiring profile <freelancer id, slug or URL>`: the masked public profile, ephemerally. */
export async function profileCommand({ respond, parsed, ctx }: CommandArgs<{ freelancer: string }>): Promise<void> {
  const loaded = await loadProfile(reviewDeps(ctx), parsed.freelancer);
  await respond(
    ephemeral(loaded.ok ? profileMessage(loaded.value) : { text: `:warning: ${escapeMrkdwn(loaded.message)}` }),
  );
}
