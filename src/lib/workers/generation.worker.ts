/**
 * @file Generation worker entry: wires the handler to the worker scope, nothing else.
 */
import { Cld3 } from '../backends/cld3';
import { LanguageIdentifier } from '../backends/lid';
import { lidAssets, LID_LANGUAGES } from '../backends/lid-assets';
import { ortWasmPaths } from '../backends/ort-wasm-assets';
import { openDatabase } from '../storage/db';
import { createGenerationHandlers } from './generation-handlers';
import { serve } from './rpc';
import type { GenerationRequests } from './generation-protocol';

let identifiers: Promise<{ lid: LanguageIdentifier | null; cld3: Cld3 | null }> | null = null;
const unavailable = (name: string) => (error: unknown) => {
  console.warn(`${name} language identification is unavailable:`, error);
  return null;
};
// Loaded on first use and kept; one that cannot load leaves its languages to the other, or unchecked.
const loadLid = () =>
  (identifiers ??= Promise.all([
    LanguageIdentifier.load(lidAssets(self.location.href), LID_LANGUAGES).catch(unavailable('lid.176')),
    Cld3.load().catch(unavailable('CLD3')),
  ]).then(([lid, cld3]) => ({ lid, cld3 })));

serve<GenerationRequests>(
  self,
  createGenerationHandlers(() => openDatabase(), ortWasmPaths(self.location.href), loadLid),
);
