/**
 * @file Names that cannot be labels or language codes. Label- and language-keyed data (scores
 * per class, counts, renames) lives in plain objects, where `constructor` or `toString` would
 * read a built-in instead of the data and `__proto__` would not be stored at all; bundles refuse
 * such keys outright. So the task editor, bundle import and the command line refuse them, with
 * a sentence, instead of letting them break things later.
 */

/** Every name a plain object already answers to, and `prototype`. */
const RESERVED: ReadonlySet<string> = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Whether a label name or language code is one JavaScript reserves (compared as typed, trimmed). */
export function isReservedName(name: string): boolean {
  return RESERVED.has(name.trim());
}
