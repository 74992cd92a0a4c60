/**
 * The contract's calls about sweeps and the learning-rate finder, for one client: each parses
 * the document it is given once and hands it to the host's TuneRunner with the client's grants.
 */
import type { EngineApi, EngineResult } from '../api';
import type { Document } from '../graph/document';
import type { FileGrants } from './consent';
import type { TuneRunner } from './tuneRunner';

export type TuneCalls = Pick<EngineApi, 'startSweep' | 'stopSweep' | 'startLrFind' | 'stopLrFind' | 'tuneJobs' | 'onTuneEvent'>;

export interface TuneCallsDeps {
  tune: TuneRunner;
  grants: Pick<FileGrants, 'has' | 'list'>;
  /** The folder relative paths resolve against, from the request's `documentPath`. */
  baseDirOf(access: { documentPath?: string | undefined }): string;
  parse(text: string): EngineResult<Document>;
  /** How the user grants files on this host, for refusals. */
  consentHint: string;
}

export function createTuneCalls(deps: TuneCallsDeps): TuneCalls {
  const { tune, grants, consentHint } = deps;
  return {
    async startSweep(req) {
      const doc = deps.parse(req.documentText);
      if (!doc.ok) return doc;
      const { trials, seed, epochs, parallel } = req;
      const started = tune.startSweep({ doc: doc.value, baseDir: deps.baseDirOf(req), grants, consentHint, trials, seed, epochs, parallel });
      return started.ok ? { ok: true, value: { sweepId: started.value.sweepId } } : started;
    },
    stopSweep: (sweepId) => tune.stopSweep(sweepId),
    async startLrFind(req) {
      const doc = deps.parse(req.documentText);
      if (!doc.ok) return doc;
      const { steps, minLr, maxLr } = req;
      const started = tune.startLrFind({ doc: doc.value, baseDir: deps.baseDirOf(req), grants, consentHint, steps, minLr, maxLr });
      return started.ok ? { ok: true, value: { findId: started.value.findId } } : started;
    },
    stopLrFind: (findId) => tune.stopLrFind(findId),
    tuneJobs: async () => tune.jobs(),
    onTuneEvent: (listener) => tune.onEvent(listener),
  };
}
