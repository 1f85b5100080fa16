import { describe, expect, it } from 'vitest';
import { parseHiringCommand } from '../../src/handlers/commands/parse.js';
import { extractOpenTrainId, resolveJob } from '../../src/handlers/commands/references.js';

describe('parseHiringCommand — subcommands', () => {
  it.each([
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP me please', { kind: 'help' }],
    ['jobs', { kind: 'jobs' }],
    ['  Jobs  ', { kind: 'jobs' }],
    ['watching', { kind: 'watching' }],
    ['digest', { kind: 'digest' }],
    ['status', { kind: 'status' }],
  ])('%j', (text, expected) => {
    expect(parseHiringCommand(text)).toEqual(expected);
  });

  it('reads proposals with a job, a status and top N', () => {
    expect(parseHiringCommand('proposals job_1')).toEqual({ kind: 'proposals', job: 'job_1' });
    expect(parseHiringCommand('proposals Spanish sentiment shortlisted top 5')).toEqual({
      kind: 'proposals',
      job: 'Spanish sentiment',
      status: 'SHORTLISTED',
      top: 5,
    });
    expect(parseHiringCommand('PROPOSALS   spanish   Not A Fit  TOP 3')).toEqual({
      kind: 'proposals',
      job: 'spanish',
      status: 'NOT_A_FIT',
      top: 3,
    });
    expect(parseHiringCommand('proposals spanish not-a-fit')).toMatchObject({ status: 'NOT_A_FIT' });
    expect(parseHiringCommand('proposals spanish resume sent top10')).toMatchObject({
      job: 'spanish',
      status: 'RESUME_SENT',
      top: 10,
    });
    expect(parseHiringCommand('proposals spanish status:maybe')).toMatchObject({ job: 'spanish', status: 'MAYBE' });
  });

  it('reads shortlist with a job, top N and here, in either order', () => {
    expect(parseHiringCommand('shortlist Spanish medical QA')).toEqual({
      kind: 'shortlist',
      job: 'Spanish medical QA',
    });
    expect(parseHiringCommand('shortlist spanish top 5')).toEqual({ kind: 'shortlist', job: 'spanish', top: 5 });
    expect(parseHiringCommand('Shortlist spanish top 4 HERE')).toEqual({
      kind: 'shortlist',
      job: 'spanish',
      top: 4,
      here: true,
    });
    expect(parseHiringCommand('shortlist spanish here top=2')).toEqual({
      kind: 'shortlist',
      job: 'spanish',
      top: 2,
      here: true,
    });
    expect(parseHiringCommand('finalists <https://app.opentrain.ai/jobs/job_1|Spanish QA> here')).toEqual({
      kind: 'shortlist',
      job: 'job_1',
      here: true,
    });
  });

  it('refuses bad shortlist input with the usage line', () => {
    expect(parseHiringCommand('shortlist')).toEqual({
      kind: 'invalid',
      message: 'Which job? Give its id, link, or part of its title. Usage: `/hiring shortlist <job> [top N] [here]`',
    });
    expect(parseHiringCommand('shortlist here')).toMatchObject({ kind: 'invalid' });
    expect(parseHiringCommand('shortlist spanish top 11')).toEqual({
      kind: 'invalid',
      message: '`top` must be between 1 and 10. Usage: `/hiring shortlist <job> [top N] [here]`',
    });
    expect(parseHiringCommand('shortlist spanish top')).toMatchObject({ kind: 'invalid' });
  });

  it('treats a lone status-like word as the job', () => {
    expect(parseHiringCommand('proposals maybe')).toEqual({ kind: 'proposals', job: 'maybe' });
  });

  it('refuses bad proposals input with the usage line', () => {
    expect(parseHiringCommand('proposals')).toEqual({
      kind: 'invalid',
      message: 'Which job? Give its id, link, or part of its title. Usage: `/hiring proposals <job> [status] [top N]`',
    });
    expect(parseHiringCommand('proposals spanish top')).toMatchObject({ kind: 'invalid' });
    expect(parseHiringCommand('proposals spanish top five')).toMatchObject({ kind: 'invalid' });
    expect(parseHiringCommand('proposals spanish top 0')).toMatchObject({ kind: 'invalid' });
    expect(parseHiringCommand('proposals spanish status:great')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('unreviewed, shortlisted, maybe, hired, declined, not a fit, resume sent'),
    });
  });

  it('reads transcript and profile arguments from ids, slugs and links', () => {
    expect(parseHiringCommand('transcript prop_1')).toEqual({ kind: 'transcript', proposal: 'prop_1' });
    expect(parseHiringCommand('transcript <https://app.opentrain.ai/proposals/prop_9?tab=interview|proposal>')).toEqual(
      {
        kind: 'transcript',
        proposal: 'prop_9',
      },
    );
    expect(parseHiringCommand('profile maria-g')).toEqual({ kind: 'profile', freelancer: 'maria-g' });
    expect(parseHiringCommand('profile https://app.opentrain.ai/profile/maria-g/')).toEqual({
      kind: 'profile',
      freelancer: 'maria-g',
    });
    expect(parseHiringCommand('profile <https://app.opentrain.ai/profile/maria-g>')).toEqual({
      kind: 'profile',
      freelancer: 'maria-g',
    });
  });

  it('refuses missing, multiple or wrong-kind arguments', () => {
    expect(parseHiringCommand('transcript')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('Usage: `/hiring transcript <proposal>`'),
    });
    expect(parseHiringCommand('transcript a b')).toMatchObject({ kind: 'invalid' });
    expect(parseHiringCommand('transcript https://app.opentrain.ai/jobs/job_1')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining("doesn't point to an OpenTrain proposal"),
    });
    expect(parseHiringCommand('profile <@U123|maria>')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining("That's a Slack user"),
    });
  });

  it('reads invite <freelancer> <job>, the job possibly several words or a link', () => {
    expect(parseHiringCommand('invite maria-g Spanish sentiment')).toEqual({
      kind: 'invite',
      freelancer: 'maria-g',
      job: 'Spanish sentiment',
    });
    expect(
      parseHiringCommand(
        'invite https://app.opentrain.ai/profile/maria-g <https://app.opentrain.ai/jobs/job_7|French NER>',
      ),
    ).toEqual({ kind: 'invite', freelancer: 'maria-g', job: 'job_7' });
    expect(parseHiringCommand('invite maria-g')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('Usage: `/hiring invite <freelancer> <job>`'),
    });
  });

  it('reads watch with an escaped channel anywhere, or none', () => {
    expect(parseHiringCommand('watch Spanish sentiment <#C0123ABC|hiring-es>')).toEqual({
      kind: 'watch',
      job: 'Spanish sentiment',
      channelId: 'C0123ABC',
    });
    expect(parseHiringCommand('watch <#C0123ABC> job_1')).toEqual({
      kind: 'watch',
      job: 'job_1',
      channelId: 'C0123ABC',
    });
    expect(parseHiringCommand('watch job_1')).toEqual({ kind: 'watch', job: 'job_1' });
    expect(parseHiringCommand('watch job_1 #general')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('pick it from the # list'),
    });
    expect(parseHiringCommand('watch')).toMatchObject({ kind: 'invalid' });
    expect(parseHiringCommand('unwatch https://app.opentrain.ai/jobs/job_1/')).toEqual({
      kind: 'unwatch',
      job: 'job_1',
    });
    expect(parseHiringCommand('unwatch')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('Usage: `/hiring unwatch <job>`'),
    });
  });

  it('reads weights with or without values and a job', () => {
    expect(parseHiringCommand('weights')).toEqual({ kind: 'weights' });
    expect(parseHiringCommand('weights reset')).toEqual({ kind: 'weights', reset: true });
    expect(parseHiringCommand('Weights RESET  Spanish sentiment ')).toEqual({
      kind: 'weights',
      reset: true,
      job: 'Spanish sentiment',
    });
    expect(parseHiringCommand('weights interview=0.5 match=0.3 price=0.2')).toEqual({
      kind: 'weights',
      weights: { interview: 0.5, match: 0.3, price: 0.2 },
    });
    expect(parseHiringCommand('Weights P=0.4 i = 0.6 Spanish sentiment')).toEqual({
      kind: 'weights',
      weights: { price: 0.4, interview: 0.6 },
      job: 'Spanish sentiment',
    });
    expect(parseHiringCommand('weights Spanish sentiment')).toEqual({ kind: 'weights', job: 'Spanish sentiment' });
    expect(parseHiringCommand('weights m=0.2 <https://app.opentrain.ai/jobs/job_3|Job three>')).toEqual({
      kind: 'weights',
      weights: { match: 0.2 },
      job: 'job_3',
    });
    expect(parseHiringCommand('weights speed=2')).toMatchObject({
      kind: 'invalid',
      message: expect.stringContaining('Usage: `/hiring weights [interview=0.5 match=0.3 price=0.2] [job]`'),
    });
  });

  it('reports garbage as unknown with the input', () => {
    expect(parseHiringCommand('  hire   everyone now ')).toEqual({ kind: 'unknown', input: 'hire everyone now' });
    expect(parseHiringCommand('¯\\_(ツ)_/¯')).toEqual({ kind: 'unknown', input: '¯\\_(ツ)_/¯' });
  });

  it('unescapes what Slack escaped', () => {
    expect(parseHiringCommand('proposals R&amp;D labelling')).toEqual({ kind: 'proposals', job: 'R&D labelling' });
  });
});

