/**
 * @file A task's samples as CSV, JSONL, or a folder the Hugging Face `datasets` library
 * loads directly (one JSONL per split plus a dataset card).
 */
import { readRejection, REJECTION_META } from '../domain/filters';
import { SPLITS, type Sample, type Split } from '../domain/sample';
import type { Task } from '../domain/task';
import { toCsv, type CsvOptions } from './csv';
import { mdCode, mdText, yamlString } from '../domain/markdown';

/** The columns exported for each sample, in order. */
const COLUMNS = ['text', 'label', 'language', 'split', 'source', 'job_id', 'generator', 'flags', 'created_at'] as const;

/**
 * How a synthetic sample was made, as generation recorded it: generator model, strategy, prompt
 * template version, temperature, seed, diversity hint, the filters it passed. Null for others.
 */
export function provenanceOf(s: Sample): Record<string, string> | null {
  if (!s.meta) return null;
  const { [REJECTION_META.reason]: _rejected, [REJECTION_META.values]: _values, ...rest } = s.meta;
  return Object.keys(rest).length ? rest : null;
}

function exportRow(s: Sample): Record<(typeof COLUMNS)[number], string> {
  return {
    text: s.text,
    label: s.label,
    language: s.language,
    split: s.split,
    source: s.source,
    job_id: s.jobId ?? '',
    generator: s.meta?.generator ?? '',
    flags: s.flags.join(' '),
    created_at: new Date(s.createdAt).toISOString(),
  };
}

/**
 * CSV with a header row; texts are quoted as needed, newlines kept, and cells a spreadsheet would
 * run as formulas guarded unless `raw` (see `files/csv.ts`).
 */
export function samplesToCsv(samples: readonly Sample[], options: CsvOptions = {}): string {
  return toCsv(
    COLUMNS,
    samples.map((s) => COLUMNS.map((c) => exportRow(s)[c])),
    options,
  );
}

/** One JSON object per line. */
export function samplesToJsonl(samples: readonly Sample[]): string {
  return (
    samples.map((s) => JSON.stringify({ ...exportRow(s), flags: s.flags, provenance: provenanceOf(s) })).join('\n') +
    (samples.length ? '\n' : '')
  );
}

function countBy(samples: readonly Sample[], key: (s: Sample) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) out[key(s)] = (out[key(s)] ?? 0) + 1;
  return out;
}

/**
 * The dataset card and datasheet: what the data is, its labels and languages, its composition
 * by language × label × source, the generator models and settings, the quality filters and what
 * they rejected, and known limits.
 * @param rejected texts the quality filters rejected (not exported; counted here)
 */
