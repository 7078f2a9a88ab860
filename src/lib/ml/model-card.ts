/**
 * @file A short model card for an exported classifier: what it was trained on, for which
 * languages, how well it did, what it is for and where it fails.
 */
import type { ClassifierRecord } from '../domain/records';
import type { Task } from '../domain/task';

export function modelCard(task: Task, record: ClassifierRecord): string {
  const summary = record.summary as
    { samples: number; bySource: Record<string, number>; languages: string[] } | undefined;
  const file = record.file as {
    student: string;
    encoder: { modelId: string } | null;
    metrics?: Record<string, number>;
    training: { seed: number };
  };
  const langName = (code: string) => task.languages.find((l) => l.code === code)?.name ?? code;
  const accuracy = file.metrics?.validationAccuracy;
  return `# ${record.name}

A text classifier for “${task.name}”${task.description ? `: ${task.description}` : ''}, made with polyclass on ${new Date(record.createdAt).toISOString().slice(0, 10)}.

## Labels

${task.labels.map((l) => `- **${l.name}**: ${l.description || '(no description)'}`).join('\n')}

## Model

- Student: ${file.student === 'ngram' ? 'logistic regression on hashed character and word n-grams (no encoder needed)' : `${file.student === 'mlp' ? 'one-hidden-layer MLP' : 'logistic regression'} on sentence embeddings of ${file.encoder?.modelId ?? 'an encoder'}`}
- Random seed: ${file.training.seed}

## Training data

- ${summary?.samples ?? '?'} samples: ${Object.entries(summary?.bySource ?? {})
    .map(([k, v]) => `${v} ${k}`)
    .join(', ')}
- Languages: ${(summary?.languages ?? []).map(langName).join(', ')}
- Synthetic samples were written by an on-device LLM and filtered for length, duplicates, language and label leakage.

## Performance

${accuracy !== undefined ? `Validation accuracy (held-out ${'training'} samples): ${(accuracy * 100).toFixed(1)}%.` : 'No validation score was recorded.'} Evaluate on human-written test data before relying on it; scores on synthetic data overstate real performance.

## Intended use and limits

For classifying short texts in the languages above into the labels above. It knows nothing outside these labels and will always pick one of them, even for unrelated text. Texts in other languages, dialects or registers than the training data may be classified poorly. Check its mistakes (the confusion matrix) before using it for decisions about people.
`;
}
