/**
 * @file App settings as rune state, backed by IndexedDB. Every view reads settings here.
 */
import { getContext, setContext } from 'svelte';
import { DEFAULT_SETTINGS, type AppSettings } from '../domain/settings';
import { openDatabase, type Database } from '../storage/db';
import { loadSettings, saveSettings } from '../storage/settings-repo';

export type StorageStatus = 'opening' | 'ready' | 'blocked' | 'failed';

export class SettingsState {
  #settings = $state<AppSettings>(structuredClone(DEFAULT_SETTINGS));
  #status = $state<StorageStatus>('opening');
  #message = $state<string | null>(null);
  #db: Database | null = null;

  get settings(): AppSettings {
    return this.#settings;
  }

  get status(): StorageStatus {
    return this.#status;
  }

  /** A sentence for the user when storage is not usable, else null. */
  get message(): string | null {
    return this.#message;
  }

  /** Opens the database and reads the settings; the app runs on defaults if that fails. */
  async init(): Promise<void> {
    try {
      this.#db = await openDatabase({
        onBlocked: () => {
          this.#status = 'blocked';
          this.#message = 'polyclass is open in another tab with an older version. Close that tab to continue.';
        },
        onTerminated: () => {
          this.#status = 'failed';
          this.#message = 'The browser closed polyclass’s storage (it may have been cleared). Reload the page.';
        },
      });
      this.#settings = await loadSettings(this.#db);
      this.#status = 'ready';
      this.#message = null;
    } catch (error) {
      this.#status = 'failed';
      this.#message = `Storage is not available, so settings will not be kept: ${(error as Error).message}`;
    }
  }

  /**
   * Changes settings and saves them.
   * @returns an error sentence if saving failed (the change still applies to this visit)
   */
  async update(patch: Partial<AppSettings>): Promise<string | null> {
    this.#settings = { ...this.#settings, ...patch };
    if (!this.#db) return 'Storage is not available: this change lasts until you close the page.';
    try {
      this.#settings = await saveSettings(this.#db, $state.snapshot(this.#settings));
      return null;
    } catch (error) {
      const e = error as Error;
      return e.name === 'QuotaExceededError'
        ? 'The browser’s storage is full, so the setting was not saved. Free space in Models & storage.'
        : `The setting was not saved: ${e.message}`;
    }
  }
}

const KEY = Symbol('settings');

/** Makes the settings available to child components. */
export function setSettingsContext(state: SettingsState): SettingsState {
  return setContext(KEY, state);
}

/** The settings of the enclosing app. */
export function getSettingsContext(): SettingsState {
  return getContext<SettingsState>(KEY);
}
