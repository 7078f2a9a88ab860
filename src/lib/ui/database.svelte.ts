/**
 * @file The page's one connection to IndexedDB, and the storage problems the UI must show
 * (another tab blocking an upgrade, a newer version open elsewhere, storage cleared).
 */
import { t } from './i18n.svelte';
import { getContext, setContext } from 'svelte';
import { openDatabase, type Database } from '../storage/db';

export type DatabaseStatus = 'opening' | 'ready' | 'blocked' | 'outdated' | 'failed';

export class DatabaseState {
  #status = $state<DatabaseStatus>('opening');
  #message = $state<string | null>(null);
  readonly ready: Promise<Database>;

  constructor(open: typeof openDatabase = openDatabase) {
    this.ready = open({
      onBlocked: () => this.#set('blocked', t('db.blocked')),
      onVersionChange: () => this.#set('outdated', t('db.outdated')),
      onTerminated: () => this.#set('failed', t('db.terminated')),
    }).then(
      (db) => {
        this.#set('ready', null);
        return db;
      },
      (error: unknown) => {
        this.#set('failed', t('db.unavailable', { error: (error as Error).message }));
        throw error;
      },
    );
    // The UI shows the message; keep the rejection from being reported as unhandled.
    this.ready.catch(() => undefined);
  }

  get status(): DatabaseStatus {
    return this.#status;
  }

  /** A sentence for the user when storage is not usable, else null. */
  get message(): string | null {
    return this.#message;
  }

  #set(status: DatabaseStatus, message: string | null): void {
    this.#status = status;
    this.#message = message;
  }
}

const KEY = Symbol('database');

export function setDatabaseContext(state: DatabaseState): DatabaseState {
  return setContext(KEY, state);
}

export function getDatabaseContext(): DatabaseState {
  return getContext<DatabaseState>(KEY);
}
