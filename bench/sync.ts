// Sync of 1,000 new proposals from the sandbox ledger to the Slack stand-in, pacing off.
import { LogLevel } from '@slack/bolt';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { benchConfig, knob, row, startExternalServers } from './support.js';

const NEW_PROPOSALS = 1000;

export async function benchSync(): Promise<string[]> {
  const servers = await startExternalServers();
  try {
    const config = await benchConfig(servers);
    let openTrainCalls = 0;
    const bot = await createApp(config, {
      logger: createLogger(LogLevel.ERROR, () => {}),
      postIntervalMs: 0,
      autoSync: false,
      openTrainOptions: { onRequest: () => (openTrainCalls += 1) },
    });
    await bot.start();
    await bot.ctx.sync.runOnce(); // first run: drain + backfill
    await bot.idle();
    await bot.ctx.store.flush();

    await knob(servers, '/proposals', { jobId: servers.ids.jobs.spanish, count: NEW_PROPOSALS });
    const callsBefore = openTrainCalls;
    const writesBefore = bot.ctx.store.writeCount;
    const cyclesBefore = bot.ctx.sync.cycles;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = await bot.ctx.sync.runOnce();
    const cycleMs = performance.now() - started;
    const writesInCycle = bot.ctx.store.writeCount - writesBefore;
    await bot.idle();
    await bot.ctx.store.flush();
    const cpu = process.cpuUsage(cpuBefore);
    const totalMs = performance.now() - started;
    const cycles = bot.ctx.sync.cycles - cyclesBefore;
    const writes = bot.ctx.store.writeCount - writesBefore;
    const posted = Object.values(bot.ctx.store.data.proposals).filter(
      (p) => p.card?.state === 'posted' && p.proposal.jobId === servers.ids.jobs.spanish,
    ).length;
    await bot.stop();
    if ((result?.newProposals ?? 0) !== NEW_PROPOSALS) {
      throw new Error(`expected ${NEW_PROPOSALS} new proposals, the cycle saw ${result?.newProposals}`);
    }
    return [
      `Sync of ${NEW_PROPOSALS} new proposals (pacing off; ${posted} cards posted, ${cycles} sync cycle):`,
      row('OpenTrain calls per new proposal', ((openTrainCalls - callsBefore) / NEW_PROPOSALS).toFixed(3), '≤ 2'),
      row('store file writes in the sync cycle', String(writesInCycle), '1'),
      row('store file writes incl. posting every card', String(writes), '—'),
      row(
        'bot CPU ms per proposal (sync + posting)',
        ((cpu.user + cpu.system) / 1000 / NEW_PROPOSALS).toFixed(2),
        '< 2',
      ),
      row('wall time: cycle / until every card posted', `${cycleMs.toFixed(0)} / ${totalMs.toFixed(0)} ms`, '—'),
    ];
  } finally {
    await servers.stop();
  }
}
