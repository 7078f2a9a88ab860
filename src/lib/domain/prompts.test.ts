import { describe, expect, it } from 'vitest';
import { cellStates, MAX_FRUITLESS_CALLS, nextRequest, stuckCells } from './generation-plan';
import { buildGenerationMessages, buildRevisionMessages, parseRevision, pickDemonstrations, pickHint } from './prompts';
import { createRng } from './random';

const task = {
  name: 'News topics',
  description: 'Topic of a news sentence',
  languages: [
    { code: 'sw', name: 'Swahili' },
    { code: 'ha', name: 'Hausa' },
  ],
  labels: [
    { name: 'sports', description: 'Games, teams and athletes' },
    { name: 'politics', description: 'Government and elections' },
    { name: 'health', description: '' },
  ],
};

describe('prompts', () => {
  it('builds the messages of every strategy for 2 languages × 3 labels', () => {
    const rng = createRng(42);
    const seeds = ['Simba imeshinda.', 'Yanga imefungwa.', 'Mchezaji amefunga goli.'];
    const all = task.languages.flatMap((language) =>
      task.labels.map((label) => ({
        zeroShot: buildGenerationMessages({ task, label, language, count: 5, demonstrations: [], hint: null }),
        demonstrations: buildGenerationMessages({
          task,
          label,
          language,
          count: 5,
          demonstrations: pickDemonstrations(seeds, 2, rng),
          hint: null,
        }),
        diversity: buildGenerationMessages({
          task,
          label,
          language,
          count: 5,
          demonstrations: [],
          hint: pickHint(rng),
        }),
        revision: buildRevisionMessages(task, label, language, 'Simba imeshinda.'),
      })),
    );
    expect(all).toHaveLength(6);
    expect(all).toMatchSnapshot();
  });

  it('names the class, the language, the other classes and the JSON form', () => {
    const [system, user] = buildGenerationMessages({
      task,
      label: task.labels[0] as (typeof task.labels)[number],
      language: { code: 'ha', name: 'Hausa' },
      count: 4,
      demonstrations: ['Ƙungiyar ta ci wasan.'],
      hint: { setting: 'at a school', register: 'a news report', length: 'two sentences', persona: 'a teacher' },
    });
    expect(system?.content).toContain('in Hausa');
    expect(user?.content).toContain('- Ƙungiyar ta ci wasan.');
    expect(user?.content).toContain(
      'Write 4 new, different texts in Hausa of the class “sports”: Games, teams and athletes.',
    );
    expect(user?.content).toContain('“politics” (Government and elections), “health”');
    expect(user?.content).toContain(
      'as a news report by a teacher, about something happening at a school; each text is two sentences',
    );
    expect(user?.content).toContain('{"texts": ["…", "…"]}');
  });

  it('picks demonstrations and hints reproducibly from the seed', () => {
    const seeds = Array.from({ length: 20 }, (_, i) => `seed ${i}`);
    expect(pickDemonstrations(seeds, 10, createRng(1))).toEqual(pickDemonstrations(seeds, 10, createRng(1)));
    expect(new Set(pickDemonstrations(seeds, 10, createRng(1))).size).toBe(10);
    expect(pickDemonstrations(seeds.slice(0, 3), 10, createRng(1))).toHaveLength(3);
    expect(pickHint(createRng(7))).toEqual(pickHint(createRng(7)));
  });

  it.each([
    ['{"verdict": "keep"}', { verdict: 'keep' }],
    ['Sure: {"verdict": "fix", "text": "Simba ilishinda jana."}', { verdict: 'fix', text: 'Simba ilishinda jana.' }],
    ['{"verdict":"reject"}', { verdict: 'reject' }],
    ['Yes.', { verdict: 'keep' }],
    ['No, it is English.', { verdict: 'reject' }],
    ['{"verdict": "fix"}', { verdict: 'unreadable' }],
    ['maybe', { verdict: 'unreadable' }],
  ])('reads the revision answer %j', (raw, verdict) => {
    expect(parseRevision(raw)).toEqual(verdict);
  });
});

describe('generation plan', () => {
  it('asks for the cell missing most, a few more than missing, and stops when all are full', () => {
    const cells = cellStates(task, 3, { 'sports\u0000sw': 3, 'politics\u0000sw': 1 });
    expect(cells.map((c) => c.missing)).toEqual([0, 2, 3, 3, 3, 3]);
    expect(nextRequest(cells, {}, 5)).toEqual({ cell: { label: 'health', language: 'sw' }, count: 5 });
    const almost = cellStates(task, 3, Object.fromEntries(cells.map((c) => [`${c.label}\u0000${c.language}`, 3])));
    expect(nextRequest(almost, {}, 5)).toBeNull();
    const one = cellStates(task, 3, { 'sports\u0000sw': 2 });
    expect(
      nextRequest(
        one.filter((c) => c.label === 'sports' && c.language === 'sw'),
        {},
        5,
      )?.count,
    ).toBe(3);
  });

  it('gives up a cell after repeated fruitless calls and reports it', () => {
    const cells = cellStates(task, 3, {});
    const fruitless = { 'sports\u0000sw': MAX_FRUITLESS_CALLS };
    expect(nextRequest(cells, fruitless, 5)?.cell).toEqual({ label: 'politics', language: 'sw' });
    expect(stuckCells(cells, fruitless).map((c) => c.label)).toEqual(['sports']);
  });
});