export function datasetCard(
  task: Task,
  samples: readonly Sample[],
  rejected: readonly Sample[] = [],
  now = new Date(),
): string {
  const splits = SPLITS.filter((sp) => samples.some((s) => s.split === sp));
  // Pool texts have no label yet: counted apart from the labelled samples.
  const labelled = samples.filter((s) => s.split !== 'pool');
  const unlabelled = samples.length - labelled.length;
  const bySource = countBy(labelled, (s) => s.source);
  const table = (rows: string[][]) => rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
  const langLabel: string[][] = [
    ['language', ...task.labels.map((l) => mdText(l.name)), 'total'],
    ['---', ...task.labels.map(() => '---:'), '---:'],
  ];
  const sources = Object.keys(bySource).sort();
  const composition: string[][] = [
    ['language', 'label', ...sources],
    ['---', '---', ...sources.map(() => '---:')],
  ];
  const thin: string[] = [];
  for (const lang of task.languages)
    for (const l of task.labels) {
      const cell = samples.filter((s) => s.language === lang.code && s.label === l.name);
      composition.push([
        mdText(lang.code),
        mdText(l.name),
        ...sources.map((src) => String(cell.filter((s) => s.source === src).length)),
      ]);
      if (cell.length < 10) thin.push(`${mdText(lang.code)} × ${mdText(l.name)} (${cell.length})`);
    }
  const synthetic = samples.filter((s) => s.meta?.generator);
  const byGenerator = new Map<string, Sample[]>();
  for (const s of synthetic) {
    const name = s.meta?.generator ?? '';
    const group = byGenerator.get(name);
    if (group) group.push(s);
    else byGenerator.set(name, [s]);
  }
  const distinct = (xs: readonly Sample[], key: string) =>
    [...new Set(xs.map((s) => s.meta?.[key]).filter((v): v is string => Boolean(v)))].sort().map(mdText).join(', ') ||
    '–';
  const generators = [...byGenerator].map(([name, xs]) => [
    mdText(name),
    String(xs.length),
    distinct(xs, 'strategy'),
    distinct(xs, 'template'),
    distinct(xs, 'temperature'),
  ]);
  const filtersUsed = [...new Set(synthetic.map((s) => s.meta?.filters).filter((v): v is string => Boolean(v)))];
  const rejectedRows = Object.entries(countBy(rejected, (s) => readRejection(s.meta, s.label)?.reason ?? 'unknown'))
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => [mdText(reason), String(n)]);
  for (const lang of task.languages) {
    const ofLang = samples.filter((s) => s.language === lang.code);
    langLabel.push([
      `${mdText(lang.name)} (${mdText(lang.code)})`,
      ...task.labels.map((l) => String(ofLang.filter((s) => s.label === l.name).length)),
      String(ofLang.length),
    ]);
  }
  return `---
language:
${task.languages.map((l) => `- ${yamlString(l.code)}`).join('\n')}
task_categories:
- text-classification
configs:
- config_name: default
  data_files:
${splits.map((sp) => `  - split: ${sp}\n    path: ${sp}.jsonl`).join('\n')}
dataset_info:
  features:
  - name: text
    dtype: string
  - name: label
    dtype: string
  - name: language
    dtype: string
---

# ${mdText(task.name)}

${task.description ? mdText(task.description) : 'A text classification dataset made with polyclass.'}

Exported from polyclass on ${now.toISOString().slice(0, 10)}: ${samples.length} samples in ${task.languages.length} language(s).

## Labels

${task.labels.map((l) => `- **${mdText(l.name)}**: ${l.description ? mdText(l.description) : '(no description)'}`).join('\n')}

## Samples per language and label

${table(langLabel)}

## Splits

${table([['split', 'samples'], ['---', '---:'], ...splits.map((sp) => [sp, String(samples.filter((s) => s.split === sp).length)])])}

## How the samples were produced

- synthetic (written by an on-device LLM): ${bySource.synthetic ?? 0}
- human (imported or typed by people): ${bySource.human ?? 0}
- edited (synthetic, then corrected by a person): ${bySource.edited ?? 0}${unlabelled ? `\n- not labelled yet (real texts in the \`pool\` split, their label empty): ${unlabelled}` : ''}

Each record's \`source\` field says which; synthetic samples carry the \`job_id\` of the generation job that wrote them and their \`provenance\` (generator model, strategy, prompt template version, temperature, seed, diversity hint, the filters they passed). The \`seed\` split holds the human-written demonstrations given to the generator.

### Composition by language, label and source

${table(composition)}

### Generators

${generators.length ? table([['generator', 'samples', 'strategies', 'prompt templates', 'temperatures'], ['---', '---:', '---', '---', '---'], ...generators]) : 'No synthetic samples.'}

### Quality filters

${filtersUsed.length ? `Kept synthetic texts passed: ${filtersUsed.map(mdCode).join(', ')}.` : 'No filter record.'} ${rejected.length} generated text(s) were rejected and are not in this export:

${rejectedRows.length ? table([['reason', 'texts'], ['---', '---:'], ...rejectedRows]) : '(none)'}

## Known limits

- Synthetic texts can be unnatural, repetitive or wrongly labelled; check a sample of them before relying on the data, and evaluate classifiers on human-written test data.
- ${bySource.synthetic ? `${Math.round((100 * bySource.synthetic) / Math.max(labelled.length, 1))}% of the labelled samples are synthetic.` : 'There are no synthetic samples.'}${thin.length ? `\n- Cells with fewer than 10 samples: ${thin.join(', ')}.` : ''}
- Language identification only checks languages its model knows; texts in others were not checked for language.

## Loading

\`\`\`python
from datasets import load_dataset
ds = load_dataset("json", data_dir="path/to/this/folder")  # or load_dataset("path/to/this/folder")
\`\`\`
`;
}

/** Files of the Hugging Face layout: `<split>.jsonl` for each split present, and README.md. */
export function huggingFaceFiles(
  task: Task,
  samples: readonly Sample[],
  rejected: readonly Sample[] = [],
): Record<string, string> {
  const files: Record<string, string> = { 'README.md': datasetCard(task, samples, rejected) };
  for (const split of SPLITS as readonly Split[]) {
    const rows = samples.filter((s) => s.split === split);
    if (rows.length)
      files[`${split}.jsonl`] =
        rows
          .map((s) =>
            JSON.stringify({
              text: s.text,
              label: s.label,
              language: s.language,
              source: s.source,
              job_id: s.jobId,
              provenance: provenanceOf(s),
            }),
          )
          .join('\n') + '\n';
  }
  return files;
}

/** A file name from a task name: letters, digits and dashes only. */
export function safeFileName(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .toLocaleLowerCase()
      .slice(0, 60) || 'polyclass'
  );
}
