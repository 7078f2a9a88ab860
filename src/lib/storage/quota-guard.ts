/**
 * @file Turns a full disk into a clear, typed error. IndexedDB aborts the whole transaction on
 * QuotaExceededError, so a failed bulk write leaves nothing half-written.
 */
import { message, type MessageKey } from '../i18n/messages';
import { AppError } from '../domain/errors';
import { isQuotaError } from '../domain/quota';

/**
 * Runs a write; a quota failure becomes `AppError('quota-exceeded')` saying that nothing of
 * this write was stored and how to free space.
 * @param step the message naming the write (`quota.samples`: "Saving samples")
 */
export async function guardQuota<T>(step: MessageKey & `quota.${string}`, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isQuotaError(error)) {
      throw new AppError('quota-exceeded', message('quota.full', { what: message(step) }));
    }
    throw error;
  }
}
