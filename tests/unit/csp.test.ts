/**
 * @file The Content-Security-Policy's one opening for an LLM server on this computer (decision
 * 022): a worker whose script's address names such a server may reach exactly that origin; the
 * page, every other worker and every other address get the base policy. The service worker uses
 * the copy of `policyFor` written into `csp-policy.js`: it must answer the same.
 */
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, POLICY_SCRIPT, policyFor } from '../../tools/csp';
import { serverOrigin, workerUrlFor } from '../../src/lib/domain/local-server';

const WORKER = '/assets/generation.worker-abc123.js';
const connectSrc = (policy: string) => /connect-src ([^;]*)/.exec(policy)?.[1]?.split(' ') ?? [];

/** `csp-policy.js` run as the service worker runs it (`importScripts` into its global scope). */
function serviceWorkerCopy(): { base: string; policyFor: (base: string, url: string) => string } {
  const self: Record<string, unknown> = {};
  runInNewContext(POLICY_SCRIPT, { self, URL });
  return { base: self.POLYCLASS_CSP as string, policyFor: self.POLYCLASS_CSP_FOR as (b: string, u: string) => string };
}

describe('the policy', () => {
  it('lets the page and ordinary workers reach no server on this computer', () => {
    const sources = connectSrc(CONTENT_SECURITY_POLICY);
    expect(sources).toContain("'self'");
    expect(sources.some((s) => /localhost|127\.0\.0\.1/.test(s))).toBe(false);
    expect(policyFor(CONTENT_SECURITY_POLICY, WORKER)).toBe(CONTENT_SECURITY_POLICY);
  });

  it('adds exactly the origin a worker was started for, once', () => {
    for (const endpoint of ['http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'https://ollama.localhost/v1']) {
      const origin = serverOrigin(endpoint);
      expect(origin).not.toBeNull();
      const url = workerUrlFor(WORKER, origin);
      const policy = policyFor(CONTENT_SECURITY_POLICY, url);
      expect(connectSrc(policy)).toEqual([...connectSrc(CONTENT_SECURITY_POLICY), origin]);
      // Everything else is the base policy's.
      expect(policy.replace(` ${origin}`, '')).toBe(CONTENT_SECURITY_POLICY);
      // Asked again (a response that already has it): unchanged.
      expect(policyFor(policy, url)).toBe(policy);
    }
    // The dev server's worker addresses already have a query.
    const dev = workerUrlFor('/src/lib/workers/training.worker.ts?worker_file&type=module', 'http://localhost:11434');
    expect(connectSrc(policyFor(CONTENT_SECURITY_POLICY, dev))).toContain('http://localhost:11434');
  });

  it('adds nothing for an address that is not this computer’s, or not an address', () => {
    for (const server of [
      'https://api.example.com',
      'http://localhost.evil.example:11434',
      'http://192.168.1.20:11434',
      'ftp://localhost',
      'not an address',
      '',
    ])
      expect(policyFor(CONTENT_SECURITY_POLICY, `${WORKER}?server=${encodeURIComponent(server)}`)).toBe(
        CONTENT_SECURITY_POLICY,
      );
    // A name with a sneaked-in second source cannot widen it either: only the parsed origin is added.
    const sneaky = policyFor(
      CONTENT_SECURITY_POLICY,
      `${WORKER}?server=${encodeURIComponent('http://localhost:1 https://evil.example')}`,
    );
    expect(sneaky).toBe(CONTENT_SECURITY_POLICY);
  });

  it('is the same in the copy the service worker runs', () => {
    const copy = serviceWorkerCopy();
    expect(copy.base).toBe(CONTENT_SECURITY_POLICY);
    for (const url of [
      WORKER,
      workerUrlFor(WORKER, 'http://localhost:11434'),
      workerUrlFor(WORKER, 'https://127.0.0.1:8443'),
      `${WORKER}?server=${encodeURIComponent('https://api.example.com')}`,
    ])
      expect(copy.policyFor(copy.base, url)).toBe(policyFor(CONTENT_SECURITY_POLICY, url));
  });
});
