import { forbidden } from './errors.js';
import type { AccountRecord, TokenRecord } from './types.js';

export const SANDBOX_TOKENS = { owner: 'ot_pat_sandbox_owner', unclaimed: 'ot_pat_sandbox_unclaimed' } as const;

export const ALL_SCOPES = [
  'jobs:read',
  'jobs:write',
  'proposals:read',
  'proposals:write',
  'messages:read',
  'messages:write',
  'payments:read',
  'payments:write',
  'team:read',
  'team:write',
  'webhooks:manage',
] as const;

/** What an anonymous agent registration gets (docs/opentrain.md#scopes-claim-and-features). */
export const PRE_CLAIM_SCOPES = [
  'jobs:read',
  'jobs:write',
  'proposals:read',
  'messages:read',
  'payments:read',
  'team:read',
] as const;

/** What the claim exchange adds on top of the pre-claim set. */
const GRANTED_ON_CLAIM = new Set(['proposals:write', 'messages:write', 'team:write']);

export const FEATURE_KEYS = [
  'public_api_job_drafting',
  'public_api_job_publishing',
  'public_api_hiring',
  'public_api_messaging_writes',
  'public_api_team',
  'public_api_payments_write',
  'public_api_credits',
  'public_api_webhooks',
] as const;

export const CLAIM_URL = 'https://app.opentrain.ai/claim';

export interface Caller {
  token: TokenRecord;
  account: AccountRecord;
}

export interface AccessRule {
  /** Every one of these is required. */
  scopes?: string[];
  /** At least one of these is required (GET /updates). */
  anyScope?: string[];
  feature?: string;
  /** Claim-gated: the human phrase used in `details.action`, e.g. "hire AI trainers". */
  claimAction?: string;
}

function hasScope(token: TokenRecord, scope: string): boolean {
  if (token.scopes.includes(scope)) return true;
  // `X:write` implies `X:read`.
  const [resource, level] = scope.split(':');
  return level === 'read' && token.scopes.includes(`${resource}:write`);
}

/**
 * Applies the gates in the order scope → feature → claim. An unclaimed token lacking a scope that claiming would grant
 * passes the scope gate of a claim-gated endpoint so it reaches `account_claim_required` — the reason that tells the
 * human what to do (the docs show exactly that error for pre-claim agents, whose tokens never carry those scopes).
 */
export function authorize(caller: Caller, rule: AccessRule): void {
  const { token, account } = caller;
  const required = rule.scopes ?? [];
  const missing = required.filter(
    (scope) => !hasScope(token, scope) && !(rule.claimAction && !token.claimed && GRANTED_ON_CLAIM.has(scope)),
  );
  if (missing.length > 0) {
    throw forbidden(
      `This token is missing the required scope${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.`,
      {
        requiredScopes: required,
        grantedScopes: [...token.scopes],
      },
    );
  }
  if (rule.anyScope && !rule.anyScope.some((scope) => hasScope(token, scope))) {
    throw forbidden(`This token needs at least one of: ${rule.anyScope.join(', ')}.`, {
      requiredScopes: rule.anyScope,
      grantedScopes: [...token.scopes],
    });
  }
  if (rule.feature && !account.features.has(rule.feature)) {
    throw forbidden(`The ${rule.feature} feature is not enabled for this account.`, { featureKey: rule.feature });
  }
  if (rule.claimAction && !token.claimed) {
    throw forbidden(`A human must claim this agent account before it can ${rule.claimAction}.`, {
      reason: 'account_claim_required',
      action: rule.claimAction,
      claimUrl: CLAIM_URL,
    });
  }
}

export function canRead(token: TokenRecord, scope: string): boolean {
  return hasScope(token, scope);
}
