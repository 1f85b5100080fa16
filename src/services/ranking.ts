import { DEFAULT_WEIGHTS, type Proposal, type RankedProposal, type Weights } from '../domain.js';
import { own } from '../records.js';

// Composite ranking (docs/architecture.md#ranking): score = wI·interview + wM·match + wP·priceFit, every signal on
// 0–100. A missing signal drops out and the remaining weights are renormalised (the result is marked partial), so a
// candidate without an AI interview is neither punished with a zero nor boosted. Pure: no I/O, no Bolt.

type Signal = keyof Weights;

const SIGNALS: Signal[] = ['interview', 'match', 'price'];

/**
 * Rank one job's proposals, best first. Ties (equal scores, including two missing scores) go to the earlier
 * proposal; proposals with unparsable dates come after dated ones, then by id, so the order is always stable.
 */
export function rankProposals(proposals: Proposal[], weights: Weights): RankedProposal[] {
  const priceFits = priceFitByProposal(proposals);
  const scored = proposals.map((proposal) => {
    const priceFit = priceFits.get(proposal.id) ?? null;
    const signals: Record<Signal, number | null> = {
      interview: clampScore(proposal.interviewScore),
      match: clampScore(proposal.matchScore),
      price: priceFit,
    };
    let weighted = 0;
    let weightUsed = 0;
    let partial = false;
    for (const signal of SIGNALS) {
      const weight = safeWeight(weights[signal]);
      const value = signals[signal];
      if (value === null) {
        if (weight > 0) partial = true;
        continue;
      }
      weighted += weight * value;
      weightUsed += weight;
    }
    const score = weightUsed > 0 ? Math.round((weighted / weightUsed) * 10) / 10 : null;
    return { proposal, score, partial, priceFit, createdAtMs: Date.parse(proposal.createdAt) };
  });

  scored.sort((a, b) => {
    if (a.score !== b.score) {
      if (a.score === null) return 1;
      if (b.score === null) return -1;
      return b.score - a.score;
    }
    const aDated = Number.isFinite(a.createdAtMs);
    const bDated = Number.isFinite(b.createdAtMs);
    if (aDated !== bDated) return aDated ? -1 : 1;
    if (aDated && bDated && a.createdAtMs !== b.createdAtMs) return a.createdAtMs - b.createdAtMs;
    return a.proposal.id < b.proposal.id ? -1 : a.proposal.id > b.proposal.id ? 1 : 0;
  });

  return scored.map((entry, index) => ({
    proposalId: entry.proposal.id,
    score: entry.score,
    rank: index + 1,
    of: scored.length,
    partial: entry.partial,
    priceFit: entry.priceFit,
  }));
}

/**
 * 100·(maxBid − bid)/(maxBid − minBid) among bids of the same unit in the same job — a per-label bid is never
 * compared with an hourly one. 100 when the bid is the only one of its unit or all are equal; null without amount.
 */
function priceFitByProposal(proposals: Proposal[]): Map<string, number | null> {
  const groups = new Map<string, { id: string; amount: number }[]>();
  const fits = new Map<string, number | null>();
  for (const proposal of proposals) {
    const amount = proposal.bid.amountUsd;
    if (amount === null || !Number.isFinite(amount)) {
      fits.set(proposal.id, null);
      continue;
    }
    const key = `${proposal.jobId}\u0000${proposal.bid.unit.trim().toUpperCase()}`;
    const group = groups.get(key) ?? [];
    group.push({ id: proposal.id, amount });
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const amounts = group.map((entry) => entry.amount);
    const min = Math.min(...amounts);
    const max = Math.max(...amounts);
    for (const entry of group) {
      fits.set(entry.id, max === min ? 100 : (100 * (max - entry.amount)) / (max - min));
    }
  }
  return fits;
}

function clampScore(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  return Math.min(100, Math.max(0, value));
}

function safeWeight(weight: number): number {
  return Number.isFinite(weight) && weight > 0 ? weight : 0;
}

/** The largest weight accepted: weights are relative, and a bound keeps sums and shares meaningful (no 1e308). */
export const MAX_WEIGHT = 100;
const ALLOWED =
  'Weights are relative shares: any numbers from 0 to 100, not all 0 (e.g. interview=0.5 match=0.3 price=0.2, or 50%).';

