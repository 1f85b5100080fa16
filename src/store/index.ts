export * from './schema.js';
export {
  decodeStore,
  migrate,
  Store,
  StoreClosedError,
  StoreCorruptError,
  type StoreOptions,
  StoreWriteError,
} from './store.js';
