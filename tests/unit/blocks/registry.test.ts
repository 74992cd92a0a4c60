import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BlockDef } from '../../../engine/blocks/defineBlock';
import { BLOCKS, getBlock, indexBlocks, isBlockType, type BlockType } from '../../../engine/blocks/registry';

/** The type names issue 3 fixes as the public file format. */
const FILE_FORMAT_TYPES = [
  'Input',
  'Embedding',
  'Conv1D',
  'Conv2D',
  'NiN',
  'MaxPool1D',
  'AvgPool1D',
  'MaxPool2D',
  'AvgPool2D',
  'GlobalMaxPool1D',
  'GlobalAvgPool1D',
  'GlobalMaxPool2D',
  'GlobalAvgPool2D',
  'BatchNorm',
  'Residual',
  'Concat',
  'GRU',
  'LSTM',
  'SimpleRNN',
  'Dense',
  'Dropout',
  'Activation',
  'Flatten',
  'Reshape',
  'Output',
] as const;

/** Param names per type, as issue 3 lists them (the file format). */
const PARAMS: Record<BlockType, string[]> = {
  Input: ['shape', 'dtype'],
  Embedding: ['inputDim', 'outputDim', 'trainable', 'maskZero', 'pretrained'],
  Conv1D: ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias'],
  Conv2D: ['filters', 'kernelSize', 'strides', 'padding', 'dilationRate', 'activation', 'useBias'],
  NiN: ['filters', 'activation'],
  MaxPool1D: ['poolSize', 'strides', 'padding'],
  AvgPool1D: ['poolSize', 'strides', 'padding'],
  MaxPool2D: ['poolSize', 'strides', 'padding'],
  AvgPool2D: ['poolSize', 'strides', 'padding'],
  GlobalMaxPool1D: [],
  GlobalAvgPool1D: [],
  GlobalMaxPool2D: [],
  GlobalAvgPool2D: [],
  BatchNorm: ['momentum', 'epsilon'],
  Residual: [],
  Concat: ['axis'],
  GRU: ['units', 'returnSequences', 'bidirectional', 'dropout', 'recurrentDropout'],
  LSTM: ['units', 'returnSequences', 'bidirectional', 'dropout', 'recurrentDropout'],
  SimpleRNN: ['units', 'returnSequences', 'bidirectional', 'dropout', 'recurrentDropout'],
  Dense: ['units', 'activation', 'l2'],
  Dropout: ['rate'],
  Activation: ['fn'],
  Flatten: [],
  Reshape: ['targetShape'],
  Output: ['units', 'activation', 'loss'],
};

describe('block registry', () => {
  it('holds exactly the file-format types, each once', () => {
    expect(BLOCKS.map((b) => b.type).sort()).toEqual([...FILE_FORMAT_TYPES].sort());
  });

  it('keeps the param names of the file format', () => {
    for (const block of BLOCKS as readonly BlockDef[]) {
      expect(Object.keys(block.params.shape).sort(), block.type).toEqual([...PARAMS[block.type as BlockType]].sort());
    }
  });

  it('finds blocks by type, case-sensitively', () => {
    expect(getBlock('Conv1D')?.type).toBe('Conv1D');
    expect(getBlock('conv1d')).toBeUndefined();
    expect(isBlockType('GRU')).toBe(true);
    expect(isBlockType('Transformer')).toBe(false);
  });

  it('every block has a doc, a category, ports, and params that parse from {} with help text', () => {
    for (const block of BLOCKS as readonly BlockDef[]) {
      expect(block.doc.length, block.type).toBeGreaterThan(30);
      expect(block.category).toBeTruthy();
      expect(block.params.safeParse({}).success, block.type).toBe(true);
      for (const [name, schema] of Object.entries(block.params.shape)) {
        expect((schema as { description?: string }).description, `${block.type}.${name}`).toBeTruthy();
      }
      if (block.type !== 'Input') expect(block.inputs.map((p) => p.name)).toEqual(['in']);
    }
  });

  it('declares units where a value has one', () => {
    const unit = (type: string, key: string) => (getBlock(type)!.params.shape as Record<string, { meta(): { unit?: string } | undefined }>)[key]!.meta()?.unit;
    expect(unit('Conv1D', 'kernelSize')).toBe('steps');
    expect(unit('Conv2D', 'kernelSize')).toBe('pixels');
    expect(unit('GRU', 'units')).toBe('units');
    expect(unit('Conv1D', 'filters')).toBe('channels');
  });

  it('refuses a duplicate type', () => {
    const blocks = BLOCKS as readonly BlockDef[];
    expect(indexBlocks(blocks).size).toBe(blocks.length);
    expect(() => indexBlocks([...blocks, { ...blocks[3]! }])).toThrow(/Two blocks declare the type "Conv2D"/);
  });

  it('stays free of tfjs values, node APIs and the DOM (the renderer imports it)', () => {
    const dir = join(__dirname, '../../../engine/blocks');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(15); // the block files are really there to check
    const graphFiles = readdirSync(join(dir, '../graph'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `../graph/${f}`);
    for (const file of [...files, ...graphFiles]) {
      const src = readFileSync(join(dir, file), 'utf8');
      expect(src, file).not.toMatch(/^import (?!type)[^;]*@tensorflow/m);
      expect(src, file).not.toMatch(/from 'node:|from 'fs'|\b(?:document|window)\.[a-zA-Z]/);
    }
  });
});
