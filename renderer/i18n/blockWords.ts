/**
 * The words of the blocks: each block type's doc, each param's help, label and unit, each
 * palette category's name. English lives once, in the block definitions (engine/blocks/*, the
 * CLI's and the JSON Schema's words too); the English catalog is built from them here, and the
 * other languages' `locales/<lang>/blocks.json` must have the same keys (the i18n test fails on a
 * block or param missing in one), so a new block or param cannot ship untranslated.
 */
import type { TFunction } from 'i18next';
import type { BlockDef } from '../../engine/blocks/defineBlock';
import { BLOCKS } from '../../engine/blocks/registry';
import { describeField, labelOf } from '../inspector/paramFields';

type Catalog = { [key: string]: string | Catalog };

function fieldsOf(block: BlockDef) {
  const shape = (block.params as unknown as { shape: Record<string, Parameters<typeof describeField>[1]> }).shape;
  return Object.entries(shape).map(([key, schema]) => describeField(key, schema));
}

/** `{ doc: {Conv1D: …}, param: {Conv1D: {filters: …}}, label: {filters: …}, unit: {steps: …}, category: {Pooling: …} }` in English. */
export function englishBlocksCatalog(blocks: readonly BlockDef[] = BLOCKS): Catalog {
  const doc: Catalog = {};
  const param: Catalog = {};
  const label: Catalog = {};
  const unit: Catalog = {};
  const category: Catalog = {};
  for (const block of blocks) {
    doc[block.type] = block.doc;
    category[block.category] = block.category;
    const helps: Catalog = {};
    for (const field of fieldsOf(block)) {
      if (field.help) helps[field.key] = field.help;
      label[field.key] = field.label;
      if (field.unit) unit[field.unit] = field.unit;
    }
    if (Object.keys(helps).length) param[block.type] = helps;
  }
  return { doc, param, label, unit, category };
}

/** A block's doc in the current language (the definition's English where a type has none, e.g. a user's group). */
export function blockDoc(t: TFunction, block: Pick<BlockDef, 'type' | 'doc'>): string {
  return t(`blocks.doc.${block.type}`, { defaultValue: block.doc });
}

export function paramHelp(t: TFunction, type: string, param: string, english?: string): string | undefined {
  const key = `blocks.param.${type}.${param}`;
  return english === undefined && !t(key, { defaultValue: '' }) ? undefined : t(key, { defaultValue: english ?? '' });
}

export function paramLabel(t: TFunction, param: string): string {
  return t(`blocks.label.${param}`, { defaultValue: labelOf(param) });
}

export function unitWord(t: TFunction, unit: string): string {
  return t(`blocks.unit.${unit}`, { defaultValue: unit });
}

export function categoryName(t: TFunction, category: string): string {
  return t(`blocks.category.${category}`, { defaultValue: category });
}

/**
 * A choice's label in a select ("same (keep the size)", "문자 (char)"): `inspector.option.<param>.<value>`;
 * the value itself stays the document's code. A choice without a label shows its code.
 */
export function optionLabel(t: TFunction, param: string, value: string | number | boolean): string {
  return t(`inspector.option.${param}.${String(value)}`, { defaultValue: String(value) });
}
