/**
 * @file Reads and writes the app settings record.
 */
import { DEFAULT_SETTINGS, normalizeSettings, type AppSettings } from '../domain/settings';
import { APP_SETTINGS_KEY, STORES, type Database } from './db';
import { guardQuota } from './quota-guard';

/** The stored settings, or the defaults when none were saved yet. */
export async function loadSettings(db: Database): Promise<AppSettings> {
  const raw = await db.get(STORES.settings, APP_SETTINGS_KEY);
  return raw === undefined ? structuredClone(DEFAULT_SETTINGS) : normalizeSettings(raw);
}

/** Saves settings (normalized first, so nothing invalid is ever stored). */
export async function saveSettings(db: Database, settings: AppSettings): Promise<AppSettings> {
  const clean = normalizeSettings(settings);
  await guardQuota('quota.settings', () => db.put(STORES.settings, clean, APP_SETTINGS_KEY));
  return clean;
}
