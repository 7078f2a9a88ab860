/**
 * @file A short model card for an exported classifier: what it was trained on, for which
 * languages, how well it did, what it is for and where it fails; in the UI's language. Every
 * name and description from the task is written as inert text (`domain/markdown.ts`).
 */
import { message } from '../i18n/messages';
import type { ClassifierRecord } from '../domain/records';
import type { Task } from '../domain/task';
import { mdText } from '../domain/markdown';

export function modelCard(task: Task, record: ClassifierRecord): string {
  const { summary, file } = record;
  const langName = (code: string) => mdText(task.languages.find((l) => l.code === code)?.name ?? code);
  const accuracy = file.metrics?.validationAccuracy;
  const estimate = file.metrics?.leaveOneOutAccuracy;
  const student =
    file.student === 'ngram'
      ? file.ngram.weighting === 'tfidf'
        ? message('card.ngram')
        : message('card.ngramV1')
      : message('card.dense', {
          head: file.student,
          encoder: file.encoder ? mdText(file.encoder.modelId) : message('card.anEncoder'),
        });
  const sources = Object.entries(summary?.bySource ?? {})
    .map(([k, v]) => `${v} ${mdText(k)}`)
    .join(', ');
  return `# ${mdText(record.name)}

${message('card.intro', {
  task: mdText(task.name),
  description: task.description ? `: ${mdText(task.description)}` : '',
  date: new Date(record.createdAt).toISOString().slice(0, 10),
})}

## ${message('card.labels')}

${task.labels.map((l) => `- **${mdText(l.name)}**: ${l.description ? mdText(l.description) : message('card.noDescription')}`).join('\n')}

## ${message('card.model')}

- ${message('card.student', { student })}
- ${message('card.seed', { seed: file.training.seed })}
- ${file.calibration ? message('card.calibrated', { texts: file.calibration.texts, fittedOn: file.calibration.fittedOn.replaceAll('-', '') }) : message('card.uncalibrated')}${file.training.humanWeight ? `\n- ${message('card.humanWeight', { ...file.training.humanWeight })}` : ''}

## ${message('card.data')}

- ${message('card.samples', { count: summary?.samples ?? '?', sources })}
- ${message('card.languages', { languages: (summary?.languages ?? []).map(langName).join(', ') })}
- ${message('card.filtered')}

## ${message('card.performance')}

${accuracy !== undefined ? message('card.validation', { accuracy: (accuracy * 100).toFixed(1) }) : estimate !== undefined ? message('card.leaveOneOut', { accuracy: (estimate * 100).toFixed(1) }) : message('card.noValidation')} ${message('card.evaluate')}

## ${message('card.limitsHeading')}

${message('card.limits')}
`;
}
