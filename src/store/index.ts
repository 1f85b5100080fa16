export { AskRecords, MAX_ASKS_PER_PROPOSAL } from './ask-records.js';
export {
  type BadRecord,
  BUILD,
  type DecodeReport,
  decodeStore,
  decodeStoreText,
  migrate,
  StoreVersionError,
} from './codec.js';
export { HireRecords } from './hire-records.js';
export { NoticeRecords } from './notice-records.js';
export * from './operations.js';
export * from './schema.js';
export { KEPT_SHORTLISTS, ShortlistRecords } from './shortlists.js';
export { Store, StoreClosedError, type StoreOptions, StoreWriteError } from './store.js';
export { applySyncCommit, emptySyncCommit, type SyncCommit } from './sync-commit.js';
export type * from './views.js';
