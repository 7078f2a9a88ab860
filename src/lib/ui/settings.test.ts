import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../storage/db';
import { loadSettings, saveSettings } from '../storage/settings-repo';
import { DEFAULT_SETTINGS } from '../domain/settings';
import { SettingsState } from './settings.svelte';

/** A database that opens only when `open` is called, with stored settings in it. */
async function slowDatabase() {
  const db = await openDatabase({}, `settings-${Math.random()}`);
  await saveSettings(db, { ...DEFAULT_SETTINGS, teachingMode: true });
  let open: () => void = () => undefined;
  const opened = new Promise<Database>((resolve) => (open = () => resolve(db)));
  return { db, opened, open: () => open() };
}

describe('SettingsState', () => {
  // The page's address and a server that offers no model folder (the state asks it at start).
  beforeEach(() => {
    vi.stubGlobal('document', { baseURI: 'http://localhost/' });
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('not found', { status: 404 })));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('saves a change made while the database still opens, over the stored settings', async () => {
    const { db, opened, open } = await slowDatabase();
    const state = new SettingsState(opened);
    const saving = state.update({ modelSource: { kind: 'hub' } });
    // In use at once, before anything is stored.
    expect(state.settings.modelSource).toEqual({ kind: 'hub' });
    open();
    // Not "storage is not available": the change waits for the database and is stored.
    await expect(saving).resolves.toBeNull();
    const stored = await loadSettings(db);
    expect(stored.modelSource).toEqual({ kind: 'hub' });
    // The stored settings it did not change are kept (not reset to the defaults).
    expect(stored.teachingMode).toBe(true);
    expect(state.settings).toMatchObject({ modelSource: { kind: 'hub' }, teachingMode: true });
    expect(state.loaded).toBe(true);
  });

  it('says storage is missing when the database does not open, and keeps the change for this visit', async () => {
    const state = new SettingsState(Promise.reject(new Error('blocked')));
    expect(await state.update({ encoderDevice: 'wasm' })).toBe(
      'Storage is not available: this change lasts until you close the page.',
    );
    expect(state.settings.encoderDevice).toBe('wasm');
  });
});
