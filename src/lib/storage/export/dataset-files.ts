/**
 * @file A task's samples as CSV, JSONL, or a folder the Hugging Face `datasets` library
 * loads directly (one JSONL per split plus a dataset card).
 */
import Papa from 'papaparse';
import { SPLITS, type Sample, type Split } from '../../domain/sample';
import type { Task } from '../../domain/task';

/** The columns exported for each sample, in order. */
const COLUMNS = ['text', 'label', 'language', 'split', 'source', 'job_id', 'flags', 'created_at'] as const;

function exportRow(s: Sample): Record<(typeof COLUMNS)[number], string> {
  return {
    text: s.text,
    label: s.label,
    language: s.language,
    split: s.split,
    source: s.source,
    job_id: s.jobId ?? '',
    flags: s.flags.join(' '),
    created_at: new Date(s.createdAt).toISOString(),
  };
}

/** CSV with a header row; texts are quoted as needed, newlines kept. */
export function samplesToCsv(samples: readonly Sample[]): string {
  return (
    Papa.unparse(
      { fields: [...COLUMNS], data: samples.map((s) => COLUMNS.map((c) => exportRow(s)[c])) },
      { newline: '\n' },
    ) + '\n'
  );
}

/** One JSON object per line. */
export function samplesToJsonl(samples: readonly Sample[]): string {
  return (
    samples.map((s) => JSON.stringify({ ...exportRow(s), flags: s.flags })).join('\n') + (samples.length ? '\n' : '')
  );
}

function countBy(samples: readonly Sample[], key: (s: Sample) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) out[key(s)] = (out[key(s)] ?? 0) + 1;
  return out;
}

/** The dataset card: what the data is, its labels and languages, counts, and how it was made. */
export function datasetCard(task: Task, samples: readonly Sample[], now = new Date()): string {
  const splits = SPLITS.filter((sp) => samples.some((s) => s.split === sp));
  const bySource = countBy(samples, (s) => s.source);
  const table = (rows: string[][]) => rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
  const langLabel: string[][] = [
    ['language', ...task.labels.map((l) => l.name), 'total'],
    ['---', ...task.labels.map(() => '---:'), '---:'],
  ];
  for (const lang of task.languages) {
    const ofLang = samples.filter((s) => s.language === lang.code);
    langLabel.push([
      `${lang.name} (${lang.code})`,
      ...task.labels.map((l) => String(ofLang.filter((s) => s.label === l.name).length)),
      String(ofLang.length),
    ]);
  }
  return `---
language:
${task.languages.map((l) => `- ${l.code}`).join('\n')}
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

# ${task.name}

${task.description || 'A text classification dataset made with polyclass.'}

Exported from polyclass on ${now.toISOString().slice(0, 10)}: ${samples.length} samples in ${task.languages.length} language(s).

## Labels

${task.labels.map((l) => `- **${l.name}**: ${l.description || '(no description)'}`).join('\n')}

## Samples per language and label

${table(langLabel)}

## Splits

${table([['split', 'samples'], ['---', '---:'], ...splits.map((sp) => [sp, String(samples.filter((s) => s.split === sp).length)])])}

## How the samples were produced

- synthetic (written by an on-device LLM): ${bySource.synthetic ?? 0}
- human (imported or typed by people): ${bySource.human ?? 0}
- edited (synthetic, then corrected by a person): ${bySource.edited ?? 0}

Each record's \`source\` field says which; synthetic samples carry the \`job_id\` of the generation job that wrote them. The \`seed\` split holds the human-written demonstrations given to the generator.

## Limits

Synthetic texts can be unnatural, repetitive or wrongly labelled; check a sample of them before relying on the data, and evaluate classifiers on human-written test data.

## Loading

\`\`\`python
from datasets import load_dataset
ds = load_dataset("json", data_dir="path/to/this/folder")  # or load_dataset("path/to/this/folder")
\`\`\`
`;
}

/** Files of the Hugging Face layout: `<split>.jsonl` for each split present, and README.md. */
export function huggingFaceFiles(task: Task, samples: readonly Sample[]): Record<string, string> {
  const files: Record<string, string> = { 'README.md': datasetCard(task, samples) };
  for (const split of SPLITS as readonly Split[]) {
    const rows = samples.filter((s) => s.split === split);
    if (rows.length)
      files[`${split}.jsonl`] =
        rows
          .map((s) => JSON.stringify({ text: s.text, label: s.label, language: s.language, source: s.source }))
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
