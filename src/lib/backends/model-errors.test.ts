import { describe, expect, it } from 'vitest';
import { toModelLoadError } from './model-errors';

const folder = { kind: 'folder', location: 'http://localhost:8080/models/' } as const;
const hub = { kind: 'hub' } as const;
const ID = 'org/model';

describe('toModelLoadError', () => {
  it('names the missing file for a model folder, with a way out', () => {
    const e = toModelLoadError(
      new Error('Could not locate file: "http://localhost:8080/models/org/model/onnx/model_quantized.onnx".'),
      ID,
      folder,
    );
    expect(e.code).toBe('model-file-missing');
    expect(e.details).toEqual({ modelId: ID, file: 'onnx/model_quantized.onnx' });
    expect(e.message).toBe(
      'The model org/model is missing the file onnx/model_quantized.onnx in the model folder http://localhost:8080/models/org/model/. Copy the complete model folder there, or switch the model source to the Hugging Face hub in Settings.',
    );
  });

  it('names the missing file for the hub, ignoring the resolve/main part of the URL', () => {
    const e = toModelLoadError(
      new Error('Could not locate file: "https://huggingface.co/org/model/resolve/main/tokenizer.json".'),
      ID,
      hub,
    );
    expect(e.details.file).toBe('tokenizer.json');
    expect(e.message).toContain('the Hugging Face hub (huggingface.co/org/model)');
  });

  it('handles the local-path form of the message (Node)', () => {
    const e = toModelLoadError(
      new Error(
        '`local_files_only=true` or `env.allowRemoteModels=false` and file was not found locally at "/data/models/org/model/config.json".',
      ),
      ID,
      { kind: 'folder', location: '/data/models' },
    );
    expect(e.details.file).toBe('config.json');
  });

  it('explains HTML served in place of JSON', () => {
    const e = toModelLoadError(
      new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON'),
      ID,
      folder,
    );
    expect(e.code).toBe('model-invalid');
    expect(e.message).toContain('answered with a web page');
  });

  it('recognises network failures and unsupported devices', () => {
    expect(toModelLoadError(new TypeError('Failed to fetch'), ID, hub).code).toBe('model-network');
    expect(toModelLoadError(new Error('Unsupported device: "webgpu". Should be one of: wasm.'), ID, hub).code).toBe(
      'device-unsupported',
    );
  });

  it('names airplane mode when a download is refused with 503, instead of the library’s words', () => {
    const e = toModelLoadError(
      new Error(
        'Service unavailable error occurred while trying to load file: "https://huggingface.co/x/y/resolve/main/config.json".',
      ),
      ID,
      hub,
    );
    expect(e.code).toBe('model-blocked');
    expect(e.message).toContain('When airplane mode is on, polyclass downloads nothing');
    expect(e.message).not.toContain('Service unavailable');
  });

  it('keeps the original text for anything else', () => {
    const e = toModelLoadError(new Error('something odd'), ID, hub);
    expect(e.code).toBe('internal');
    expect(e.message).toContain('something odd');
  });
});
