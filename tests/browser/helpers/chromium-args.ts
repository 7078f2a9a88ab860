/**
 * @file Chromium flags for tests and benchmarks: headless, no network chatter (this machine's
 * network is closed), WebGPU on SwiftShader. Kept free of Vitest so scripts can import it.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-webgpu-adapter=swiftshader',
];