describe('extractOpenTrainId', () => {
  it.each([
    ['job_1', 'job', 'job_1'],
    ['https://app.opentrain.ai/jobs/job_1', 'job', 'job_1'],
    ['https://app.opentrain.ai/jobs/job_1/?ref=mail#top', 'job', 'job_1'],
    ['app.opentrain.ai/jobs/job_1', 'job', 'job_1'],
    ['<https://app.opentrain.ai/jobs/job_1|Spanish>', 'job', 'job_1'],
    ['https://app.opentrain.ai/job-post?jobId=job_5', 'job', 'job_5'],
    ['https://app.opentrain.ai/jobs/job_1/proposals/prop_2', 'proposal', 'prop_2'],
    ['https://app.opentrain.ai/jobs/job_1/proposals/prop_2', 'job', 'job_1'],
    ['https://app.opentrain.ai/profile/maria-g', 'freelancer', 'maria-g'],
    ['@maria-g', 'freelancer', 'maria-g'],
  ] as const)('%s as %s → %s', (arg, kind, expected) => {
    expect(extractOpenTrainId(arg, kind)).toBe(expected);
  });

  it('returns null for links of another kind and for several words', () => {
    expect(extractOpenTrainId('https://app.opentrain.ai/profile/maria-g', 'job')).toBeNull();
    expect(extractOpenTrainId('Spanish sentiment', 'job')).toBeNull();
    expect(extractOpenTrainId('', 'job')).toBeNull();
  });
});

