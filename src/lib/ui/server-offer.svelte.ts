/**
 * @file What the server that sent this page offers (domain/server-offer.ts), read once at start:
 * its model folder's listing, which the "automatic" model source uses, and a workshop server's
 * description, which the welcome page and the insecure-page banner use.
 */
import {
  folderHasModels,
  parseModelIndex,
  parseWorkshopInfo,
  secureAddress,
  serverFile,
  type ModelIndex,
  type WorkshopInfo,
} from '../domain/server-offer';

/** Where the last listing found is kept, for visits when the server cannot be reached (offline). */
const REMEMBERED_KEY = 'polyclass-server-models';

type Fetched = { kind: 'ok'; data: unknown } | { kind: 'absent' } | { kind: 'unreachable' };

/** A same-origin JSON file: there, not there (404, or a server's HTML fallback), or no answer at all. */
async function fetchJson(url: string): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store' });
  } catch {
    return { kind: 'unreachable' };
  }
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return { kind: 'absent' };
  try {
    return { kind: 'ok', data: await response.json() };
  } catch {
    return { kind: 'absent' };
  }
}

function remembered(): ModelIndex | null {
  try {
    return parseModelIndex(JSON.parse(localStorage.getItem(REMEMBERED_KEY) ?? 'null'));
  } catch {
    return null;
  }
}

function remember(index: ModelIndex | null): void {
  try {
    if (index) localStorage.setItem(REMEMBERED_KEY, JSON.stringify(index));
    else localStorage.removeItem(REMEMBERED_KEY);
  } catch {
    // Storage refused (private mode, full): the folder is found again next visit.
  }
}

export class ServerOfferState {
  /** `checking` until both files have answered. */
  status = $state<'checking' | 'checked'>('checking');
  /** The model folder's listing when it lists something; null otherwise. */
  folder = $state<ModelIndex | null>(null);
  /** The listing came from an earlier visit: the server did not answer now (offline). */
  folderRemembered = $state(false);
  /** The workshop server's description, when `npm run workshop` sent the page. */
  workshop = $state<WorkshopInfo | null>(null);
  /** The page may use WebGPU, threads, the service worker and persistent storage. */
  readonly secureContext: boolean = globalThis.isSecureContext ?? true;
  /** The page may use several threads (SharedArrayBuffer). */
  readonly crossOriginIsolated: boolean = globalThis.crossOriginIsolated ?? false;
  /** Resolves when both files have answered. */
  readonly ready: Promise<void>;

  constructor(base: string = document.baseURI) {
    this.ready = this.#check(base);
  }

  async #check(base: string): Promise<void> {
    const [folder, workshop] = await Promise.all([
      fetchJson(serverFile('models/index.json', base)),
      fetchJson(serverFile('workshop.json', base)),
    ]);
    if (folder.kind === 'ok') {
      const index = parseModelIndex(folder.data);
      this.folder = folderHasModels(index) ? index : null;
      remember(this.folder);
    } else if (folder.kind === 'unreachable') {
      this.folder = remembered();
      this.folderRemembered = this.folder !== null;
    } else remember(null);
    if (workshop.kind === 'ok') this.workshop = parseWorkshopInfo(workshop.data);
    this.status = 'checked';
  }

  /** The workshop's HTTPS address of this page, for a page opened over plain http; null otherwise. */
  get secureUrl(): string | null {
    return this.workshop && location.protocol === 'http:' ? secureAddress(location.href, this.workshop) : null;
  }

  /** The workshop's certificate authority, for installing as trusted; null without a workshop server. */
  get caUrl(): string | null {
    return this.workshop ? serverFile(this.workshop.caFile, document.baseURI) : null;
  }
}

const WELCOMED_KEY = 'polyclass-welcomed';

/** Whether this browser has seen the workshop's welcome page. */
export function welcomed(): boolean {
  try {
    return localStorage.getItem(WELCOMED_KEY) === '1';
  } catch {
    return true;
  }
}

/** Notes that the welcome page was shown, so a later visit opens where the user works. */
export function markWelcomed(): void {
  try {
    localStorage.setItem(WELCOMED_KEY, '1');
  } catch {
    // Storage refused: the welcome page opens again next visit, which does no harm.
  }
}
