/**
 * @file Whether a generator can answer now without a download: a replay whose recording is
 * there, a WebLLM model in the browser's cache, a transformers.js model in the cache or in the
 * model folder. Evaluate offers an LLM evaluator ticked only when this says so (a run that
 * starts a multi-gigabyte download, or fails on a missing file, must be a choice, not a default).
 */
import { probeServerInWorker } from '../workers/generation-client';
import { cachedEntry, transformersFileUrl } from '../backends/model-cache';
import { onnxFileOf, type GeneratorSpec } from '../domain/model-spec';
import { webllmCached } from './webllm-choices';
import { readRecording } from './recordings';

export type GeneratorAvailability =
  | { ok: true; where: 'recording' | 'cache' | 'folder' | 'server' }
  /**
   * `missing-recording`: the replay's file is not there (or is no recording);
   * `recording-writes-texts`: it holds written texts, no answers to classify with;
   * `not-downloaded`: the model is neither cached nor in the folder; `server-down`: the local
   * server does not answer.
   */
  | { ok: false; reason: 'missing-recording' | 'recording-writes-texts' | 'not-downloaded' | 'server-down' };

/**
 * Whether a same-origin file answers (a HEAD request; nothing is downloaded). A server that
 * answers every address with the app's page (a single-page fallback) does not count.
 */
async function exists(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { method: 'HEAD', cache: 'no-store' });
    return response.ok && !(response.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}

/**
 * Asks the caches and the model folder whether a generator's files are here.
 * @param folder the model folder's absolute address (ending in `/`), or null for the hub
 */
export async function generatorAvailability(
  spec: GeneratorSpec,
  folder: string | null,
): Promise<GeneratorAvailability> {
  if (spec.kind === 'recorded') {
    // A replay classifies only with answers recorded for texts; one of written texts (the
    // demo's, or a generation job saved) would answer "I do not know" to every test text.
    let recording = spec.recording;
    if (!recording) {
      const read = await readRecording(spec.url);
      if (!read.ok) return { ok: false, reason: 'missing-recording' };
      recording = read.recording;
    }
    return recording.answers.some((a) => a.match !== undefined)
      ? { ok: true, where: 'recording' }
      : { ok: false, reason: 'recording-writes-texts' };
  }
  if (spec.kind === 'openai') {
    // A server on this computer: available while it answers (its model list, within 2 s), asked
    // from a worker started for it (the page may not reach it).
    try {
      const { status } = await probeServerInWorker(spec.endpoint, 2000);
      return status !== null && status >= 200 && status < 300
        ? { ok: true, where: 'server' }
        : { ok: false, reason: 'server-down' };
    } catch {
      return { ok: false, reason: 'server-down' };
    }
  }
  if (spec.kind === 'webllm') {
    if (await webllmCached(spec.modelId, folder)) return { ok: true, where: 'cache' };
    const inFolder = folder !== null && (await exists(`${folder}${spec.modelId}/resolve/main/mlc-chat-config.json`));
    return inFolder ? { ok: true, where: 'folder' } : { ok: false, reason: 'not-downloaded' };
  }
  const files = ['config.json', onnxFileOf(spec.dtype)];
  const cached = await Promise.all(
    files.map((f) => cachedEntry('transformers-cache', transformersFileUrl(spec.modelId, f, folder))),
  );
  if (cached.every(Boolean)) return { ok: true, where: 'cache' };
  if (folder !== null) {
    const there = await Promise.all(files.map((f) => exists(transformersFileUrl(spec.modelId, f, folder))));
    if (there.every(Boolean)) return { ok: true, where: 'folder' };
  }
  return { ok: false, reason: 'not-downloaded' };
}
