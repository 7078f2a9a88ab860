/**
 * @file Generation worker entry: wires the handler to the worker scope, nothing else.
 */
import { LanguageIdentifier } from '../backends/lid';
import { lidAssets, LID_LANGUAGES } from '../backends/lid-assets';
import { ortWasmPaths } from '../backends/ort-wasm-assets';
import { openDatabase } from '../storage/db';
import { createGenerationHandlers } from './generation-handlers';
import { serve } from './rpc';
import type { GenerationRequests } from './generation-protocol';

let lid: Promise<LanguageIdentifier | null> | null = null;
// Loaded on first use and kept; if it cannot load, generation goes on without the language check.
const loadLid = () =>
  (lid ??= LanguageIdentifier.load(lidAssets(self.location.href), LID_LANGUAGES).catch((error: unknown) => {
    console.warn('Language identification is unavailable:', error);
    return null;
  }));

serve<GenerationRequests>(
  self,
  createGenerationHandlers(() => openDatabase(), ortWasmPaths(self.location.href), loadLid),
);
