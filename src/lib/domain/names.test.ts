import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { isReservedName } from './names';
import { TaskSchema } from './schemas';
import { validateTaskDraft } from './task';

const draft = (labels: string[], codes = ['sw']) => ({
  name: 'News',
  description: '',
  languages: codes.map((code) => ({ code, name: code })),
  labels: labels.map((name) => ({ name, description: '' })),
});

describe('reserved names', () => {
  it('are every name a plain object answers to, and prototype; other names are free', () => {
    for (const name of ['__proto__', 'constructor', 'prototype', 'toString', ' valueOf ', 'hasOwnProperty'])
      expect(isReservedName(name), name).toBe(true);
    for (const name of ['sports', 'Constructor', 'proto', 'toStrings', ''])
      expect(isReservedName(name), name).toBe(false);
  });

  it('are refused as labels and language codes by the task editor, each with its field', () => {
    expect(validateTaskDraft(draft(['sports', '__proto__', 'constructor'], ['sw', 'toString']))).toEqual([
      { field: 'languages', code: 'language-reserved', values: { code: 'toString' } },
      { field: 'labels.1', code: 'label-reserved', values: { label: '__proto__' } },
      { field: 'labels.2', code: 'label-reserved', values: { label: 'constructor' } },
    ]);
    expect(validateTaskDraft(draft(['sports', 'politics']))).toEqual([]);
  });

  it('are refused in a bundle’s tasks, as are duplicate label names', () => {
    const task = (labels: string[]) => ({ id: 't', ...draft(labels), createdAt: 1, updatedAt: 1 });
    const first = (labels: string[]) => {
      const r = v.safeParse(TaskSchema, task(labels));
      return r.success ? null : { path: v.getDotPath(r.issues[0]), message: r.issues[0].message };
    };
    expect(first(['sports', 'politics'])).toBeNull();
    expect(first(['sports', 'prototype'])).toEqual({ path: 'labels.1.name', message: 'reservedName' });
    expect(first(['sports', 'Sports'])).toEqual({ path: 'labels', message: 'uniqueLabels' });
  });
});
