/**
 * @file Detects what this browser and device offer: WebGPU adapter and its features,
 * cross-origin isolation, storage, CPU threads. Works on the page and in workers.
 */
import { message } from '../i18n/messages';
import type { DeviceReport, StorageReport, WebGpuReport } from '../domain/device';

/** Asks for a WebGPU adapter and describes it; never throws. */
export async function detectWebGpu(): Promise<WebGpuReport> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) {
    return {
      available: false,
      reason: globalThis.isSecureContext ? message('gpu.noWebgpu') : message('gpu.insecure'),
    };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { available: false, reason: message('gpu.refused', { error: (error as Error).message }) };
  }
  if (!adapter) {
    return {
      available: false,
      reason: message('gpu.noAdapter'),
    };
  }
  const info = adapter.info;
  // `isFallbackAdapter` moved from the adapter to its info; read whichever this browser has.
  const legacy = adapter as GPUAdapter & { isFallbackAdapter?: boolean };
  const infoFallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return {
    available: true,
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    isFallbackAdapter: Boolean(infoFallback ?? legacy.isFallbackAdapter),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** Storage use, quota and whether it is persistent. */
export async function detectStorage(): Promise<StorageReport> {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  if (!storage) return { usage: null, quota: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    storage.estimate().catch(() => null),
    storage.persisted ? storage.persisted().catch(() => null) : Promise.resolve(null),
  ]);
  return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null, persisted };
}

/** Runs every check. */
export async function detectDevice(): Promise<DeviceReport> {
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
  const [webgpu, storage] = await Promise.all([detectWebGpu(), detectStorage()]);
  return {
    webgpu,
    crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
    storage,
    cpuThreads: nav?.hardwareConcurrency ?? 1,
    deviceMemoryGb: nav?.deviceMemory ?? null,
  };
}

/**
 * Asks the browser to keep our data when space runs low (page only, not workers).
 * @returns whether storage is now persistent
 */
export async function requestPersistentStorage(): Promise<boolean> {
  return (await navigator.storage?.persist?.()) ?? false;
}
