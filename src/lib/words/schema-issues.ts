/**
 * @file A failed schema check in a sentence, in the UI's language: `Row 12, field “label”:
 * is empty.` The schemas (`domain/schemas.ts`, `domain/record-schemas.ts`) carry codes; the
 * values come from the issue itself.
 */
import * as v from 'valibot';
import { message, type MessageKey } from '../i18n/messages';
import { isSchemaCode, type SchemaCode } from '../domain/schemas';

const CODES: Record<SchemaCode, MessageKey> = {
  tooLong: 'valid.tooLong',
  tooMany: 'valid.tooMany',
  empty: 'valid.empty',
  noLanguage: 'valid.noLanguage',
  noLabel: 'valid.noLabel',
  oneOf: 'valid.oneOf',
  finite: 'valid.finite',
  count: 'valid.count',
  wholeNumber: 'valid.wholeNumber',
  atLeast: 'valid.atLeast',
  atMost: 'valid.atMost',
  twoLabels: 'valid.twoLabels',
  uniqueLabels: 'valid.uniqueLabels',
  base64: 'valid.base64',
  charRange: 'valid.charRange',
  studentKind: 'valid.studentKind',
  predictions: 'valid.predictions',
  reservedName: 'valid.reservedName',
  poolUnlabelled: 'valid.poolUnlabelled',
};

/**
 * Describes what went wrong in a sentence: `Row 12, field “label”: is empty.`
 * @param issues valibot issues
 * @param where the row or record, e.g. `Row 12` or `Sample 3 in samples.jsonl`
 */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[], where: string): string {
  const first = issues[0];
  if (!first) return message('valid.invalid', { where });
  const path = v.getDotPath(first);
  const what = isSchemaCode(first.message)
    ? describeCode(first.message, first)
    : first.kind === 'schema'
      ? first.input === undefined
        ? message('valid.missing')
        : message('valid.shouldBe', {
            expected: describeExpected(first.expected),
            received: describeReceived(first.input),
          })
      : // A check without a code of ours: valibot's own English.
        first.message;
  return path ? message('valid.atField', { where, field: path, what }) : message('valid.at', { where, what });
}

function describeCode(code: SchemaCode, issue: v.BaseIssue<unknown>): string {
  const bound = Number((issue as { requirement?: unknown }).requirement);
  switch (code) {
    case 'tooLong':
    case 'tooMany':
    case 'atMost':
      return message(CODES[code], { max: bound });
    case 'atLeast':
      return message(CODES[code], { min: bound });
    case 'oneOf':
      // valibot writes the choices as `("train" | "test")`.
      return message(CODES[code], { values: (issue.expected ?? '').replace(/["()]/g, '').split(' | ').join(', ') });
    default:
      return message(CODES[code]);
  }
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
