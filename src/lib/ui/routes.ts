/**
 * @file The app's views, in the order of the user's path, with what each one is for.
 */

export const ROUTES = [
  {
    id: 'tasks',
    title: 'Tasks',
    summary: 'Define what to classify: languages, labels with descriptions, seed examples.',
    plan: [
      'Create, edit, duplicate and delete tasks.',
      'Pick target languages from all ISO 639-3 languages, including low-resource ones.',
      'Describe each label in a sentence; add seed examples per label and language.',
      'Import human-labelled data from CSV, TSV or JSONL.',
    ],
  },
  {
    id: 'generate',
    title: 'Generate',
    summary: 'Let an on-device LLM write labelled examples in your languages.',
    plan: [
      'Choose a generator that fits this device (WebLLM on WebGPU, or a smaller model on the CPU).',
      'Set samples per label and language, strategy, temperature and diversity.',
      'Quality filters reject empty, duplicate, wrong-language and label-leaking samples, and say why.',
      'Jobs save every accepted sample as they go and resume after a reload.',
    ],
  },
  {
    id: 'dataset',
    title: 'Dataset',
    summary: 'Import labelled data, see every sample and the counts per language and label, export the dataset.',
    plan: [
      'A fast table of samples, filtered by language, label, source and flag.',
      'Edit, relabel, delete and restore samples; see rejected ones with their reasons.',
      'Counts per language and label.',
    ],
  },
  {
    id: 'train',
    title: 'Train',
    summary: 'Train a small student classifier on the samples, in the browser.',
    plan: [
      'Pick an encoder (or the no-download character n-gram student) and a head.',
      'Watch loss and validation accuracy live; training stops early when it stops improving.',
      'Embeddings are cached, so training again never re-embeds.',
    ],
  },
  {
    id: 'evaluate',
    title: 'Evaluate',
    summary: 'Compare the LLM and the students on human-labelled test data.',
    plan: [
      'Run the LLM zero-shot, the LLM with synthetic examples, and every student on the human test set.',
      'Accuracy, macro-F1, per-language scores and confusion matrices, side by side.',
      'Export the comparison as a report.',
    ],
  },
  {
    id: 'playground',
    title: 'Playground',
    summary: 'Classify your own text or a whole file with a trained model.',
    plan: [
      'Type or paste text and see the label, the probability of each label and the time taken.',
      'Classify a whole CSV or JSONL file and download the predictions.',
      'Export a trained classifier as JSON or ONNX with a model card.',
    ],
  },
  {
    id: 'models',
    title: 'Models & storage',
    summary: 'What this device can run, which models are available, storage used.',
    plan: [],
  },
  { id: 'settings', title: 'Settings', summary: 'Where models come from and which device runs them.', plan: [] },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

export const DEFAULT_ROUTE: RouteId = 'tasks';

/** Reads a route id from a location hash such as `#/train`; unknown hashes give null. */
export function routeFromHash(hash: string): RouteId | null {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return ROUTES.find((r) => r.id === id)?.id ?? null;
}
