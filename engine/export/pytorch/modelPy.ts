/**
 * model.py of the PyTorch project: one nn.Module whose attributes and forward variables are
 * named after the graph's node ids, one line of forward code per node with its block, params
 * and output shape above it, asked of each block (`toPyTorch`). Tensors stay channels-last, as
 * in the app, so Flatten and Reshape lay values out as tfjs does; the blocks that wrap a
 * channels-first PyTorch layer transpose around it. Also the state dict the trained weights
 * become, each tfjs weight rearranged as its block says.
 */
import type { ExportInput, PyTorchForm } from '../../blocks/exportForms';
import { transformWeight } from '../../blocks/exportHelpers';
import { isImagePreprocessing } from '../../data/preprocessing';
import type { NodeId } from '../../graph/document';
import { describeNode, showBatchShape } from '../plan';
import type { ExportSource } from '../source';

/** One tensor of the state dict, in PyTorch's layout. */
export interface StateTensor {
  name: string;
  shape: readonly number[];
  values: Float32Array;
}

export interface PyTorchModel {
  /** The text of model.py. */
  modelPy: string;
  state: StateTensor[];
  /** The forward argument: the Input node's name. */
  inputName: string;
  /** Whether forward(x, logits=True) gives logits (the Output block says how to get probabilities). */
  logits: boolean;
}

export type PyTorchModelResult = { ok: true; model: PyTorchModel } | { ok: false; message: string };

const PY_KEYWORDS = [
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'match',
  'case',
  'type',
];
/** Names the generated code uses itself, and nn.Module's own attributes (an attribute must not hide them). */
const TAKEN = [
  'self',
  'torch',
  'nn',
  'F',
  'logits',
  'super',
  'HERE',
  'Model',
  'load_model',
  'load_weights',
  'BatchNorm',
  'Pool',
  'GRU',
  'LSTM',
  'SimpleRNN',
  'penalty',
  'INPUT',
  'LOSS',
  'CLASSES',
  'training',
  'forward',
  'train',
  'eval',
  'parameters',
  'named_parameters',
  'buffers',
  'named_buffers',
  'children',
  'named_children',
  'modules',
  'named_modules',
  'state_dict',
  'load_state_dict',
  'to',
  'to_empty',
  'cuda',
  'cpu',
  'xpu',
  'ipu',
  'float',
  'double',
  'half',
  'bfloat16',
  'apply',
  'zero_grad',
  'register_buffer',
  'register_parameter',
  'register_module',
  'add_module',
  'get_submodule',
  'get_parameter',
  'get_buffer',
  'requires_grad_',
  'share_memory',
  'extra_repr',
  'register_forward_hook',
  'register_forward_pre_hook',
  'register_backward_hook',
  'register_full_backward_hook',
  'register_full_backward_pre_hook',
  'dump_patches',
  'call_super_init',
  'compile',
];
const RESERVED = new Set([...PY_KEYWORDS, ...TAKEN]);

