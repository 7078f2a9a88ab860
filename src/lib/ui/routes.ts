/**
 * @file The app's views, in the order of the user's path. Their titles and summaries are
 * messages (`route.<id>.title`, `route.<id>.summary`) in the UI language.
 */

import { t } from './i18n.svelte';

export const ROUTES = [
  { id: 'tasks' },
  { id: 'generate' },
  { id: 'dataset' },
  // People label the pool's most useful texts (issue 19).
  { id: 'label' },
  { id: 'train' },
  { id: 'evaluate' },
  { id: 'playground' },
  { id: 'models' },
  { id: 'settings' },
  // Teaching mode's guided tour: in the navigation only when teaching mode is on.
  { id: 'guide' },
  // A workshop participant's first page (issue 21): never in the navigation; the workshop
  // server's first address, the insecure-page banner and Settings link to it.
  { id: 'welcome' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export const DEFAULT_ROUTE: RouteId = 'tasks';

/** Reads a route id from a location hash such as `#/train`; unknown hashes give null. */
export function routeFromHash(hash: string): RouteId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return ROUTES.find((r) => r.id === id)?.id ?? null;
}

/** A view's title in the UI language. */
export const routeTitle = (id: RouteId): string => t(`route.${id}.title`);

/** What a view is for, in the UI language. */
export const routeSummary = (id: RouteId): string => t(`route.${id}.summary`);
