/**
 * @file `npm run workshop`: serves the built app and a model folder to a room over HTTPS, so
 * every participant's page is a secure context (WebGPU, multi-threaded wasm, the service worker,
 * persistent storage). It builds the app when the build is missing or older than its sources,
 * creates a small certificate authority once (kept in `.workshop/`, installable on participants'
 * machines for a room without warnings) and a server certificate for this laptop's names and
 * addresses, and serves through `vite preview`: the same headers (COOP/COEP, the
 * Content-Security-Policy), the same model folder (404 for missing files, `models/index.json`).
 * A second, plain-http port serves the same app, which explains the certificate warning and
 * links to the https address (a first page a participant can reach without any warning).
 *
 *   npm run workshop [-- --port 8443] [--http-port 8080|off] [--host ADDRESS] [--models DIR]
 *                       [--certs DIR] [--name HOSTNAME]… [--build|--no-build]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from 'selfsigned';
import { renderUnicodeCompact } from 'uqr';
import { build, preview, type Plugin, type PreviewServer } from 'vite';
import { listModelFolder } from '../tools/model-index.ts';
// What the app reads at `/workshop.json`, and checks with the same type.
import type { WorkshopInfo } from '../src/lib/domain/server-offer';

const ROOT = resolve(import.meta.dirname, '..');
const HELP = `polyclass workshop server: the app and its models for a room, over HTTPS.

  npm run workshop -- [options]

  --port N           HTTPS port (default 8443; 0 picks a free one)
  --http-port N|off  plain-http port that explains the certificate warning (default 8080)
  --host ADDRESS     address to listen on (default: every address of this laptop)
  --models DIR       model folder to serve as /models/ (default: models/)
  --certs DIR        where the certificates are kept (default: .workshop/)
  --name HOSTNAME    another name participants use for this laptop (repeatable)
  --build            build the app even if the build looks current
  --no-build         serve dist/ as it is
  --no-qr            print no QR code
`;

const CA_FILE = 'workshop-ca.crt';

/** Serves `/workshop.json` and the CA certificate (before vite preview's single-page fallback). */
function workshopPlugin(info: WorkshopInfo, caCert: string): Plugin {
  return {
    name: 'polyclass-workshop',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        if (path === '/workshop.json') {
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.setHeader('Cache-Control', 'no-store');
          res.end(JSON.stringify(info));
        } else if (path === `/${CA_FILE}`) {
          res.setHeader('Content-Type', 'application/x-x509-ca-cert');
          res.setHeader('Content-Disposition', `attachment; filename="${CA_FILE}"`);
          res.end(caCert);
        } else next();
      });
    },
  };
}

/** Whether `dist/` is missing or older than any source it is built from. */
function buildIsStale(): boolean {
  const built = join(ROOT, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const newer = (path: string): boolean => {
    if (!existsSync(path)) return false;
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return ['src', 'public', 'tools', 'index.html', 'vite.config.ts', 'package-lock.json'].some((p) =>
    newer(join(ROOT, p)),
  );
}

/** This laptop's IPv4 addresses on its networks (not loopback). */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

const isIp = (name: string): boolean => /^[\d.]+$/.test(name) || name.includes(':');

interface Pem {
  key: string;
  cert: string;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * The workshop CA (made once, kept) and a server certificate it signs for `names`, made again
 * when a name is new (another network, another address) or it expires within a week. Browsers
 * accept server certificates of at most 398 days.
 */
async function certificates(dir: string, names: string[]): Promise<{ ca: Pem; server: Pem; made: string[] }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const made: string[] = [];
  const read = (name: string): Pem | null =>
    existsSync(join(dir, `${name}.key`)) && existsSync(join(dir, `${name}.crt`))
      ? { key: readFileSync(join(dir, `${name}.key`), 'utf8'), cert: readFileSync(join(dir, `${name}.crt`), 'utf8') }
      : null;
  const write = (name: string, pem: Pem) => {
    writeFileSync(join(dir, `${name}.key`), pem.key, { mode: 0o600 });
    writeFileSync(join(dir, `${name}.crt`), pem.cert);
    made.push(join(dir, `${name}.crt`));
  };
  const now = new Date();
  let ca = read('ca');
  if (!ca) {
    const generated = await generate([{ name: 'commonName', value: `polyclass workshop CA (${hostname()})` }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - DAY),
      notAfterDate: new Date(now.getTime() + 5 * 365 * DAY),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    ca = { key: generated.private, cert: generated.cert };
    write('ca', ca);
  }
  const metaPath = join(dir, 'server.json');
  const meta = existsSync(metaPath)
    ? (JSON.parse(readFileSync(metaPath, 'utf8')) as { names: string[]; notAfter: number })
    : null;
  let server = read('server');
  const current =
    server && meta && names.every((n) => meta.names.includes(n)) && meta.notAfter - now.getTime() > 7 * DAY;
  if (!server || !current) {
    const notAfter = new Date(now.getTime() + 397 * DAY);
    const generated = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() - DAY),
      notAfterDate: notAfter,
      ca,
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: names.map((n) => (isIp(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n })),
        },
      ],
    });
    server = { key: generated.private, cert: generated.cert };
    write('server', server);
    writeFileSync(metaPath, JSON.stringify({ names, notAfter: notAfter.getTime() }, null, 2));
  }
  return { ca, server, made };
}