/** A Python identifier for a node id: its letters, digits and underscores, unique and clear of Python's and nn.Module's names. */
export function pythonName(id: string, used: Set<string>): string {
  let base = id.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 80);
  if (base === '' || /^[0-9_]/.test(base)) base = `n${base}`;
  if (RESERVED.has(base)) base = `${base}_`;
  let name = base;
  for (let i = 2; used.has(name) || RESERVED.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

const INDENT = '        ';

/** model.py for `source`, or the first block whose PyTorch form refuses, named. */
export function pytorchModel(source: ExportSource): PyTorchModelResult {
  const used = new Set<string>();
  const names = new Map<NodeId, string>();
  for (const node of source.nodes) names.set(node.id, pythonName(node.id, used));
  const masks = new Map<NodeId, string | null>();
  const init: string[] = [];
  const forward: string[] = [];
  const penalties: string[] = [];
  const uses = new Set<string>();
  const state: StateTensor[] = [];
  let inputName = '';
  let inputComment = '';
  let ret = '';
  let logits = false;

  for (const node of source.nodes) {
    const name = names.get(node.id)!;
    const self = `self.${name}`;
    const inputs: ExportInput[] =
      node.block.role === 'input'
        ? [{ name, type: node.type, mask: null }]
        : node.inputs.map((id, i) => ({ name: names.get(id)!, type: node.inputTypes[i]!, mask: masks.get(id) ?? null }));
    const result = node.block.toPyTorch(node.params, { nodeId: node.id, self, inputs, out: node.type, data: source.facts });
    if (!result.ok) return { ok: false, message: `node "${node.id}" (${node.block.type}) has no PyTorch form: ${result.reason}` };
    const form: PyTorchForm = result.form;
    for (const u of form.uses ?? []) uses.add(u);
    const shape = showBatchShape(node.type);
    if (form.module !== undefined) {
      init.push(`${INDENT}# ${pyComment(`${node.id}: ${describeNode(node)}`)}`, `${INDENT}${self} = ${form.module}`);
    }
    if (node.block.role === 'input') {
      inputName = name;
      inputComment = `${name}: ${shape} ${node.type.dtype === 'int32' ? 'token ids (int64)' : 'float32'}`;
    } else {
      forward.push(`${INDENT}# ${pyComment(`${node.id} (${node.block.type})`)} → ${shape}`, `${INDENT}${name} = ${form.forward}`);
    }
    masks.set(node.id, outputMask(node.type.masked === true, form, inputs, name, forward));
    if (form.penalty) penalties.push(form.penalty);
    for (const w of form.weights ?? []) {
      const value = source.weights.get(node.id)?.get(w.from);
      if (!value) throw new Error(`${node.id}: its PyTorch form maps a weight "${w.from}" that its tfjsWeights do not declare`);
      const t = transformWeight(value, w);
      state.push({ name: `${name}.${w.key}`, shape: t.shape, values: t.values });
    }
    if (node.block.role === 'output') {
      logits = form.probabilities !== undefined;
      ret = form.probabilities ? `${INDENT}return ${name} if logits else ${form.probabilities(name)}` : `${INDENT}return ${name}`;
    }
  }

  const doc = source.doc;
  const lines = [
    `"""${pyDocText(doc.name)}: the model, exported from Modelwright.`,
    '',
    ...(doc.description ? [pyDocText(doc.description), ''] : []),
    'Each attribute and forward variable is named after its node in the graph, and each forward',
    'step says its block, params and output shape ([B, ...]: B is the batch). Tensors are',
    'channels-last, as in the app: a sequence is [batch, length, channels], an image [batch,',
    'height, width, channels]; the steps that use a channels-first PyTorch layer transpose around it.',
    'layers.py holds the pieces whose PyTorch originals compute something else than the app.',
    '"""',
    'from pathlib import Path',
    '',
    'import torch',
    'from torch import nn',
    'import torch.nn.functional as F',
    '',
    ...(uses.size ? [`from layers import ${[...uses].sort().join(', ')}`] : []),
    'from weights import load_weights',
    '',
    'HERE = Path(__file__).resolve().parent',
    '',
    '',
    'class Model(nn.Module):',
    `    """${pyDocText(doc.name)}: ${inputComment} → class ${logits ? 'probabilities (or logits)' : 'probabilities'}."""`,
    '',
    `    #: What forward() reads: ${isImagePreprocessing(source.preprocessing) ? 'one scaled picture per row, channels last' : 'one encoded text per row'} (see data.py).`,
    `    INPUT = ${pyLiteral({ name: inputName, shape: source.summary.inputShape, dtype: source.summary.inputDtype })}`,
    `    #: The loss training minimises at the output.`,
    `    LOSS = ${pyLiteral(source.loss)}`,
    `    #: Whether forward(x, logits=True) gives the output before its activation (the loss is computed from it).`,
    `    LOGITS = ${logits ? 'True' : 'False'}`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...init,
    '',
    `    def forward(self, ${inputName}${logits ? ', logits=False' : ''}):`,
    `        """${inputComment}${logits ? '; logits=True gives the output layer before its activation (what the loss reads).' : '.'}"""`,
    ...forward,
    ret,
    '',
    '    def penalty(self):',
    '        """What training adds to the loss besides it: the L2 terms of Dense blocks with an l2 above 0."""',
    `        return ${penalties.length ? penalties.join(' + ') : '0.0'}`,
    '',
    '',
    'def load_model(weights=HERE, device="cpu"):',
    '    """The model with the trained weights (weights.json + weights.bin in `weights`, or a .pt file train.py wrote), in eval mode."""',
    '    model = Model()',
    '    load_weights(model, weights)',
    '    return model.to(device).eval()',
    '',
  ];
  return { ok: true, model: { modelPy: lines.join('\n'), state, inputName, logits } };
}

/**
 * The mask a node's output carries: the one its form makes, else (when the analysis says the
 * output is masked) its inputs' masks, joined with `&` when there are several, as tfjs does.
 */
function outputMask(masked: boolean, form: PyTorchForm, inputs: readonly ExportInput[], name: string, forward: string[]): string | null {
  if (form.mask !== undefined) {
    forward.push(`${INDENT}${name}_mask = ${form.mask}  # padding mask [B, length]: False where a step is padding`);
    return `${name}_mask`;
  }
  if (!masked) return null;
  const present = [...new Set(inputs.map((x) => x.mask).filter((m): m is string => m !== null))];
  if (present.length === 0) throw new Error(`${name}: the analysis says its output is masked, but no input carries a mask`);
  if (present.length === 1) return present[0]!;
  forward.push(`${INDENT}${name}_mask = ${present.join(' & ')}`);
  return `${name}_mask`;
}

/** Text on one comment line: control characters (a line break in a node id) become spaces. */
export function pyComment(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029]/gu, ' ');
}

/** Text safe inside a Python triple-quoted docstring. */
function pyDocText(text: string): string {
  return text
    .replace(/[^\P{Cc}\n\t]/gu, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/"""/g, '\\"\\"\\"');
}

/** A JSON-like value as a Python literal: None, True, False, numbers, strings, lists, dicts. */
export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  // JSON's string escapes (\", \n, \uXXXX) mean the same in Python.
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`)
    .join(', ')}}`;
}
