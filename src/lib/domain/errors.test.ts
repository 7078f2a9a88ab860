import { describe, expect, it } from 'vitest';
import { AppError, deserializeError, serializeError } from './errors';

describe('errors across a worker boundary', () => {
  it('keeps code, message and details through structured cloning', () => {
    const original = new AppError('model-file-missing', 'The model x is missing the file tokenizer.json.', {
      file: 'tokenizer.json',
    });
    const rebuilt = deserializeError(structuredClone(serializeError(original)));
    expect(rebuilt).toBeInstanceOf(AppError);
    expect(rebuilt).toMatchObject({
      code: 'model-file-missing',
      message: original.message,
      details: { file: 'tokenizer.json' },
    });
  });

  it('maps browser error names to codes and keeps unknown errors readable', () => {
    expect(serializeError(new DOMException('stop', 'AbortError')).code).toBe('aborted');
    expect(serializeError(new DOMException('full', 'QuotaExceededError')).code).toBe('quota-exceeded');
    expect(serializeError(new TypeError('boom'))).toMatchObject({
      code: 'internal',
      message: 'boom',
      name: 'TypeError',
    });
    expect(serializeError('plain string')).toMatchObject({ code: 'internal', message: 'plain string' });
  });

  it('turns an unknown code from an older worker into internal', () => {
    expect(deserializeError({ name: 'X', code: 'nonsense' as never, message: 'm', details: {} }).code).toBe('internal');
  });
});
