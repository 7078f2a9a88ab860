/**
 * @file Vite plugin: serves a local model folder at `/models/` in `vite dev` and `vite preview`.
 *
 * This is the development twin of a workshop server's `/models/` directory (see README):
 * files are laid out as on the Hugging Face hub (`<org>/<name>/onnx/model.onnx`). A missing
 * file answers 404 (never the SPA's index.html), so transformers.js reports which file is
 * missing instead of choking on HTML ("Unexpected token '<'") and caching the bad response.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { listModelFolder, MODEL_INDEX_FILE } from './model-index.ts';

/** URL prefix under which models are served; the app's "same-origin model folder" default. */
export const MODELS_URL_PREFIX = '/models/';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.onnx': 'application/octet-stream',
  '.onnx_data': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.model': 'application/octet-stream',
};

/**
 * Serves files under `root` at {@link MODELS_URL_PREFIX}; 404 for missing files, 403 outside
 * `root`. `index.json` lists the folder's models (tools/model-index.ts) unless the folder has
 * such a file of its own; a folder that does not exist answers it with 404, as a server without
 * a model folder would.
 */
export function modelFolderMiddleware(root: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = req.url ?? '';
    if (!url.startsWith(MODELS_URL_PREFIX)) return next();
    const rel = decodeURIComponent(url.slice(MODELS_URL_PREFIX.length).split('?')[0] ?? '');
    const path = normalize(join(root, rel));
    if (!path.startsWith(root + sep)) {
      res.statusCode = 403;
      res.end('Forbidden');
      return;
    }
    if (rel === MODEL_INDEX_FILE && !existsSync(path)) {
      if (!existsSync(root)) {
        res.statusCode = 404;
        res.end('No model folder');
        return;
      }
      const body = JSON.stringify(listModelFolder(root));
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    let size: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(`Not found in the model folder: ${rel}`);
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', String(size));
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(path).pipe(res);
  };
}

/**
 * @param dir folder to serve; `POLYCLASS_MODELS_DIR` overrides it (the browser tests point
 *   it at the built fixture models)
 */
export function modelFolder(dir: string): Plugin {
  const root = resolve(process.env.POLYCLASS_MODELS_DIR ?? dir);
  return {
    name: 'polyclass-model-folder',
    configureServer(server) {
      server.middlewares.use(modelFolderMiddleware(root));
    },
    configurePreviewServer(server) {
      server.middlewares.use(modelFolderMiddleware(root));
    },
  };
}
