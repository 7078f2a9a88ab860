/**
 * @file Writes the demo project shipped with the app (`src/assets/demo-project.json`) from the
 * SIB-200 subset in ../shared/data: a news-topic task in Swahili, Hausa and Yoruba with label
 * descriptions, 2 seed examples per label and language, 15 human training sentences per label
 * and language (for the n-gram student with no download, and as the human reference), 10
 * human test sentences per label and language, and an unlabelled pool of 70 sentences per
 * language (for the Label view); GPT-4's and GPT-3.5's zero-shot answers for those
 * test sentences (from the SIB-200 authors, as imported answers: a first-time user sees the
 * student against GPT-4 per language with no download); and the demo's recording (below). Run
 * it again only to change the selection:
 *
 *   npx tsx scripts/build-demo.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';

const ROOT = resolve(import.meta.dirname ?? '.', '..');
const DATA = resolve(ROOT, '../shared/data/sib200');

const LANGUAGES = [
  { file: 'swh_Latn', code: 'sw', name: 'Swahili (macrolanguage)' },
  { file: 'hau_Latn', code: 'ha', name: 'Hausa' },
  { file: 'yor_Latn', code: 'yo', name: 'Yoruba' },
];
const LABELS = [
  { name: 'science/technology', description: 'Research, inventions, computers, space and how things work' },
  { name: 'travel', description: 'Trips, tourism, transport, visas and places to visit' },
  { name: 'politics', description: 'Governments, elections, laws, parties and conflicts between states' },
  { name: 'sports', description: 'Games, teams, athletes and competitions' },
  { name: 'health', description: 'Illness, medicine, the body and staying well' },
  { name: 'entertainment', description: 'Music, film, television, celebrities and festivals' },
  { name: 'geography', description: 'Countries, landscapes, rivers, climate and where things are' },
];
const PER_LABEL = { seed: 2, train: 15, test: 10, pool: 10 };

/**
 * A cell as written: the files are read without quote handling (some texts hold a lone quote),
 * so a text the file wrapped in quotes, doubling its own, is unwrapped here.
 */
const unquote = (cell: string) => {
  const t = cell.trim();
  return t.length > 1 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t;
};
const read = (lang: string, split: string) =>
  Papa.parse<{ index_id: string; category: string; text: string }>(
    readFileSync(join(DATA, lang, `${split}.tsv`), 'utf8'),
    { header: true, delimiter: '\t', quoteChar: '\u0000', skipEmptyLines: true },
  ).data.map((r) => ({ ...r, text: unquote(r.text) }));

const samples: { text: string; label: string; language: string; split: 'seed' | 'train' | 'test' | 'pool' }[] = [];
for (const [j, lang] of LANGUAGES.entries()) {
  const train = read(lang.file, 'train');
  const test = read(lang.file, 'test');
  for (const label of LABELS) {
    // SIB-200's sentences are translations of each other: each language takes other training
    // sentences, as a community's own texts would be, so no training text has its translation in
    // another language of the task (which would flatter every held-out estimate: calibration,
    // the label check). The test sentences stay parallel, for a fair comparison across languages.
    const first = j * (PER_LABEL.seed + PER_LABEL.train);
    const own = train.filter((r) => r.category === label.name).slice(first);
    const take = (rows: typeof own, split: 'seed' | 'train' | 'test') =>
      rows.forEach((r) => samples.push({ text: r.text, label: label.name, language: lang.code, split }));
    take(own.slice(0, PER_LABEL.seed), 'seed');
    take(own.slice(PER_LABEL.seed, PER_LABEL.seed + PER_LABEL.train), 'train');
    take(test.filter((r) => r.category === label.name).slice(0, PER_LABEL.test), 'test');
    // The unlabelled pool (the Label view's texts to label): training sentences no language of
    // the task trains on where there are enough, else ones only another language trains on (in
    // translation); stored without their label, as a community's unlabelled texts would be.
    const used = LANGUAGES.length * (PER_LABEL.seed + PER_LABEL.train);
    const all = train.filter((r) => r.category === label.name);
    const others = all.slice(0, used).filter((_, i) => i < first || i >= first + PER_LABEL.seed + PER_LABEL.train);
    for (const r of [...all.slice(used), ...others].slice(j * PER_LABEL.pool).slice(0, PER_LABEL.pool))
      samples.push({ text: r.text, label: '', language: lang.code, split: 'pool' });
  }
}

