import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KERNELS_WASM_BASE64 } from './dense-kernels-wasm';
import { SYNC_COMPILE_LIMIT, Workspace, type Buffer32 } from './dense-kernels';

/** Reference products in float64, straight from the definitions. */
function reference(
  m: number,
  k: number,
  n: number,
  at: (i: number, p: number) => number,
  bt: (p: number, j: number) => number,
) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += at(i, p) * bt(p, j);
      out[i * n + j] = s;
    }
  return out;
}

function filled(ws: Workspace, length: number, seed: number): Buffer32 {
  const buf = ws.alloc(length);
  for (let i = 0; i < length; i++) buf.a[i] = Math.sin(seed * 7.1 + i * 1.3);
  return buf;
}

function expectClose(actual: Float32Array, expected: ArrayLike<number>) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(actual[i]).toBeCloseTo(expected[i] as number, 3);
}

// Shapes around the kernels' 4-row and 8-column tiles, their edges included.
const dims = fc.record({
  m: fc.integer({ min: 1, max: 13 }),
  k: fc.integer({ min: 1, max: 21 }),
  n: fc.integer({ min: 1, max: 19 }),
});

describe('dense kernels', () => {
  it('stay small enough to compile synchronously on a page', () => {
    expect(atob(KERNELS_WASM_BASE64).length).toBeLessThan(SYNC_COMPILE_LIMIT);
  });

  it('gemmNN, gemmTN and gemmNT match the definitions at every shape, with and without accumulating', () => {
    fc.assert(
      fc.property(dims, fc.boolean(), ({ m, k, n }, accumulate) => {
        const ws = new Workspace(4 * (m * k + k * n + m * n + n), 8);
        const a = filled(ws, m * k, 1);
        const b = filled(ws, k * n, 2);
        const start = filled(ws, m * n, 3);
        const bias = filled(ws, n, 4);
        const c = ws.alloc(m * n);
        const plus = (ref: Float64Array) => (accumulate ? ref.map((v, i) => v + (start.a[i] as number)) : ref);

        // A is m × k.
        const nn = reference(
          m,
          k,
          n,
          (i, p) => a.a[i * k + p] as number,
          (p, j) => b.a[p * n + j] as number,
        );
        c.a.set(start.a);
        ws.k.gemmNN(a.ptr, b.ptr, c.ptr, m, k, n, accumulate ? 1 : 0);
        expectClose(c.a, plus(nn));

        // The same numbers read as A = k × m, transposed.
        const tn = reference(
          m,
          k,
          n,
          (i, p) => a.a[p * m + i] as number,
          (p, j) => b.a[p * n + j] as number,
        );
        c.a.set(start.a);
        ws.k.gemmTN(a.ptr, b.ptr, c.ptr, m, k, n, accumulate ? 1 : 0);
        expectClose(c.a, plus(tn));

        // B read as n × k, transposed, with a bias per column or none.
        const nt = reference(
          m,
          k,
          n,
          (i, p) => a.a[i * k + p] as number,
          (p, j) => b.a[j * k + p] as number,
        );
        ws.k.gemmNT(a.ptr, b.ptr, c.ptr, m, k, n, accumulate ? bias.ptr : 0);
        expectClose(
          c.a,
          nt.map((v, i) => v + (accumulate ? (bias.a[i % n] as number) : 0)),
        );
      }),
      { numRuns: 60 },
    );
  });

  it('adds biases with a ReLU, masks by it, sums columns and takes an Adam step', () => {
    const ws = new Workspace(200, 8);
    const x = ws.alloc(3 * 5);
    x.a.set([1, -2, 3, -4, 5, -1, 2, -3, 4, -5, 0, 0, 0, 0, 0]);
    const bias = ws.alloc(5);
    bias.a.set([0.5, 0.5, 0.5, 0.5, 0.5]);
    ws.k.addBias(x.ptr, bias.ptr, 3, 5, 1);
    expect(Array.from(x.a)).toEqual([1.5, 0, 3.5, 0, 5.5, 0, 2.5, 0, 4.5, 0, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const d = ws.alloc(15);
    d.a.fill(2);
    ws.k.reluMask(d.ptr, x.ptr, 15);
    expect(Array.from(d.a)).toEqual(Array.from(x.a, (v) => (v > 0 ? 2 : 0)));
    const sums = ws.alloc(5);
    ws.k.columnSums(x.ptr, sums.ptr, 3, 5);
    expect(Array.from(sums.a)).toEqual([2, 3, 4, 5, 6]);

    // Adam from zero moments: the first step moves each parameter by lr against its gradient's sign.
    const len = 7;
    const param = ws.alloc(len);
    const grad = ws.alloc(len);
    const m = ws.alloc(len);
    const v = ws.alloc(len);
    param.a.set([1, 1, 1, 1, 1, 1, 1]);
    grad.a.set([3, -2, 0.5, -0.1, 10, -10, 1e-3]);
    ws.k.adam(param.ptr, grad.ptr, m.ptr, v.ptr, len, 0.01, 0, 1 - 0.9, 1 - 0.999);
    Array.from(param.a).forEach((p, i) => expect(p).toBeCloseTo(1 - 0.01 * Math.sign(grad.a[i] as number), 4));
    Array.from(m.a).forEach((mi, i) => expect(mi).toBeCloseTo(0.1 * (grad.a[i] as number), 5));
  });

  it('gives each workspace its own memory and refuses to overfill it', () => {
    const one = new Workspace(8, 1);
    const two = new Workspace(8, 1);
    const a = one.alloc(8);
    const b = two.alloc(8);
    a.a.fill(1);
    expect(Array.from(b.a)).toEqual(new Array(8).fill(0));
    expect(a.ptr).toBeGreaterThan(0);
    expect(() => one.alloc(1 << 20)).toThrow(/do not fit/);
  });
});
