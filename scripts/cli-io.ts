/**
 * @file What the CLI needs of Node beyond the app's own code: a temporary file for n-gram
 * feature blocks over the memory budget, and progress lines on stderr.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BlockSpill, PackedBlock } from '../src/lib/ml/ngram-store';

/** An error the CLI prints as one line (a wrong argument, a file it cannot use). */
export class CliError extends Error {}

/**
 * Feature blocks in a temporary file. The file's name is removed as soon as it is open (the open
 * file lives on until the process ends), so nothing is left behind however the process ends:
 * Ctrl-C, a kill, a crash. Where a system cannot remove an open file's name (Windows), it goes
 * in `dispose` or when the process exits.
 * Each block is stored as its offsets and entries; reading one back reuses one buffer.
 */
export class FileSpill implements BlockSpill {
  readonly #dir = mkdtempSync(join(tmpdir(), 'polyclass-features-'));
  readonly #fd = openSync(join(this.#dir, 'blocks.bin'), 'w+');
  readonly #where: { at: number; first: number; rows: number; entries: number }[] = [];
  #end = 0;
  #buffer = new ArrayBuffer(0);
  #disposed = false;
  #named = true;
  readonly #onExit = () => this.dispose();

  constructor() {
    try {
      rmSync(this.#dir, { recursive: true });
      this.#named = false;
    } catch {
      process.once('exit', this.#onExit);
    }
  }

  get count(): number {
    return this.#where.length;
  }

  put(block: PackedBlock): void {
    const parts = [block.offsets, block.entries];
    const at = this.#end;
    for (const part of parts) {
      const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      let done = 0;
      while (done < bytes.byteLength)
        done += writeSync(this.#fd, bytes, done, bytes.byteLength - done, this.#end + done);
      this.#end += bytes.byteLength;
    }
    this.#where.push({ at, first: block.first, rows: block.rows, entries: block.entries.length });
  }

  take(n: number): PackedBlock {
    const w = this.#where[n];
    if (!w) throw new Error(`no spilled block ${n}`);
    const size = (w.rows + 1) * 4 + w.entries * 4;
    if (this.#buffer.byteLength < size) this.#buffer = new ArrayBuffer(size);
    const bytes = new Uint8Array(this.#buffer, 0, size);
    let done = 0;
    while (done < size) {
      const read = readSync(this.#fd, bytes, done, size - done, w.at + done);
      if (read === 0) throw new Error('the temporary feature file ended early');
      done += read;
    }
    return {
      first: w.first,
      rows: w.rows,
      offsets: new Uint32Array(this.#buffer, 0, w.rows + 1),
      entries: new Uint32Array(this.#buffer, (w.rows + 1) * 4, w.entries),
    };
  }

  /** Bytes written to the temporary file. */
  get bytes(): number {
    return this.#end;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    closeSync(this.#fd);
    if (this.#named) {
      process.off('exit', this.#onExit);
      rmSync(this.#dir, { recursive: true, force: true });
    }
  }
}

/**
 * Progress on stderr for long runs: on a terminal one line rewritten in place; otherwise (a log
 * file, CI) a line each time the share done passes another tenth, so logs stay short.
 */
export class Progress {
  readonly #enabled: boolean;
  readonly #tty = process.stderr.isTTY === true;
  #shown = -1;
  #open = false;

  /** @param enabled whether to show anything (the CLI shows progress for big files) */
  constructor(enabled: boolean) {
    this.#enabled = enabled;
  }

  /**
   * Reports how far a step is.
   * @param share 0 to 1
   * @param text what to show
   */
  update(share: number, text: string): void {
    if (!this.#enabled) return;
    if (this.#tty) {
      process.stderr.write(`\r${text}\u001b[K`);
      this.#open = true;
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth <= this.#shown) return;
    this.#shown = tenth;
    process.stderr.write(`${text}\n`);
  }

  /**
   * A line that stays (a step finished).
   * @param text what to show
   */
  line(text: string): void {
    if (!this.#enabled) return;
    this.end();
    process.stderr.write(`${text}\n`);
    this.#shown = -1;
  }

  /** Ends a line rewritten in place. */
  end(): void {
    if (this.#open) process.stderr.write('\n');
    this.#open = false;
  }
}
