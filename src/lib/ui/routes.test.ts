import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE, ROUTES, routeFromHash, routeSummary } from './routes';

describe('routes', () => {
  it('has the product’s nine views, the guided tour and the workshop welcome, each with a summary', () => {
    expect(ROUTES.map((r) => r.id)).toEqual([
      'tasks',
      'generate',
      'dataset',
      'label',
      'train',
      'evaluate',
      'playground',
      'models',
      'settings',
      'guide',
      'welcome',
    ]);
    for (const r of ROUTES) expect(routeSummary(r.id).length).toBeGreaterThan(10);
    expect(DEFAULT_ROUTE).toBe('tasks');
  });

  it('reads a route from a hash and rejects unknown ones', () => {
    expect(routeFromHash('#/train')).toBe('train');
    expect(routeFromHash('#train')).toBe('train');
    expect(routeFromHash('#/models/encoders?x=1')).toBe('models');
    expect(routeFromHash('#/nowhere')).toBeNull();
    expect(routeFromHash('')).toBeNull();
  });
});
