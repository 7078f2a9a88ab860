/**
 * @file A solver of the n-gram student's labels (`ml/ngram-label-solver.ts`), started by the
 * training worker for large tasks: it reads the training matrix from shared memory and solves
 * the labels it is sent one at a time.
 */
import { solverHandler } from '../ml/ngram-label-solver';

const handle = solverHandler((m, transfer) => self.postMessage(m, { transfer: transfer ?? [] }));
self.onmessage = (event) => handle(event.data);
