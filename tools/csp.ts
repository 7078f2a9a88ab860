/**
 * @file The Content-Security-Policy of the built app, as a `<meta>` tag (static hosts and USB
 * sticks cannot be relied on for headers). It lets the page talk to its own origin (the app,
 * and a model folder on the same server) and to the model hosts the libraries download from,
 * and nowhere else: the hub and its file CDNs (transformers.js, WebLLM weights) and GitHub's
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

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
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

/** Adds the policy to index.html in production builds (the dev server needs its own scripts). */
export function contentSecurityPolicy(): Plugin {
  return {
    name: 'polyclass-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}
