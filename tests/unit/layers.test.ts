/**
 * The layer table of docs/architecture.md, enforced: every import under src/lib and
 * src/standalone (static, dynamic, re-exports and worker URLs) may only reach its own layer
 * or one the table lets it import, every source folder belongs to a layer, and no modules
 * import each other in a cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const src = join(root, 'src');

/** Rows of the table under "## Layers": `| \`name\` | may import | holds |`, lowest layer first. */
function layerTable(): Map<string, Set<string>> {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const section = doc.split(/^## Layers.*$/m)[1]?.split(/^## /m)[0] ?? '';
  const table = new Map<string, Set<string>>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z0-9-]+)\/?`$/.exec(cells[1] ?? '')?.[1];
    if (!name) continue;
    const allowed = (cells[2] ?? '').match(/`[a-z0-9-]+\/?`/g) ?? [];
    table.set(name, new Set(allowed.map((a) => a.replace(/[`/]/g, ''))));
  }
  return table;
}

/** The layer of a file under src: `lib/<layer>/…`, `standalone`, `components`, or `app` for src's own files. */
function layerOf(file: string): string | null {
  const rel = relative(src, file).split('/');
  if (rel[0] === 'lib') return rel.length > 2 ? (rel[1] ?? null) : null;
  if (rel.length === 1) return 'app';
  return rel[0] === 'assets' ? 'assets' : (rel[0] ?? null);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === '__snapshots__' ? [] : sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) && !/\.(test|spec)\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]|new URL\(\s*['"](\.[^'"]+)['"]\s*,\s*import\.meta\.url/g;

/** Relative imports of a file, resolved to files (query suffixes like `?url` dropped). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').replace(/\?.*$/, '');
    if (!spec.startsWith('.')) continue;
    const base = normalize(join(dirname(file), spec));
    const found = [base, `${base}.ts`, `${base}/index.ts`].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    out.push(found ?? base);
  }
  return out;
}

const files = sourceFiles(src);
const table = layerTable();

describe('layers', () => {
  it('has a table that names every layer', () => {
    expect([...table.keys()]).toEqual(
      expect.arrayContaining([
        'i18n',
        'domain',
        'words',
        'ml',
        'backends',
        'storage',
        'files',
        'jobs',
        'workers',
        'ui',
      ]),
    );
  });

  it('puts every source file in a layer of the table', () => {
    const homeless = files
      .filter((f) => layerOf(f) !== 'assets' && !table.has(layerOf(f) ?? ''))
      .map((f) => relative(root, f));
    expect(homeless).toEqual([]);
  });

  it('lets no import run up the table', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = layerOf(file) as string;
      for (const target of importsOf(file)) {
        if (!target.startsWith(src)) continue; // node_modules assets (wasm, models) are not layers
        const to = layerOf(target);
        if (to === from || to === 'assets') continue;
        if (!table.get(from)?.has(to ?? '')) wrong.push(`${relative(src, file)} → ${relative(src, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle', () => {
    const known = new Set(files);
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => known.has(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open')
          cycles.push(
            stack
              .slice(stack.indexOf(t))
              .concat(t)
              .map((p) => relative(src, p))
              .join(' → '),
          );
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
