/**
 * @file Settings → Database check: reads every store (in the data worker) for what a crash
 * could leave behind, and repairs what can be repaired.
 */
import { t } from './i18n.svelte';
import type { ConsistencyReport } from '../storage/consistency';
import { dataWorker } from '../workers/data-client';
import { WorkerCall } from './worker-call.svelte';

export class DatabaseCheckState {
  readonly call = new WorkerCall();
  report = $state.raw<ConsistencyReport | null>(null);
  /** What runs now. */
  doing = $state<'check' | 'repair' | null>(null);

  get busy(): boolean {
    return this.call.running;
  }
  get repairable(): boolean {
    return (this.report?.findings ?? []).some((f) => f.repairable);
  }
  /** Why the last check or repair failed. */
  get failure(): { text: string; error: boolean } | null {
    return this.call.outcome === 'failed' && this.call.error
      ? { text: t('check.failed', { error: this.call.error }), error: true }
      : null;
  }

  async run(repair: boolean): Promise<void> {
    this.doing = repair ? 'repair' : 'check';
    const report = await this.call.run(() => dataWorker().call('checkDatabase', { repair }));
    this.doing = null;
    if (report) this.report = report;
  }
}
