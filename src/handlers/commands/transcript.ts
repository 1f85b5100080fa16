import { escapeMrkdwn } from '../../blocks/format.js';
import { transcriptMessage } from '../../blocks/transcript.js';
import { loadTranscript, reviewDeps } from '../../services/review.js';
import { type CommandArgs, ephemeral } from './shared.js';

/** `/hiring transcript <proposal>`: the AI-interview transcript, ephemerally. */
export async function transcriptCommand({ respond, parsed, ctx }: CommandArgs<{ proposal: string }>): Promise<void> {
  const loaded = await loadTranscript(reviewDeps(ctx), parsed.proposal);
  await respond(
    ephemeral(loaded.ok ? transcriptMessage(loaded.value) : { text: `:warning: ${escapeMrkdwn(loaded.message)}` }),
  );
}
