/**
 * @file Announces every write so all views in this tab and every other open tab (and the
 * workers, which write too) refresh what they show. Cross-tab via BroadcastChannel; the same
 * tab gets the event directly, since a BroadcastChannel does not echo to its sender.
 */
import type { StoreName } from './db';

export interface Change {
  store: StoreName;
  /** The task the change concerns, when there is one. */
  taskId?: string;
  kind: 'put' | 'delete';
  /** How many records changed (for messages and throttling). */
  count: number;
  /** The keys of the records changed, when the writer names them (views then read only these). */
  ids?: string[];
}

const CHANNEL = 'polyclass-changes';
const local = new EventTarget();
let channel: BroadcastChannel | null = null;

function getChannel(): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  if (!channel) {
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e: MessageEvent<Change>) => local.dispatchEvent(new CustomEvent('change', { detail: e.data }));
  }
  return channel;
}

/** Tells every listener, here and in other tabs, that data changed. */
export function publishChange(change: Change): void {
  local.dispatchEvent(new CustomEvent('change', { detail: change }));
  getChannel()?.postMessage(change);
}

/**
 * Calls `listener` on every change from this tab, other tabs and workers.
 * @returns a function that stops listening
 */
export function subscribeChanges(listener: (change: Change) => void): () => void {
  getChannel();
  const handler = (e: Event) => listener((e as CustomEvent<Change>).detail);
  local.addEventListener('change', handler);
  return () => local.removeEventListener('change', handler);
}