export type WeightsValidation = { ok: true; weights: Weights } | { ok: false; message: string };

/**
 * Weights must be finite numbers from 0 to MAX_WEIGHT and not all 0. Missing keys are taken from `base` (the current weights), so
 * `/hiring weights price=0` changes only the price weight. Weights need not add up to 1: ranking renormalises.
 */
export function validateWeights(weights: Partial<Weights>, base: Weights = DEFAULT_WEIGHTS): WeightsValidation {
  const merged: Weights = { ...base };
  for (const signal of SIGNALS) {
    const value = weights[signal];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_WEIGHT) {
      const got = typeof value === 'number' ? ` (got ${value})` : '';
      return { ok: false, message: `The ${signal} weight must be a number from 0 to ${MAX_WEIGHT}${got}. ${ALLOWED}` };
    }
    merged[signal] = value;
  }
  if (SIGNALS.every((signal) => merged[signal] === 0)) {
    return { ok: false, message: 'At least one weight must be above 0, or nothing could be ranked.' };
  }
  return { ok: true, weights: merged };
}

const WEIGHT_ALIASES: Record<string, Signal> = {
  interview: 'interview',
  i: 'interview',
  int: 'interview',
  match: 'match',
  m: 'match',
  price: 'price',
  p: 'price',
  pricefit: 'price',
  price_fit: 'price',
  bid: 'price',
};

/** "m: 0.3" → "m:0.3", only for weight names (a job title may hold a colon followed by a space). */
const WEIGHT_KEY_COLON = new RegExp(`(?<=^|\\s)(${Object.keys(WEIGHT_ALIASES).join('|')}):\\s+(?=[-+.\\d])`, 'gi');

/**
 * Read `interview=0.5 match=0.3 price=0.2` (aliases i/m/p, any order, any case, spaces around `=`, `i:0.5`,
 * percentages like `50%`). Tokens that aren't weights are returned in `rest` (e.g. a job name).
 */
export function parseWeightsArgs(tokens: string[]): { weights: Partial<Weights>; rest: string[] } | { error: string } {
  // Glue "interview = 0.5" / "interview= 0.5" / "interview =0.5" into one token first.
  const glued = tokens
    .join(' ')
    .replace(/\s*=\s*/g, '=')
    .replace(WEIGHT_KEY_COLON, '$1:')
    .split(/\s+/)
    .filter((token) => token.length > 0);
  const weights: Partial<Weights> = {};
  const rest: string[] = [];
  for (const token of glued) {
    const match = /^([a-z_]+)([=:])(.*)$/i.exec(token);
    const signal = match ? own(WEIGHT_ALIASES, match[1]!.toLowerCase()) : undefined;
    if (!match || (!signal && match[2] === ':')) {
      // Not a weight: part of the job reference (a title may hold a colon, a URL always does).
      rest.push(token);
      continue;
    }
    if (!signal) {
      const name = match[1]!.length > 40 ? `${match[1]!.slice(0, 40)}…` : match[1];
      return { error: `I don't know the weight \`${name}\` — use interview, match or price (or i, m, p).` };
    }
    const raw = match[3]!.trim();
    const percent = raw.endsWith('%');
    const number = Number(percent ? raw.slice(0, -1) : raw);
    if (raw === '' || raw === '%' || !Number.isFinite(number)) {
      return { error: `The ${signal} weight needs a number, e.g. ${signal}=0.3 (got \`${raw || 'nothing'}\`).` };
    }
    weights[signal] = percent ? number / 100 : number;
  }
  return { weights, rest };
}

/** "interview 0.5 · match 0.3 · price 0.2 (50% / 30% / 20%)". */
export function describeWeights(weights: Weights): string {
  const total = SIGNALS.reduce((sum, signal) => sum + safeWeight(weights[signal]), 0);
  const raw = SIGNALS.map((signal) => `${signal} ${weights[signal]}`).join(' · ');
  if (total <= 0) return raw;
  const shares = SIGNALS.map((signal) => `${Math.round((safeWeight(weights[signal]) / total) * 100)}%`).join(' / ');
  return `${raw} (${shares})`;
}
