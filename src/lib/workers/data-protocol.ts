/**
 * @file Messages between the page and the data worker (file import, export, bundles, cached
 * models and model packs).
 */
import type { CachedModel } from '../backends/model-cache';
import type { ConsistencyReport } from '../storage/consistency';
import type { LlmRecord } from '../domain/llm-catalog';
import type { ColumnMapping } from '../domain/import-rows';
import type { Task } from '../domain/task';
import type { ClassifierListing } from '../domain/records';
import type { ImportPreview, ImportResult, Progress, ScanResult } from '../jobs/import-job';
import type { BundleMode } from '../files/bundle';
import type { StandalonePage } from '../files/standalone';
import type { PackImport, PackProgress } from '../files/model-packs';

export type ExportFormat = 'csv' | 'jsonl' | 'huggingface';

export type DataRequests = {
  preview: { req: { file: Blob; name: string; task: Pick<Task, 'languages'> }; res: ImportPreview; progress: never };
  scan: {
    req: { file: Blob; name: string; mapping: ColumnMapping; task: Pick<Task, 'labels' | 'languages'> };
    res: ScanResult;
    progress: Progress;
  };
  import: {
    req: { file: Blob; name: string; mapping: ColumnMapping; taskId: string };
    res: ImportResult;
    progress: Progress;
  };
  exportDataset: {
    /** raw: CSV cells exactly as stored, without the spreadsheet formula guard. */
    req: { taskId: string; format: ExportFormat; raw?: boolean };
    res: { bytes: Uint8Array; fileName: string; mime: string; count: number };
    progress: never;
  };
  exportBundle: { req: { taskIds: string[] | null }; res: { bytes: Uint8Array; fileName: string }; progress: never };
  /**
   * Checks a bundle and returns what it holds, writing nothing. The worker keeps what it read
   * under `token`, so importing it next does not unpack it again.
   */
  readBundle: {
    req: { file: Blob };
    res: {
      tasks: { id: string; name: string }[];
      samples: number;
      classifiers: number;
      evalRuns: number;
      token: string;
    };
    progress: never;
  };
  /** Imports a bundle: the one `readBundle` kept under `token`, else `file`, read again. */
  importBundle: {
    req: { file: Blob; mode: BundleMode; token?: string };
    res: { tasks: number; samples: number };
    progress: never;
  };
  /** The models in the libraries' caches; `folder`: the model folder's address, if set. */
  listModels: { req: { folder: string | null }; res: CachedModel[]; progress: never };
  deleteModel: { req: { model: CachedModel }; res: null; progress: never };
  /**
   * Writes a model pack into `file` (a file the user picked to save to) when given, else
   * returns it as a Blob.
   */
  exportModelPack: {
    req: { model: CachedModel; folder: string | null; file: FileSystemFileHandle | null };
    res: { blob: Blob | null };
    progress: PackProgress;
  };
  /**
   * The standalone classifier page of a classifier, as a zip of one folder (with the encoder's
   * files from the cache for a head on an embedding model).
   */
  exportStandalone: {
    req: { classifierId: string; folder: string | null; page: StandalonePage };
    res: { blob: Blob; fileName: string };
    progress: PackProgress;
  };
  /** WebLLM's model list (the library is loaded here, never on the page). */
  webllmModels: { req: null; res: LlmRecord[]; progress: never };
  /** Whether a WebLLM model is in the browser's cache, for the current model source. */
  webllmCached: { req: { modelId: string; folder: string | null }; res: boolean; progress: never };
  webllmDelete: { req: { modelId: string; folder: string | null }; res: null; progress: never };
  /** Reads every store for inconsistencies; `repair` fixes the safe ones first. */
  /** A task's classifiers, newest first, without their weights (read here, off the page). */
  classifierListings: { req: { taskId: string }; res: ClassifierListing[]; progress: never };
  checkDatabase: { req: { repair: boolean }; res: ConsistencyReport; progress: never };
  /** A model pack (zip) or a model folder's files, with their paths inside the folder. */
  importModelFiles: {
    req: { files: { path: string; file: Blob }[]; folder: string | null };
    res: PackImport;
    progress: PackProgress;
  };
};
