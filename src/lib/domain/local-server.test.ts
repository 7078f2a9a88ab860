import { describe, expect, it } from 'vitest';
import { endpointProblem, normalizeEndpoint } from './local-server';

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
});
