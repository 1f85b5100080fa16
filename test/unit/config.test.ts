import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Config, type ConfigResult, loadConfig, loadEnvFile, parseConfig } from '../../src/config.js';

// Realistic-looking secrets; the tests assert none of them ever appears in any output.
const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-7319528461-4826175390-ZqTvWyHkRmNpBsXcLdFgJa',
  SLACK_SIGNING_SECRET: '8f14e45fceea167a5a36dedd4bea2543',
  SLACK_APP_TOKEN: 'xapp-1-A07QX5RZT9K-7731958246170-f3c9e1b27d4a86e05c1f9b3a7d2e6c48',
  OT_API_TOKEN: 'ot_pat_sandbox_owner_9c2d41e7',
  OT_WEBHOOK_SECRET: 'whsec_3b7e1f0d9a8c4e2b',
};

/** The smallest valid HTTP-mode environment. */
const HTTP_MODE = {
  SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
  SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
  OT_API_TOKEN: SECRETS.OT_API_TOKEN,
};

function expectConfig(result: ConfigResult): Config {
  if (!result.ok) throw new Error(`expected a config, got problems:\n${result.problems.join('\n')}`);
  return result.config;
}

function expectProblems(result: ConfigResult): string[] {
  if (result.ok) throw new Error('expected problems, got a config');
  return result.problems;
}

/** Every secret in full, and every 6-character slice of it after its well-known prefix. */
function secretFragments(): string[] {
  const fragments: string[] = [];
  for (const secret of Object.values(SECRETS)) {
    fragments.push(secret);
    const body = secret.replace(/^(xoxb-|xapp-|ot_pat_|whsec_)/, '');
    for (let start = 0; start + 6 <= body.length; start += 1) fragments.push(body.slice(start, start + 6));
  }
  return fragments;
}

function expectNoSecretIn(text: string): void {
  for (const fragment of secretFragments()) expect(text).not.toContain(fragment);
}

