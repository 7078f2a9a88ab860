/**
 * @file The standalone classifier page, exported as one folder in a zip: `index.html`, the
 * page script, `classifier.js` (the classifier file and the task's labels) and a README; for a
 * head on an embedding model also the encoder module, onnxruntime-web's runtime and the
 * model's files from the browser's cache. Files are streamed into the zip (a model never
 * sits in memory whole).
 */
import { message } from '../i18n/messages';
import { listCachedModels, type CachedModel, modelOfUrl } from '../backends/model-cache';
import { AppError } from '../domain/errors';
import { onnxFileOf } from '../domain/model-spec';
import type { Task } from '../domain/task';
import { fromClassifierFile } from '../ml/classifier-file';
import { STANDALONE_PATHS, type StandaloneData } from '../../standalone/data';
import type { PackProgress } from './model-packs';

/** The page's words and direction in the UI language, and the README's text. */
export type StandalonePage = Pick<StandaloneData, 'strings' | 'lang' | 'dir' | 'minConfidence'> & { readme: string };

/** A file of the folder: text, or a response body streamed from the cache or the app. */
type FolderFile = { path: string; text: string } | { path: string; body: () => Promise<Response> };

/** The page's HTML: no inline script (a strict CSP can serve it), text only from classifier.js. */
export function standaloneHtml(data: Pick<StandaloneData, 'title' | 'lang' | 'dir'>): string {
  const escape = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
  return `<!doctype html>
<html lang="${escape(data.lang)}" dir="${data.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(data.title)}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fff; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
textarea { width: 100%; box-sizing: border-box; font: inherit; }
button { font: inherit; padding: 0.3rem 0.9rem; }
table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
th, td { text-align: start; border-bottom: 1px solid #ccc; padding: 0.3rem; vertical-align: top; }
.label { font-weight: bold; }
.note { color: #555; }
.error { color: #a00; }
@media (prefers-color-scheme: dark) { body { color: #eee; background: #111; } .note { color: #aaa; } .error { color: #f77; } }
</style>
</head>
<body>
<noscript>This page needs JavaScript to classify texts.</noscript>
<script src="classifier.js"></script>
<script src="polyclass-page.js"></script>
</body>
</html>
`;
}

/** The encoder's cached files that the page needs: config and tokenizer files, and the dtype's weights. */
function encoderFiles(model: CachedModel, dtype: string, folder: string | null) {
  const files = model.entries.flatMap((e) => {
    const file = modelOfUrl(e.url, folder)?.file;
    return file && e.cache === 'transformers-cache' ? [{ url: e.url, file }] : [];
  });
  const weights = onnxFileOf(dtype);
  return files.filter((f) => !f.file.startsWith('onnx/') || f.file === weights || f.file.startsWith(`${weights}_data`));
}

/**
 * The folder's files.
 * @param strings the page's words, in the UI language
 * @param assets the page script, the encoder module and onnxruntime-web's file addresses
 */
export async function standaloneFolder(
  task: Pick<Task, 'name' | 'description' | 'labels'>,
  classifierFile: unknown,
  page: StandalonePage,
  assets: { pageScript: string; encoderScript: () => Promise<string>; ort: { mjs: string; wasm: string } },
  folder: string | null,
): Promise<FolderFile[]> {
  const { meta } = fromClassifierFile(classifierFile);
  const data: StandaloneData = {
    title: task.name,
    description: task.description,
    labels: task.labels.map((l) => ({ name: l.name, description: l.description })),
    classifier: classifierFile,
    encoder: meta.encoder,
    strings: page.strings,
    minConfidence: page.minConfidence,
    lang: page.lang,
    dir: page.dir,
  };
  const files: FolderFile[] = [
    { path: 'index.html', text: standaloneHtml(data) },
    { path: 'classifier.js', text: `window.POLYCLASS = ${JSON.stringify(data)};\n` },
    { path: 'polyclass-page.js', text: assets.pageScript },
    { path: 'README.txt', text: page.readme },
  ];
  if (!meta.encoder) return files;
  const ref = meta.encoder;
  const cached = (await listCachedModels(folder)).find(
    (m) => m.library === 'transformers.js' && m.modelId === ref.modelId,
  );
  const modelFiles = cached ? encoderFiles(cached, ref.dtype, folder) : [];
  if (!modelFiles.some((f) => f.file.endsWith('.onnx')))
    throw new AppError('model-file-missing', message('standalone.notCached', { model: ref.modelId }));
  files.push({ path: STANDALONE_PATHS.encoder, text: await assets.encoderScript() });
  files.push({ path: STANDALONE_PATHS.ortMjs, body: () => fetch(assets.ort.mjs) });
  files.push({ path: STANDALONE_PATHS.ortWasm, body: () => fetch(assets.ort.wasm) });
  for (const f of modelFiles)
    files.push({
      path: `${STANDALONE_PATHS.models}${ref.modelId}/${f.file}`,
      body: async () =>
        (await (await caches.open('transformers-cache')).match(f.url)) ?? new Response(null, { status: 404 }),
    });
  return files;
}

/**
 * Writes the folder as a zip (stored, not compressed: weights do not shrink) into a Blob.
 * @param name the folder's name inside the zip
 */
export async function zipFolder(
  name: string,
  files: readonly FolderFile[],
  onProgress?: (p: PackProgress) => void,
  signal?: AbortSignal,
): Promise<Blob> {
  const { ZipWriter, TextReader } = await import('@zip.js/zip.js/index-native.js');
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const blob = new Response(readable, { headers: { 'content-type': 'application/zip' } }).blob();
  const zip = new ZipWriter(writable, { level: 0, useWebWorkers: false, signal });
  try {
    let done = 0;
    for (const [i, f] of files.entries()) {
      const path = `${name}/${f.path}`;
      if ('text' in f) await zip.add(path, new TextReader(f.text));
      else {
        const response = await f.body();
        if (!response.ok || !response.body)
          throw new AppError('model-file-missing', message('standalone.fileMissing', { file: f.path }));
        await zip.add(path, response.body, { level: 0 });
      }
      done = i + 1;
      onProgress?.({ done, total: files.length, file: f.path });
    }
    await zip.close();
  } catch (e) {
    await writable.abort(e).catch(() => undefined);
    blob.catch(() => undefined);
    throw e;
  }
  return blob;
}
