/**
 * @file App settings as rune state, backed by IndexedDB. Every view reads settings here.
 */
import { t } from './i18n.svelte';
import { getContext, setContext } from 'svelte';
import { detectWebGpu } from '../backends/device-check';
import { chooseEncoderDevice, type EncoderDevice } from '../domain/device';
import {
  DEFAULT_SETTINGS,
  resolveModelSource,
  type AppSettings,
  type DevicePreference,
  type ModelSource,
} from '../domain/settings';
import { effectiveModelSource } from '../domain/server-offer';
import type { Database } from '../storage/db';
import { ServerOfferState } from './server-offer.svelte';
import { loadSettings, saveSettings } from '../storage/settings-repo';

export class SettingsState {
  #settings = $state<AppSettings>(structuredClone(DEFAULT_SETTINGS));
  #loaded = $state(false);
  /** The database once the stored settings have been read into the state (null: it did not open). */
  readonly #ready: Promise<Database | null>;
  /** What the server that sent the page offers: its model folder (for `auto`) and a workshop's addresses. */
  readonly server = new ServerOfferState();

  /** @param db the page's database; settings stay at their defaults if it never opens */
  constructor(db: Promise<Database>) {
    this.#ready = db
      .then(async (opened) => {
        this.#settings = await loadSettings(opened);
        this.#loaded = true;
        return opened;
      })
      .catch(() => null);
  }

  get settings(): AppSettings {
    return this.#settings;
  }

  /**
   * The model source in use, a model folder resolved against the page's address (what workers
   * load from): "automatic" is the server's model folder when it lists models, else the hub.
   */
  get modelSource(): ModelSource {
    return resolveModelSource(effectiveModelSource(this.#settings.modelSource, this.server.folder), document.baseURI);
  }

  /**
   * The device embeddings run on: the setting (or `preference`), falling back to wasm where
   * this browser has no usable WebGPU.
   */
  async encoderDevice(preference: DevicePreference = this.#settings.encoderDevice): Promise<EncoderDevice> {
    return chooseEncoderDevice(preference, await detectWebGpu());
  }

  /** Whether the stored settings have been read. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /**
   * Changes settings and saves them.
   * @returns an error sentence if saving failed (the change still applies to this visit)
   */
  async update(patch: Partial<AppSettings>): Promise<string | null> {
    // In use at once; saved once the stored settings are read (a change made while the database
    // still opens lands on them, rather than being said to fail or being overwritten by them).
    this.#settings = { ...this.#settings, ...patch };
    const db = await this.#ready;
    if (!db) return t('settings.noStorage');
    this.#settings = { ...this.#settings, ...patch };
    try {
      this.#settings = await saveSettings(db, $state.snapshot(this.#settings));
      return null;
    } catch (error) {
      return (error as Error).message;
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