describe('parseConfig', () => {
  it('fills in every default', () => {
    expect(expectConfig(parseConfig(HTTP_MODE))).toEqual({
      slack: {
        botToken: SECRETS.SLACK_BOT_TOKEN,
        signingSecret: SECRETS.SLACK_SIGNING_SECRET,
        appToken: null,
        apiUrl: null,
      },
      port: 3000,
      openTrain: {
        apiToken: SECRETS.OT_API_TOKEN,
        baseUrl: 'https://app.opentrain.ai/api/public/v1',
        jobIds: null,
        webhookSecret: null,
      },
      hiringChannel: null,
      dataFile: './data/hiring-bot.json',
      syncIntervalSeconds: 30,
      backfillHours: 24,
      reviewerIds: null,
      digest: { cron: '0 9 * * 1-5', timezone: 'UTC' },
      retentionDays: 180,
      logLevel: 'info',
      logFormat: null,
    } satisfies Config);
  });

  it('reads every variable when set', () => {
    const config = expectConfig(
      parseConfig({
        ...HTTP_MODE,
        SLACK_APP_TOKEN: SECRETS.SLACK_APP_TOKEN,
        SLACK_API_URL: 'http://127.0.0.1:4020/api',
        PORT: '8080',
        OT_API_BASE_URL: 'http://localhost:4010/api/public/v1/',
        HIRING_CHANNEL: 'C0HIRING01',
        OT_JOB_IDS: ' job_1, job_2 ,,job_1 ',
        DATA_FILE: '/var/lib/hiring-bot/store.json',
        SYNC_INTERVAL_SECONDS: '5',
        BACKFILL_HOURS: '0',
        REVIEWER_IDS: 'U0REVIEW01, W0ENTERPRISE2',
        DIGEST_CRON: '30 8 * * 1',
        DIGEST_TIMEZONE: 'Europe/Berlin',
        OT_WEBHOOK_SECRET: SECRETS.OT_WEBHOOK_SECRET,
        RETENTION_DAYS: '30',
        LOG_LEVEL: 'DEBUG',
      }),
    );
    expect(config.slack.appToken).toBe(SECRETS.SLACK_APP_TOKEN);
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:4020/api/');
    expect(config.port).toBe(8080);
    expect(config.openTrain).toEqual({
      apiToken: SECRETS.OT_API_TOKEN,
      baseUrl: 'http://localhost:4010/api/public/v1',
      jobIds: ['job_1', 'job_2'],
      webhookSecret: SECRETS.OT_WEBHOOK_SECRET,
    });
    expect(config.hiringChannel).toBe('C0HIRING01');
    expect(config.dataFile).toBe('/var/lib/hiring-bot/store.json');
    expect(config.syncIntervalSeconds).toBe(5);
    expect(config.backfillHours).toBe(0);
    expect(config.reviewerIds).toEqual(['U0REVIEW01', 'W0ENTERPRISE2']);
    expect(config.digest).toEqual({ cron: '30 8 * * 1', timezone: 'Europe/Berlin' });
    expect(config.retentionDays).toBe(30);
    expect(config.logLevel).toBe('debug');
  });

  it('accepts IANA zone names with several parts or an Etc/ offset, and LOG_FORMAT in any case', () => {
    for (const zone of ['America/Argentina/Buenos_Aires', 'Etc/GMT+2', 'UTC', 'America/Port-au-Prince']) {
      expect(expectConfig(parseConfig({ ...HTTP_MODE, DIGEST_TIMEZONE: zone })).digest.timezone).toBe(zone);
    }
    expect(expectConfig(parseConfig({ ...HTTP_MODE, LOG_FORMAT: 'JSON' })).logFormat).toBe('json');
    expect(expectConfig(parseConfig({ ...HTTP_MODE, LOG_FORMAT: 'text' })).logFormat).toBe('text');
  });

  it('keeps a SLACK_API_URL that already ends with a slash as given', () => {
    expect(expectConfig(parseConfig({ ...HTTP_MODE, SLACK_API_URL: 'https://proxy.example/api/' })).slack.apiUrl).toBe(
      'https://proxy.example/api/',
    );
  });

  it('treats empty and blank values as unset', () => {
    const config = expectConfig(
      parseConfig({
        ...HTTP_MODE,
        SLACK_APP_TOKEN: '',
        PORT: '',
        HIRING_CHANNEL: '   ',
        OT_JOB_IDS: '',
        REVIEWER_IDS: ' , ',
        OT_WEBHOOK_SECRET: '',
        DIGEST_TIMEZONE: '',
        LOG_LEVEL: ' ',
      }),
    );
    expect(config.slack.appToken).toBeNull();
    expect(config.port).toBe(3000);
    expect(config.hiringChannel).toBeNull();
    expect(config.openTrain.jobIds).toBeNull();
    expect(config.reviewerIds).toBeNull();
    expect(config.openTrain.webhookSecret).toBeNull();
    expect(config.digest.timezone).toBe('UTC');
    expect(config.logLevel).toBe('info');
  });

  it('reports each missing required variable on its own line', () => {
    const problems = expectProblems(parseConfig({}));
    expect(problems).toEqual([
      'SLACK_BOT_TOKEN is required (the Slack bot token, xoxb-…)',
      expect.stringMatching(/^SLACK_SIGNING_SECRET is required in HTTP mode/),
      'OT_API_TOKEN is required (the OpenTrain personal API token, ot_pat_…)',
    ]);
  });

  it('counts an empty required variable as missing', () => {
    const problems = expectProblems(parseConfig({ ...HTTP_MODE, SLACK_BOT_TOKEN: '', OT_API_TOKEN: '  ' }));
    expect(problems).toEqual([
      'SLACK_BOT_TOKEN is required (the Slack bot token, xoxb-…)',
      'OT_API_TOKEN is required (the OpenTrain personal API token, ot_pat_…)',
    ]);
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-1111-user-token-not-a-bot-token', /^SLACK_BOT_TOKEN does not look like .*xoxb-/],
    ['SLACK_APP_TOKEN', 'xoxb-wrong-kind-of-token', /^SLACK_APP_TOKEN does not look like .*xapp-/],
    ['OT_API_TOKEN', 'ot_cat_client_access_token', /^OT_API_TOKEN does not look like .*ot_pat_/],
    ['OT_WEBHOOK_SECRET', 'plain-shared-secret', /^OT_WEBHOOK_SECRET does not look like .*whsec_/],
    ['SLACK_API_URL', 'slack.example/api', /^SLACK_API_URL must be an http\(s\) URL; got "slack.example\/api"/],
    ['OT_API_BASE_URL', 'ftp://opentrain.example', /^OT_API_BASE_URL must be an http\(s\) URL; got "ftp:/],
    ['PORT', '70000', /^PORT must be a whole number between 1 and 65535 .*got "70000"/],
    ['PORT', '0', /^PORT must be a whole number between 1 and 65535/],
    ['PORT', 'eighty', /^PORT must be a whole number/],
    ['HIRING_CHANNEL', '#hiring', /^HIRING_CHANNEL must be a Slack channel id .*got "#hiring"/],
    ['HIRING_CHANNEL', 'c0lowercase', /^HIRING_CHANNEL must be a Slack channel id/],
    [
      'OT_JOB_IDS',
      'job_1, https://app.opentrain.ai/jobs/2',
      /^OT_JOB_IDS .*not valid: "https:\/\/app.opentrain.ai\/jobs\/2"$/,
    ],
    ['DATA_FILE', './data/', /^DATA_FILE must be a file path, not a directory/],
    ['SYNC_INTERVAL_SECONDS', '0', /^SYNC_INTERVAL_SECONDS must be a whole number ≥ 1/],
    ['SYNC_INTERVAL_SECONDS', '1.5', /^SYNC_INTERVAL_SECONDS must be a whole number ≥ 1/],
    ['BACKFILL_HOURS', '-1', /^BACKFILL_HOURS must be a whole number ≥ 0/],
    ['REVIEWER_IDS', 'U0REVIEW01, @alice, bob', /^REVIEWER_IDS .*not valid: "@alice", "bob"$/],
    ['DIGEST_CRON', '0 9 * *', /^DIGEST_CRON is not a valid cron expression .*got "0 9 \* \*"/],
    ['DIGEST_CRON', '61 9 * * 1-5', /^DIGEST_CRON is not a valid cron expression/],
    [
      'DIGEST_TIMEZONE',
      'Mars/Olympus_Mons',
      /^DIGEST_TIMEZONE is not a known IANA time zone; got "Mars\/Olympus_Mons"/,
    ],
    ['RETENTION_DAYS', 'forever', /^RETENTION_DAYS must be a whole number/],
    ['LOG_LEVEL', 'verbose', /^LOG_LEVEL must be one of debug, info, warn, error; got "verbose"/],
    ['LOG_FORMAT', 'pretty', /^LOG_FORMAT must be json or text .*got "pretty"/],
    // node-cron would take a leading seconds field and run the digest at second 0 of every minute matched.
    ['DIGEST_CRON', '0 0 9 * * 1-5', /^DIGEST_CRON is not a valid cron expression \(has 6 fields: seconds are not/],
    // Abbreviations and offsets: Intl takes some of them (EST → America/Panama), but they ignore daylight saving.
    ['DIGEST_TIMEZONE', 'EST', /^DIGEST_TIMEZONE is not a known IANA time zone; got "EST", use an Area\/Location/],
    ['DIGEST_TIMEZONE', 'CET', /^DIGEST_TIMEZONE is not a known IANA time zone/],
    ['DIGEST_TIMEZONE', '+02:00', /^DIGEST_TIMEZONE is not a known IANA time zone/],
    ['DIGEST_TIMEZONE', 'europe/berlin', /^DIGEST_TIMEZONE is not a known IANA time zone/],
    [
      'SLACK_BOT_TOKEN',
      'xoxp-1111-user-token',
      /^SLACK_BOT_TOKEN does not look like the Slack bot token: it is a user token \(xoxp-\); use the Bot User OAuth Token/,
    ],
    [
      'SLACK_APP_TOKEN',
      'xoxb-1111-bot-token',
      /^SLACK_APP_TOKEN does not look like .*: it is a bot token \(xoxb-\); generate an app-level token \(xapp-…\)/,
    ],
  ])('refuses an invalid %s (%s)', (variable, value, expected) => {
    const problems = expectProblems(parseConfig({ ...HTTP_MODE, [variable]: value }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('reports several problems at once, one line each, in the order of the documentation', () => {
    const problems = expectProblems(
      parseConfig({
        SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
        PORT: 'x',
        OT_API_TOKEN: 'not-a-token',
        DIGEST_CRON: 'every morning',
        DIGEST_TIMEZONE: 'Nowhere/Town',
      }),
    );
    expect(problems.map((line) => line.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'PORT',
      'OT_API_TOKEN',
      'DIGEST_CRON',
      'DIGEST_TIMEZONE',
    ]);
  });

  it('needs SLACK_SIGNING_SECRET in HTTP mode only', () => {
    const { SLACK_SIGNING_SECRET: _secret, ...withoutSecret } = HTTP_MODE;
    const httpProblems = expectProblems(parseConfig(withoutSecret));
    expect(httpProblems).toHaveLength(1);
    expect(httpProblems[0]).toMatch(/^SLACK_SIGNING_SECRET is required in HTTP mode \(SLACK_APP_TOKEN is unset\)/);

    const socketMode = expectConfig(parseConfig({ ...withoutSecret, SLACK_APP_TOKEN: SECRETS.SLACK_APP_TOKEN }));
    expect(socketMode.slack).toMatchObject({ appToken: SECRETS.SLACK_APP_TOKEN, signingSecret: null });

    // An app token that is set but malformed is reported as such, not as a missing signing secret.
    const badAppToken = expectProblems(parseConfig({ ...withoutSecret, SLACK_APP_TOKEN: 'nope' }));
    expect(badAppToken).toHaveLength(1);
    expect(badAppToken[0]).toMatch(/^SLACK_APP_TOKEN /);
  });

  it('never prints a secret value, even when it is malformed or pasted into the wrong variable', () => {
    const misplaced = parseConfig({
      // Malformed secrets: wrong prefix or stray spaces, so each is reported.
      SLACK_BOT_TOKEN: `${SECRETS.SLACK_BOT_TOKEN} `.replace('xoxb-', 'xoxp-'),
      SLACK_APP_TOKEN: SECRETS.SLACK_APP_TOKEN.replace('xapp-', 'xapp_'),
      OT_API_TOKEN: `Bearer ${SECRETS.OT_API_TOKEN}`,
      OT_WEBHOOK_SECRET: `whsec ${SECRETS.OT_WEBHOOK_SECRET}`,
      // Secrets pasted where a non-secret (quoted) value is expected.
      HIRING_CHANNEL: SECRETS.SLACK_BOT_TOKEN,
      REVIEWER_IDS: `U0REVIEW01,${SECRETS.OT_API_TOKEN}`,
      SLACK_API_URL: SECRETS.SLACK_APP_TOKEN,
      OT_JOB_IDS: `job_1,${SECRETS.OT_WEBHOOK_SECRET} (webhook)`,
      LOG_LEVEL: SECRETS.OT_API_TOKEN,
    });
    const problems = expectProblems(misplaced);
    expect(problems.map((line) => line.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'SLACK_API_URL',
      'OT_API_TOKEN',
      'HIRING_CHANNEL',
      'OT_JOB_IDS',
      'REVIEWER_IDS',
      'OT_WEBHOOK_SECRET',
      'LOG_LEVEL',
    ]);
    expectNoSecretIn(problems.join('\n'));
  });

  it('does not print the signing secret, which has no telltale shape, when it lands in another variable', () => {
    const problems = expectProblems(
      parseConfig({
        ...HTTP_MODE,
        SLACK_BOT_TOKEN: SECRETS.SLACK_SIGNING_SECRET,
        HIRING_CHANNEL: SECRETS.SLACK_SIGNING_SECRET,
        DIGEST_TIMEZONE: SECRETS.SLACK_SIGNING_SECRET,
        REVIEWER_IDS: `U0REVIEW01, ${SECRETS.SLACK_SIGNING_SECRET}`,
      }),
    );
    expect(problems).toHaveLength(4);
    expectNoSecretIn(problems.join('\n'));
  });
});

describe('loadConfig', () => {
  class ExitCalled extends Error {
    constructor(readonly code: number) {
      super(`exit(${code})`);
    }
  }

  function fakeIo() {
    const lines: string[] = [];
    const exitCodes: number[] = [];
    return {
      lines,
      exitCodes,
      io: {
        stderr: (line: string) => lines.push(line),
        exit: (code: number): never => {
          exitCodes.push(code);
          throw new ExitCalled(code);
        },
      },
    };
  }

  it('returns the config when everything is valid, printing nothing', () => {
    const { lines, exitCodes, io } = fakeIo();
    expect(loadConfig(HTTP_MODE, io).port).toBe(3000);
    expect(lines).toEqual([]);
    expect(exitCodes).toEqual([]);
  });

  it('prints one line per problem and exits with status 1', () => {
    const { lines, exitCodes, io } = fakeIo();
    const env = {
      SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN.replace('xoxb-', 'xoxa-'),
      SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
      OT_WEBHOOK_SECRET: SECRETS.OT_WEBHOOK_SECRET.replace('whsec_', 'secret_'),
      DIGEST_TIMEZONE: 'Atlantis/Capital',
    };
    expect(() => loadConfig(env, io)).toThrow(ExitCalled);
    expect(exitCodes).toEqual([1]);
    expect(lines).toEqual(expectProblems(parseConfig(env)));
    expect(lines.map((line) => line.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'OT_API_TOKEN',
      'DIGEST_TIMEZONE',
      'OT_WEBHOOK_SECRET',
    ]);
    expectNoSecretIn(lines.join('\n'));
  });
});

describe('loadEnvFile', () => {
  const envFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'hiring-env-')), '.env');
    writeFileSync(file, text);
    return file;
  };

  it('fills what the environment does not set; the environment wins; an empty variable counts as unset', () => {
    const file = envFile('OT_API_TOKEN=ot_pat_from_file\nPORT=4000\nHIRING_CHANNEL="C0FROMFILE"\n# a comment\n');
    const env: NodeJS.ProcessEnv = { PORT: '5000', HIRING_CHANNEL: '' };
    expect(loadEnvFile(file, env)).toBe(true);
    expect(env).toEqual({ OT_API_TOKEN: 'ot_pat_from_file', PORT: '5000', HIRING_CHANNEL: 'C0FROMFILE' });
  });

  it('no file: nothing read, nothing changed', () => {
    const env: NodeJS.ProcessEnv = { PORT: '5000' };
    expect(loadEnvFile(join(tmpdir(), 'no-such-dir-hiring', '.env'), env)).toBe(false);
    expect(env).toEqual({ PORT: '5000' });
  });

  it('names from the file never reach a prototype', () => {
    const file = envFile('__proto__=polluted\nconstructor=x\ntoString=y\n');
    const env: NodeJS.ProcessEnv = {};
    loadEnvFile(file, env);
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
    // Node's parser drops `__proto__`; the other two become plain own variables.
    expect(Object.keys(env).sort()).toEqual(['constructor', 'toString']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
