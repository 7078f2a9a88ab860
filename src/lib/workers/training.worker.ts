/**
 * @file Training worker entry: wires the handlers to the worker scope, nothing else.
 * Its name says which onnxruntime-web build it runs (see `training-client.ts`).
 */
import { ortWasmPaths } from '../backends/ort-wasm-assets';
import { provideSolvers } from '../ml/ngram-label-solver';
import { openDatabase } from '../storage/db';
import { canShareMemory, startNgramSolvers } from './ngram-solvers';
import { serve } from './rpc';
import { createTrainingHandlers } from './training-handlers';
import { TRAINING_WORKER_GPU_SUFFIX } from './training-protocol';
import type { TrainingRequests } from './training-protocol';

const files = ortWasmPaths(self.location.href);
// A `gpu` worker runs every model, WebGPU or not, on the build WebGPU needs.
const runtimes = self.name.endsWith(TRAINING_WORKER_GPU_SUFFIX) ? { cpu: files.gpu, gpu: files.gpu } : files;

// Large tasks solve the n-gram student's labels on solver workers sharing the matrix.
provideSolvers(canShareMemory() ? startNgramSolvers : null, navigator.hardwareConcurrency || 1);

serve<TrainingRequests>(
  self,
  createTrainingHandlers(() => openDatabase(), runtimes),
);
