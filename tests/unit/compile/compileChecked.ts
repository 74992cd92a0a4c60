/**
 * Tests compile documents whose graphs they know to be valid: analyse, insist on no issues (a
 * failing test names them), compile, insist on a model. The engine's own callers check each
 * step instead (engine/train/run.ts).
 */
import { compileGraph, type CompileOptions, type CompiledGraph } from '../../../engine/compile/compile';
import type { Document } from '../../../engine/graph/document';
import type { DataFacts } from '../../../engine/graph/types';
import { inferGraph } from '../../../engine/graph/validate';

export function compileChecked(doc: Pick<Document, 'graph'>, facts: DataFacts, opts: CompileOptions): CompiledGraph {
  const analysis = inferGraph(doc.graph, facts);
  if (analysis.issues.length) throw new Error(`The graph is not valid: ${analysis.issues.map((i) => `${i.nodeId ?? ''} ${i.message}`).join('; ')}`);
  const compiled = compileGraph(doc.graph, analysis, facts, opts);
  if (!compiled.ok) throw new Error(`The graph did not compile: ${compiled.issues.map((i) => i.message).join('; ')}`);
  return compiled;
}
