import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import en from './messages/en.json';
import fr from './messages/fr.json';
import { directionOf } from '../domain/languages';
import { i18n, t, UI_LANGUAGES } from '../ui/i18n.svelte';
import { message, useLanguage } from './messages';
import { readRejection, rejectionMeta } from '../domain/filters';
import * as v from 'valibot';
import type { ClassifierRecord } from '../domain/records';
import { TaskSchema } from '../domain/schemas';
import { validateTaskDraft } from '../domain/task';
import { describeDraftProblem } from '../ui/task-editor.svelte';
import { modelCard } from '../ml/model-card';
import { describeRejection, describeInvalidAnswer } from '../ui/reasons';
import { describeIssues } from '../words/schema-issues';
import { evaluatorName } from '../words/evaluation';
import { guardQuota } from '../storage/quota-guard';

/** Names of the values a message uses ({count}, {name} …), sorted. */
function argumentsOf(message: string): string[] {
  const names = new Set<string>();
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      if (el.type === TYPE.argument || el.type === TYPE.number || el.type === TYPE.date) names.add(el.value);
      if (el.type === TYPE.plural || el.type === TYPE.select) {
        names.add(el.value);
        for (const o of Object.values(el.options)) walk(o.value);
      }
    }
  };
  walk(parse(message));
  return [...names].sort();
}

const catalogues: Record<string, Record<string, string>> = { fr };

