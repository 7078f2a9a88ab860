/**
 * @file The Content-Security-Policy of the built app, as a `<meta>` tag (static hosts and USB
 * sticks cannot be relied on for headers). A worker does not inherit the page's `<meta>`: it
 * takes its policy from its own script's response headers. So the policy also goes, as a header,
 * with every worker script the dev server sends and every response of the preview server, and
 * the build writes it to `csp-policy.js` for other static servers to send (README); the
 * service worker adds it to the worker scripts it serves (`public/airplane-sw.js`). It lets the
 * page talk to its own origin (the app, and a model folder on the same server) and to the model
 * hosts the libraries download from, and nowhere else: the hub and its file CDNs
 * (transformers.js, WebLLM weights) and GitHub's raw files (WebLLM's model libraries). Scripts
 * only from the app itself, wasm compiled from its own files (`'wasm-unsafe-eval'`), no
 * plugins, no foreign frames or forms.
 *
 * An LLM server on this computer (Ollama, llama.cpp's server; decision 022) is reached only from
 * a worker started for it: its script's address names the server (`?server=<origin>`), and that
 * worker's policy adds exactly that origin ({@link policyFor}); the page and every other worker
 * cannot reach it.
 */
import type { Plugin } from 'vite';

/** Hosts models are downloaded from, besides the app's own origin. */
export const MODEL_HOSTS = [
  'https://huggingface.co',
  'https://*.huggingface.co',
  'https://*.hf.co',
  'https://raw.githubusercontent.com',
];

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // blob: onnxruntime-web starts its wasm threads from a module it makes in memory, inside the
  // workers; only code already running here can make a blob: URL.
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  `connect-src 'self' ${MODEL_HOSTS.join(' ')}`,
  // Svelte's style attributes and uPlot's inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The policy of a worker script at `url`: `base`, plus (once) the one server on this computer its
 * address names (`?server=http://localhost:11434`), when it is one (`localhost`, a `*.localhost`
 * name or `127.0.0.1`, http or https: the addresses `domain/local-server.ts` accepts). Written
 * without outside names: the build copies its source into `csp-policy.js` for the service worker.
 */
export function policyFor(base: string, url: string): string {
  let server: URL;
  try {
    server = new URL(new URL(url, 'http://localhost/').searchParams.get('server') || '');
  } catch {
    return base;
  }
  const host = server.hostname;
  const local = host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1';
  if (!local || (server.protocol !== 'http:' && server.protocol !== 'https:')) return base;
  return base.replace(/connect-src [^;]*/, (sources) =>
    sources.split(' ').includes(server.origin) ? sources : `${sources} ${server.origin}`,
  );
}

/** `csp-policy.js`: the policy, and how a worker's is made, for the service worker and other servers. */
export const POLICY_SCRIPT = [
  '// Written by tools/csp.ts: the Content-Security-Policy every response (at least every worker script) should carry,',
  '// and the policy of a worker script that names a server on this computer (`?server=`).',
  `self.POLYCLASS_CSP = ${JSON.stringify(CONTENT_SECURITY_POLICY)};`,
  `self.POLYCLASS_CSP_FOR = ${policyFor.toString()};`,
  '',
].join('\n');

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
    const url = req.url ?? '';
    if (isWorkerScript(url)) res.setHeader('Content-Security-Policy', policyFor(CONTENT_SECURITY_POLICY, url));
    else if (all) res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
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
        source: POLICY_SCRIPT,
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
