/**
 * @file The device check as rune state: runs the detection, keeps the last report.
 */
import { t } from './i18n.svelte';
import { detectDevice, requestPersistentStorage } from '../backends/device-check';
import type { DeviceReport } from '../domain/device';

export class DeviceState {
  #report = $state<DeviceReport | null>(null);
  #checking = $state(false);
  #error = $state<string | null>(null);

  get report(): DeviceReport | null {
    return this.#report;
  }
  get checking(): boolean {
    return this.#checking;
  }
  get error(): string | null {
    return this.#error;
  }

  /** Runs (or re-runs) every check. */
  async check(): Promise<void> {
    this.#checking = true;
    this.#error = null;
    try {
      this.#report = await detectDevice();
    } catch (error) {
      this.#error = t('device.failed', { error: (error as Error).message });
    } finally {
      this.#checking = false;
    }
  }

  /** Asks the browser to keep our data, then refreshes the report. */
  async persist(): Promise<boolean> {
    const granted = await requestPersistentStorage();
    await this.check();
    return granted;
  }
}
