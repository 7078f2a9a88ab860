/**
 * @file Airplane mode, the page's half: tells the service worker (public/airplane-sw.js) to
 * refuse every network request, and shows what it refused. Works where the installed app's
 * service worker controls the page (the built app after one visit); elsewhere it says so.
 */
import { getContext, setContext } from 'svelte';

interface StatusMessage {
  type: 'polyclass-airplane-status';
  on: boolean;
  blocked: string[];
  blockedCount: number;
}

export class AirplaneState {
  /** What the service worker enforces now (false until it answers). */
  enforced = $state(false);
  /** Whether a service worker controls this page (airplane mode can work). */
  available = $state(false);
  /** Requests refused since it was switched on (the last few addresses, and how many in all). */
  blocked = $state.raw<string[]>([]);
  blockedCount = $state(0);
  #wanted = false;

  start(): void {
    const sw = globalThis.navigator?.serviceWorker;
    if (!sw) return;
    sw.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data as Partial<StatusMessage> | null;
      if (data?.type !== 'polyclass-airplane-status') return;
      this.enforced = Boolean(data.on);
      this.blocked = data.blocked ?? [];
      this.blockedCount = data.blockedCount ?? 0;
    });
    const connect = () => {
      this.available = Boolean(sw.controller);
      // The stored setting wins: a service worker installed since, or reset, is told again.
      sw.controller?.postMessage({ type: 'polyclass-airplane', on: this.#wanted });
    };
    sw.addEventListener('controllerchange', connect);
    this.available = Boolean(sw.controller);
    sw.controller?.postMessage({ type: 'polyclass-airplane-query' });
  }

  /** Applies the setting (at start, and when the user changes it). */
  set(on: boolean): void {
    this.#wanted = on;
    const controller = globalThis.navigator?.serviceWorker?.controller;
    this.available = Boolean(controller);
    controller?.postMessage({ type: 'polyclass-airplane', on });
  }
}

const KEY = Symbol('airplane');

export function setAirplaneContext(state: AirplaneState): AirplaneState {
  return setContext(KEY, state);
}

export function getAirplaneContext(): AirplaneState {
  return getContext<AirplaneState>(KEY);
}
