/**
 * @file The one IndexedDB database of polyclass: schema, versions and migrations.
 *
 * DO NOT RENAME stores or indexes without a migration: users' data lives under these names.
 * Each version adds an `if (oldVersion < N)` step to `upgrade`; steps never change.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { AppSettings } from '../domain/settings';

export const DB_NAME = 'polyclass';
/** Version 1: settings. Later versions add tasks, samples, embeddings, … (see docs/architecture.md). */
export const DB_VERSION = 1;

export const STORES = {
  settings: 'settings',
} as const;

/** Key of the app-wide settings record in the settings store. */
export const APP_SETTINGS_KEY = 'app';

export interface PolyclassDB extends DBSchema {
  settings: { key: string; value: AppSettings };
}

export type Database = IDBPDatabase<PolyclassDB>;

export interface OpenHandlers {
  /** Another tab holds an older version open and blocks our upgrade. */
  onBlocked?: () => void;
  /** The browser closed the connection (storage cleared, disk error). */
  onTerminated?: () => void;
}

/**
 * Opens (and upgrades) the database.
 * @param handlers states the UI should show
 * @param name database name; tests pass their own
 */
export function openDatabase(handlers: OpenHandlers = {}, name = DB_NAME): Promise<Database> {
  return openDB<PolyclassDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore(STORES.settings);
      }
    },
    blocked: () => handlers.onBlocked?.(),
    // A newer version opened in another tab: let it upgrade; this tab must reload.
    blocking(_current, _next, event) {
      (event.target as IDBDatabase).close();
    },
    terminated: () => handlers.onTerminated?.(),
  });
}
