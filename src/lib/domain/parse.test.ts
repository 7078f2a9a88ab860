import { describe, expect, it } from 'vitest';
import { cleanText, parseGeneratedTexts } from './parse';
import { describeParseProblem } from '../ui/reasons';

const cases: [string, string, string[], RegExp?][] = [
  ['plain object', '{"texts": ["Simba ilishinda.", "Yanga ilipoteza."]}', ['Simba ilishinda.', 'Yanga ilipoteza.']],
  ['bare array', '["a one", "b two"]', ['a one', 'b two']],
  ['fenced json', 'Here you go:\n```json\n{"texts": ["x y z"]}\n```\nEnjoy!', ['x y z']],
  ['fence without language', '```\n["one two"]\n```', ['one two']],
  ['unclosed fence', '```json\n{"texts": ["alpha beta"]}', ['alpha beta']],
  ['trailing text', '{"texts": ["kwanza"]} I hope these help!', ['kwanza'], /text after the JSON was ignored/],
  ['leading chatter', 'Sure! Here are 2 examples: ["moja", "mbili"]', ['moja', 'mbili']],
  ['trailing commas', '{"texts": ["a b", "c d",],}', ['a b', 'c d']],
  ['smart quotes', '{“texts”: [“Habari za leo”]}', ['Habari za leo']],
  [
    'cut off mid-array',
    '{"texts": ["Rais amefika.", "Bunge limeanza.", "Waziri ame',
    ['Rais amefika.', 'Bunge limeanza.'],
    /cut off; 2 complete texts kept/,
  ],
  ['cut off after a comma', '["one", "two", ', ['one', 'two'], /cut off/],
  ['objects with text', '[{"text": "Mchezo mzuri", "label": "sports"}, {"text": "Siasa"}]', ['Mchezo mzuri', 'Siasa']],
  ['samples key', '{"samples": [{"sentence": "Ina kyau"}]}', ['Ina kyau']],
  ['other list key', '{"generated": ["zama", "lafiya"]}', ['zama', 'lafiya']],
  [
    'numbered lines, no JSON',
    '1. Timu ilishinda\n2. Mchezaji alifunga\n3) Kocha alifurahi',
    ['Timu ilishinda', 'Mchezaji alifunga', 'Kocha alifurahi'],
    /no JSON found; read 3 lines/,
  ],
  ['bulleted quoted lines', '- "Ƙungiyar ta ci"\n* “Ɗan wasa ya zura”', ['Ƙungiyar ta ci', 'Ɗan wasa ya zura']],
  ['numbered items inside JSON', '{"texts": ["1. first text", "2) second text"]}', ['first text', 'second text']],
  ['escaped quotes and newlines', '{"texts": ["He said \\"hi\\"\\nthen left"]}', ['He said "hi"\nthen left']],
  ['think block', '<think>I should write in Swahili</think>{"texts": ["Habari"]}', ['Habari']],
  ['non-text items', '{"texts": ["ok text", 5, null, ["x"]]}', ['ok text'], /item 2 is not text/],
  ['empty strings dropped', '{"texts": ["", "  ", "real one"]}', ['real one'], /2 empty texts dropped/],
  ['empty answer', '', [], /the answer was empty/],
  ['Arabic and Amharic', '{"texts": ["ارتفعت الأسعار", "የገበያ ዋጋ ጨመረ።"]}', ['ارتفعت الأسعار', 'የገበያ ዋጋ ጨመረ።']],
  ['single object', '{"text": "one alone"}', ['one alone']],
];

describe('parseGeneratedTexts', () => {
  it.each(cases)('%s', (_name, raw, texts, problem) => {
    const report = parseGeneratedTexts(raw);
    expect(report.texts).toEqual(texts);
    if (problem) expect(report.problems.map(describeParseProblem).join('; ')).toMatch(problem);
  });

  it('has at least 20 real-looking cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });
});

describe('cleanText', () => {
  it('strips numbering, bullets, labels and wrapping quotes but keeps inner quotes', () => {
    expect(cleanText('3. "Hello there"')).toBe('Hello there');
    expect(cleanText('Example 2: «Bonjour»')).toBe('Bonjour');
    expect(cleanText('He said "no" twice')).toBe('He said "no" twice');
    expect(cleanText('2024 was a good year')).toBe('2024 was a good year');
  });
});
