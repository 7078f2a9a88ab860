/**
 * @file Addresses of OpenAI-compatible servers. The app talks only to a server on this computer
 * (its loopback addresses): nothing the user types leaves the device (decision 022). The CLI may
 * use any address its user names.
 *
 * The page itself reaches no such server: only a worker started for one (its script's address
 * carries `?server=<origin>`, {@link workerUrlFor}) runs under a Content-Security-Policy that
 * names that origin, exactly (tools/csp.ts `policyFor`).
 */
import type { GeneratorSpec } from './model-spec';

/** Where Ollama and llama.cpp's server listen by default. */
export const LOCAL_SERVER_EXAMPLES = {
  ollama: 'http://localhost:11434/v1',
  llamacpp: 'http://localhost:8080/v1',
} as const;

/** Why an address is refused, or null when it can be used. */
export type EndpointProblem = 'not-an-address' | 'not-http' | 'not-local' | null;

/**
 * This computer's names: `localhost`, its sub-names, and `127.0.0.1` (the same rule as
 * tools/csp.ts `policyFor`, which lets a worker started for such a server reach it).
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

/** The origin of a server on this computer (`http://localhost:11434`), or null for any other address. */
export function serverOrigin(endpoint: string): string | null {
  if (endpointProblem(endpoint) !== null) return null;
  return new URL(endpoint.trim()).origin;
}

/** The server on this computer a generator talks to (its origin), or null when it needs none. */
export const serverOf = (spec: GeneratorSpec | null | undefined): string | null =>
  spec?.kind === 'openai' ? serverOrigin(spec.endpoint) : null;

/** The query parameter that names, in a worker script's address, the one server it may reach. */
export const SERVER_PARAM = 'server';

/** A worker script's address, naming the server on this computer it may reach (if any). */
export function workerUrlFor(script: string, server: string | null): string {
  if (server === null) return script;
  return `${script}${script.includes('?') ? '&' : '?'}${SERVER_PARAM}=${encodeURIComponent(server)}`;
}

/** An address as typed, without spaces or a trailing slash (the client adds its paths). */
export const normalizeEndpoint = (address: string): string => address.trim().replace(/\/+$/, '');
