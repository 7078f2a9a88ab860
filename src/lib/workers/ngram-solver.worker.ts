/**
 * @file A solver of the n-gram student's labels (`ml/ngram-label-solver.ts`), started by the
 * training worker for large tasks: it reads the training matrix from shared memory and solves
 * the labels it is sent one at a time.
 */
import { solvedTransfer, solveOneLabel, type FromSolver, type ToSolver } from '../ml/ngram-label-solver';
import type { NgramSolverSetup } from '../ml/ngram-student';
import type { TfidfBlock } from '../ml/tfidf';

let job: { blocks: readonly TfidfBlock[]; setup: NgramSolverSetup } | null = null;

self.onmessage = (event: MessageEvent<ToSolver>) => {
  const m = event.data;
  if (m.kind === 'start') {
    job = { blocks: m.blocks, setup: m.setup };
    return;
  }
  if (!job) throw new Error('a label to solve before the matrix');
  const solved = solveOneLabel(job.blocks, job.setup, m.label, m.scaleSquared, (pass, loss) =>
    self.postMessage({ kind: 'pass', label: m.label, pass, loss } satisfies FromSolver),
  );
  self.postMessage(solved, { transfer: solvedTransfer(solved) });
};
