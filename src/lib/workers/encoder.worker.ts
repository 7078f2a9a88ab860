/**
 * @file Embedding worker entry: wires the handlers to the worker scope, nothing else.
 */
import { ortWasmPaths } from '../backends/ort-wasm-assets';
import { createEncoderHandlers } from './encoder-handlers';
import { serve } from './rpc';
import type { EncoderRequests } from './encoder-protocol';

serve<EncoderRequests>(self, createEncoderHandlers(ortWasmPaths(self.location.href)));
