/**
 * @file Language identification with fastText's lid.176 model (fasttext.wasm.js), for the
 * wrong-language filter. It knows 176 languages; for a task language it does not know (Hausa,
 * Igbo, Tigrinya, Guarani among them) it answers null, and the filter skips the check rather
 * than reject good text.
 */
import { getLIDModel } from 'fasttext.wasm.js';
import type { LanguageCheck } from '../domain/filters';
import { lidKnownCodes, lidKnows, type Verdict } from '../domain/language-check';
import { findLanguage } from '../domain/languages';

/** Below this confidence a different language is not trusted (short texts are noisy). */
export const LID_MIN_CONFIDENCE = 0.6;

export interface LidAssets {
  /** URL of fastText.common.wasm (browser). */
  wasmPath?: string;
  /** URL of lid.176.ftz (browser). */
  modelPath?: string;
}

type LidModel = Awaited<ReturnType<typeof getLIDModel>>;

export class LanguageIdentifier {
  private constructor(
    private readonly model: LidModel,
    private readonly known: ReadonlySet<string>,
  ) {}

  /**
   * Loads the model.
   * @param assets where the browser finds the wasm and the model (Node uses the package's files)
   * @param knownCodes the lid.176 labels with their ISO codes (from the package's languages.json)
   */
  static async load(
    assets: LidAssets = {},
    knownCodes: Record<string, { alpha3: string; alpha2: string | null }> = {},
  ): Promise<LanguageIdentifier> {
    const model = await getLIDModel({
      ...(assets.wasmPath ? { wasmPath: assets.wasmPath } : {}),
      ...(assets.modelPath ? { modelPath: assets.modelPath } : {}),
    });
    await model.load();
    return new LanguageIdentifier(model, lidKnownCodes(knownCodes));
  }

  /** Whether the model can recognise this task language at all. */
  knows(code: string): boolean {
    return lidKnows(this.known, code);
  }

  /** lid.176's verdict on a text: the language it names, sure from {@link LID_MIN_CONFIDENCE} on. */
  async identify(text: string): Promise<Verdict> {
    const top = await this.model.identify(text.replace(/\s+/g, ' '));
    return {
      by: 'lid176',
      code: top.alpha2 ?? top.alpha3,
      confidence: top.possibility,
      sure: top.possibility >= LID_MIN_CONFIDENCE,
    };
  }

  /**
   * lid.176 alone (the check of versions before CLD3 joined it).
   * @param text a candidate
   * @param code the task language it should be in
   * @returns null when the language is unknown to the model
   */
  async check(text: string, code: string): Promise<LanguageCheck> {
    if (!this.knows(code)) return null;
    const top = await this.model.identify(text.replace(/\s+/g, ' '));
    const base = code.toLocaleLowerCase().split(/[-_]/)[0] ?? '';
    const iso3 = findLanguage(base)?.iso6393;
    const same = top.alpha2 === base || top.alpha3 === base || (iso3 !== undefined && top.alpha3 === iso3);
    return {
      matches: same || top.possibility < LID_MIN_CONFIDENCE,
      detected: top.refName,
      confidence: top.possibility,
    };
  }
}
