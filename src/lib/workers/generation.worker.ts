/**
 * @file Generation worker entry: wires the handler to the worker scope, nothing else.
 */
import { ortWasmPaths } from '../backends/ort-wasm-assets';
import { openDatabase } from '../storage/db';
import { createGenerationHandlers } from './generation-handlers';
import { serve } from './rpc';
import type { GenerationRequests } from './generation-protocol';

serve<GenerationRequests>(
  self,
  createGenerationHandlers(() => openDatabase(), ortWasmPaths(self.location.href)),
);
