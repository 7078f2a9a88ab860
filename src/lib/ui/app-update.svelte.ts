/**
 * @file The offline app shell's state: whether this version is ready to work with no network,
 * and whether a newer version was deployed (the user chooses when to reload into it, so no job
 * is cut short).
 */
import { registerSW } from 'virtual:pwa-register';

export class AppUpdateState {
  /** The app is cached and will start with no network. */
  offlineReady = $state(false);
  /** A newer version is waiting; {@link update} switches to it. */
  needRefresh = $state(false);
  #update: ((reload?: boolean) => Promise<void>) | null = null;

  /** Registers the service worker (once), which also checks the host for a newer version. */
  start(): void {
    if (this.#update || !('serviceWorker' in navigator)) return;
    this.#update = registerSW({
      immediate: true,
      onOfflineReady: () => (this.offlineReady = true),
      onNeedRefresh: () => (this.needRefresh = true),
    });
  }

  /** Reloads into the new version. */
  async update(): Promise<void> {
    await this.#update?.(true);
  }

  dismiss(): void {
    this.offlineReady = false;
    this.needRefresh = false;
  }
}
