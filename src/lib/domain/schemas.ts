/**
 * @file Schemas (valibot) for data entering polyclass from outside: imported rows and
 * project bundles. Every rejection names the row and the field, in words a user can act on.
 */
import * as v from 'valibot';
import { MAX_TEXT_LENGTH, SOURCES, SPLITS } from './sample';
import { TASK_LIMITS } from './task';

/** Object keys that must never come from outside (prototype pollution). */
export const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Finds a forbidden key anywhere in parsed JSON; returns its dotted path. */
export function findForbiddenKey(value: unknown, path = ''): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findForbiddenKey(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if ((FORBIDDEN_KEYS as readonly string[]).includes(key)) return here;
    const found = findForbiddenKey((value as Record<string, unknown>)[key], here);
    if (found) return found;
  }
  return null;
}

const text = (max: number) =>
  v.pipe(v.string(), v.maxLength(max, `is longer than ${max.toLocaleString('en')} characters`));
const nonEmpty = (max: number) => v.pipe(text(max), v.trim(), v.minLength(1, 'is empty'));
const timestamp = v.pipe(v.number(), v.integer(), v.minValue(0));

export const TaskSchema = v.object({
  id: nonEmpty(100),
  name: nonEmpty(TASK_LIMITS.nameLength),
  description: text(TASK_LIMITS.descriptionLength),
  languages: v.pipe(
    v.array(v.object({ code: nonEmpty(20), name: nonEmpty(120) })),
    v.minLength(1, 'has no language'),
    v.maxLength(TASK_LIMITS.languages),
  ),
  labels: v.pipe(
    v.array(
      v.object({ name: nonEmpty(TASK_LIMITS.labelNameLength), description: text(TASK_LIMITS.labelDescriptionLength) }),
    ),
    v.minLength(1, 'has no label'),
    v.maxLength(TASK_LIMITS.labels),
  ),
  attribution: v.optional(text(2000)),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const SampleSchema = v.object({
  id: nonEmpty(100),
  taskId: nonEmpty(100),
  text: nonEmpty(MAX_TEXT_LENGTH),
  label: nonEmpty(TASK_LIMITS.labelNameLength),
  language: nonEmpty(20),
  split: v.picklist(SPLITS, `must be one of ${SPLITS.join(', ')}`),
  source: v.picklist(SOURCES, `must be one of ${SOURCES.join(', ')}`),
  jobId: v.nullable(v.string()),
  flags: v.array(v.string()),
  textHash: v.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  deletedAt: v.nullable(timestamp),
  meta: v.optional(v.record(v.string(), v.string())),
});

/** Records a later version stores in full; checked for their identity fields only, for now. */
export const TaskRecordSchema = v.looseObject({ id: nonEmpty(100), taskId: nonEmpty(100), createdAt: timestamp });

/**
 * Describes what went wrong in a sentence: `row 12, field "label": is empty`.
 * @param issues valibot issues
 * @param where the row or record, e.g. `Row 12` or `Sample 3 in samples.jsonl`
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], where: string): string {
  const first = issues[0];
  if (!first) return `${where} is not valid.`;
  const path = v.getDotPath(first);
  const what = first.message.startsWith('Invalid type')
    ? `should be ${describeExpected(first.expected)}, not ${describeReceived(first.input)}`
    : first.message.startsWith('Invalid key')
      ? 'is missing'
      : first.message;
  return path ? `${where}, field “${path}”: ${what}.` : `${where}: ${what}.`;
}

function describeExpected(expected: string | null): string {
  if (!expected) return 'something else';
  return expected
    .replace(/"/g, '')
    .replace('Array', 'a list')
    .replace('Object', 'an object')
    .replace(/^(string|number)$/, 'a $1');
}

function describeReceived(input: unknown): string {
  if (input === undefined) return 'missing';
  if (input === null) return 'empty (null)';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'object' ? 'an object' : `a ${typeof input} (${JSON.stringify(input).slice(0, 30)})`;
}

export type { InferOutput } from 'valibot';
