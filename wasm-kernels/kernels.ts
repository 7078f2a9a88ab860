/**
 * Dense kernels for the classifier heads (`src/lib/ml/dense-kernels.ts`), in AssemblyScript,
 * compiled to WebAssembly with 128-bit SIMD by `npm run kernels` into
 * `src/lib/ml/dense-kernels-wasm.ts`. Every matrix is row-major float32; every argument named
 * like a matrix is a byte address in this module's memory, which the caller manages.
 *
 * Two products cover every step of the heads: `gemmNN` (C = A·B, a 4 × 8 register tile, for
 * outputs of any width) and `gemmNT` (C = A·Bᵀ, dot products, for narrow outputs such as one
 * score per label). The rest are the element-wise steps between them.
 */

/**
 * C[m×n] = A[m×k]·B[k×n] (+ C when `accumulate` is 1).
 */
export function gemmNN(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  const n8 = n & ~7;
  const rowA = (<usize>k) << 2;
  const rowB = (<usize>n) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = a + <usize>i * rowA;
    const a1 = a0 + rowA;
    const a2 = a1 + rowA;
    const a3 = a2 + rowA;
    const c0 = c + <usize>i * rowB;
    const c1 = c0 + rowB;
    const c2 = c1 + rowB;
    const c3 = c2 + rowB;
    for (let j = 0; j < n8; j += 8) {
      const off = (<usize>j) << 2;
      let x00 = f32x4.splat(0);
      let x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0);
      let x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0);
      let x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0);
      let x31 = f32x4.splat(0);
      if (accumulate) {
        x00 = v128.load(c0 + off);
        x01 = v128.load(c0 + off, 16);
        x10 = v128.load(c1 + off);
        x11 = v128.load(c1 + off, 16);
        x20 = v128.load(c2 + off);
        x21 = v128.load(c2 + off, 16);
        x30 = v128.load(c3 + off);
        x31 = v128.load(c3 + off, 16);
      }
      let pb = b + off;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const q = (<usize>p) << 2;
        let s = f32x4.splat(load<f32>(a0 + q));
        x00 = f32x4.add(x00, f32x4.mul(s, b0));
        x01 = f32x4.add(x01, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(a1 + q));
        x10 = f32x4.add(x10, f32x4.mul(s, b0));
        x11 = f32x4.add(x11, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(a2 + q));
        x20 = f32x4.add(x20, f32x4.mul(s, b0));
        x21 = f32x4.add(x21, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(a3 + q));
        x30 = f32x4.add(x30, f32x4.mul(s, b0));
        x31 = f32x4.add(x31, f32x4.mul(s, b1));
        pb += rowB;
      }
      v128.store(c0 + off, x00);
      v128.store(c0 + off, x01, 16);
      v128.store(c1 + off, x10);
      v128.store(c1 + off, x11, 16);
      v128.store(c2 + off, x20);
      v128.store(c2 + off, x21, 16);
      v128.store(c3 + off, x30);
      v128.store(c3 + off, x31, 16);
    }
  }
  // What the 4 × 8 tiles left: the last rows, a row at a time, then the last columns.
  for (; i < m; i++) rowProduct(a + <usize>i * rowA, 4, b, c + <usize>i * rowB, k, n8, rowB, accumulate);
  scalarProduct(a, b, c, 0, m, n8, n, k, n, accumulate, rowA, 4, rowB);
}

/**
 * One row of C (its first n8 columns, 8 at a time) += Σₚ A(p)·B[p, ·], A(p) at a + p·aCol (bytes).
 */
function rowProduct(a: usize, aCol: usize, b: usize, c: usize, k: i32, n8: i32, rowB: usize, accumulate: i32): void {
  for (let j = 0; j < n8; j += 8) {
    const off = (<usize>j) << 2;
    let x0 = accumulate ? v128.load(c + off) : f32x4.splat(0);
    let x1 = accumulate ? v128.load(c + off, 16) : f32x4.splat(0);
    let pb = b + off;
    let pa = a;
    for (let p = 0; p < k; p++) {
      const s = f32x4.splat(load<f32>(pa));
      x0 = f32x4.add(x0, f32x4.mul(s, v128.load(pb)));
      x1 = f32x4.add(x1, f32x4.mul(s, v128.load(pb, 16)));
      pa += aCol;
      pb += rowB;
    }
    v128.store(c + off, x0);
    v128.store(c + off, x1, 16);
  }
}

/**
 * C[i0..i1, j0..j1] = Σₚ A(i, p)·B[p, j] (+ C), A(i, p) at a + i·aRow + p·aCol (bytes): the
 * scalar edge of {@link gemmNN} (A row-major) and {@link gemmTN} (A transposed).
 */
