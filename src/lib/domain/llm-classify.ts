/**
 * @file The LLM as a classifier, the baseline the paper compares students with: zero-shot from
 * the label names and descriptions, or with k synthetic in-context examples per label. Answers
 * are constrained to the label set where the engine can (JSON schema enum) and parsed
 * tolerantly where it cannot; an answer that names no label, or several, is *invalid* and is
 * counted as a wrong prediction, never dropped.
 */
import type { ChatMessage } from './prompts';
import type { Task, TaskLanguage } from './task';

/** Bump when the wording changes; stored with every evaluation run. */
export const CLASSIFY_TEMPLATE_VERSION = 1;

/** How in-context examples are chosen for each test text (see ml/icl-examples.ts). */
export type ExampleSelection = 'random' | 'similar';

export interface IclExample {
  text: string;
  label: string;
}

/** JSON schema of the answer: one label of the task. */
export function classificationSchema(labels: readonly string[]): object {
  return {
    type: 'object',
    properties: { label: { type: 'string', enum: [...labels] } },
    required: ['label'],
  };
}

/**
 * Messages asking for the label of one text.
 * @param examples in-context examples (empty for zero-shot), shown as earlier turns of the chat
 */
export function buildClassificationMessages(
  task: Pick<Task, 'name' | 'description' | 'labels'>,
  language: TaskLanguage,
  text: string,
  examples: readonly IclExample[] = [],
): ChatMessage[] {
  const labels = task.labels.map((l) => `- ${l.name}${l.description ? `: ${l.description}` : ''}`).join('\n');
  const system = [
    `You are a text classifier${task.description ? ` for this task: ${task.description.replace(/\.?$/, '.')}` : '.'}`,
    `Texts are in ${language.name}. Give each text exactly one of these classes:\n${labels}`,
    `Answer with JSON only, in this form: {"label": "<class>"}`,
  ].join('\n');
  const ask = (t: string) => `Text: ${t}\nClass?`;
  const messages: ChatMessage[] = [{ role: 'system', content: system }];
  for (const e of examples) {
    messages.push({ role: 'user', content: ask(e.text) });
    messages.push({ role: 'assistant', content: JSON.stringify({ label: e.label }) });
  }
  messages.push({ role: 'user', content: ask(text) });
  return messages;
}

/** Why an answer names no label of the task, with what the sentence about it needs. */
export type InvalidAnswer =
  | { code: 'no-answer' | 'no-label' }
  /** Imported answers (domain/answers.ts): the file has no row for this test text. */
  | { code: 'not-in-file' }
  | { code: 'not-a-label'; named: string }
  | { code: 'several-labels'; labels: string[] };

export type ParsedClassification = { label: string; invalid?: undefined } | { label: null; invalid: InvalidAnswer };

const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase('und').trim();

/** A label's whole-word pattern: once to find it, once (global) to blank it out. */
interface LabelPattern {
  label: string;
  find: RegExp;
  all: RegExp;
}

/** A label set made ready for reading answers: each label by its folded name, and its patterns. */
interface LabelReader {
  byFold: Map<string, string>;
  patterns: LabelPattern[];
}

/** The label sets read lately (a run or a view reads one set thousands of times). */
const readers = new Map<string, LabelReader>();

/** A label set's reader; made once per set. */
function labelReader(labels: readonly string[]): LabelReader {
  const key = labels.join('\u0000');
  const cached = readers.get(key);
  if (cached) return cached;
  const patterns = [...labels]
    .sort((a, b) => b.length - a.length)
    .map((label) => {
      const name = fold(label).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const source = `(^|[^\\p{L}\\p{N}_])${name}(?=$|[^\\p{L}\\p{N}_])`;
      return { label, find: new RegExp(source, 'u'), all: new RegExp(source, 'gu') };
    });
  const reader = { byFold: new Map(labels.map((l) => [fold(l), l])), patterns };
  if (readers.size >= 16) readers.delete(readers.keys().next().value as string);
  readers.set(key, reader);
  return reader;
}

/** The labels named in a free-form answer, as whole words (longest names first, no overlaps). */
function labelsMentioned(answer: string, labels: readonly string[]): string[] {
  let rest = fold(answer);
  const found: string[] = [];
  for (const { label, find, all } of labelReader(labels).patterns) {
    if (find.test(rest)) {
      found.push(label);
      rest = rest.replace(all, '$1 ');
    }
  }
  return found;
}

/**
 * Reads a label from a model's answer: JSON (`{"label": …}`, also `class`/`category`, also in a
 * code fence), a bare label, or a sentence that names exactly one label.
 * @param answer the model's whole answer
 * @param labels the task's labels
 */
export function parseClassification(answer: string, labels: readonly string[]): ParsedClassification {
  const { byFold } = labelReader(labels);
  const trimmed = answer.trim();
  if (!trimmed) return { label: null, invalid: { code: 'no-answer' } };
  const json = trimmed.match(/\{[\s\S]*?\}/);
  if (json) {
    try {
      const value = JSON.parse(json[0]) as Record<string, unknown>;
      const named = value.label ?? value.class ?? value.category ?? value.answer;
      if (typeof named === 'string') {
        const exact = byFold.get(fold(named));
        if (exact) return { label: exact };
        const inside = labelsMentioned(named, labels);
        if (inside.length === 1) return { label: inside[0] as string };
        return { label: null, invalid: { code: 'not-a-label', named: named.slice(0, 40) } };
      }
    } catch {
      // Not JSON after all: read it as text below.
    }
  }
  const bare = byFold.get(fold(trimmed.replace(/^["'“”‘’`*\s]+|["'“”‘’`*.!\s]+$/gu, '')));
  if (bare) return { label: bare };
  const mentioned = labelsMentioned(trimmed, labels);
  if (mentioned.length === 1) return { label: mentioned[0] as string };
  if (mentioned.length > 1) return { label: null, invalid: { code: 'several-labels', labels: mentioned } };
  return { label: null, invalid: { code: 'no-label' } };
}
