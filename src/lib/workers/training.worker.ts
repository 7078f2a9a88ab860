/**
 * @file Training worker entry: wires the handlers to the worker scope, nothing else.
 */
import { ortWasmPaths } from '../backends/ort-wasm-assets';
import { openDatabase } from '../storage/db';
import { serve } from './rpc';
import { createTrainingHandlers } from './training-handlers';
import type { TrainingRequests } from './training-protocol';

serve<TrainingRequests>(
  self,
  createTrainingHandlers(() => openDatabase(), ortWasmPaths(self.location.href)),
);
