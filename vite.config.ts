/// <reference types="vitest/config" />
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { contentSecurityPolicy } from './tools/csp.ts';
import { modelFolder } from './tools/model-folder.ts';
import { standaloneBundles } from './tools/standalone-bundles.ts';

/**
 * Cross-origin isolation lets onnxruntime-web use multi-threaded wasm
 * (SharedArrayBuffer). Static hosts must send the same two headers (see README).
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs so the built app also runs from a sub-folder or a USB stick's web server.
  base: './',
  plugins: [
    svelte(),
    modelFolder('models'),
    standaloneBundles(),
    contentSecurityPolicy(),
    // The offline app shell: after one visit the built app (with onnxruntime-web's wasm and the
    // language-identification model) starts with no network. Models are not precached: they
    // live in the libraries' own caches or the model folder. Off in the dev server.
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'polyclass',
        short_name: 'polyclass',
        description: 'Build a text classifier for any language, on your own device.',
        theme_color: '#0b5cad',
        background_color: '#ffffff',
        display: 'standalone',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        globPatterns: ['**/*.{html,js,mjs,css,wasm,ftz,svg,json,woff2}'],
        // onnxruntime-web's wasm is about 27 MB.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/\/models\//],
        cleanupOutdatedCaches: true,
        // The Content-Security-Policy for worker scripts (tools/csp.ts), then airplane mode's
        // request filter, ahead of Workbox's routes (public/airplane-sw.js).
        importScripts: ['csp-policy.js', 'airplane-sw.js'],
      },
    }),
  ],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  // Worker bundles have their own plugins: the data worker builds the standalone page.
  worker: {
    format: 'es',
    plugins: () => [standaloneBundles()],
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  optimizeDeps: {
    // Pre-bundle up front so the dev server never reloads the page mid-session (or mid-test)
    // when a worker first imports them.
    include: [
      '@huggingface/transformers',
      '@mlc-ai/web-llm',
      'idb',
      'papaparse',
      'fflate',
      'valibot',
      'iso-639-3',
      'uplot',
      '@zip.js/zip.js/index-native.js',
      // CommonJS files of CLD3 (backends/cld3.ts): the browser build of its runtime and its loader.
      'cld3-asm/dist/cjs/lib/node/cld3.js',
      'cld3-asm/dist/cjs/cldLoader.js',
      'emscripten-wasm-loader',
    ],
    // Loads its emscripten glue by a relative dynamic import, which pre-bundling would break.
    exclude: ['fasttext.wasm.js'],
  },
  build: {
    target: 'es2022',
    rolldownOptions: {
      // Rolldown's notes on how long Vite's own plugins took (asset and worker URLs): nothing
      // in this project to act on, and they buried the warnings that matter.
      checks: { bundlerTimings: false },
      onwarn(warning, warn) {
        // emscripten-wasm-loader (under cld3-asm) calls nanoid 2 through a namespace import in
        // `mountBuffer`, which cld3-asm never calls: a warning about code that never runs.
        if (warning.code === 'CANNOT_CALL_NAMESPACE' && warning.id?.includes('emscripten-wasm-loader')) return;
        warn(warning);
      },
    },
  },
  test: {
    // Vitest's default is one worker less than the cores: on a 2-core CI machine, one worker ran
    // every file, unit and browser, one after another. Two let the unit tests run beside the
    // browser tests (those still one file at a time: see the browser project).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts'],
          globalSetup: ['tests/setup/fixtures.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          environment: 'node',
          include: ['tests/browser/**/*.spec.ts'],
          globalSetup: ['tests/setup/fixtures.ts', 'tests/setup/dev-server.ts'],
          // One Chromium at a time: CI has two cores, and WebGPU runs on the CPU (SwiftShader).
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
