/**
 * @file The n-gram student's label solvers as Web Workers, started by the training worker (a
 * worker may start workers) when the page is cross-origin isolated, so the training matrix can
 * be shared with them (decision 025).
 */
import type { SolverPort, SolverStarter } from '../ml/ngram-label-solver';

/** Starts `count` solver workers. */
export const startNgramSolvers: SolverStarter = (count) => {
  const workers = Array.from(
    { length: count },
    (_, i) =>
      new Worker(new URL('./ngram-solver.worker.ts', import.meta.url), { type: 'module', name: `ngram-solver-${i}` }),
  );
  const ports = workers.map((worker): SolverPort => ({
    post: (m, transfer) => worker.postMessage(m, { transfer: transfer ?? [] }),
    listen: (onMessage, onFailure) => {
      worker.onmessage = (e: MessageEvent) => onMessage(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        onFailure(e.message || 'a solver worker failed to start or stopped');
      };
      worker.onmessageerror = () => onFailure('a solver worker sent what could not be read');
    },
  }));
  return { ports, close: () => workers.forEach((w) => w.terminate()) };
};

/** Whether this scope can share memory with workers it starts. */
export const canShareMemory = (): boolean =>
  Boolean(globalThis.crossOriginIsolated) && typeof SharedArrayBuffer !== 'undefined' && typeof Worker !== 'undefined';
