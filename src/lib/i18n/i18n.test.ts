import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';
import en from './messages/en.json';
import fr from './messages/fr.json';
import { directionOf } from '../domain/languages';
import { i18n, t, UI_LANGUAGES } from './i18n.svelte';
import { message, useLanguage } from './messages';

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
    const dynamic = ['route.', 'split.', 'source.', 'evaluator.student.', 'skip.', 'reject.', 'trained.'];
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
