/**
 * @file Preflight: before a WebLLM model is downloaded or started, what this device offers
 * (WebGPU limits, 16-bit shaders, memory hint, free storage) against what the model needs.
 * Refuses with the reason instead of failing midway, and recommends a model for a usable speed:
 * the smallest good-enough one that runs at a workable pace here.
 */
import type { DeviceReport } from './device';
import type { LlmChoice } from './llm-catalog';

/** WebLLM's runtime needs at least these buffer limits (see LIBRARIES.md). */
const MIN_STORAGE_BINDING = 128 * 1024 * 1024;
const MIN_BUFFER = 256 * 1024 * 1024;
/** Share of the device's memory a model may take before it likely does not fit. */
const MEMORY_SHARE = 0.5;
/** Budget when the browser does not say how much memory the device has (MB). */
const UNKNOWN_MEMORY_BUDGET_MB = 2048;

/** Why a model cannot run here, or what is worth knowing before it does (said in words by `ui/reasons.ts`). */
export type PreflightIssue =
  /** No WebGPU adapter; `reason` is the browser's or the device check's own words. */
  | { code: 'no-gpu'; reason: string }
  /** The adapter's buffer limits are below what WebLLM needs. */
  | { code: 'limits' }
  /** The model needs 16-bit shaders the adapter lacks. */
  | { code: 'f16' }
  /** A software adapter: it works, slowly. */
  | { code: 'software' }
  /** The model likely needs more memory than the device has to spare. */
  | { code: 'memory'; needBytes: number }
  /** The download would not fit the browser's free storage. */
  | { code: 'storage'; needBytes: number; freeBytes: number };

export interface Preflight {
  /** False: starting would fail; `problems` say why. */
  ok: boolean;
  problems: PreflightIssue[];
  /** Worth knowing, but not blocking (slow software GPU, tight memory). */
  warnings: PreflightIssue[];
}

export type PreflightDevice = Pick<DeviceReport, 'webgpu' | 'storage' | 'deviceMemoryGb'>;

/** Whether a WebLLM model can be downloaded and run here, and why not. */
export function preflightWebLlm(model: Pick<LlmChoice, 'id' | 'vramMB'>, device: PreflightDevice): Preflight {
  const problems: PreflightIssue[] = [];
  const warnings: PreflightIssue[] = [];
  const gpu = device.webgpu;
  if (!gpu.available) problems.push({ code: 'no-gpu', reason: gpu.reason });
  else {
    if (gpu.maxStorageBufferBindingSize < MIN_STORAGE_BINDING || gpu.maxBufferSize < MIN_BUFFER)
      problems.push({ code: 'limits' });
    if (/f16/.test(model.id) && !gpu.shaderF16) problems.push({ code: 'f16' });
    if (gpu.isFallbackAdapter) warnings.push({ code: 'software' });
  }
  // The download is about as large as the model's GPU memory (4-bit weights plus a little).
  const storage = storageProblem((model.vramMB ?? 0) * 1e6, device);
  if (storage) problems.push(storage);
  if (model.vramMB && model.vramMB > memoryBudgetMb(device))
    warnings.push({ code: 'memory', needBytes: model.vramMB * 1e6 });
  return { ok: problems.length === 0, problems, warnings };
}

/** Why a download of `bytes` would not fit in the browser's storage, or null when it fits (or the browser does not say). */
export function storageProblem(
  bytes: number,
  device: Pick<PreflightDevice, 'storage'>,
): Extract<PreflightIssue, { code: 'storage' }> | null {
  const { usage, quota } = device.storage;
  if (bytes <= 0 || usage === null || quota === null || quota - usage >= bytes * 1.1) return null;
  return { code: 'storage', needBytes: bytes, freeBytes: Math.max(0, quota - usage) };
}

/**
 * The embedding model to start with: the preferred small default when it fits the free storage
 * and a quarter of the device's memory (it shares the page with the data), else the smallest
 * that fits, or null.
 */
export function recommendEncoder<E extends { id: string; sizeMB: number }>(
  catalogue: readonly E[],
  device: PreflightDevice,
  preferred = 'Xenova/multilingual-e5-small',
): E | null {
  const budgetMb = device.deviceMemoryGb ? device.deviceMemoryGb * 1024 * 0.25 : 512;
  // Fast first: the small default embeds several times faster than the large models and is
  // good enough to start with; a larger one is a later choice, measured on the task's data.
  return (
    [...catalogue]
      .filter((e) => e.sizeMB <= budgetMb && storageProblem(e.sizeMB * 1e6, device) === null)
      .sort((a, b) => Number(b.id === preferred) - Number(a.id === preferred) || a.sizeMB - b.sizeMB)[0] ?? null
  );
}

