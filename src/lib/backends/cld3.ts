/**
 * @file Language identification with Google's CLD3 (cld3-asm: the model compiled to wasm and
 * embedded in the script, so it works offline with nothing to serve). It knows 107 languages,
 * Hausa, Igbo, Yoruba, Zulu, Xhosa, Shona, Somali and Malagasy among them, so it checks many
 * low-resource task languages fastText's lid.176 does not know (decision 015).
 */
import type { CldFactory } from 'cld3-asm/dist/types/cldFactory';
import type { AsmRuntimeType, runtimeModuleType } from 'emscripten-wasm-loader';
import type { Verdict } from '../domain/language-check';

/**
 * Probability from which CLD3's verdict is taken as sure (it calls 0.7 reliable; on short texts
 * it then names a neighbouring language too often: "Timu ya taifa imefuzu kucheza fainali za
 * Afrika." is Hausa at 0.79).
 */
export const CLD3_SURE = 0.9;

type Identifier = ReturnType<CldFactory['create']>;

export class Cld3 {
  private constructor(private readonly identifier: Identifier) {}

  /** Compiles the embedded wasm and makes an identifier (no minimum length: generated texts can be short). */
  static async load(): Promise<Cld3> {
    // The package's own `loadModule` imports the emscripten runtime as a module namespace, which
    // a bundle cannot call: the runtime (the browser build, by the package's `browser` field) and
    // its loader are imported as CommonJS modules and put together as `loadModule` does. Imported
    // here, on first use, so that a failure only leaves the check to lid.176.
    const [{ getModuleLoader }, loader, runtimeModule] = await Promise.all([
      import('emscripten-wasm-loader'),
      // @ts-expect-error: no type declarations for the package's CommonJS files
      import('cld3-asm/dist/cjs/cldLoader.js') as Promise<{ cldLoader: unknown }>,
      // @ts-expect-error: no type declarations for the package's CommonJS files
      import('cld3-asm/dist/cjs/lib/node/cld3.js') as Promise<{ default: unknown }>,
    ]);
    const cldLoader = loader.cldLoader;
    const runtime = runtimeModule.default;
    const load = getModuleLoader<CldFactory, AsmRuntimeType>(
      (module) => (cldLoader as (m: AsmRuntimeType) => CldFactory)(module),
      runtime as runtimeModuleType,
    );
    const factory = await load();
    return new Cld3(factory.create(0, 1000));
  }

  /** CLD3's verdict on a text: its language code (`und` when it cannot tell) and whether it is sure. */
  identify(text: string): Verdict {
    const r = this.identifier.findLanguage(text.replace(/\s+/g, ' '));
    const code = r.language === 'iw' ? 'he' : (r.language.split('-')[0] ?? r.language);
    return {
      by: 'cld3',
      code,
      confidence: r.probability,
      sure: r.is_reliable && r.probability >= CLD3_SURE && code !== 'und',
    };
  }

  dispose(): void {
    this.identifier.dispose();
  }
}
