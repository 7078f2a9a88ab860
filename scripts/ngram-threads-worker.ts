/**
 * @file One solver thread of the CLI's n-gram student (`scripts/ngram-threads.ts`): the app's
 * own label solver (`ml/ngram-label-solver.ts`), on a Node worker thread.
 */
import { parentPort } from 'node:worker_threads';
import { solvedTransfer, solveOneLabel, type FromSolver, type ToSolver } from '../src/lib/ml/ngram-label-solver';
import type { NgramSolverSetup } from '../src/lib/ml/ngram-student';
import type { TfidfBlock } from '../src/lib/ml/tfidf';

let job: { blocks: readonly TfidfBlock[]; setup: NgramSolverSetup } | null = null;
const port = parentPort;
if (!port) throw new Error('ngram-threads-worker runs as a worker thread');

port.on('message', (m: ToSolver) => {
  if (m.kind === 'start') {
    job = { blocks: m.blocks, setup: m.setup };
    return;
  }
  if (!job) throw new Error('a label to solve before the matrix');
  const solved = solveOneLabel(job.blocks, job.setup, m.label, m.scaleSquared, (pass, loss) =>
    port.postMessage({ kind: 'pass', label: m.label, pass, loss } satisfies FromSolver),
  );
  port.postMessage(solved, solvedTransfer(solved));
});
