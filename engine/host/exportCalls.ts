/**
 * The contract's exportRun, for every host's sessions: a finished run of the runs folder
 * exported as a PyTorch project, an ONNX model or tfjs files, to where the host decides (the
 * desktop's own save dialog; by default the run's folder, `exports/<format>/`). The run folder is
 * read here, in the host, without tfjs: an export only rearranges the saved weights.
 */
import { join } from 'node:path';
import type { EngineApi, EngineResult, ExportedRun, ExportRunRequest } from '../api';
import type { ExportFormat } from '../export';
import { exportRunFolder, runExportPath } from './exportWriter';
import { createFilePort } from './fsPorts';
import { errorFrom } from '../words';

/** What a host says about where an export goes. */
export interface ExportDestinationRequest {
  runId: string;
  runDir: string;
  format: ExportFormat;
  /** A name for the folder or file, e.g. `surname-cnn-pytorch` or `surname-cnn.onnx`. */
  suggestedName: string;
}

export interface ExportCallsOptions {
  runsDir: string;
  assetsDir: string;
  /**
   * Asks the user where the export goes (null: cancelled); the answer may replace what is there,
   * as the user's own dialog confirmed. Absent: `exports/<format>/` in the run folder, replaced.
   */
  destination?: (req: ExportDestinationRequest) => Promise<string | null>;
}

export function createExportCalls(opts: ExportCallsOptions): Pick<EngineApi, 'exportRun'> {
  const files = createFilePort({ assetsDir: opts.assetsDir });
  return {
    async exportRun(req: ExportRunRequest): Promise<EngineResult<ExportedRun | null>> {
      const runDir = join(opts.runsDir, req.runId);
      const suggestedName = req.format === 'onnx' ? `${req.runId}.onnx` : `${req.runId}-${req.format}`;
      const out = opts.destination
        ? await opts.destination({ runId: req.runId, runDir, format: req.format, suggestedName })
        : runExportPath(runDir, req.format);
      if (out === null) return { ok: true, value: null };
      const written = await exportRunFolder({ runDir, format: req.format, out, force: true, files });
      if (!written.ok) return { ok: false, error: errorFrom('export-error', written) };
      return { ok: true, value: { format: req.format, path: written.path } };
    },
  };
}