/*
 * GPT-4's and GPT-3.5's zero-shot answers for the demo's test sentences, as the SIB-200 authors
 * published them (free text such as `This piece of news can be categorized under "Travel".`;
 * these files quote their cells properly). Each answer is kept as written: the app reads it
 * with the same parser as any imported answer.
 */
const testTexts = new Set(samples.filter((s) => s.split === 'test').map((s) => s.text));
const SYSTEMS = [
  { file: 'gpt4_zero_shot.tsv', column: 'gpt-4', name: 'GPT-4 zero-shot', model: 'GPT-4', folder: 'output_gpt4' },
  {
    file: 'gpt35_zero_shot.tsv',
    column: 'gpt-3',
    name: 'GPT-3.5 zero-shot',
    model: 'GPT-3.5-turbo',
    folder: 'output_gpt3.5',
  },
];
const answerSets = SYSTEMS.map((system) => {
  const rows: { id: null; text: string; answer: string }[] = [];
  for (const lang of LANGUAGES) {
    const parsed = Papa.parse<Record<string, string>>(readFileSync(join(DATA, lang.file, system.file), 'utf8'), {
      header: true,
      delimiter: '\t',
      skipEmptyLines: true,
    }).data;
    for (const r of parsed) {
      const text = (r.text ?? '').trim();
      if (testTexts.has(text)) rows.push({ id: null, text, answer: (r[system.column] ?? '').trim() });
    }
  }
  if (rows.length !== testTexts.size)
    throw new Error(`${system.file}: ${rows.length} of ${testTexts.size} test texts answered`);
  return {
    name: system.name,
    fileName: system.file,
    attribution: `${system.model}'s zero-shot answers, published by the SIB-200 authors (github.com/dadelani/sib-200, llm-results/${system.folder}, Apache License 2.0).`,
    rows,
  };
});

const demo = {
  task: {
    name: 'Demo: news topics (SIB-200)',
    description: 'The topic of a sentence from a news or encyclopedia text',
    languages: LANGUAGES.map(({ code, name }) => ({ code, name })),
    labels: LABELS,
  },
  attribution:
    'Sentences and labels from SIB-200 (Adelani et al., 2023; github.com/dadelani/sib-200, Apache License 2.0), whose sentences come from Flores-200 (CC BY-SA 4.0). The label descriptions are polyclass’s own.',
  samples,
  answerSets,
};
writeFileSync(join(ROOT, 'src/assets/demo-project.json'), `${JSON.stringify(demo, null, 2)}\n`);
console.log(`${samples.length} samples written`);

/*
 * The demo's recording (`public/recordings/demo-news.json`, shipped with the app): answers in
 * the shape small LLMs give them (a JSON list of texts; some in a fenced block after a line of
 * chatter, as models often answer), for every label and language of the demo, so generation can
 * be shown on a laptop without a capable GPU. The texts are human-written SIB-200 sentences of
 * the dev split (none of them is in the demo's training or test data), and the recording says
 * so: it shows how generation works, not what an LLM writes.
 */
const PER_ANSWER = 3;
const recording = {
  model: 'demo replay (SIB-200 dev sentences)',
  note: 'A replay for demonstrations: human-written SIB-200 sentences (dev split, CC BY-SA 4.0) in the shape of an LLM’s answers. It shows how generation works, not what an LLM writes.',
  answers: [] as { label: string; language: string; answer: string }[],
};
for (const lang of LANGUAGES) {
  const dev = read(lang.file, 'dev');
  const recorded = lang.name.replace(/\s*\(.*\)$/, '');
  for (const label of LABELS) {
    const texts = dev.filter((r) => r.category === label.name).map((r) => r.text.trim());
    for (let i = 0; i < texts.length; i += PER_ANSWER) {
      const json = JSON.stringify({ texts: texts.slice(i, i + PER_ANSWER) }, null, 1);
      const answer = (i / PER_ANSWER) % 3 === 1 ? `Here are the texts:\n\`\`\`json\n${json}\n\`\`\`` : json;
      recording.answers.push({ label: label.name, language: recorded, answer });
    }
  }
}
mkdirSync(join(ROOT, 'public/recordings'), { recursive: true });
writeFileSync(join(ROOT, 'public/recordings/demo-news.json'), `${JSON.stringify(recording, null, 1)}\n`);
console.log(`${recording.answers.length} recorded answers written`);
