/**
 * Every choice the generated forms offer (each enum param of every block, the Data tab's encoding
 * settings, the optimizer, the schedule, the class weights) has a label in every language, and
 * the select keeps the code as its value: a new activation or padding cannot ship as a bare code.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { BLOCKS } from '../../../engine/blocks/registry';
import { ClassWeightsSchema, DataSchema, OptimizerSchema, ScheduleSchema } from '../../../engine/graph/document';
import { LANGUAGES, createI18n } from '../../../renderer/i18n';
import { optionLabel } from '../../../renderer/i18n/blockWords';
import { describeField } from '../../../renderer/inspector/paramFields';

type Choices = { where: string; key: string; options: readonly (string | number | boolean)[] };

function choicesOf(where: string, key: string, schema: unknown): Choices[] {
  const field = describeField(key, schema as z.ZodType);
  return field.edit.kind === 'choice' ? [{ where, key, options: field.edit.options }] : [];
}

const CHOICES: Choices[] = [
  ...BLOCKS.flatMap((block) =>
    Object.entries((block.params as unknown as { shape: Record<string, unknown> }).shape).flatMap(([key, schema]) => choicesOf(block.type, key, schema)),
  ),
  ...(['tokenizer', 'encoding', 'bagValue', 'truncate'] as const).flatMap((key) => choicesOf('data', key, DataSchema.shape[key])),
  ...choicesOf('optimizer', 'type', OptimizerSchema.shape.type),
  ...choicesOf('schedule', 'schedule', ScheduleSchema.shape.type),
  // The training form offers the three rules and "per class" (which edits the record below it).
  { where: 'training', key: 'classWeights', options: [...ClassWeightsSchema.options[0].options, 'per class'] },
];

describe('the labels of choices', () => {
  it('find the enum params of the blocks (a walk that found none would pass for nothing)', () => {
    const keys = new Set(CHOICES.map((c) => `${c.where}.${c.key}`));
    for (const k of ['Conv1D.padding', 'Conv1D.activation', 'Activation.fn', 'Input.dtype', 'Output.loss', 'MaxPool1D.padding', 'data.tokenizer'])
      expect(keys.has(k), k).toBe(true);
  });

  it.each(LANGUAGES)('say every choice in %s, each choice of a field its own label', (language) => {
    const t = createI18n(language).t;
    for (const { where, key, options } of CHOICES) {
      const labels = options.map((o) => t(`inspector.option.${key}.${String(o)}`, { defaultValue: '' }));
      for (const [i, label] of labels.entries()) expect(label, `${language}: ${where}.${key} = ${String(options[i])} has no label`).not.toBe('');
      expect(new Set(labels).size, `${language}: ${where}.${key} has two choices with one label`).toBe(options.length);
    }
  });

  it('keep the course terms: ReLU as ReLU, the padding and tokenizer codes beside their Korean', () => {
    const ko = createI18n('ko').t;
    const en = createI18n('en').t;
    expect(optionLabel(ko, 'activation', 'relu')).toBe('ReLU');
    expect(optionLabel(en, 'activation', 'relu')).toBe('ReLU');
    expect(optionLabel(ko, 'padding', 'same')).toBe('same (크기 유지)');
    expect(optionLabel(ko, 'tokenizer', 'char')).toBe('문자 (char)');
    expect(optionLabel(ko, 'tokenizer', 'word')).toBe('단어 (word)');
    expect(optionLabel(en, 'padding', 'valid')).toBe('valid (no padding)');
    // A value without a label (a user's group param, say) shows its code.
    expect(optionLabel(ko, 'padding', 'reflect')).toBe('reflect');
  });
});
