/**
 * @file Repeated reads whose answers can come back out of order (a data-worker call beside an
 * IndexedDB read): an answer is shown only when no newer one is shown already.
 */
export class NewestWins {
  #asked = 0;
  #shown = 0;

  /** A ticket for a read about to start. */
  ask(): number {
    return ++this.#asked;
  }

  /** Whether the answer to `ticket` may be shown (no newer one is); if so, it is now the one shown. */
  show(ticket: number): boolean {
    if (ticket <= this.#shown) return false;
    this.#shown = ticket;
    return true;
  }
}
