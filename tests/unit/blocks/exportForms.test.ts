/**
 * Each block's PyTorch form, as model.py will say it: a snapshot of the module, the forward
 * expression, the weights it takes from tfjs (and how they are rearranged), the mask and the L2
 * term, for the settings the export cases use (up to six a block). The numbers behind
 * them are checked in tests/unit/export/blockParity.test.ts; a change here is a change in every
 * exported model.py, so look at it.
 */
import { describe, expect, it } from 'vitest';
import type { BlockDef } from '../../../engine/blocks/defineBlock';
import type { ExportInput } from '../../../engine/blocks/exportForms';
import { BLOCKS } from '../../../engine/blocks/registry';
import { exportNodes, type ExportNode } from '../../../engine/export/plan';
import { inferGraph } from '../../../engine/graph/validate';
import { EXPORT_CASES } from '../export/cases';

/** One setting of a block, as a graph of the export cases uses it, and its form as text. */
function describeForm(node: ExportNode, inputs: readonly ExportInput[], result: ReturnType<BlockDef['toPyTorch']>): string {
  const head = `${JSON.stringify(node.params)} on ${inputs.map((x) => `${JSON.stringify(x.type.shape)}${x.mask ? ' (masked)' : ''}`).join(' + ')}`;
  if (!result.ok) return `${head}\n  refused: ${result.reason}`;
  const f = result.form;
  const weights = (f.weights ?? []).map(
    (w) => `${w.key} <- ${w.from}${w.reshape ? ` reshaped ${JSON.stringify(w.reshape)}` : ''}${w.perm ? ` permuted ${JSON.stringify(w.perm)}` : ''}`,
  );
  return [
    head,
    ...(f.module ? [`  module:  ${f.module}`] : []),
    `  forward: ${f.forward}`,
    ...(f.mask ? [`  mask:    ${f.mask}`] : []),
    ...(f.probabilities ? [`  probabilities: ${f.probabilities('logits')}`] : []),
    ...(weights.length ? [`  weights: ${weights.join('; ')}`] : []),
    ...(f.penalty ? [`  penalty: ${f.penalty}`] : []),
    ...(f.uses ? [`  uses:    ${f.uses.join(', ')}`] : []),
  ].join('\n');
}

/** Every block's forms over the export cases' graphs: up to six distinct settings a block. */
function formsByBlock(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of EXPORT_CASES) {
    const masks = new Map<string, string | null>();
    for (const node of exportNodes(c.graph, inferGraph(c.graph, c.facts))) {
      const inputs: ExportInput[] =
        node.block.role === 'input'
          ? [{ name: 'x', type: node.type, mask: null }]
          : node.inputs.map((id, i) => ({ name: id, type: node.inputTypes[i]!, mask: masks.get(id) ?? null }));
      const result = node.block.toPyTorch(node.params, { nodeId: node.id, self: `self.${node.id}`, inputs, out: node.type, data: c.facts });
      masks.set(node.id, result.ok && result.form.mask ? `${node.id}_mask` : node.type.masked ? (inputs.find((x) => x.mask)?.mask ?? null) : null);
      const text = describeForm(node, inputs, result);
      const list = out.get(node.block.type) ?? [];
      if (list.length < 6 && !list.includes(text)) list.push(text);
      out.set(node.block.type, list);
    }
  }
  return out;
}

const forms = formsByBlock();

describe('the PyTorch form of every block', () => {
  it('every block of the registry appears in the export cases', () => {
    expect((BLOCKS as readonly BlockDef[]).map((b) => b.type).filter((type) => !forms.has(type))).toEqual([]);
  });

  it.each((BLOCKS as readonly BlockDef[]).map((b) => b.type))('%s', (type) => {
    expect(forms.get(type)!.join('\n\n')).toMatchSnapshot();
  });
});
