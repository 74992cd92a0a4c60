import type { BlockDef } from '../../engine/blocks/defineBlock';

export type Category = BlockDef['category'];

/** Palette order of the groups. */
export const CATEGORY_ORDER: readonly Category[] = [
  'Input',
  'Embedding',
  'Convolution',
  'Pooling',
  'Normalization',
  'Recurrent',
  'Merge',
  'Dense',
  'Regularization',
  'Shape',
  'Output',
];

/** The CSS class that colours a block of this group (see styles/app.css, `.cat-*`). */
export function categoryClass(category: string): string {
  return `cat-${category.toLowerCase()}`;
}
