import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
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
