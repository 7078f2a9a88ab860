import { describe, expect, it } from 'vitest';
import { endpointProblem, normalizeEndpoint, serverOf, serverOrigin, workerUrlFor } from './local-server';

describe('local server addresses', () => {
  it('accepts this computer’s addresses only', () => {
    for (const ok of [
      'http://localhost:11434/v1',
      'http://127.0.0.1:8080/v1',
      'https://localhost/v1',
      'http://ollama.localhost:11434/v1',
    ])
      expect(endpointProblem(ok)).toBeNull();
    expect(endpointProblem('https://api.openai.com/v1')).toBe('not-local');
    expect(endpointProblem('http://192.168.1.20:11434/v1')).toBe('not-local');
    // A name that only starts like a loopback one.
    expect(endpointProblem('http://localhost.evil.example/v1')).toBe('not-local');
    expect(endpointProblem('http://127.0.0.1.evil.example/v1')).toBe('not-local');
    // Loopback addresses the Content-Security-Policy does not name.
    expect(endpointProblem('http://127.0.0.2:8080/v1')).toBe('not-local');
    expect(endpointProblem('http://[::1]:8080/v1')).toBe('not-local');
    expect(endpointProblem('ftp://localhost/v1')).toBe('not-http');
    expect(endpointProblem('localhost:11434')).toBe('not-http');
    expect(endpointProblem('not an address')).toBe('not-an-address');
  });

  it('trims spaces and trailing slashes', () => {
    expect(normalizeEndpoint(' http://localhost:11434/v1/ ')).toBe('http://localhost:11434/v1');
  });

  it('names a server on this computer by its origin, and nothing else', () => {
    expect(serverOrigin(' http://localhost:11434/v1/ ')).toBe('http://localhost:11434');
    expect(serverOrigin('https://127.0.0.1/v1')).toBe('https://127.0.0.1');
    expect(serverOrigin('https://api.openai.com/v1')).toBeNull();
    expect(serverOf({ kind: 'openai', endpoint: 'http://127.0.0.1:8080/v1', model: 'm' })).toBe(
      'http://127.0.0.1:8080',
    );
    expect(serverOf({ kind: 'webllm', modelId: 'x' })).toBeNull();
    expect(serverOf(null)).toBeNull();
  });

  it('puts the server in a worker script’s address, after any query it has', () => {
    expect(workerUrlFor('/assets/g.worker-1.js', null)).toBe('/assets/g.worker-1.js');
    expect(workerUrlFor('/assets/g.worker-1.js', 'http://localhost:11434')).toBe(
      '/assets/g.worker-1.js?server=http%3A%2F%2Flocalhost%3A11434',
    );
    expect(workerUrlFor('/src/g.worker.ts?worker_file&type=module', 'http://127.0.0.1:9')).toBe(
      '/src/g.worker.ts?worker_file&type=module&server=http%3A%2F%2F127.0.0.1%3A9',
    );
  });
});
