/**
 * @file Sentences used to check an encoder: one meaning in several scripts, plus one
 * unrelated sentence. A good multilingual encoder puts the translations close together
 * and the unrelated sentence further away.
 */

export interface ProbeText {
  lang: string;
  language: string;
  text: string;
  /** True for the sentence with a different meaning. */
  unrelated?: boolean;
}

export const PROBE_TEXTS: readonly ProbeText[] = [
  { lang: 'en', language: 'English', text: 'Market prices rose today.' },
  { lang: 'sw', language: 'Swahili', text: 'Bei za sokoni zimepanda leo.' },
  { lang: 'uk', language: 'Ukrainian', text: 'Ціни на ринку сьогодні зросли.' },
  { lang: 'ar', language: 'Arabic', text: 'ارتفعت الأسعار في السوق اليوم.' },
  { lang: 'am', language: 'Amharic', text: 'የገበያ ዋጋ ዛሬ ጨመረ።' },
  { lang: 'en', language: 'English', text: 'The football match ended in a draw.', unrelated: true },
];

/** Cosine similarity of two vectors (1 for identical direction). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * How clearly a model tells meaning apart on the probe texts: the mean similarity of the
 * translations to the reference minus that of the unrelated sentence. Real multilingual
 * sentence encoders score well above {@link SEPARATION_GOOD}; random weights near 0.
 */
export function probeSeparation(similarities: readonly { unrelated: boolean; similarity: number }[]): number {
  const translations = similarities.slice(1).filter((s) => !s.unrelated);
  const unrelated = similarities.filter((s) => s.unrelated);
  if (translations.length === 0 || unrelated.length === 0) return 0;
  const mean = (xs: typeof similarities) => xs.reduce((a, s) => a + s.similarity, 0) / xs.length;
  return mean(translations) - mean(unrelated);
}

/** A separation above this means translations sit clearly closer than unrelated text. */
export const SEPARATION_GOOD = 0.1;
