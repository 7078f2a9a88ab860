/**
 * @file An import's outcome in the UI's language: why a row was skipped ("Row 5: the text is
 * empty") and the summary ("1,204 imported, 13 skipped: 9 empty text, 4 unknown label"). The
 * import reports codes with values (`domain/import-rows.ts`); they become sentences here.
 */
import type { ImportTally, RowSkip, SkippedRow, SkipReason, ValueKind } from '../domain/import-rows';
import { MAX_TEXT_LENGTH } from '../domain/sample';
import type { MessageKey } from '../i18n/messages';
import { t } from './i18n.svelte';

/** A skip reason's name in the UI language. */
export const skipReasonText = (reason: SkipReason): string =>
  t(`skip.${reason}`, reason === 'too-long' ? { max: MAX_TEXT_LENGTH } : undefined);

const KINDS: Record<ValueKind, MessageKey> = {
  list: 'row.kindList',
  empty: 'row.kindEmpty',
  object: 'row.kindObject',
  number: 'row.kindNumber',
  boolean: 'row.kindBoolean',
  other: 'row.kindOther',
};

/** Why a row was skipped: "“weather” is not a label of this task". */
export function describeRowSkip(skip: RowSkip): string {
  switch (skip.reason) {
    case 'malformed':
      return t('row.malformed');
    case 'invalid-utf8':
      return t('row.invalidUtf8');
    case 'binary':
      return t('row.binary');
    case 'empty-text':
      return t('row.emptyText');
    case 'missing-label':
      return t('row.emptyLabel');
    case 'missing-language':
      return t('row.noLanguage');
    case 'missing-split':
      return t('row.noSplit');
    case 'wrong-type':
      return t('row.wrongType', {
        field: skip.field,
        problem: t(skip.expected === 'text' ? 'row.shouldBeText' : 'row.shouldBeTextOrNumber'),
        kind: t(KINDS[skip.kind]),
      });
    case 'too-long':
      return t('row.tooLong', { count: skip.count });
    case 'unknown-label':
      return t('row.unknownLabel', { label: skip.label });
    case 'unknown-language':
      return t('row.unknownLanguage', { language: skip.language });
    case 'unknown-split':
      return t('row.unknownSplit', { split: skip.split });
  }
}

/** A skipped row where the file has it: "Row 3: “weather” is not a label of this task". */
export const describeSkippedRow = (row: SkippedRow): string =>
  t('row.where', { where: row.where, index: row.index, detail: describeRowSkip(row.skip) });

/** "1,204 imported, 13 skipped: 9 empty text, 4 unknown label". */
export function summarizeImport(tally: ImportTally): string {
  const parts = (Object.entries(tally.skipped) as [SkipReason, number][])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => t('import.skipPart', { count: n, reason: skipReasonText(reason) }));
  const skipped = parts.length ? Object.values(tally.skipped).reduce((a, b) => a + (b ?? 0), 0) : 0;
  return skipped > 0
    ? t('import.summarySkipped', { imported: tally.imported, skipped, reasons: parts.join(', ') })
    : t('import.summary', { imported: tally.imported });
}
