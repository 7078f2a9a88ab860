/**
 * @file Schemas (valibot) for data entering polyclass from outside: imported rows and
 * project bundles. Every rejection names the row and the field, in words a user can act on.
 */
import * as v from 'valibot';
import { message } from '../i18n/messages';
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
  v.pipe(
    v.string(),
    v.maxLength(max, () => message('valid.tooLong', { max })),
  );
const nonEmpty = (max: number) =>
  v.pipe(
    text(max),
    v.trim(),
    v.minLength(1, () => message('valid.empty')),
  );
const timestamp = v.pipe(v.number(), v.integer(), v.minValue(0));

export const TaskSchema = v.object({
  id: nonEmpty(100),
  name: nonEmpty(TASK_LIMITS.nameLength),
  description: text(TASK_LIMITS.descriptionLength),
  languages: v.pipe(
    v.array(v.object({ code: nonEmpty(20), name: nonEmpty(120) })),
    v.minLength(1, () => message('valid.noLanguage')),
    v.maxLength(TASK_LIMITS.languages),
  ),
  labels: v.pipe(
    v.array(
      v.object({ name: nonEmpty(TASK_LIMITS.labelNameLength), description: text(TASK_LIMITS.labelDescriptionLength) }),
    ),
    v.minLength(1, () => message('valid.noLabel')),
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
  split: v.picklist(SPLITS, () => message('valid.oneOf', { values: SPLITS.join(', ') })),
  source: v.picklist(SOURCES, () => message('valid.oneOf', { values: SOURCES.join(', ') })),
  jobId: v.nullable(v.string()),
  flags: v.array(v.string()),
  textHash: v.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  deletedAt: v.nullable(timestamp),
  meta: v.optional(v.record(v.string(), v.string())),
});

/**
 * Describes what went wrong in a sentence: `Row 12, field "label": is empty.`, in the UI's
 * language.
 * @param issues valibot issues
 * @param where the row or record, e.g. `Row 12` or `Sample 3 in samples.jsonl`
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], where: string): string {
  const first = issues[0];
  if (!first) return message('valid.invalid', { where });
  const path = v.getDotPath(first);
  // Type and key checks carry valibot's own English; the checks above carry ours.
  const what =
    first.kind === 'schema' && first.type !== 'picklist'
      ? first.input === undefined
        ? message('valid.missing')
        : message('valid.shouldBe', {
            expected: describeExpected(first.expected),
            received: describeReceived(first.input),
          })
      : first.message;
  return path ? message('valid.atField', { where, field: path, what }) : message('valid.at', { where, what });
}

const EXPECTED: Record<string, () => string> = {
  string: () => message('valid.aString'),
  number: () => message('valid.aNumber'),
  boolean: () => message('valid.aBoolean'),
  Array: () => message('valid.aList'),
  Object: () => message('valid.anObject'),
};

function describeExpected(expected: string | null): string {
  if (!expected) return message('valid.somethingElse');
  return expected
    .split(' | ')
    .map((token) => EXPECTED[token]?.() ?? token.replace(/"/g, ''))
    .join(message('valid.or'));
}

function describeReceived(input: unknown): string {
  if (input === undefined) return message('valid.gotMissing');
  if (input === null) return message('valid.gotNull');
  if (Array.isArray(input)) return message('valid.aList');
  if (typeof input === 'object') return message('valid.anObject');
  const kind =
    typeof input === 'boolean'
      ? message('valid.aTrueFalse')
      : (EXPECTED[typeof input]?.() ?? message('valid.somethingElse'));
  return message('valid.gotValue', { kind, value: JSON.stringify(input).slice(0, 30) });
}

export type { InferOutput } from 'valibot';