describe('message catalogues', () => {
  it.each(UI_LANGUAGES.filter((l) => l.code !== 'en').map((l) => l.code))(
    '%s is complete: every English message, with the same values, and nothing else',
    (code) => {
      const other = catalogues[code] ?? {};
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const [key, message] of Object.entries(en)) {
        expect(argumentsOf(other[key] ?? ''), key).toEqual(argumentsOf(message));
        expect((other[key] ?? '').trim().length, key).toBeGreaterThan(0);
      }
    },
  );

  it('uses typographic apostrophes (a straight one quotes in ICU messages)', () => {
    for (const catalogue of [en, fr] as Record<string, string>[])
      for (const [key, message] of Object.entries(catalogue)) expect(message.includes("'"), key).toBe(false);
  });

  it('has no message that no code uses (keys built at run time excepted)', () => {
    const code = Object.values(
      import.meta.glob(['../../**/*.ts', '../../**/*.svelte', '!../../**/*.test.ts'], {
        query: '?raw',
        import: 'default',
        eager: true,
      }) as Record<string, string>,
    ).join('\n');
    expect(code).toContain('export class EvaluationState'); // the sources really were read
    const dynamic = [
      'route.',
      'split.',
      'source.',
      'evaluator.student.',
      'skip.',
      'reject.',
      'trained.',
      'check.',
      'flag.',
      'standalone.',
      'curve.source.',
    ];
    const unused = Object.keys(en).filter((k) => !dynamic.some((d) => k.startsWith(d)) && !code.includes(`'${k}'`));
    expect(unused).toEqual([]);
  });

  it('every English message parses', () => {
    for (const message of Object.values(en)) expect(() => parse(message)).not.toThrow();
  });

  it('formats outside the UI too (workers, domain), in the language last chosen', async () => {
    await useLanguage('fr');
    expect(message('eval.done')).toBe('Terminé : chaque évaluateur a ses scores.');
    await useLanguage('en');
    expect(message('eval.done')).toBe('Done: every evaluator has its scores.');
  });

  it('writes what workers and domain code tell people in the chosen language', async () => {
    const card = () =>
      modelCard(
        {
          id: 't',
          name: 'News',
          description: '',
          languages: [{ code: 'sw', name: 'Swahili' }],
          labels: [
            { name: 'sports', description: 'games' },
            { name: 'politics', description: '' },
          ],
          createdAt: 0,
          updatedAt: 0,
        },
        {
          name: 'n-gram',
          createdAt: 0,
          summary: { samples: 40, bySource: { synthetic: 40 }, languages: ['sw'] },
          file: {
            student: 'ngram',
            ngram: { weighting: 'tfidf' },
            encoder: null,
            metrics: { validationAccuracy: 0.8 },
            training: { seed: 7 },
          },
        } as unknown as ClassifierRecord,
      );
    const badTask = () => {
      const r = v.safeParse(TaskSchema, { id: 't', name: 5 });
      return r.success
        ? ''
        : describeIssues(r.issues, message('valid.item', { kind: 'task', n: 1, file: 'tasks.json' }));
    };
    const full = () =>
      guardQuota('quota.samples', () => Promise.reject(new DOMException('full', 'QuotaExceededError'))).catch(
        (e: Error) => e.message,
      );
    const draft = () =>
      validateTaskDraft({ name: '', description: '', languages: [], labels: [{ name: 'a', description: '' }] }).map(
        describeDraftProblem,
      );

    expect(badTask()).toBe('Task 1 in tasks.json, field “name”: should be a string, not a number (5).');
    expect(await full()).toMatch(/^Saving samples stopped: /);
    expect(draft()).toContain('A classifier needs at least two labels.');
    expect(card()).toContain('Validation accuracy (held-out training samples): 80.0%.');
    await useLanguage('fr');
    try {
      expect(badTask()).toBe('Tâche 1 dans tasks.json, champ « name » : devrait être un texte, pas un nombre (5).');
      expect(await full()).toMatch(/^L’enregistrement des exemples : arrêt, /);
      expect(draft()).toEqual([
        'Donnez un nom à la tâche.',
        'Choisissez au moins une langue.',
        'Un classifieur a besoin d’au moins deux étiquettes.',
      ]);
      expect(card()).toContain('Exactitude de validation (exemples d’entraînement mis de côté) : 80.0 %.');
      expect(card()).toContain('une SVM linéaire sur des n-grammes de caractères et de mots pondérés TF-IDF');
    } finally {
      await useLanguage('en');
    }
  });

  it('says what runs and samples store as codes in the language chosen today', async () => {
    const stored = rejectionMeta({ reason: 'too-short', words: 2, min: 3 });
    const rejection = () => describeRejection(readRejection(stored, 'sports'));
    const spec = { kind: 'llm' as const, generator: { kind: 'recorded' as const, url: 'x' } };
    const llm = {
      name: 'LLM with 3 synthetic examples per label (recording x)',
      spec: { ...spec, examplesPerLabel: 3, selection: 'random' as const },
    };
    const student = {
      name: 'n-gram student',
      spec: { kind: 'student' as const, classifierId: 'c1' },
      student: { kind: 'mlp' as const, encoderId: 'Xenova/multilingual-e5-small' },
    };
    const before = { name: 'élève n-grammes', spec: { kind: 'student' as const, classifierId: 'c0' } };
    expect(rejection()).toBe('too short: 2 words; at least 3 are needed');
    expect(evaluatorName(student)).toBe('MLP student on multilingual-e5-small');
    await useLanguage('fr');
    try {
      expect(rejection()).toBe('trop court : 2 mots ; il en faut au moins 3');
      expect(evaluatorName(llm)).toBe('LLM avec 3 exemples synthétiques par étiquette (recording x)');
      expect(evaluatorName(student)).toBe('élève MLP sur multilingual-e5-small');
      // A run made before names were kept as codes says its name as stored.
      expect(evaluatorName(before)).toBe('élève n-grammes');
      expect(describeInvalidAnswer({ code: 'several-labels', labels: ['sports', 'politics'] })).toContain(
        'sports, politics',
      );
    } finally {
      await useLanguage('en');
    }
  });

  it('formats in the chosen language, falling back to English', async () => {
    expect(t('route.tasks.title')).toBe('Tasks');
    await i18n.set('fr');
    expect(t('route.tasks.title')).toBe('Tâches');
    await i18n.set('en');
    expect(t('route.tasks.title')).toBe('Tasks');
  });
});

describe('directionOf', () => {
  it('knows right-to-left languages and scripts', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('fa')).toBe('rtl');
    expect(directionOf('pa-Arab')).toBe('rtl');
    expect(directionOf('ha')).toBe('ltr');
    expect(directionOf('fr')).toBe('ltr');
    expect(directionOf('ha-Latn')).toBe('ltr');
    expect(directionOf('az-Arab')).toBe('rtl');
  });
});
