/**
 * @file Checking an OpenAI-compatible server on this computer (Ollama, llama.cpp's server) from
 * a worker started for it, before a job uses it: the address must be this computer's (decision
 * 022), the server must answer, and its model list says which names it knows.
 */
import { t } from './i18n.svelte';
import { endpointProblem, normalizeEndpoint } from '../domain/local-server';
import { probeServerInWorker } from '../workers/generation-client';

export type ServerCheck =
  | { ok: true; endpoint: string; models: string[] }
  | {
      ok: false;
      endpoint: string;
      problem: 'not-an-address' | 'not-http' | 'not-local' | 'unreachable' | 'status';
      status?: number;
    };

/** Why an address cannot be used, in words (null when it can). */
export function addressProblemText(address: string): string | null {
  const problem = endpointProblem(address);
  if (problem === null) return null;
  if (problem === 'not-local') return t('openai.remote', { endpoint: normalizeEndpoint(address) });
  return t('local.notAddress', { address: address.trim() });
}

export class LocalServerState {
  checking = $state(false);
  result = $state.raw<ServerCheck | null>(null);

  /** Forgets the last check (its address was changed). */
  reset(): void {
    this.result = null;
  }

  /** Asks the server for its model list (nothing else is sent). */
  async check(address: string): Promise<ServerCheck> {
    const endpoint = normalizeEndpoint(address);
    const problem = endpointProblem(endpoint);
    if (problem !== null) return (this.result = { ok: false, endpoint, problem });
    this.checking = true;
    try {
      // From a worker started for this server: the page itself may not reach it (decision 022).
      const { status, models } = await probeServerInWorker(endpoint, 5000);
      if (status === null) return (this.result = { ok: false, endpoint, problem: 'unreachable' });
      if (status < 200 || status >= 300) return (this.result = { ok: false, endpoint, problem: 'status', status });
      return (this.result = { ok: true, endpoint, models: models ?? [] });
    } catch {
      return (this.result = { ok: false, endpoint, problem: 'unreachable' });
    } finally {
      this.checking = false;
    }
  }

  /** What the last check found, in words. */
  get text(): { text: string; error: boolean } | null {
    const r = this.result;
    if (!r) return null;
    if (r.ok)
      return {
        text: r.models.length
          ? t('local.ok', { count: r.models.length, models: r.models.slice(0, 12).join(', ') })
          : t('local.okNoList'),
        error: false,
      };
    if (r.problem === 'not-local') return { text: t('openai.remote', { endpoint: r.endpoint }), error: true };
    if (r.problem === 'unreachable')
      return { text: t('local.unreachable', { endpoint: r.endpoint, origin: location.origin }), error: true };
    if (r.problem === 'status')
      return { text: t('local.status', { endpoint: r.endpoint, status: r.status ?? 0 }), error: true };
    return { text: t('local.notAddress', { address: r.endpoint }), error: true };
  }
}