function scalarProduct(
  a: usize,
  b: usize,
  c: usize,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
  k: i32,
  n: i32,
  accumulate: i32,
  aRow: usize,
  aCol: usize,
  rowB: usize,
): void {
  for (let i = i0; i < i1; i++) {
    const ai = a + <usize>i * aRow;
    const ci = c + ((<usize>i * <usize>n) << 2);
    for (let j = j0; j < j1; j++) {
      const off = (<usize>j) << 2;
      let s: f32 = accumulate ? load<f32>(ci + off) : 0;
      for (let p = 0; p < k; p++) s += load<f32>(ai + <usize>p * aCol) * load<f32>(b + <usize>p * rowB + off);
      store<f32>(ci + off, s);
    }
  }
}

/**
 * C[m×n] = A[k×m]ᵀ·B[k×n] (+ C when `accumulate` is 1): the gradient of a layer's weights from
 * its input rows and its output gradient rows, with no transposed copy.
 */
export function gemmTN(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, accumulate: i32): void {
  const n8 = n & ~7;
  const rowA = (<usize>m) << 2;
  const rowB = (<usize>n) << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = c + <usize>i * rowB;
    const c1 = c0 + rowB;
    const c2 = c1 + rowB;
    const c3 = c2 + rowB;
    const ai = a + ((<usize>i) << 2);
    for (let j = 0; j < n8; j += 8) {
      const off = (<usize>j) << 2;
      let x00 = f32x4.splat(0);
      let x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0);
      let x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0);
      let x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0);
      let x31 = f32x4.splat(0);
      if (accumulate) {
        x00 = v128.load(c0 + off);
        x01 = v128.load(c0 + off, 16);
        x10 = v128.load(c1 + off);
        x11 = v128.load(c1 + off, 16);
        x20 = v128.load(c2 + off);
        x21 = v128.load(c2 + off, 16);
        x30 = v128.load(c3 + off);
        x31 = v128.load(c3 + off, 16);
      }
      let pa = ai;
      let pb = b + off;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let s = f32x4.splat(load<f32>(pa));
        x00 = f32x4.add(x00, f32x4.mul(s, b0));
        x01 = f32x4.add(x01, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(pa, 4));
        x10 = f32x4.add(x10, f32x4.mul(s, b0));
        x11 = f32x4.add(x11, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(pa, 8));
        x20 = f32x4.add(x20, f32x4.mul(s, b0));
        x21 = f32x4.add(x21, f32x4.mul(s, b1));
        s = f32x4.splat(load<f32>(pa, 12));
        x30 = f32x4.add(x30, f32x4.mul(s, b0));
        x31 = f32x4.add(x31, f32x4.mul(s, b1));
        pa += rowA;
        pb += rowB;
      }
      v128.store(c0 + off, x00);
      v128.store(c0 + off, x01, 16);
      v128.store(c1 + off, x10);
      v128.store(c1 + off, x11, 16);
      v128.store(c2 + off, x20);
      v128.store(c2 + off, x21, 16);
      v128.store(c3 + off, x30);
      v128.store(c3 + off, x31, 16);
    }
  }
  for (; i < m; i++) rowProduct(a + ((<usize>i) << 2), rowA, b, c + <usize>i * rowB, k, n8, rowB, accumulate);
  scalarProduct(a, b, c, 0, m, n8, n, k, n, accumulate, 4, rowA, rowB);
}

/** Sum of the four lanes. */
function lanes(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * C[m×n] = A[m×k]·B[n×k]ᵀ (+ bias[n] when `bias` is not 0): one dot product per output.
 */
export function gemmNT(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, bias: usize): void {
  const k4 = k & ~3;
  const row = (<usize>k) << 2;
  for (let i = 0; i < m; i++) {
    const ai = a + <usize>i * row;
    const ci = c + ((<usize>i * <usize>n) << 2);
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = b + <usize>j * row;
      const b1 = b0 + row;
      const b2 = b1 + row;
      const b3 = b2 + row;
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) {
        const q = (<usize>p) << 2;
        const x = v128.load(ai + q);
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b0 + q)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b1 + q)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b2 + q)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b3 + q)));
      }
      let t0 = lanes(s0);
      let t1 = lanes(s1);
      let t2 = lanes(s2);
      let t3 = lanes(s3);
      for (let p = k4; p < k; p++) {
        const q = (<usize>p) << 2;
        const x = load<f32>(ai + q);
        t0 += x * load<f32>(b0 + q);
        t1 += x * load<f32>(b1 + q);
        t2 += x * load<f32>(b2 + q);
        t3 += x * load<f32>(b3 + q);
      }
      const off = (<usize>j) << 2;
      if (bias) {
        t0 += load<f32>(bias + off);
        t1 += load<f32>(bias + off, 4);
        t2 += load<f32>(bias + off, 8);
        t3 += load<f32>(bias + off, 12);
      }
      store<f32>(ci + off, t0);
      store<f32>(ci + off, t1, 4);
      store<f32>(ci + off, t2, 8);
      store<f32>(ci + off, t3, 12);
    }
    for (; j < n; j++) {
      const bj = b + <usize>j * row;
      let s = f32x4.splat(0);
      for (let p = 0; p < k4; p += 4) {
        const q = (<usize>p) << 2;
        s = f32x4.add(s, f32x4.mul(v128.load(ai + q), v128.load(bj + q)));
      }
      let t = lanes(s);
      for (let p = k4; p < k; p++) t += load<f32>(ai + ((<usize>p) << 2)) * load<f32>(bj + ((<usize>p) << 2));
      const off = (<usize>j) << 2;
      if (bias) t += load<f32>(bias + off);
      store<f32>(ci + off, t);
    }
  }
}

