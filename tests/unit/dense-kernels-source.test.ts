/**
 * The committed WebAssembly kernels (`src/lib/ml/dense-kernels-wasm.ts`) are what their
 * AssemblyScript source compiles to: an edit to `wasm-kernels/kernels.ts` without
 * `npm run kernels` fails here.
 */
import { describe, expect, it } from 'vitest';
import { compileKernels } from '../../scripts/kernels-compile';
import { KERNELS_WASM_BASE64 } from '../../src/lib/ml/dense-kernels-wasm';

describe('dense kernels module', () => {
  it('matches its source', () => {
    const compiled = Buffer.from(compileKernels()).toString('base64');
    expect(compiled === KERNELS_WASM_BASE64, 'run `npm run kernels` and commit the result').toBe(true);
  }, 60_000);
});
