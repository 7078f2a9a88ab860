import { describe, expect, it } from 'vitest';
import { chooseEncoderDevice, type WebGpuReport } from './device';

const gpu = (isFallbackAdapter: boolean): WebGpuReport => ({
  available: true,
  vendor: 'v',
  architecture: 'a',
  description: '',
  isFallbackAdapter,
  shaderF16: false,
  maxBufferSize: 1,
  maxStorageBufferBindingSize: 1,
});

describe('chooseEncoderDevice', () => {
  it('uses WebGPU automatically only on a hardware adapter', () => {
    expect(chooseEncoderDevice('auto', gpu(false))).toBe('webgpu');
    expect(chooseEncoderDevice('auto', gpu(true))).toBe('wasm');
    expect(chooseEncoderDevice('auto', { available: false, reason: 'none' })).toBe('wasm');
  });

  it('honours an explicit choice', () => {
    expect(chooseEncoderDevice('webgpu', gpu(true))).toBe('webgpu');
    expect(chooseEncoderDevice('wasm', gpu(false))).toBe('wasm');
  });
});
