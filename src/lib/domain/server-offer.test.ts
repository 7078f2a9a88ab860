import { describe, expect, it } from 'vitest';
import { effectiveModelSource, parseModelIndex, parseWorkshopInfo, secureAddress } from './server-offer';
import { DEFAULT_SETTINGS, normalizeSettings } from './settings';

const index = {
  version: 1,
  models: [{ id: 'Xenova/multilingual-e5-small', runtime: 'transformers', task: 'feature-extraction', dtypes: ['q8'] }],
  recordings: [],
};

describe('the server’s model folder', () => {
  it('reads a listing and refuses what is not one', () => {
    expect(parseModelIndex(index)).toEqual(index);
    expect(parseModelIndex({ ...index, version: 2 })).toBeNull();
    expect(parseModelIndex({ ...index, models: [{ id: '', runtime: 'transformers' }] })).toBeNull();
    expect(parseModelIndex('<!doctype html>')).toBeNull();
  });

  it('makes "automatic" the folder when it lists something, else the hub; a chosen source stays', () => {
    expect(DEFAULT_SETTINGS.modelSource).toEqual({ kind: 'auto' });
    const found = parseModelIndex(index);
    expect(effectiveModelSource({ kind: 'auto' }, found)).toEqual({ kind: 'folder', location: 'models/' });
    expect(effectiveModelSource({ kind: 'auto' }, null)).toEqual({ kind: 'hub' });
    expect(effectiveModelSource({ kind: 'auto' }, { version: 1, models: [], recordings: [] })).toEqual({ kind: 'hub' });
    expect(effectiveModelSource({ kind: 'auto' }, { version: 1, models: [], recordings: ['news.json'] })).toEqual({
      kind: 'folder',
      location: 'models/',
    });
    expect(effectiveModelSource({ kind: 'hub' }, found)).toEqual({ kind: 'hub' });
    expect(effectiveModelSource({ kind: 'folder', location: '/other/' }, found)).toEqual({
      kind: 'folder',
      location: '/other/',
    });
  });

  it('keeps a stored "automatic" choice and an older stored hub choice', () => {
    expect(normalizeSettings({ modelSource: { kind: 'auto' } }).modelSource).toEqual({ kind: 'auto' });
    expect(normalizeSettings({ modelSource: { kind: 'hub' } }).modelSource).toEqual({ kind: 'hub' });
  });
});

describe('the workshop server', () => {
  const info = { version: 1, httpsPort: 8443, httpPort: 8080, caFile: 'workshop-ca.crt' };

  it('reads its description and refuses a bad one', () => {
    expect(parseWorkshopInfo(info)).toEqual(info);
    expect(parseWorkshopInfo({ ...info, httpPort: null })).toEqual({ ...info, httpPort: null });
    expect(parseWorkshopInfo({ ...info, httpsPort: 70000 })).toBeNull();
    // The certificate is a file at the server's root, never another address.
    expect(parseWorkshopInfo({ ...info, caFile: 'https://elsewhere.example/ca.crt' })).toBeNull();
  });

  it('gives a plain-http page its secure address: same host and path, the https port', () => {
    const workshop = parseWorkshopInfo(info);
    if (!workshop) throw new Error('the description should be read');
    expect(secureAddress('http://192.168.1.20:8080/#/welcome', workshop)).toBe('https://192.168.1.20:8443/#/welcome');
    expect(secureAddress('http://teacher.local:8080/app/', { ...workshop, httpsPort: 443 })).toBe(
      'https://teacher.local/app/',
    );
  });
});
