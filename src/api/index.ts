// Public surface of the OpenTrain client. Import from here ('../api/index.js'), not from the files behind it.

export {
  type AuthIdentity,
  type Capabilities,
  type ConversationFilter,
  type ConversationStart,
  type ConversationsPage,
  ENDPOINT_FEATURES,
  type HireMilestone,
  type InviteResult,
  type JobsPage,
  type MessageDirection,
  type MessagesPage,
  OpenTrainClient,
  type OpenTrainClientOptions,
  type ProposalsPage,
  parseWebhookEvent,
  type UpdatesPage,
} from './client.js';
export {
  codeForStatus,
  describeError,
  errorLogFields,
  logOpenTrainFailure,
  OpenTrainError,
  type OpenTrainErrorCode,
  type OpenTrainErrorInit,
  outcomeUnknown,
} from './errors.js';
export {
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type HttpMethod,
  type HttpRequest,
  type HttpResponse,
  OpenTrainHttp,
  type OpenTrainHttpOptions,
  type QueryValue,
  type RequestAttemptInfo,
  type RetryOptions,
} from './http.js';
export {
  composeDisplayName,
  normalizeBidUnit,
  normalizeInterviewScore,
  normalizeMatchScore,
  normalizeTalentType,
  sortChronologically,
  toChatMessage,
  toConversationSummary,
  toFreelancerProfile,
  toJob,
  toPlatformEvent,
  toProposal,
  toTranscript,
} from './normalize.js';
export { consumedPercent, toContract, toPendingPayment } from './normalize-contracts.js';
export * from './schemas.js';