function memoryBudgetMb(device: PreflightDevice): number {
  return device.deviceMemoryGb ? device.deviceMemoryGb * 1024 * MEMORY_SHARE : UNKNOWN_MEMORY_BUDGET_MB;
}

/** A generation speed measured on this device with one model ("Measure this device"). */
export interface MeasuredSpeed {
  tokensPerSecond: number;
  textsPerMinute: number;
  /** When it was measured (ms). */
  measuredAt: number;
}

/** Texts a minute below which writing a few hundred examples takes too long for a workshop. */
export const WORKABLE_TEXTS_PER_MINUTE = 10;
/** The smallest size (billions of parameters) that writes most languages well enough. */
export const GOOD_ENOUGH_BILLIONS = 1.5;

/**
 * The model to suggest: a usable speed first. The smallest model suited to the job that is
 * large enough to write many languages well and runs at a workable pace here (measured when
 * it was, else the low end of the estimate); when none does, the smallest suited model that
 * runs at all (the fastest). Null when no suited model passes preflight.
 * @param measured a model's speed measured on this device, if it was
 */
export function recommendWebLlm(
  choices: readonly LlmChoice[],
  device: PreflightDevice,
  measured: (modelId: string) => MeasuredSpeed | null = () => null,
): LlmChoice | null {
  const runnable = choices
    .filter(
      (c) => c.recommended && c.vramMB !== null && c.vramMB <= memoryBudgetMb(device) && preflightWebLlm(c, device).ok,
    )
    .sort((a, b) => (a.vramMB ?? 0) - (b.vramMB ?? 0));
  const pace = (c: LlmChoice) => measured(c.id)?.textsPerMinute ?? roughSpeed(c, device)?.textsPerMinute[0] ?? 0;
  const good = runnable.find((c) => (c.billions ?? 0) >= GOOD_ENOUGH_BILLIONS && pace(c) >= WORKABLE_TEXTS_PER_MINUTE);
  return good ?? runnable[0] ?? null;
}

/**
 * Effective memory bandwidth (GB/s) an LLM's decoding sees, by what the adapter says it is:
 * a rough range, because browsers do not expose the GPU's model or memory speed.
 */
function bandwidthRange(gpu: Extract<PreflightDevice['webgpu'], { available: true }>): [number, number] {
  if (gpu.isFallbackAdapter) return [2, 5];
  const vendor = gpu.vendor.toLowerCase();
  if (vendor.includes('nvidia')) return [100, 300];
  if (vendor.includes('apple')) return [50, 200];
  if (vendor.includes('amd') || vendor.includes('ati')) return [30, 200];
  // Intel, Qualcomm, Arm and unknown: most likely a laptop's integrated GPU.
  return [20, 60];
}

/** Tokens of one generated text with its share of the JSON answer (as the benchmarks assume). */
export const TOKENS_PER_TEXT = 40;

/**
 * A rough generation speed for a WebLLM model on this device: decoding reads all the weights
 * once per token, so tokens per second are about the memory bandwidth over the model's size.
 * An estimate to set expectations, not a measurement; null when there is no GPU or no size.
 */
export function roughSpeed(
  model: Pick<LlmChoice, 'vramMB'>,
  device: Pick<PreflightDevice, 'webgpu'>,
): { tokensPerSecond: [number, number]; textsPerMinute: [number, number] } | null {
  const gpu = device.webgpu;
  if (!gpu.available || !model.vramMB) return null;
  const gb = model.vramMB / 1000;
  const [lo, hi] = bandwidthRange(gpu).map((bw) => Math.min(150, bw / gb));
  const tokens: [number, number] = [Math.max(1, Math.round(lo as number)), Math.max(1, Math.round(hi as number))];
  return {
    tokensPerSecond: tokens,
    textsPerMinute: [
      Math.max(1, Math.round((tokens[0] * 60) / TOKENS_PER_TEXT)),
      Math.max(1, Math.round((tokens[1] * 60) / TOKENS_PER_TEXT)),
    ],
  };
}
