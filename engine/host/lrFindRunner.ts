/**
 * One learning-rate finder in its own worker process, as the host follows it: the points as they
 * come, the analysed result at the end, a stop that asks the worker first (it analyses what it
 * has) and kills it after a grace period. A worker that dies becomes a failed snapshot.
 */
import type { Document } from '../graph/document';
import type { LrFindSnapshot } from '../tune/types';
import { english, saidAs, type Words } from '../words';
import { crashWords, type Spawner } from './runManager';

export interface LrFindRequest {
  findId: string;
  doc: Document;
  baseDir: string;
  /** The absolute paths the host granted; the worker reads no others. */
  grantedFiles: string[];
  minLr?: number;
  maxLr?: number;
  steps?: number;
}

export interface LrFindJob {
  readonly findId: string;
  snapshot(): LrFindSnapshot;
  /** Asks the finder to stop; resolves when its process has ended. */
  stop(): Promise<LrFindSnapshot>;
  readonly done: Promise<LrFindSnapshot>;
}

export function startLrFind(spawn: Spawner, req: LrFindRequest, onUpdate: (s: LrFindSnapshot) => void, stopGraceMs = 5_000): LrFindJob {
  const snap: LrFindSnapshot = {
    findId: req.findId,
    documentName: req.doc.name,
    state: 'running',
    ...saidAs({ key: 'progress.startingFinder' }),
    points: [],
    result: null,
    steps: req.steps ?? 200,
    minLr: req.minLr ?? 1e-7,
    maxLr: req.maxLr ?? 10,
  };
  const copy = (): LrFindSnapshot => ({ ...snap, points: [...snap.points] });
  /** Sets the message, and its words when it has some (a message without them drops the last one's). */
  const say = (message: string | null, words?: Words): void => {
    snap.message = message;
    if (words) snap.words = words;
    else delete snap.words;
  };
  let stopping = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  let resolveDone!: (s: LrFindSnapshot) => void;
  const done = new Promise<LrFindSnapshot>((resolve) => (resolveDone = resolve));
  const handle = spawn();
  handle.onMessage((m) => {
    if (snap.state !== 'running') return;
    if (m.kind === 'lr-progress') {
      snap.points.push(...m.points);
      if (m.message) say(m.message, m.words);
    } else if (m.kind === 'lr-found') {
      if (m.outcome.ok) {
        snap.result = m.outcome.result;
        snap.state = m.outcome.result.stoppedBy === 'stopped' ? 'stopped' : 'done';
        say(null);
      } else {
        snap.state = 'failed';
        say(m.outcome.message, m.outcome.words);
        if (m.outcome.issues) snap.issues = m.outcome.issues;
      }
    } else if (m.kind === 'event' && m.event.type === 'error') {
      snap.state = 'failed';
      say(m.event.message, m.event.words);
    } else return;
    onUpdate(copy());
  });
  handle.onExit((code, signal) => {
    if (killTimer) clearTimeout(killTimer);
    if (snap.state === 'running') {
      snap.state = stopping ? 'stopped' : 'failed';
      const words: Words = stopping ? { key: 'progress.stopped' } : crashWords(code, signal, handle.output?.(), undefined, 'lrFinder');
      say(english(words), words);
      onUpdate(copy());
    }
    resolveDone(copy());
  });
  handle.send({
    kind: 'lr-find',
    document: req.doc,
    baseDir: req.baseDir,
    grantedFiles: req.grantedFiles,
    ...(req.minLr !== undefined ? { minLr: req.minLr } : {}),
    ...(req.maxLr !== undefined ? { maxLr: req.maxLr } : {}),
    ...(req.steps !== undefined ? { steps: req.steps } : {}),
  });
  return {
    findId: req.findId,
    snapshot: copy,
    async stop() {
      if (!stopping) {
        stopping = true;
        try {
          handle.send({ kind: 'stop' });
        } catch {
          // The channel is closed already: the kill below ends it.
        }
        killTimer = setTimeout(() => handle.kill(), stopGraceMs);
      }
      return done;
    },
    done,
  };
}
