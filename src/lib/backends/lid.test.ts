import { describe, expect, it } from 'vitest';
import languages from 'fasttext.wasm.js/dist/models/language-identification/assets/languages.json';
import { LanguageIdentifier } from './lid';

describe('LanguageIdentifier (fastText lid.176)', () => {
  it('accepts the right language, catches another, and skips languages it does not know', async () => {
    const lid = await LanguageIdentifier.load({}, languages);
    expect(await lid.check('Timu ya taifa imeshinda mechi ya jana kwa mabao mawili.', 'sw')).toMatchObject({
      matches: true,
    });
    expect(await lid.check('The national team won yesterday’s match by two goals.', 'sw')).toMatchObject({
      matches: false,
      detected: 'English',
    });
    expect(await lid.check('Ціни на ринку сьогодні зросли.', 'ukr')).toMatchObject({ matches: true });
    // lid.176 has no Hausa: no verdict rather than a false rejection.
    expect(lid.knows('ha')).toBe(false);
    expect(await lid.check('Ƙungiyar Kano Pillars ta ci wasan jiya.', 'ha')).toBeNull();
  });
});
