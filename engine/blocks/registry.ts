/**
 * The block registry: every block type Modelwright knows, in palette order. Adding a block means
 * adding its file and one line here. The type union is derived from this list.
 */
import type { BlockDef } from './defineBlock';
import { inputBlock } from './input';
import { embeddingBlock } from './embedding';
import { conv1dBlock } from './conv1d';
import { globalMaxPool1dBlock } from './globalMaxPool1d';
import { flattenBlock } from './flatten';
import { denseBlock } from './dense';
import { dropoutBlock } from './dropout';
import { outputBlock } from './output';

/** Every block, in palette order. */
export const BLOCKS = [
  inputBlock,
  embeddingBlock,
  conv1dBlock,
  globalMaxPool1dBlock,
  flattenBlock,
  denseBlock,
  dropoutBlock,
  outputBlock,
] as const;

/** The union of block type names, e.g. "Conv1D" | "Dense" | … (the public file format). */
export type BlockType = (typeof BLOCKS)[number]['type'];

const byType: ReadonlyMap<string, BlockDef> = (() => {
  const map = new Map<string, BlockDef>();
  for (const block of BLOCKS as readonly BlockDef[]) {
    if (map.has(block.type)) throw new Error(`Two blocks declare the type "${block.type}"`);
    map.set(block.type, block);
  }
  return map;
})();

/** The block of that type, or undefined for a type this build does not know. */
export function getBlock(type: string): BlockDef | undefined {
  return byType.get(type);
}

/** Whether `type` names a block of this build. */
export function isBlockType(type: string): type is BlockType {
  return byType.has(type);
}
