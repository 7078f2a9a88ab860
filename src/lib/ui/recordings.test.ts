import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecording, RecordedGenerator } from '../backends/recorded-generator';
import { collect } from '../backends/generator';
import { buildGenerationMessages, buildRevisionMessages, parseRevision } from '../domain/prompts';
import { parseGeneratedTexts } from '../domain/parse';
import demo from '../../assets/demo-project.json';
import { recordingCapacity, recordingCovers, recordingFromSamples } from './recordings';

const shipped = parseRecording(
  JSON.parse(readFileSync(join(import.meta.dirname, '../../../public/recordings/demo-news.json'), 'utf8')),
  'demo-news.json',
);

describe('the demo’s recording, shipped with the app', () => {
  it('answers every label in every language of the demo, with texts that are not in the demo’s data', () => {
    expect(recordingCovers(shipped, demo.task)).toBe(true);
    expect(shipped.note).toContain('human-written SIB-200 sentences');
    const demoTexts = new Set(demo.samples.map((s) => s.text));
    const texts = shipped.answers.flatMap((a) => parseGeneratedTexts(a.answer).texts);
    expect(texts.length).toBeGreaterThanOrEqual(8 * 7 * 3);
    expect(texts.filter((t) => demoTexts.has(t))).toEqual([]);
  });

  it('holds as many texts per demo cell as the Generate view says, and a replay counts down what is left', () => {
    const capacity = recordingCapacity(shipped, demo.task);
    if (!capacity) throw new Error('no capacity for the demo');
    // The cell with fewest texts, counted by hand from the file.
    const count = (label: string, language: string) =>
      shipped.answers
        .filter((a) => a.label === label && a.language !== undefined && language.includes(a.language))
        .reduce((n, a) => n + parseGeneratedTexts(a.answer).texts.length, 0);
    const all = demo.task.languages.flatMap((l) => demo.task.labels.map((b) => count(b.name, l.name)));
    expect(capacity.fewest).toBe(Math.min(...all));
    expect(count(capacity.label, capacity.language)).toBe(capacity.fewest);
    expect(capacity.fewest).toBeGreaterThan(0);
    // A task the recording knows nothing of: its poorest cell holds nothing.
    const other = { ...demo.task, labels: [...demo.task.labels, { name: 'weather', description: '' }] };
    expect(recordingCapacity(shipped, other)).toMatchObject({ fewest: 0, label: 'weather' });

    const generator = new RecordedGenerator(shipped);
    const [language] = demo.task.languages;
    const [label] = demo.task.labels;
    if (!language || !label) throw new Error('demo task without languages or labels');
    const answers = shipped.answers.filter(
      (a) => a.label === label.name && language.name.includes(a.language ?? '\u0000'),
    );
    expect(generator.remaining(label.name, language.name)).toBe(answers.length);
    generator.skip(label.name, language.name, 2);
    expect(generator.remaining(label.name, language.name)).toBe(answers.length - 2);
  });

  it('keeps its answers for writing when the job asks it to check a text', async () => {
    const generator = new RecordedGenerator(shipped);
    const [language] = demo.task.languages;
    const [label] = demo.task.labels;
    if (!language || !label) throw new Error('demo task without languages or labels');
    const before = generator.remaining(label.name, language.name);
    const raw = await collect(
      generator.chat(buildRevisionMessages(demo.task, label, language, 'Maandishi ya mfano.'), {
        temperature: 0,
        topP: 1,
        maxTokens: 50,
      }),
    );
    expect(parseRevision(raw)).toEqual({ verdict: 'unreadable' });
    expect(generator.remaining(label.name, language.name)).toBe(before);
  });

  it('is replayed for a demo prompt', async () => {
    const generator = new RecordedGenerator(shipped);
    const [language] = demo.task.languages;
    const [label] = demo.task.labels;
    if (!language || !label) throw new Error('demo task without languages or labels');
    const raw = await collect(
      generator.chat(
        buildGenerationMessages({ task: demo.task, label, language, count: 3, demonstrations: [], hint: null }),
        { temperature: 1, topP: 1, maxTokens: 200 },
      ),
    );
    expect(parseGeneratedTexts(raw).texts).toHaveLength(3);
  });

  it('does not cover a task with a label it has no answers for', () => {
    expect(
      recordingCovers(shipped, { ...demo.task, labels: [...demo.task.labels, { name: 'weather', description: '' }] }),
    ).toBe(false);
  });
});

describe('a finished job saved as a recording', () => {
  it('groups the job’s texts per label and language into answers a replay fills the same cells with', () => {
    const task = {
      languages: [{ code: 'sw', name: 'Swahili (macrolanguage)' }],
      labels: [{ name: 'sports', description: '' }],
    };
    const samples = ['a', 'b', 'c', 'd'].map((text) => ({ text, label: 'sports', language: 'sw' }));
    const recording = recordingFromSamples(samples, task, 'Qwen2.5-1.5B-Instruct · Demo', 'note');
    expect(recording.answers.map((a) => [a.label, a.language, parseGeneratedTexts(a.answer).texts])).toEqual([
      ['sports', 'Swahili (macrolanguage)', ['a', 'b', 'c']],
      ['sports', 'Swahili (macrolanguage)', ['d']],
    ]);
    expect(recordingCovers(parseRecording(JSON.parse(JSON.stringify(recording)), 'x'), task)).toBe(true);
  });

  it('refuses a file that is no recording, with the reason', () => {
    expect(() => parseRecording({ hello: 1 }, 'notes.json')).toThrow(/notes\.json is not a polyclass recording/);
  });
});
