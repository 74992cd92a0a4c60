/**
 * The block registry: every block type Modelwright knows, in palette order. Adding a block means
 * adding its file (or, for a member of a family such as the pools, its line in the family's file)
 * and one line here. The type union is derived from this list.
 */
import type { BlockDef } from './defineBlock';
import { inputBlock } from './input';
import { embeddingBlock } from './embedding';
import { conv1dBlock } from './conv1d';
import { conv2dBlock } from './conv2d';
import { ninBlock } from './nin';
import {
  avgPool1dBlock,
  avgPool2dBlock,
  globalAvgPool1dBlock,
  globalAvgPool2dBlock,
  globalMaxPool1dBlock,
  globalMaxPool2dBlock,
  maxPool1dBlock,
  maxPool2dBlock,
} from './pooling';
import { batchNormBlock } from './batchNorm';
import { residualBlock } from './residual';
import { concatBlock } from './concat';
import { gruBlock, lstmBlock, simpleRnnBlock } from './recurrent';
import { denseBlock } from './dense';
import { dropoutBlock } from './dropout';
import { activationBlock } from './activation';
import { flattenBlock } from './flatten';
import { reshapeBlock } from './reshape';
import { outputBlock } from './output';

/** Every block, in palette order. */
export const BLOCKS = [
  inputBlock,
  embeddingBlock,
  conv1dBlock,
  conv2dBlock,
  ninBlock,
  maxPool1dBlock,
  avgPool1dBlock,
  maxPool2dBlock,
  avgPool2dBlock,
  globalMaxPool1dBlock,
  globalAvgPool1dBlock,
  globalMaxPool2dBlock,
  globalAvgPool2dBlock,
  batchNormBlock,
  residualBlock,
  concatBlock,
  gruBlock,
  lstmBlock,
  simpleRnnBlock,
  denseBlock,
  dropoutBlock,
  activationBlock,
  flattenBlock,
  reshapeBlock,
  outputBlock,
] as const;

/** The union of block type names, e.g. "Conv1D" | "Dense" | … (the public file format). */
export type BlockType = (typeof BLOCKS)[number]['type'];

/** Indexes blocks by type; throws on a type declared twice (a bug, caught at module load). */
export function indexBlocks(blocks: readonly BlockDef[]): ReadonlyMap<string, BlockDef> {
  const map = new Map<string, BlockDef>();
  for (const block of blocks) {
    if (map.has(block.type)) throw new Error(`Two blocks declare the type "${block.type}"`);
    map.set(block.type, block);
  }
  return map;
}

const byType = indexBlocks(BLOCKS as readonly BlockDef[]);

/** The block of that type, or undefined for a type this build does not know. */
export function getBlock(type: string): BlockDef | undefined {
  return byType.get(type);
}

/** Whether `type` names a block of this build. */
export function isBlockType(type: string): type is BlockType {
  return byType.has(type);
}
