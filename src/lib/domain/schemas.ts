/**
 * @file Schemas (valibot) for data entering polyclass from outside: imported rows and
 * project bundles. A failed check carries a {@link SchemaCode} as its message, with its
 * values in the issue (valibot's `requirement`, `expected`); `words/schema-issues.ts` turns
 * the first issue into a sentence that names the row and the field, in the UI's language.
 */
import * as v from 'valibot';
import { MAX_TEXT_LENGTH, SOURCES, SPLITS, UNLABELLED } from './sample';
import { TASK_LIMITS } from './task';
import { isReservedName } from './names';

/** Object keys that must never come from outside (prototype pollution). */
export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Nesting deeper than this is refused: no record of ours comes near it, and copying such a value (to a worker, into the database) would overflow the call stack. */
export const MAX_JSON_DEPTH = 100;

/** What is wrong with parsed JSON from outside: a forbidden key, or nesting too deep; `path` says where. */
export interface JsonProblem {
  problem: 'forbidden-key' | 'too-deep';
  path: string;
}

/**
 * Looks through parsed JSON for a forbidden key or nesting deeper than {@link MAX_JSON_DEPTH},
 * reporting the first a depth-first walk meets. Walks with its own stack, so a file nested
 * 200,000 levels deep is answered like any other instead of overflowing the call stack.
 */
export function inspectJson(value: unknown): JsonProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { value: here, path, depth } = top;
    if (here === null || typeof here !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { problem: 'too-deep', path };
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(here)) {
      for (let i = 0; i < here.length; i++) children.push({ value: here[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      for (const key of Object.keys(here)) {
        const at = path ? `${path}.${key}` : key;
        if ((FORBIDDEN_KEYS as readonly string[]).includes(key)) return { problem: 'forbidden-key', path: at };
        children.push({ value: (here as Record<string, unknown>)[key], path: at, depth: depth + 1 });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as (typeof children)[number]);
  }
  return null;
}

/**
 * What a check found wrong. Values come from the issue: `tooLong`, `tooMany`, `atMost` carry
 * the maximum and `atLeast` the minimum as `requirement`; `oneOf` lists the choices in `expected`.
 */
export const SCHEMA_CODES = [
  'tooLong',
  'tooMany',
  'empty',
  'noLanguage',
  'noLabel',
  'oneOf',
  'finite',
  'count',
  'wholeNumber',
  'atLeast',
  'atMost',
  'twoLabels',
  'uniqueLabels',
  'base64',
  'charRange',
  'studentKind',
  'predictions',
  'reservedName',
  'poolUnlabelled',
] as const satisfies readonly string[];
export type SchemaCode = (typeof SCHEMA_CODES)[number];

/** Whether an issue's message is one of our codes (valibot's own checks carry its English). */
export const isSchemaCode = (value: string): value is SchemaCode => (SCHEMA_CODES as readonly string[]).includes(value);

/** A code as a valibot message (a plain string, typed). */
export const code = (c: SchemaCode): SchemaCode => c;

const text = (max: number) => v.pipe(v.string(), v.maxLength(max, code('tooLong')));
const nonEmpty = (max: number) => v.pipe(text(max), v.trim(), v.minLength(1, code('empty')));
const timestamp = v.pipe(v.number(), v.integer(code('wholeNumber')), v.minValue(0, code('atLeast')));

/** A label name or language code: not empty, not too long, not a name JavaScript reserves. */
const taskName = (max: number) =>
  v.pipe(
    nonEmpty(max),
    v.check((name) => !isReservedName(name), code('reservedName')),
  );

export const TaskSchema = v.object({
  id: nonEmpty(100),
  name: nonEmpty(TASK_LIMITS.nameLength),
  description: text(TASK_LIMITS.descriptionLength),
  languages: v.pipe(
    v.array(v.object({ code: taskName(20), name: nonEmpty(120) })),
    v.minLength(1, code('noLanguage')),
    v.maxLength(TASK_LIMITS.languages, code('tooMany')),
  ),
  labels: v.pipe(
    v.array(
      v.object({ name: taskName(TASK_LIMITS.labelNameLength), description: text(TASK_LIMITS.labelDescriptionLength) }),
    ),
    v.minLength(1, code('noLabel')),
    v.maxLength(TASK_LIMITS.labels, code('tooMany')),
    v.check(
      (labels) => new Set(labels.map((l) => l.name.toLocaleLowerCase())).size === labels.length,
      code('uniqueLabels'),
    ),
  ),
  attribution: v.optional(text(2000)),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const SampleSchema = v.pipe(
  v.object({
    id: nonEmpty(100),
    taskId: nonEmpty(100),
    text: nonEmpty(MAX_TEXT_LENGTH),
    // Empty in the pool split (not labelled yet), and only there: checked below.
    label: v.pipe(text(TASK_LIMITS.labelNameLength), v.trim()),
    language: nonEmpty(20),
    split: v.picklist(SPLITS, code('oneOf')),
    source: v.picklist(SOURCES, code('oneOf')),
    jobId: v.nullable(v.string()),
    flags: v.array(v.string()),
    textHash: v.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    deletedAt: v.nullable(timestamp),
    meta: v.optional(v.record(v.string(), v.string())),
  }),
  v.forward(
    v.check((s) => s.split === 'pool' || s.label !== UNLABELLED, code('empty')),
    ['label'],
  ),
  v.forward(
    v.check((s) => s.split !== 'pool' || s.label === UNLABELLED, code('poolUnlabelled')),
    ['label'],
  ),
);

export type { InferOutput } from 'valibot';
