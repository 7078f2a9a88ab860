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
      minConfidence: 0,
    });
    expect(normalizeSettings({ ...stored, airplaneMode: true }).airplaneMode).toBe(true);
    expect(normalizeSettings({ ...stored, airplaneMode: 'yes' }).airplaneMode).toBe(false);
    // A "not sure" threshold outside 0–0.99 falls back to always answering.
    expect(normalizeSettings({ ...stored, minConfidence: 0.8 }).minConfidence).toBe(0.8);
    expect(normalizeSettings({ ...stored, minConfidence: 1.5 }).minConfidence).toBe(0);
    expect(normalizeSettings({ ...stored, minConfidence: '80%' }).minConfidence).toBe(0);
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
