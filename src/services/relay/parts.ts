import type { Logger } from '../../logger.js';
import type { Store } from '../../store/store.js';
import type { CardService } from '../cards.js';
import type { ConversationLinker } from './linker.js';
import type { CardThread } from './thread.js';

/** What the inbound relay and the outbound sender share (RelayService builds one of each). */
export interface RelayParts {
  store: Store;
  linker: ConversationLinker;
  thread: CardThread;
  /** A card shows the conversation's state (open, unread, awaiting a reply): it is re-rendered when that changes. */
  cards: Pick<CardService, 'requestUpdate'>;
  logger: Logger;
  clock: () => Date;
}
