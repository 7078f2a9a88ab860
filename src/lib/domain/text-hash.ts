/**
 * @file Normalized text and its hash, computed once when a sample is written, so exact
 * duplicates (up to case, Unicode form and spacing) are found with one index lookup.
 */

/** NFC, lower case, whitespace collapsed, trimmed. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('und').replace(/\s+/gu, ' ').trim();
}

/**
 * cyrb53: a fast 53-bit string hash, as 14 hex digits. Not cryptographic; collisions are
 * vanishingly rare at dataset sizes (10⁻⁶ at ~10⁵ texts), and we only use it to find
 * candidates for duplicates.
 */
export function hashString(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return n.toString(16).padStart(14, '0');
}

/** Hash of the normalized text: equal for texts that differ only in case or spacing. */
export function textHash(text: string): string {
  return hashString(normalizeText(text));
}
