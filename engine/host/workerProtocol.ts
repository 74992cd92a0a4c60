/**
 * Messages between the run manager (host) and a training worker (child process). Plain JSON,
 * so they pass over Node's IPC and Electron's utilityProcess port alike.
 */
import { z } from 'zod';
import type { BackendInfo, TrainEvent } from '../api';

export const ToWorkerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('train'),
    runId: z.string(),
    runDir: z.string(),
    documentText: z.string(),
    epochs: z.number().int().min(1).optional(),
    /** Relative data paths in the document are read from here (the document's folder). */
    baseDir: z.string().optional(),
    /**
     * The document-named files (data, pretrained vectors) the user accepted, absolute or
     * relative to baseDir. Absent or empty: the worker reads none (the built-in data needs none).
     */
    allowFiles: z.array(z.string()).optional(),
    /** How the user accepts files on this host, for the refusal's message. */
    consentHint: z.string().optional(),
    /** Least ms between two `batch` events. */
    batchEventIntervalMs: z.number().min(0).optional(),
  }),
  /** Finish the current batch, save, send `done` with reason "stopped", exit. */
  z.object({ kind: z.literal('stop') }),
  /** Initialise the backend, answer with `backend`, exit. */
  z.object({ kind: z.literal('probe') }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export type FromWorker = { kind: 'event'; event: TrainEvent } | { kind: 'backend'; info: BackendInfo } | { kind: 'fatal'; message: string };