/** x[m×n] += bias[n] on every row, then ReLU when `relu` is 1. */
export function addBias(x: usize, bias: usize, m: i32, n: i32, relu: i32): void {
  const zero = f32x4.splat(0);
  const n4 = n & ~3;
  for (let i = 0; i < m; i++) {
    const xi = x + ((<usize>i * <usize>n) << 2);
    for (let j = 0; j < n4; j += 4) {
      const off = (<usize>j) << 2;
      let v = f32x4.add(v128.load(xi + off), v128.load(bias + off));
      if (relu) v = f32x4.max(v, zero);
      v128.store(xi + off, v);
    }
    for (let j = n4; j < n; j++) {
      const off = (<usize>j) << 2;
      let v = load<f32>(xi + off) + load<f32>(bias + off);
      if (relu && v < 0) v = 0;
      store<f32>(xi + off, v);
    }
  }
}

/** d[i] = 0 wherever h[i] ≤ 0 (the ReLU's derivative), over `len` values. */
export function reluMask(d: usize, h: usize, len: i32): void {
  const zero = f32x4.splat(0);
  const l4 = len & ~3;
  for (let i = 0; i < l4; i += 4) {
    const off = (<usize>i) << 2;
    v128.store(d + off, v128.and(v128.load(d + off), f32x4.gt(v128.load(h + off), zero)));
  }
  for (let i = l4; i < len; i++) {
    const off = (<usize>i) << 2;
    if (load<f32>(h + off) <= 0) store<f32>(d + off, 0);
  }
}

/** out[n] = the sums of the columns of x[m×n]. */
export function columnSums(x: usize, out: usize, m: i32, n: i32): void {
  memory.fill(out, 0, (<usize>n) << 2);
  for (let i = 0; i < m; i++) {
    const xi = x + ((<usize>i * <usize>n) << 2);
    for (let j = 0; j < n; j++) {
      const off = (<usize>j) << 2;
      store<f32>(out + off, load<f32>(out + off) + load<f32>(xi + off));
    }
  }
}

/**
 * One Adam step over `len` parameters: g ← grad + l2·param; the moments m, v; then the
 * bias-corrected update (c1 = 1 − β₁ᵗ, c2 = 1 − β₂ᵗ).
 */
export function adam(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  len: i32,
  lr: f32,
  l2: f32,
  c1: f32,
  c2: f32,
): void {
  const b1: f32 = 0.9;
  const b2: f32 = 0.999;
  const vb1 = f32x4.splat(b1);
  const vb2 = f32x4.splat(b2);
  const va1 = f32x4.splat(1 - b1);
  const va2 = f32x4.splat(1 - b2);
  const vl2 = f32x4.splat(l2);
  const vlr = f32x4.splat(lr / c1);
  const vc2 = f32x4.splat(1 / c2);
  const eps = f32x4.splat(1e-8);
  const l4 = len & ~3;
  for (let i = 0; i < l4; i += 4) {
    const off = (<usize>i) << 2;
    const p = v128.load(param + off);
    const g = f32x4.add(v128.load(grad + off), f32x4.mul(vl2, p));
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + off)), f32x4.mul(va1, g));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + off)), f32x4.mul(va2, f32x4.mul(g, g)));
    v128.store(m + off, mi);
    v128.store(v + off, vi);
    const denom = f32x4.add(f32x4.sqrt(f32x4.mul(vi, vc2)), eps);
    v128.store(param + off, f32x4.sub(p, f32x4.div(f32x4.mul(vlr, mi), denom)));
  }
  for (let i = l4; i < len; i++) {
    const off = (<usize>i) << 2;
    const p = load<f32>(param + off);
    const g = load<f32>(grad + off) + l2 * p;
    const mi = b1 * load<f32>(m + off) + (1 - b1) * g;
    const vi = b2 * load<f32>(v + off) + (1 - b2) * g * g;
    store<f32>(m + off, mi);
    store<f32>(v + off, vi);
    store<f32>(param + off, p - ((lr / c1) * mi) / (Mathf.sqrt(vi * (1 / c2)) + 1e-8));
  }
}
