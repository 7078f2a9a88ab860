/**
 * @file Addresses of OpenAI-compatible servers. The app talks only to a server on this computer
 * (its loopback addresses): nothing the user types leaves the device (decision 022). The CLI may
 * use any address its user names.
 */

/** Where Ollama and llama.cpp's server listen by default. */
export const LOCAL_SERVER_EXAMPLES = {
  ollama: 'http://localhost:11434/v1',
  llamacpp: 'http://localhost:8080/v1',
} as const;

/** Why an address is refused, or null when it can be used. */
export type EndpointProblem = 'not-an-address' | 'not-http' | 'not-local' | null;

/**
 * This computer's names the Content-Security-Policy lets the page reach (tools/csp.ts:
 * `LOCAL_SERVER_SOURCES`): `localhost`, its sub-names, and `127.0.0.1`.
 */
const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1';

/** Whether an address is an http(s) address of this computer. */
export function endpointProblem(address: string): EndpointProblem {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return 'not-an-address';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'not-http';
  return isLoopbackHost(url.hostname) ? null : 'not-local';
}

/** An address as typed, without spaces or a trailing slash (the client adds its paths). */
export const normalizeEndpoint = (address: string): string => address.trim().replace(/\/+$/, '');
