import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecording, RecordedGenerator } from '../backends/recorded-generator';
import { collect } from '../backends/generator';
import { buildGenerationMessages } from '../domain/prompts';
import { parseGeneratedTexts } from '../domain/parse';
import demo from '../../assets/demo-project.json';
import { recordingCovers, recordingFromSamples } from './recordings';

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
