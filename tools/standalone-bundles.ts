/**
 * @file Vite plugin: the standalone classifier page's scripts, bundled from the app's own
 * sources at build time and offered to the app as strings (`virtual:standalone-page`, a classic
 * script that also runs from `file://`; `virtual:standalone-encoder`, an ES module with
 * transformers.js for heads on an embedding model). One source for the app and the page: the
 * page classifies exactly as the app does.
 */
import { resolve } from 'node:path';
import { build, type Plugin, type Rollup } from 'vite';

const BUNDLES: Record<string, { entry: string; format: 'iife' | 'es' }> = {
  'virtual:standalone-page': { entry: 'src/standalone/page.ts', format: 'iife' },
  'virtual:standalone-encoder': { entry: 'src/standalone/encoder.ts', format: 'es' },
};

export function standaloneBundles(): Plugin {
  let root = process.cwd();
  return {
    name: 'polyclass-standalone-bundles',
    configResolved(config) {
      root = config.root;
    },
    resolveId(id) {
      return id in BUNDLES ? `\0${id}` : undefined;
    },
    async load(id) {
      const bundle = id.startsWith('\0') ? BUNDLES[id.slice(1)] : undefined;
      if (!bundle) return undefined;
      const entry = resolve(root, bundle.entry);
      const result = (await build({
        configFile: false,
        root,
        logLevel: 'error',
        build: {
          write: false,
          minify: true,
          target: 'es2022',
          emptyOutDir: false,
          // Assets (onnxruntime-web's own wasm) stay out of the script: the page is given its
          // runtime files by path instead.
          assetsInlineLimit: 0,
          modulePreload: false,
          rollupOptions: {
            input: entry,
            // The encoder module's `openEncoder` is what the page imports.
            preserveEntrySignatures: 'exports-only',
            // One file: no chunks the page would have to load.
            output: { format: bundle.format, codeSplitting: false, name: 'polyclassStandalone' },
          },
        },
      })) as Rollup.RollupOutput | Rollup.RollupOutput[];
      const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
      const chunk = outputs.find((o): o is Rollup.OutputChunk => o.type === 'chunk' && o.isEntry);
      if (!chunk) throw new Error(`standalone bundle ${bundle.entry} produced no script`);
      for (const module of chunk.moduleIds) if (!module.startsWith('\0')) this.addWatchFile(module);
      return `export default ${JSON.stringify(chunk.code)};`;
    },
  };
}
