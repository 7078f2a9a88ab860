/**
 * @file Why a generated text was rejected, why an LLM's answer named no label, what was
 * repaired in a generated answer, and why a model cannot run here (preflight), in the UI's
 * language: the domain keeps these as codes with
 * values (what samples and runs store), and they become sentences here, when shown.
 */
import type { ErrorCode } from '../domain/errors';
import type { Rejection } from '../domain/filters';
import type { InvalidAnswer } from '../domain/llm-classify';
import type { ParseProblem } from '../domain/parse';
import type { PreflightIssue } from '../domain/preflight';
import { formatBytes } from '../domain/format';
import { t } from './i18n.svelte';

/** Why a text was rejected, in the UI's language: "too short: 2 words; at least 3 are needed". */
export function describeRejection(r: Rejection | null): string {
  if (!r) return t('reject.unknown');
  const name = t(`reject.${r.reason}`);
  const detail = rejectionDetail(r);
  return detail ? t('reject.withDetail', { reason: name, detail }) : name;
}

function rejectionDetail(r: Rejection): string {
  switch (r.reason) {
    case 'empty':
      return t('filter.empty');
    case 'duplicate':
      return t('filter.duplicate');
    case 'revision-rejected':
      return t('filter.revisionRejected');
    case 'too-short':
      return t('filter.tooShort', { words: r.words, min: r.min });
    case 'too-long':
      return t('filter.tooLong', { chars: r.chars, max: r.max });
    case 'near-duplicate':
      return t('filter.nearDuplicate', { percent: r.percent });
    case 'label-leak':
      return t('filter.labelLeak', { label: r.label });
    case 'wrong-language':
      return t('filter.wrongLanguage', { language: r.language, percent: r.percent });
  }
}

/**
 * Why an answer was invalid, in the UI's language. Runs stored by versions before codes hold a
 * sentence in the language of that day, shown as it is.
 */
export function describeInvalidAnswer(invalid: InvalidAnswer | string): string {
  if (typeof invalid === 'string') return invalid;
  switch (invalid.code) {
    case 'no-answer':
      return t('answer.noAnswer');
    case 'no-label':
      return t('answer.noLabel');
    case 'not-in-file':
      return t('answer.notInFile');
    case 'not-a-label':
      return t('answer.notALabel', { named: invalid.named });
    case 'several-labels':
      return t('answer.severalLabels', { labels: invalid.labels.join(', ') });
  }
}

/** A parse problem in the UI's language. */
export function describeParseProblem(p: ParseProblem): string {
  switch (p.code) {
    case 'no-text':
      return t('answer.noText', { n: p.n });
    case 'not-text':
      return t('answer.notText', { n: p.n });
    case 'cut-off':
      return t('answer.cutOff', { count: p.count });
    case 'no-json':
      return t('answer.noJson', { count: p.count });
    case 'empty-dropped':
      return t('answer.emptyDropped', { count: p.count });
    case 'no-list':
      return t('answer.noList');
    case 'text-after':
      return t('answer.textAfter');
    case 'empty':
      return t('answer.empty');
    case 'no-texts':
      return t('answer.noTexts');
  }
}

/** Why a model cannot run here, or what to know before it does, in the UI's language. */
export function describePreflight(issue: PreflightIssue): string {
  switch (issue.code) {
    case 'no-gpu':
      return t('preflight.noGpu', { reason: issue.reason });
    case 'limits':
      return t('preflight.limits');
    case 'f16':
      return t('preflight.f16');
    case 'software':
      return t('preflight.software');
    case 'memory':
      return t('preflight.memory', { need: formatBytes(issue.needBytes) });
    case 'storage':
      return t('preflight.storage', { need: formatBytes(issue.needBytes), free: formatBytes(issue.freeBytes) });
  }
}

/** Where the user fixes an error of a kind: links shown after its sentence (none when nothing on a page fixes it). */
export function fixesFor(code: ErrorCode): { href: string; label: string }[] {
  switch (code) {
    case 'model-network':
      return [
        { href: '#/settings', label: t('fix.modelSource') },
        { href: '#/models', label: t('fix.models') },
      ];
    case 'model-file-missing':
    case 'model-invalid':
      return [{ href: '#/settings', label: t('fix.modelSource') }];
    case 'model-blocked':
      return [
        { href: '#/settings', label: t('fix.airplane') },
        { href: '#/models', label: t('fix.models') },
      ];
    case 'device-unsupported':
      return [{ href: '#/settings', label: t('fix.device') }];
    case 'quota-exceeded':
      return [{ href: '#/models', label: t('fix.storage') }];
    default:
      return [];
  }
}
