import { describe, expect, it } from 'vitest';
import { CardLinks } from '../../src/services/card-links.js';

function slackAnswering(answers: (string | null)[]) {
  const asked: string[] = [];
  return {
    asked,
    permalink: async (channel: string, ts: string) => {
      asked.push(`${channel}:${ts}`);
      return answers.shift() ?? null;
    },
  };
}

describe('CardLinks: the permalinks App Home and the shortlists share', () => {
  it('asks Slack once per card, whoever asks', async () => {
    const slack = slackAnswering(['https://slack.test/archives/C1/p1']);
    const links = new CardLinks(slack, 10);
    expect(await links.of('C1', '1.0')).toBe('https://slack.test/archives/C1/p1');
    expect(await links.of('C1', '1.0')).toBe('https://slack.test/archives/C1/p1');
    expect(slack.asked).toEqual(['C1:1.0']);
  });

  it('does not remember a missing answer: the next call asks again', async () => {
    const slack = slackAnswering([null, 'https://slack.test/archives/C1/p2']);
    const links = new CardLinks(slack, 10);
    expect(await links.of('C1', '2.0')).toBeNull();
    expect(await links.of('C1', '2.0')).toBe('https://slack.test/archives/C1/p2');
    expect(slack.asked).toEqual(['C1:2.0', 'C1:2.0']);
  });

  it('starts over past its size', async () => {
    const slack = slackAnswering(['a', 'b', 'c']);
    const links = new CardLinks(slack, 1);
    await links.of('C1', '1.0');
    await links.of('C1', '2.0');
    await links.of('C1', '1.0');
    expect(slack.asked).toEqual(['C1:1.0', 'C1:2.0', 'C1:1.0']);
  });
});
