import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HIRING_USAGE } from '../../src/blocks/help.js';
import { CONFIG_VARIABLES } from '../../src/config.js';

// Files an operator reads instead of the code: the Slack manifests, .env.example and the README's configuration
// table must say what the code does.

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const withoutComments = (text: string) =>
  text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');

describe('Slack manifests', () => {
  const socket = read('manifest.yml');
  const http = read('manifest.http.yml');

  it('ask only for the scopes the bot uses', () => {
    const scopes = [...withoutComments(socket).matchAll(/^ {6}- ([a-z.:]+)$/gm)].map((match) => match[1]);
    expect(scopes).toEqual([
      'chat:write',
      'chat:write.public',
      'channels:join',
      'commands',
      'channels:history',
      'groups:history',
      'metadata.message:read',
    ]);
  });

  it('enable the Home tab and subscribe to app_home_opened (views.publish needs no scope)', () => {
    for (const manifest of [socket, http]) {
      expect(manifest).toMatch(/app_home:\n\s+home_tab_enabled: true/);
      expect(withoutComments(manifest)).toMatch(/bot_events:\n\s+- app_home_opened\n/);
    }
  });

  it('have a usage hint naming every /hiring subcommand, weights reset included', () => {
    const hint = socket.match(/usage_hint: "(.*)"/)?.[1] ?? '';
    for (const subcommand of Object.keys(HIRING_USAGE)) expect(hint).toMatch(new RegExp(`(^|\\| )${subcommand}\\b`));
    expect(hint).toContain('weights reset [job]');
  });

  it('differ only in the connection: Socket Mode, or three request URLs on one host to fill in', () => {
    const urls = [...http.matchAll(/(?:url|request_url): (\S+)/g)].map((match) => match[1]);
    expect(urls).toEqual(Array(3).fill('https://YOUR-HOST.example/slack/events'));
    expect(http).toMatch(/socket_mode_enabled: false/);
    expect(socket).toMatch(/socket_mode_enabled: true/);
    const shared = (text: string) =>
      withoutComments(text)
        .split('\n')
        .filter((line) => !/url: |socket_mode_enabled/.test(line))
        .join('\n');
    expect(shared(http)).toBe(shared(socket));
  });
});

describe('configuration documents', () => {
  it('.env.example and the README table list every variable the bot reads', () => {
    const example = read('.env.example');
    const readme = read('README.md');
    for (const name of CONFIG_VARIABLES) {
      expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(readme, name).toContain(`\`${name}\``);
    }
  });
});
