// Sync of 1,000 new proposals from the sandbox ledger to the Slack stand-in, pacing off: once bare, once with what
// the hiring loop keeps fresh on every store change (5 people who opened their App Home tab recently, 3 posted
// shortlists), so the cost of those listeners shows beside the bare figure in the same run.
import { LogLevel } from '@slack/bolt';
import { createApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { benchConfig, knob, row, startExternalServers } from './support.js';

const NEW_PROPOSALS = 1000;
const HOME_OPENERS = 5;
const SHORTLISTS = 3;

interface SyncRun {
  openTrainCallsPerProposal: number;
  writesInCycle: number;
  writes: number;
  cpuMsPerProposal: number;
  cycleMs: number;
  totalMs: number;
  cycles: number;
  posted: number;
  /** Home tabs rendered / published while the sync ran and its cards posted. */
  renders: number;
  publishes: number;
}

async function syncOnce(watched: boolean): Promise<SyncRun> {
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
    const jobId = servers.ids.jobs.spanish;
    if (watched) {
      const job = { id: jobId, title: bot.ctx.store.data.jobs[jobId]?.title ?? jobId };
      for (let i = 0; i < SHORTLISTS; i += 1) {
        const outcome = await bot.ctx.shortlists.post({ job, channel: 'C0BENCH', topN: 3 + i, requestedBy: 'U0BENCH' });
        if (!outcome.ok) throw new Error(`shortlist: ${outcome.message}`);
      }
      for (let i = 0; i < HOME_OPENERS; i += 1) {
        if ((await bot.ctx.home.opened(`U0HOME${i}`, null)) !== 'published') throw new Error('Home tab not published');
      }
      await bot.idle();
    }
    const rendersBefore = bot.ctx.home.renders;
    const publishesBefore = bot.ctx.home.publishes;
    await bot.ctx.store.flush();

    await knob(servers, '/proposals', { jobId, count: NEW_PROPOSALS });
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
    const run: SyncRun = {
      openTrainCallsPerProposal: (openTrainCalls - callsBefore) / NEW_PROPOSALS,
      writesInCycle,
      writes: bot.ctx.store.writeCount - writesBefore,
      cpuMsPerProposal: (cpu.user + cpu.system) / 1000 / NEW_PROPOSALS,
      cycleMs,
      totalMs,
      cycles: bot.ctx.sync.cycles - cyclesBefore,
      posted: Object.values(bot.ctx.store.data.proposals).filter(
        (p) => p.card?.state === 'posted' && p.proposal.jobId === jobId,
      ).length,
      renders: bot.ctx.home.renders - rendersBefore,
      publishes: bot.ctx.home.publishes - publishesBefore,
    };
    await bot.stop();
    if ((result?.newProposals ?? 0) !== NEW_PROPOSALS) {
      throw new Error(`expected ${NEW_PROPOSALS} new proposals, the cycle saw ${result?.newProposals}`);
    }
    return run;
  } finally {
    await servers.stop();
  }
}

export async function benchSync(): Promise<string[]> {
  const bare = await syncOnce(false);
  const watched = await syncOnce(true);
  return [
    `Sync of ${NEW_PROPOSALS} new proposals (pacing off; ${bare.posted} cards posted, ${bare.cycles} sync cycle):`,
    row('OpenTrain calls per new proposal', bare.openTrainCallsPerProposal.toFixed(3), '≤ 2'),
    row('store file writes in the sync cycle', String(bare.writesInCycle), '1'),
    row('store file writes incl. posting every card', String(bare.writes), '—'),
    row('bot CPU ms per proposal (sync + posting)', bare.cpuMsPerProposal.toFixed(2), '< 2'),
    row(
      'wall time: cycle / until every card posted',
      `${bare.cycleMs.toFixed(0)} / ${bare.totalMs.toFixed(0)} ms`,
      '—',
    ),
    `The same with ${HOME_OPENERS} recent App Home openers and ${SHORTLISTS} posted shortlists (store change listeners):`,
    row('bot CPU ms per proposal (sync + posting)', watched.cpuMsPerProposal.toFixed(2), '≤ 1.1× bare'),
    row('Home tabs rendered / published meanwhile', `${watched.renders} / ${watched.publishes}`, '—'),
    row(
      'wall time: cycle / until every card posted',
      `${watched.cycleMs.toFixed(0)} / ${watched.totalMs.toFixed(0)} ms`,
      '—',
    ),
  ];
}
