import { describe, expect, it } from 'vitest';
import languages from 'fasttext.wasm.js/dist/models/language-identification/assets/languages.json';
import { Cld3 } from './cld3';
import { LanguageChecker } from './language-checker';
import { LanguageIdentifier } from './lid';

const TASK = [
  { code: 'sw', name: 'Swahili' },
  { code: 'ha', name: 'Hausa' },
  { code: 'yo', name: 'Yoruba' },
];
/** Yoruba with its tone marks, which CLD3 mostly takes for Vietnamese. */
const YORUBA = [
  'Ìjọba àpapọ̀ ti kéde pé àwọn ilé ìwé yóò ṣí sílẹ̀ ní ọ̀sẹ̀ tó ń bọ̀.',
  'Àwọn àgbẹ̀ ní ìpínlẹ̀ Ọ̀yọ́ ń retí òjò kí wọ́n tó gbin ọkà.',
  'Ẹgbẹ́ agbábọ́ọ̀lù orílẹ̀-èdè wa ti borí nínú ìdíje àná.',
  'Dókítà gba àwọn ènìyàn nímọ̀ràn láti máa mu omi tó mọ́.',
  'Ààrẹ sọ̀rọ̀ níwájú ilé aṣòfin nípa ìṣúná owó ọdún yìí.',
  'Ọjà ẹja ní Èkó kún fún àwọn oníbàárà ní òwúrọ̀ yìí.',
  'Àwọn akẹ́kọ̀ọ́ ṣe ìdánwò ìparí ọdún ní ọjọ́ Ẹtì.',
  'Ilé ìwòsàn tuntun ti ṣí sílẹ̀ fún àwọn ìyá àti ọmọ wọn.',
  'Òṣèlú náà ṣèlérí láti kọ́ ọ̀nà tuntun sí abúlé wa.',
  'Àwọn olórin gbé eré ìtàgé kan kalẹ̀ ní gbọ̀ngàn ìlú.',
  'Ojú ọjọ́ yóò gbóná gidigidi ní ìparí ọ̀sẹ̀ yìí.',
  'Àwọn ọlọ́pàá mú àwọn olè méjì ní ọjà ní alẹ́ àná.',
];

describe('LanguageChecker (CLD3 and lid.176, and what a task learns from its own texts)', () => {
  it('checks Hausa, which lid.176 does not know, and catches English and Swahili in it', async () => {
    const lid = await LanguageIdentifier.load({}, languages);
    const cld3 = await Cld3.load();
    const checker = await LanguageChecker.forTask(lid, cld3, TASK, []);
    expect(checker.knownBy('ha')).toEqual(['cld3']);
    expect(checker.knownBy('sw')).toEqual(['cld3', 'lid176']);
    expect(await checker.check('Ƙungiyar Kano Pillars ta ci wasan jiya da ci biyu.', 'ha')).toMatchObject({
      matches: true,
    });
    expect(await checker.check('Doctors advise everyone to drink clean water every day.', 'ha')).toMatchObject({
      matches: false,
      detected: 'English',
    });
    expect(await checker.check('Hospitali ya wilaya imepokea dawa mpya za malaria.', 'ha')).toMatchObject({
      matches: false,
      detected: 'Swahili (macrolanguage)',
    });
    expect(await checker.check('Hospitali ya wilaya imepokea dawa mpya za malaria.', 'sw')).toMatchObject({
      matches: true,
    });
    cld3.dispose();
  });

  it('learns from the task’s own Yoruba texts how CLD3 sees them, and still catches other languages', async () => {
    const lid = await LanguageIdentifier.load({}, languages);
    const cld3 = await Cld3.load();
    const bare = await LanguageChecker.forTask(null, cld3, TASK, []);
    const taught = await LanguageChecker.forTask(
      null,
      cld3,
      TASK,
      YORUBA.map((text) => ({ text, language: 'yo' })),
    );
    const unseen = 'Àwọn ọmọdé ń ṣeré bọ́ọ̀lù ní pápá ìṣeré ilé ìwé.';
    const rejectedBare = (await Promise.all(YORUBA.map((t) => bare.check(t, 'yo')))).filter((c) => !c?.matches);
    expect(rejectedBare.length).toBeGreaterThan(YORUBA.length / 2);
    expect(taught.seenAs.get('yo')?.cld3).toContain('vi');
    expect(await taught.check(unseen, 'yo')).toMatchObject({ matches: true });
    expect(await taught.check('Ƙungiyar Kano Pillars ta ci wasan jiya da ci biyu.', 'yo')).toMatchObject({
      matches: false,
      detected: 'Hausa',
    });
    // With lid.176 too, the same.
    const both = await LanguageChecker.forTask(
      lid,
      cld3,
      TASK,
      YORUBA.map((text) => ({ text, language: 'yo' })),
    );
    expect(await both.check('The national team won the final match yesterday evening.', 'yo')).toMatchObject({
      matches: false,
      detected: 'English',
    });
    cld3.dispose();
  });
});
