import type { App } from '@slack/bolt';
import { describeError } from '../../api/index.js';
import { helpMessage, usageError } from '../../blocks/help.js';
import { HIRING_COMMAND } from '../../blocks/ids.js';
import type { BotContext } from '../context.js';
import { askCommand } from './ask.js';
import { digestCommand } from './digest.js';
import { inviteCommand } from './invite.js';
import { jobsCommand, watchingCommand } from './jobs.js';
import { type ParsedCommand, parseHiringCommand } from './parse.js';
import { profileCommand } from './profile.js';
import { proposalsCommand } from './proposals.js';
import { type CommandArgs, ephemeral } from './shared.js';
import { statusCommand } from './status.js';
import { transcriptCommand } from './transcript.js';
import { unwatchCommand, watchCommand } from './watch.js';
import { weightsCommand } from './weights.js';

type Kind = ParsedCommand['kind'];
type Handler<K extends Kind> = (args: CommandArgs<Extract<ParsedCommand, { kind: K }>>) => Promise<void>;
type Routes = { [K in Kind]?: { handler: Handler<K>; writeAction?: string } };

/** Subcommands that talk to OpenTrain; each runs after the ack. */
const routes: Routes = {
  jobs: { handler: jobsCommand },
  watching: { handler: watchingCommand },
  status: { handler: statusCommand },
  watch: { handler: watchCommand, writeAction: 'watch jobs' },
  unwatch: { handler: unwatchCommand, writeAction: 'unwatch jobs' },
  proposals: { handler: proposalsCommand },
  transcript: { handler: transcriptCommand },
  profile: { handler: profileCommand },
  invite: { handler: inviteCommand, writeAction: 'invite trainers' },
  // Showing weights is open to everyone; weightsCommand itself refuses setting them to non-reviewers.
  weights: { handler: weightsCommand },
  digest: { handler: digestCommand },
  ask: { handler: askCommand, writeAction: 'ask finalists' },
};

export function registerCommands(app: App, ctx: BotContext): void {
  app.command(HIRING_COMMAND, async ({ command, ack, respond, client }) => {
    const parsed = parseHiringCommand(command.text ?? '');
    // Answers that need no OpenTrain call go back in the ack itself.
    if (parsed.kind === 'help') return ack(ephemeral(helpMessage()));
    if (parsed.kind === 'invalid') return ack(ephemeral(usageError(parsed.message)));
    if (parsed.kind === 'unknown') {
      return ack(ephemeral(usageError(`I don't know \`${parsed.input}\`. Here is what I can do:`)));
    }
    const route = routes[parsed.kind] as { handler: Handler<Kind>; writeAction?: string } | undefined;
    if (!route) return ack(ephemeral(usageError(`\`/hiring ${parsed.kind}\` isn't available yet.`)));
    if (route.writeAction && !ctx.reviewers.canAct(command.user_id)) {
      return ack(ephemeral({ text: ctx.reviewers.refusal(route.writeAction) }));
    }
    await ack();
    await ctx.track(
      () =>
        route.handler({ command, respond, parsed, ctx, client }).catch(async (error: unknown) => {
          ctx.logger.error(`/hiring ${parsed.kind} failed`, error);
          await respond(ephemeral({ text: `:warning: ${describeError(error)}` }));
        }),
      { label: `/hiring ${parsed.kind}`, tell: (text) => respond(ephemeral({ text })) },
    );
  });
}
