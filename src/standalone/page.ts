/**
 * @file The standalone classifier page: classifies texts (one per line) with the exported
 * classifier, with no polyclass, no network and no server for the n-gram student (it runs
 * from `file://`). A head on an embedding model loads the model copied beside it, which a
 * browser allows only over http: opened from disk, the page says so.
 */
import { openStudent } from '../lib/ml/student';
import { argmax } from '../lib/ml/training';
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
  const results = el('div', { id: 'results', 'aria-live': 'polite' });
  const form = el(
    'form',
    {},
    el('label', { for: 'texts' }, s.texts),
    input,
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
        const rows = probs.map((p, i) => {
          const best = argmax(p);
          const confidence = Math.round((p[best] as number) * 100);
          return el(
            'tr',
            {},
            el('td', { dir: 'auto' }, texts[i] as string),
            el('td', { class: 'label' }, student.labels[best] as string),
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
