import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { errorLogFields, OpenTrainError } from '../../src/api/errors.js';
import { createLogger, redact } from '../../src/logger.js';

describe('logger', () => {
  it('masks anything shaped like a token or secret', () => {
    const line = redact(
      'Authorization: Bearer ot_pat_abc_123 xoxb-1-2-3 xapp-1-A-2 whsec_xyz ot_clm_q sent to https://x.test',
    );
    expect(line).not.toMatch(/ot_pat_abc|xoxb-1|xapp-1|whsec_xyz|ot_clm_q/);
    expect(line).toContain('https://x.test');
  });

  it('writes only at or above its level, and keeps that level and name when a library renames it', () => {
    const lines: string[] = [];
    const logger = createLogger(LogLevel.WARN, (line) => lines.push(line));
    logger.setName('web-api:WebClient:0');
    logger.info('hidden');
    logger.warn('shown', { token: 'xoxb-9-9' });
    logger.error(new Error('boom'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/WARN \[hiring-bot\] shown/);
    expect(lines[0]).not.toContain('xoxb-9-9');
    expect(lines[1]).toContain('Error: boom');
  });
});

describe('logger formats', () => {
  const capture = (level: LogLevel, format: 'json' | 'text') => {
    const lines: string[] = [];
    return { lines, logger: createLogger(level, (line) => lines.push(line), { format }) };
  };

  it('json: one object per line with level, time, name and message; plain objects become fields', () => {
    const { lines, logger } = capture(LogLevel.INFO, 'json');
    logger.info('sync done:', 3, 'new', { jobId: 'job_1', level: 'not the level' });
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: 'info', name: 'hiring-bot', msg: 'sync done: 3 new', jobId: 'job_1' });
    expect(record.field_level).toBe('not the level');
    expect(Date.parse(record.time)).not.toBeNaN();
  });

  it("json: an OpenTrain error's requestId is a field of the line, beside the error's type, code and status", () => {
    const { lines, logger } = capture(LogLevel.INFO, 'json');
    const error = new OpenTrainError({
      status: 503,
      code: 'INTERNAL_ERROR',
      message: 'upstream down',
      requestId: 'req_42',
    });
    logger.error('loading the transcript failed', error);
    logger.warn('sync failed: OpenTrain is down', errorLogFields(error));
    const [first, second] = lines.map((line) => JSON.parse(line));
    expect(first).toMatchObject({
      requestId: 'req_42',
      err: { type: 'OpenTrainError', code: 'INTERNAL_ERROR', status: 503 },
    });
    expect(first.err.stack).toMatch(/OpenTrainError/);
    expect(second).toMatchObject({ level: 'warn', requestId: 'req_42', code: 'INTERNAL_ERROR', status: 503 });
  });

  it('json: secrets are masked in the message, in fields and in errors, and the line stays valid JSON', () => {
    const { lines, logger } = capture(LogLevel.DEBUG, 'json');
    logger.debug('headers {"Authorization":"Bearer xoxb-1-2-3"}', { header: 'Bearer ot_pat_abc_123 "quoted"' });
    logger.error(new Error('refused whsec_secret_value and xapp-1-A-2'));
    for (const line of lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toMatch(/xoxb-1|ot_pat_abc|whsec_secret|xapp-1/);
    }
  });

  it('text: one readable line; the stack only at debug level', () => {
    const atInfo = capture(LogLevel.INFO, 'text');
    atInfo.logger.error('start-up failed', new Error('boom'), { port: 3000 });
    expect(atInfo.lines).toHaveLength(1);
    expect(atInfo.lines[0]).toMatch(/^\S+Z ERROR \[hiring-bot\] start-up failed Error: boom port=3000$/);
    const atDebug = capture(LogLevel.DEBUG, 'text');
    atDebug.logger.error('start-up failed', new Error('boom'));
    expect(atDebug.lines[0]).toMatch(/Error: boom\n\s+at /);
  });

  it('setLevel changes what is written', () => {
    const { lines, logger } = capture(LogLevel.ERROR, 'json');
    logger.info('dropped');
    logger.setLevel(LogLevel.DEBUG);
    logger.debug('kept');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['kept']);
    expect(logger.getLevel()).toBe(LogLevel.DEBUG);
  });
});
