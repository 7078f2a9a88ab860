import { describe, expect, it } from 'vitest';
import { modelOfUrl, transformersFileUrl } from './model-cache';

describe('modelOfUrl', () => {
  it('reads the model and file of hub, model-folder and runtime addresses', () => {
    expect(
      modelOfUrl('https://huggingface.co/Xenova/multilingual-e5-small/resolve/main/onnx/model.onnx', null),
    ).toEqual({
      modelId: 'Xenova/multilingual-e5-small',
      file: 'onnx/model.onnx',
    });
    expect(
      modelOfUrl('http://localhost:8080/models/Xenova/LaBSE/tokenizer.json', 'http://localhost:8080/models/'),
    ).toEqual({ modelId: 'Xenova/LaBSE', file: 'tokenizer.json' });
    expect(
      modelOfUrl(
        'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_80/Qwen2-0.5B-webgpu.wasm',
        null,
      ),
    ).toEqual({ modelId: 'Qwen2-0.5B-webgpu.wasm', file: 'Qwen2-0.5B-webgpu.wasm' });
  });

  it('is the inverse of the address transformers.js caches a file under', () => {
    for (const folder of [null, 'http://localhost/models/'])
      expect(modelOfUrl(transformersFileUrl('org/name', 'onnx/model_fp16.onnx', folder), folder)).toEqual({
        modelId: 'org/name',
        file: 'onnx/model_fp16.onnx',
      });
  });
});
