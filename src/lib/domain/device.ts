/**
 * @file What the device can do (as detected by backends/device-check) and the choices
 * that follow from it. Choices are made from capabilities, never from the user agent.
 */
import type { DevicePreference } from './settings';

/** The WebGPU adapter as the browser describes it, or why there is none. */
export type WebGpuReport =
  | { available: false; reason: string }
  | {
      available: true;
      vendor: string;
      architecture: string;
      description: string;
      /** A software or otherwise limited adapter (e.g. SwiftShader): correct, but slow. */
      isFallbackAdapter: boolean;
      shaderF16: boolean;
      maxBufferSize: number;
      maxStorageBufferBindingSize: number;
    };

export interface StorageReport {
  /** Bytes used and available to this origin, when the browser tells. */
  usage: number | null;
  quota: number | null;
  /** Whether the browser promised not to evict our data; null when it cannot say. */
  persisted: boolean | null;
}

export interface DeviceReport {
  webgpu: WebGpuReport;
  /** Needed for multi-threaded wasm (SharedArrayBuffer). */
  crossOriginIsolated: boolean;
  storage: StorageReport;
  /** Logical CPU cores the browser reports. */
  cpuThreads: number;
  /** Approximate RAM in GB, rounded by the browser (Chromium only), or null. */
  deviceMemoryGb: number | null;
}

/** The device a transformers.js model runs on in the browser. */
export type EncoderDevice = 'wasm' | 'webgpu';

/**
 * Picks the encoder device. `auto` uses WebGPU only on a hardware adapter: on a software
 * adapter (SwiftShader) wasm is several times faster.
 */
export function chooseEncoderDevice(preference: DevicePreference, webgpu: WebGpuReport): EncoderDevice {
  if (preference === 'wasm') return 'wasm';
  if (preference === 'webgpu') return 'webgpu';
  return webgpu.available && !webgpu.isFallbackAdapter ? 'webgpu' : 'wasm';
}
