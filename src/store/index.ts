export * from './schema.js';
export {
  BUILD,
  type BadRecord,
  type DecodeReport,
  decodeStore,
  decodeStoreText,
  migrate,
  StoreVersionError,
} from './codec.js';
export { Store, StoreClosedError, type StoreOptions, StoreWriteError } from './store.js';
