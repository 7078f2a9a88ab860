/**
 * @file The standalone classifier page: classifies texts (one per line) with the exported
 * classifier, with no polyclass, no network and no server for the n-gram student (it runs
 * from `file://`). A head on an embedding model loads the model copied beside it, which a
 * browser allows only over http: opened from disk, the page says so.
 */
import { answerOf, openStudent } from '../lib/ml/student';
import { STANDALONE_PATHS, type StandaloneData } from './data';

type Child = Node | string;

/** An element with attributes and children; text is always set as text, never as HTML. */
function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** `{name}` placeholders of a page string, filled. */
const fill = (s: string, values: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));

function main(data: StandaloneData): void {
  const s = data.strings;
  // A head's encoder is imported and loaded on the first texts, from the folder beside the page.
  const student = openStudent(data.classifier, (ref) =>
    import(/* @vite-ignore */ new URL(STANDALONE_PATHS.encoder, document.baseURI).href).then(
      (m: { openEncoder: typeof import('./encoder').openEncoder }) =>
        m.openEncoder(ref, document.baseURI, (p) => {
          status.textContent = fill(s.loading, { file: p.file });
        }),
    ),
  );
  document.documentElement.lang = data.lang;
  document.documentElement.dir = data.dir;
  document.title = data.title;
  const status = el('p', { role: 'status', id: 'status' });
  const input = el('textarea', { id: 'texts', rows: '6' }) as HTMLTextAreaElement;
  const button = el('button', { type: 'submit' }, s.classify) as HTMLButtonElement;
  // The "not sure" threshold, in percent (0: always answer); changing it re-labels what is shown.
  const threshold = el('input', {
    id: 'threshold',
    type: 'number',
    min: '0',
    max: '99',
    step: '1',
    value: String(Math.round(100 * (data.minConfidence || 0))),
  }) as HTMLInputElement;
  let shown: { texts: string[]; probs: Float64Array[] } | null = null;
  const results = el('div', { id: 'results', 'aria-live': 'polite' });
  const form = el(
    'form',
    {},
    el('label', { for: 'texts' }, s.texts),
    input,
    el('p', {}, el('label', { for: 'threshold' }, s.threshold), ' ', threshold),
    el('p', {}, button, ' ', el('button', { type: 'reset' }, s.clear)),
  );
  document.body.replaceChildren(
    el(
      'main',
      {},
      el('h1', {}, data.title),
      ...(data.description ? [el('p', {}, data.description)] : []),
      el('p', { class: 'note' }, s.intro),
      el(
        'details',
        {},
        el('summary', {}, s.labels),
        el('dl', {}, ...data.labels.flatMap((l) => [el('dt', {}, l.name), el('dd', {}, l.description || '—')])),
      ),
      form,
      status,
      results,
      el('p', { class: 'note' }, s.footer),
    ),
  );
  form.addEventListener('reset', () => {
    results.replaceChildren();
    status.textContent = '';
    shown = null;
  });

  /** The results table for texts and their probabilities, at the threshold now set. */
  const render = (texts: string[], probs: Float64Array[]) => {
    const min = Math.min(Math.max(Number(threshold.value) || 0, 0), 99) / 100;
    const rows = probs.map((p, i) => {
      const answer = answerOf(student.labels, p, min);
      const confidence = Math.round(answer.confidence * 100);
      return el(
        'tr',
        {},
        el('td', { dir: 'auto' }, texts[i] as string),
        answer.sure
          ? el('td', { class: 'label' }, answer.label)
          : el(
              'td',
              {},
              el('span', { class: 'label' }, s.notSure),
              el('br'),
              el('span', { class: 'note' }, fill(s.bestGuess, { label: answer.label, confidence })),
            ),
        el('td', {}, el('meter', { min: '0', max: '100', value: String(confidence) }), ` ${confidence}%`),
      );
    });
    results.replaceChildren(
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, el('th', {}, s.text), el('th', {}, s.label), el('th', {}, s.confidence))),
        el('tbody', {}, ...rows),
      ),
    );
  };
  threshold.addEventListener('input', () => {
    if (shown) render(shown.texts, shown.probs);
  });

  const needsEncoder = student.kind !== 'ngram';
  if (needsEncoder && location.protocol === 'file:') {
    status.textContent = s.needsServer;
    status.className = 'error';
    button.disabled = true;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const texts = input.value
      .split('\n')
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    if (texts.length === 0) {
      status.textContent = s.empty;
      return;
    }
    button.disabled = true;
    status.className = '';
    status.textContent = fill(s.loading, { file: '' });
    student
      .probabilities(texts)
      .then((probs) => {
        shown = { texts, probs };
        render(texts, probs);
        status.textContent = '';
      })
      .catch((error: unknown) => {
        status.className = 'error';
        status.textContent = fill(s.failed, { reason: (error as Error).message });
      })
      .finally(() => {
        button.disabled = needsEncoder && location.protocol === 'file:';
      });
  });
}

const data = (globalThis as { POLYCLASS?: StandaloneData }).POLYCLASS;
if (data) main(data);
else document.body.textContent = 'classifier.js is missing: keep every file of this folder together.';
