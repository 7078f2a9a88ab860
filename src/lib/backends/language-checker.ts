/**
 * @file The wrong-language check as generation runs it (decision 015): CLD3 and fastText's
 * lid.176 each judge a text in the languages they know, and what the task learned from its own
 * texts (seed and human-written samples) about how they see each of its languages joins in.
 * Rules: `domain/language-check.ts`.
 */
import type { LanguageCheck } from '../domain/filters';
import {
  identifiersFor,
  judgeLanguage,
  learnSeenAs,
  type IdentifierName,
  type SeenAs,
  type Verdict,
} from '../domain/language-check';
import { findLanguage } from '../domain/languages';
import type { TaskLanguage } from '../domain/task';
import type { Cld3 } from './cld3';
import type { LanguageIdentifier } from './lid';

export class LanguageChecker {
  private constructor(
    private readonly lid: LanguageIdentifier | null,
    private readonly cld3: Cld3 | null,
    /** Per task language code: how the identifiers see its own texts. */
    readonly seenAs: ReadonlyMap<string, SeenAs>,
  ) {}

  /**
   * A checker for a task: learns, from the task's own texts of each language, which other codes
   * the identifiers give them.
   * @param own the task's seed and human-written texts (never test texts)
   */
  static async forTask(
    lid: LanguageIdentifier | null,
    cld3: Cld3 | null,
    languages: readonly TaskLanguage[],
    own: readonly { text: string; language: string }[],
  ): Promise<LanguageChecker> {
    const bare = new LanguageChecker(lid, cld3, new Map());
    const seenAs = new Map<string, SeenAs>();
    for (const l of languages) {
      const texts = own.filter((s) => s.language === l.code).map((s) => s.text);
      const verdicts = await Promise.all(texts.map((t) => bare.verdicts(t, l.code)));
      const others = languages.filter((o) => o.code !== l.code).map((o) => o.code);
      seenAs.set(l.code, learnSeenAs(verdicts, l.code, others));
    }
    return new LanguageChecker(lid, cld3, seenAs);
  }

  /** The identifiers that know a language. */
  knownBy(code: string): IdentifierName[] {
    const lid = this.lid;
    return identifiersFor(code, lid ? (c) => lid.knows(c) : null, this.cld3 !== null);
  }

  /** The verdicts of the identifiers that know the target language. */
  async verdicts(text: string, code: string): Promise<Verdict[]> {
    const by = this.knownBy(code);
    const out: Verdict[] = [];
    if (by.includes('cld3') && this.cld3) out.push(this.cld3.identify(text));
    if (by.includes('lid176') && this.lid) out.push(await this.lid.identify(text));
    return out;
  }

  /**
   * @param text a candidate
   * @param code the task language it should be in
   * @returns null when no identifier knows the language
   */
  async check(text: string, code: string): Promise<LanguageCheck> {
    const verdicts = await this.verdicts(text, code);
    if (verdicts.length === 0) return null;
    const { matches, verdict } = judgeLanguage(verdicts, code, this.seenAs.get(code));
    return {
      matches,
      detected: verdict ? (findLanguage(verdict.code)?.name ?? verdict.code) : '',
      confidence: verdict?.confidence ?? 0,
    };
  }
}
