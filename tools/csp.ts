/**
 * @file The Content-Security-Policy of the built app, as a `<meta>` tag (static hosts and USB
 * sticks cannot be relied on for headers). A worker does not inherit the page's `<meta>`: it
 * takes its policy from its own script's response headers. So the policy also goes, as a header,
 * with every worker script the dev server sends and every response of the preview server, and
 * the build writes it to `csp-policy.js` for other static servers to send (README). The
 * service worker does not add it yet to the worker scripts it serves. It lets the page talk to its own origin (the app,
 * and a model folder on the same server), to the model hosts the libraries download from, and
 * to servers on this computer (an LLM server the user runs), and nowhere else: the hub and its file CDNs (transformers.js, WebLLM weights) and GitHub's
 * raw files (WebLLM's model libraries). Scripts only from the app itself, wasm compiled from
 * its own files (`'wasm-unsafe-eval'`), no plugins, no foreign frames or forms.
 */
import type { Plugin } from 'vite';

/** Hosts models are downloaded from, besides the app's own origin. */
export const MODEL_HOSTS = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
  'https://raw.githubusercontent.com',
];

/**
 * An OpenAI-compatible server on this computer (Ollama, llama.cpp's server), at any port: a
 * static policy cannot name the port a user types, so it names this computer and nothing else
 * (decision 022); the app also refuses every other address (domain/local-server.ts).
 */
export const LOCAL_SERVER_SOURCES = [
  'http://localhost:*',
  'https://localhost:*',
  'http://*.localhost:*',
  'http://127.0.0.1:*',
  'https://127.0.0.1:*',
];

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // blob: onnxruntime-web starts its wasm threads from a module it makes in memory, inside the
  // workers; only code already running here can make a blob: URL.
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  `connect-src 'self' ${MODEL_HOSTS.join(' ')} ${LOCAL_SERVER_SOURCES.join(' ')}`,
  // Svelte's style attributes and uPlot's inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/** Whether a request is for a worker script: Vite's dev URLs (`?worker_file`) and built worker chunks. */
export function isWorkerScript(url: string): boolean {
  return /[?&]worker_file\b/.test(url) || /\/assets\/[^/?]*\.worker-[^/?]*\.js(\?|$)/.test(url);
}

type Middleware = (
  req: { url?: string },
  res: { setHeader(name: string, value: string): void },
  next: () => void,
) => void;

/** Sends the policy as a header with worker scripts (`all`: with every response). */
const sendPolicy =
  (all: boolean): Middleware =>
  (req, res, next) => {
    if (all || isWorkerScript(req.url ?? '')) res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    next();
  };

/**
 * Adds the policy to index.html in production builds (the dev server's page needs its own
 * scripts), to worker scripts from the dev server, to every response of the preview server, and
 * writes it to `csp-policy.js` for whoever configures another server.
 */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'polyclass-csp',
    configureServer: (server) => void server.middlewares.use(sendPolicy(false)),
    configurePreviewServer: (server) => void server.middlewares.use(sendPolicy(true)),
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'csp-policy.js',
        source: `// Written by tools/csp.ts: the Content-Security-Policy every response (at least every worker script) should carry.\nself.POLYCLASS_CSP = ${JSON.stringify(CONTENT_SECURITY_POLICY)};\n`,
      });
    },
    transformIndexHtml: (_html, ctx) =>
      ctx.server
        ? []
        : [
            {
              tag: 'meta',
              attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
              injectTo: 'head-prepend',
            },
          ],
  };
}
