/**
 * @file The app's views, in the order of the user's path, with what each one is for.
 */

export const ROUTES = [
  {
    id: 'tasks',
    title: 'Tasks',
    summary: 'Define what to classify: languages, labels with descriptions, seed examples.',
  },
  {
    id: 'generate',
    title: 'Generate',
    summary: 'Let an on-device LLM write labelled examples in your languages.',
  },
  {
    id: 'dataset',
    title: 'Dataset',
    summary: 'Import labelled data, see every sample and the counts per language and label, export the dataset.',
  },
  {
    id: 'train',
    title: 'Train',
    summary: 'Train a small student classifier on the samples, in the browser.',
  },
  {
    id: 'evaluate',
    title: 'Evaluate',
    summary: 'Compare the LLM and the students on human-labelled test data.',
  },
  {
    id: 'playground',
    title: 'Playground',
    summary: 'Classify your own text or a whole file with a trained model.',
  },
  {
    id: 'models',
    title: 'Models & storage',
    summary: 'What this device can run, which models are available, storage used.',
  },
  { id: 'settings', title: 'Settings', summary: 'Where models come from and which device runs them.' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export const DEFAULT_ROUTE: RouteId = 'tasks';

/** Reads a route id from a location hash such as `#/train`; unknown hashes give null. */
export function routeFromHash(hash: string): RouteId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return ROUTES.find((r) => r.id === id)?.id ?? null;
}
