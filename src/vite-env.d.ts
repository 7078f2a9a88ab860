/// <reference types="svelte" />
/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

/** The standalone classifier page's classic script (tools/standalone-bundles.ts). */
declare module 'virtual:standalone-page' {
  const code: string;
  export default code;
}

/** The standalone page's encoder module, with transformers.js (tools/standalone-bundles.ts). */
declare module 'virtual:standalone-encoder' {
  const code: string;
  export default code;
}
