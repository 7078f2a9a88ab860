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

let lastMs = -1;
let nextSeq = 0;

/**
 * The first position for a write of `count` records at `now`: 0, or, when an earlier write in
 * this page or worker fell in the same millisecond, the position after its last, so two writes
 * in a row keep their order instead of interleaving by position.
 */
export function firstSeq(now: number, count: number): number {
  const ms = Math.floor(now);
  if (ms !== lastMs) {
    lastMs = ms;
    nextSeq = 0;
  }
  const first = nextSeq;
  nextSeq += count;
  return first;
}
