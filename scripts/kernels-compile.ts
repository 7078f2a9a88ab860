/**
 * Compiles the AssemblyScript dense kernels (`wasm-kernels/kernels.ts`) with the pinned
 * `assemblyscript` compiler: used by `npm run kernels` and by the test that checks the committed
 * module matches its source.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** Where the generated module lives, relative to the repository root. */
export const KERNELS_MODULE = 'src/lib/ml/dense-kernels-wasm.ts';

/** The compiled module's bytes. */
export function compileKernels(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'polyclass-kernels-'));
  try {
    const out = join(dir, 'kernels.wasm');
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/assemblyscript/bin/asc.js'),
        join(root, 'wasm-kernels/kernels.ts'),
        '--outFile',
        out,
        '-O3z',
        '--runtime',
        'stub',
        '--enable',
        'simd',
        '--noAssert',
      ],
      { encoding: 'utf8', cwd: root },
    );
    if (r.status !== 0) throw new Error(`asc failed: ${r.stderr || r.stdout}`);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
