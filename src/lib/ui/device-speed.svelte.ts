/**
 * @file Generation speeds measured on this device ("Measure this device"), one per model and
 * way of running it, kept in this browser: recommendations, ETAs and preflight use them instead
 * of the estimate from the model's size once they exist.
 */
import type { GeneratorSpec } from '../domain/model-spec';
import type { MeasuredSpeed } from '../domain/preflight';
import type { ModelSource } from '../domain/settings';
import type { DeviceMeasurement } from '../jobs/measure-generator';
import { measureInWorker } from '../workers/generation-client';
import { t } from './i18n.svelte';
import { WorkerCall } from './worker-call.svelte';

const STORAGE_KEY = 'polyclass.measuredSpeeds';

/**
 * The key a measurement is kept under: the model and how it runs (WebLLM, transformers.js on a
 * device at a precision, or a server on this computer); none for a replay.
 */
export function speedKey(spec: GeneratorSpec): string | null {
  if (spec.kind === 'webllm') return `webllm:${spec.modelId}`;
  if (spec.kind === 'transformers') return `transformers:${spec.modelId}:${spec.device}:${spec.dtype}`;
  // A server on this computer: its speed is the server's, with this model.
  if (spec.kind === 'openai') return `openai:${spec.endpoint}:${spec.model}`;
  return null;
}

function readAll(): Record<string, DeviceMeasurement> {
  try {
    const raw = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? '{}') as unknown;
    return raw && typeof raw === 'object' ? (raw as Record<string, DeviceMeasurement>) : {};
  } catch {
    return {};
  }
}

class DeviceSpeeds {
  #all = $state.raw<Record<string, DeviceMeasurement>>(readAll());

  /** The speed measured here for a generator, or null (then estimates apply). */
  of(spec: GeneratorSpec | null): DeviceMeasurement | null {
    const key = spec ? speedKey(spec) : null;
    const found = key ? this.#all[key] : undefined;
    return found && Number.isFinite(found.tokensPerSecond) ? found : null;
  }

  /** A WebLLM model's measured speed, for recommendations. */
  webllm = (modelId: string): MeasuredSpeed | null => this.of({ kind: 'webllm', modelId });

  save(spec: GeneratorSpec, m: DeviceMeasurement): void {
    const key = speedKey(spec);
    if (!key) return;
    this.#all = { ...this.#all, [key]: m };
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(this.#all));
  }
}

/** This browser's measured speeds (shared by every view). */
export const deviceSpeeds = new DeviceSpeeds();

/** One "Measure this device" run: loading, calls timed, cancel, outcome. */
export class MeasureState {
  readonly call = new WorkerCall({ cancelled: () => t('measure.stopped') });
  progress = $state<{ phase: 'load' | 'call'; done: number; total: number } | null>(null);

  async measure(spec: GeneratorSpec, source: ModelSource): Promise<void> {
    this.progress = null;
    const result = await this.call.run((signal) =>
      measureInWorker(
        $state.snapshot(spec) as GeneratorSpec,
        source,
        (p) =>
          (this.progress =
            p.kind === 'load'
              ? { phase: 'load', done: p.load.loaded, total: p.load.total }
              : { phase: 'call', done: p.done, total: p.total }),
        signal,
      ),
    );
    this.progress = null;
    if (result) deviceSpeeds.save(spec, result);
  }
}