const portOf = (server: PreviewServer): number => {
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP port');
  return address.port;
};

/** A listening error in words, with the fix. */
function listenError(error: unknown, port: number, flag: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new Error(`Port ${port} is in use by another program: choose another with ${flag} N.`);
  if (code === 'EACCES')
    return new Error(`This user may not listen on port ${port}: choose one above 1024 with ${flag} N.`);
  if (code === 'EADDRNOTAVAIL') return new Error(`This laptop has no address ${port}: check --host.`);
  return error as Error;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8443' },
      'http-port': { type: 'string', default: '8080' },
      host: { type: 'string' },
      models: { type: 'string', default: 'models' },
      certs: { type: 'string', default: '.workshop' },
      name: { type: 'string', multiple: true, default: [] },
      build: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      'no-qr': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  const httpPort = values['http-port'] === 'off' ? null : Number(values['http-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, not “${values.port}”.`);
  if (httpPort !== null && (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535))
    throw new Error(`--http-port must be a port number or “off”, not “${values['http-port']}”.`);

  if (values.build || (!values['no-build'] && buildIsStale())) {
    process.stderr.write('Building the app…\n');
    await build({ root: ROOT, configFile: join(ROOT, 'vite.config.ts'), logLevel: 'error' });
  } else if (!existsSync(join(ROOT, 'dist', 'index.html'))) {
    throw new Error('There is no build in dist/: run without --no-build.');
  }

  const modelsDir = resolve(values.models);
  process.env.POLYCLASS_MODELS_DIR = modelsDir;
  const host = values.host;
  const lan = host && host !== '0.0.0.0' && host !== '::' ? [host] : lanAddresses();
  const names = [
    ...new Set([...values.name, ...lan, hostname(), `${hostname()}.local`, 'localhost', '127.0.0.1', '::1']),
  ];
  const certsDir = resolve(values.certs);
  const { ca, server: serverPem, made } = await certificates(certsDir, names);

  const info: WorkshopInfo = { version: 1, httpsPort: port, httpPort, caFile: CA_FILE };
  // Vite refuses host names it does not know (DNS rebinding), on plain http only: allow the
  // names this laptop answers to. Addresses are always allowed.
  const listen = { host: host ?? true, strictPort: true, allowedHosts: names.filter((n) => !isIp(n)) };
  let secure: PreviewServer;
  try {
    secure = await preview({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      preview: { ...listen, port, https: serverPem, open: false },
      plugins: [workshopPlugin(info, ca.cert)],
    });
  } catch (error) {
    throw listenError(error, port, '--port');
  }
  info.httpsPort = portOf(secure);
  let plain: PreviewServer | null = null;
  if (httpPort !== null) {
    try {
      plain = await preview({
        root: ROOT,
        configFile: join(ROOT, 'vite.config.ts'),
        logLevel: 'warn',
        preview: { ...listen, port: httpPort, open: false },
        plugins: [workshopPlugin(info, ca.cert)],
      });
    } catch (error) {
      await secure.close();
      throw listenError(error, httpPort, '--http-port');
    }
    info.httpPort = portOf(plain);
  }

  const shown = lan.length > 0 ? lan : ['localhost'];
  const httpsUrls = [...shown, ...values.name.filter((n) => !shown.includes(n)), `${hostname()}.local`].map(
    (h) => `https://${h.includes(':') ? `[${h}]` : h}:${info.httpsPort}/`,
  );
  const first = shown[0] ?? 'localhost';
  const welcome =
    info.httpPort !== null
      ? `http://${first}:${info.httpPort}/#/welcome`
      : `https://${first}:${info.httpsPort}/#/welcome`;
  const index = listModelFolder(modelsDir);
  const out: string[] = [
    '',
    'polyclass workshop server',
    '',
    'Participants open (HTTPS: the GPU, threads and offline use work):',
  ];
  out.push(...httpsUrls.map((u) => `  ${u}`));
  if (info.httpPort !== null)
    out.push(
      '',
      'A first page without any certificate warning, which explains the warning and links on:',
      `  ${welcome}`,
    );
  if (!values['no-qr']) out.push('', renderUnicodeCompact(welcome, { border: 1 }));
  out.push(
    '',
    existsSync(modelsDir)
      ? `Models from ${modelsDir}: ${index.models.length === 0 ? 'none found' : index.models.map((m) => m.id).join(', ')}${
          index.recordings.length > 0 ? `; ${index.recordings.length} recording(s)` : ''
        }. Participants' apps use this folder with no settings changed.`
      : `No model folder at ${modelsDir}: participants download models from the internet, if the room has it.`,
    `Certificate authority: ${join(certsDir, 'ca.crt')}${made.some((m) => m.endsWith('ca.crt')) ? ' (new)' : ''}.`,
    `  Install it as trusted on participants' machines for a room without warnings (they can also download it from ${CA_FILE}); keep ca.key private.`,
    '',
    'Press Ctrl+C to stop.',
    '',
  );
  process.stdout.write(out.join('\n'));

  const stop = async () => {
    await Promise.all([secure.close(), plain?.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`workshop: ${(error as Error).message}\n`);
  process.exit(1);
});
