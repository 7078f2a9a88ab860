import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { APP_SETTINGS_KEY, openDatabase, STORES } from './db';
import { loadSettings, saveSettings } from './settings-repo';

let n = 0;
const freshDb = () => openDatabase({}, `settings-test-${n++}`);

describe('settings repository', () => {
  it('gives defaults before anything is saved', async () => {
    const db = await freshDb();
    expect(await loadSettings(db)).toEqual(DEFAULT_SETTINGS);
    db.close();
  });

  it('saves and reads back settings', async () => {
    const db = await freshDb();
    await saveSettings(db, {
      modelSource: { kind: 'folder', location: 'models/' },
      encoderDevice: 'wasm',
      airplaneMode: true,
      teachingMode: true,
      minConfidence: 0.75,
    });
    expect(await loadSettings(db)).toEqual({
      modelSource: { kind: 'folder', location: 'models/' },
      encoderDevice: 'wasm',
      airplaneMode: true,
      teachingMode: true,
      minConfidence: 0.75,
    });
    db.close();
  });

  it('reads a damaged record as defaults instead of failing', async () => {
    const db = await freshDb();
    await db.put(STORES.settings, { modelSource: 42 } as never, APP_SETTINGS_KEY);
    expect(await loadSettings(db)).toEqual(DEFAULT_SETTINGS);
    db.close();
  });
});
