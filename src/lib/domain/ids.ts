/**
 * @file Record ids that sort in creation order: a base-36 timestamp, a sequence number within
 * one write, then randomness. IndexedDB orders records by key, so samples come back in the
 * order they were written (the order of rows in an imported file).
 */

/**
 * @param now creation time in ms
 * @param seq position within one bulk write
 * @param random source of randomness (crypto.randomUUID by default)
 */
export function orderedId(now: number, seq: number, random: () => string = () => crypto.randomUUID()): string {
  return `${Math.max(0, Math.floor(now)).toString(36).padStart(9, '0')}-${seq.toString(36).padStart(5, '0')}-${random().slice(0, 13)}`;
}
