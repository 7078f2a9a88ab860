/**
 * @file Whether an error means a full disk. `storage/quota-guard.ts` turns it into a clear,
 * typed error around each write.
 */
import { AppError } from './errors';

/** Whether an error (DOMException or idb's wrapped abort) means the storage quota is full. */
export function isQuotaError(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'quota-exceeded';
  const e = error as { name?: string; message?: string; inner?: unknown } | null;
  return e?.name === 'QuotaExceededError' || /quota/i.test(e?.message ?? '');
}