describe('resolveJob', () => {
  const jobs = [
    { id: 'job_1', title: 'Spanish Sentiment Labeling — Social Media Posts' },
    { id: 'job_2', title: 'Spanish NER for news' },
    { id: 'job_3', title: 'French NER' },
    { id: 'job_4', title: 'French' },
  ];

  it('finds by exact id, link id, or a unique part of the title', () => {
    expect(resolveJob('job_2', jobs)).toEqual({ ok: true, job: jobs[1] });
    expect(resolveJob('JOB_2', jobs)).toEqual({ ok: true, job: jobs[1] });
    expect(resolveJob('https://app.opentrain.ai/jobs/job_3?x=1', jobs)).toEqual({ ok: true, job: jobs[2] });
    expect(resolveJob('sentiment', jobs)).toEqual({ ok: true, job: jobs[0] });
    expect(resolveJob('  SOCIAL   media ', jobs)).toEqual({ ok: true, job: jobs[0] });
    expect(resolveJob('news ner', jobs)).toEqual({ ok: true, job: jobs[1] });
  });

  it('prefers an exact title over longer titles containing it', () => {
    expect(resolveJob('french', jobs)).toEqual({ ok: true, job: jobs[3] });
  });

  it('lists the candidates when ambiguous', () => {
    const result = resolveJob('spanish', jobs);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain('“spanish” matches 2 jobs');
      expect(result.message).toContain('• Spanish Sentiment Labeling — Social Media Posts (`job_1`)');
      expect(result.message).toContain('• Spanish NER for news (`job_2`)');
    }
  });

  it('says when nothing matches', () => {
    expect(resolveJob('german', jobs)).toEqual({
      ok: false,
      message: 'No job of yours matches “german”. `/hiring jobs` lists them.',
    });
    expect(resolveJob('https://app.opentrain.ai/jobs/job_99', jobs)).toEqual({
      ok: false,
      message: 'None of your jobs has the id `job_99` from that link.',
    });
    expect(resolveJob('https://app.opentrain.ai/profile/maria-g', jobs)).toEqual({
      ok: false,
      message: "That link doesn't point to an OpenTrain job.",
    });
    expect(resolveJob('  ', jobs)).toMatchObject({ ok: false });
  });
});
