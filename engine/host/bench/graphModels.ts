/**
 * The bench's 2D rows (issue 13): the image templates a user opens from the gallery,
 * `assets/examples/digits-lenet.json` and `digits-resnet.json`, their block graphs compiled by
 * the engine's own compiler, so a row times exactly what a user's run of that template builds
 * (on synthetic 28×28 images: the digits data is not needed to time a step). The LeNet is
 * Conv2D 6 5×5 same → MaxPool → Conv2D 16 5×5 → MaxPool → Dense 120, 84 → 10; the residual CNN
 * puts Conv2D, BatchNorm on 4D tensors, Residual, a 1×1 NiN and GlobalAvgPool2D in one model.
 * torchScript.ts holds their PyTorch twins.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { compileGraph } from '../../compile/compile';
import { parseDocument } from '../../graph/load';
import type { DataFacts } from '../../graph/types';
import { inferGraph } from '../../graph/validate';
import { assetsDir } from '../fsPorts';

export type GraphModelName = 'digits-lenet' | 'digits-resnet';

/** Loads, validates and compiles the template `<name>.json` for `facts`; throws naming the file when it does not load or check. */
export function compileGraphModel(name: GraphModelName, facts: DataFacts, seed = 1337): tfl.LayersModel {
  const file = join(assetsDir(), 'examples', `${name}.json`);
  const parsed = parseDocument(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.error}`);
  const graph = parsed.doc.graph;
  const analysis = inferGraph(graph, facts);
  if (analysis.issues.length) throw new Error(`${file}: ${analysis.issues.map((i) => `${i.nodeId ?? ''} ${i.message}`).join('; ')}`);
  const compiled = compileGraph(graph, analysis, facts, { seed });
  if (!compiled.ok) throw new Error(`${file}: ${compiled.issues.map((i) => i.message).join('; ')}`);
  return compiled.model;
}
