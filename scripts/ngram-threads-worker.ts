/**
 * @file One solver thread of the CLI's n-gram student (`scripts/ngram-threads.ts`): the app's
 * own label solver (`ml/ngram-label-solver.ts`), on a Node worker thread.
 */
import { parentPort } from 'node:worker_threads';
import { solverHandler } from '../src/lib/ml/ngram-label-solver';

const port = parentPort;
if (!port) throw new Error('ngram-threads-worker runs as a worker thread');
port.on(
  'message',
  solverHandler((m, transfer) => port.postMessage(m, transfer)),
);
