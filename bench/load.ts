// A lean load generator in its own process: reads pre-built, pre-signed Slack requests as JSON from stdin, sends
// them all at once over fresh connections (as Slack's many senders would), and prints each one's time to answer.
import { request } from 'node:http';
import type { SlackWireRequest } from '../src/sandbox/slack/signed-requests.js';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const requests = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SlackWireRequest[];

function send(wire: SlackWireRequest): Promise<{ status: number; ms: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(wire.body);
    const req = request(wire.url, {
      method: 'POST',
      agent: false,
      headers: { ...wire.headers, 'content-length': String(body.length) },
    });
    const started = performance.now();
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          ms: performance.now() - started,
          body: Buffer.concat(parts).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const results = await Promise.all(requests.map(send));
process.stdout.write(JSON.stringify(results));
