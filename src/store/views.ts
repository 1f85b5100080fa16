import type {
  FoundCard,
  NoticeDue,
  StoreData,
  StoredAsk,
  StoredCard,
  StoredConversation,
  StoredHire,
  StoredJob,
  StoredProposal,
} from './schema.js';

/**
 * What everyone outside the store sees: the data, read-only all the way down, so a write that bypasses the store's
 * named operations is a type error rather than a comment to remember.
 */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type StoreView = DeepReadonly<StoreData>;
export type ProposalView = DeepReadonly<StoredProposal>;
export type JobView = DeepReadonly<StoredJob>;
export type CardView = DeepReadonly<StoredCard>;
export type ConversationView = DeepReadonly<StoredConversation>;
export type FoundCardView = DeepReadonly<FoundCard>;
export type HireView = DeepReadonly<StoredHire>;
export type AskView = DeepReadonly<StoredAsk>;
export type NoticeDueView = DeepReadonly<NoticeDue>;
