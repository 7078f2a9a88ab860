import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, normalizeSettings, resolveModelSource } from './settings';

describe('normalizeSettings', () => {
  it('keeps valid stored settings', () => {
    const stored = { modelSource: { kind: 'folder', location: ' /models/ ' }, encoderDevice: 'webgpu' };
    // Settings stored before airplane mode existed read with it off.
    expect(normalizeSettings(stored)).toEqual({
      modelSource: { kind: 'folder', location: '/models/' },
      encoderDevice: 'webgpu',
      airplaneMode: false,
      teachingMode: false,
    });
    expect(normalizeSettings({ ...stored, airplaneMode: true }).airplaneMode).toBe(true);
    expect(normalizeSettings({ ...stored, airplaneMode: 'yes' }).airplaneMode).toBe(false);
  });

  it('falls back to defaults for damaged or missing fields', () => {
    expect(normalizeSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(normalizeSettings({ modelSource: { kind: 'folder', location: '' }, encoderDevice: 'tpu' })).toEqual(
      DEFAULT_SETTINGS,
    );
    expect(normalizeSettings({ modelSource: 'hub' })).toEqual(DEFAULT_SETTINGS);
  });
});

describe('resolveModelSource', () => {
  it('returns a new plain object for the hub, which a worker can receive', () => {
    const stored = { kind: 'hub' as const };
    const resolved = resolveModelSource(stored, 'http://localhost/');
    expect(resolved).toEqual({ kind: 'hub' });
    expect(resolved).not.toBe(stored);
    expect(structuredClone(resolved)).toEqual(resolved);
  });

  it('makes a relative folder absolute against the page, with a trailing slash', () => {
    expect(
      resolveModelSource({ kind: 'folder', location: 'models' }, 'http://localhost:8080/workshop/index.html'),
    ).toEqual({
      kind: 'folder',
      location: 'http://localhost:8080/workshop/models/',
    });
    expect(resolveModelSource({ kind: 'folder', location: '/models/' }, 'http://localhost:8080/workshop/')).toEqual({
      kind: 'folder',
      location: 'http://localhost:8080/models/',
    });
  });

  it('leaves the hub alone', () => {
    expect(resolveModelSource({ kind: 'hub' }, 'http://localhost/')).toEqual({ kind: 'hub' });
  });
});
