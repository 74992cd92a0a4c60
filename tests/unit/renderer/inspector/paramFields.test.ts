import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { getBlock } from '../../../../engine/blocks/registry';
import { checkValue, describeField, describeParams, labelOf, parseText } from '../../../../renderer/inspector/paramFields';

const fieldsOf = (type: string) => Object.fromEntries(describeParams(getBlock(type)!.params).map((f) => [f.key, f]));

describe('inspector fields generated from block params', () => {
  it('reads ranges, enums, booleans, defaults and help from Conv1D', () => {
    const f = fieldsOf('Conv1D');
    expect(f.filters!.edit).toEqual({ kind: 'number', int: true, min: 1, max: 8192 });
    expect(f.filters!.defaultValue).toBe(64);
    expect(f.filters!.help).toMatch(/filters/i);
    expect(f.padding!.edit).toEqual({ kind: 'choice', options: ['valid', 'same', 'causal'] });
    expect(f.useBias!.edit).toEqual({ kind: 'boolean' });
    expect(f.kernelSize!.label).toBe('Kernel size');
  });

  it('marks unions with "auto": a number (Output units), a list (Input shape)', () => {
    const out = fieldsOf('Output');
    expect(out.units!.allowsAuto).toBe(true);
    expect(out.units!.edit.kind).toBe('number');
    expect(checkValue(out.units!, 'auto')).toEqual({ ok: true, value: 'auto' });
    const input = fieldsOf('Input');
    expect(input.shape!.allowsAuto).toBe(true);
    expect(input.shape!.edit.kind).toBe('text');
    expect(checkValue(input.shape!, [17, 77]).ok).toBe(true);
    expect(checkValue(input.shape!, [0]).ok).toBe(false);
  });

  it('every block of the registry yields a form without throwing', async () => {
    const { BLOCKS } = await import('../../../../engine/blocks/registry');
    for (const block of BLOCKS) {
      for (const field of describeParams(block.params)) {
        expect(field.label.length).toBeGreaterThan(0);
        // The default, where there is one, passes the field's own check.
        if (field.defaultValue !== undefined) expect(checkValue(field, field.defaultValue).ok).toBe(true);
      }
    }
  });

  it('explains a bad value in words, and never throws on nonsense', () => {
    const filters = fieldsOf('Conv1D').filters!;
    expect(checkValue(filters, 0)).toEqual({ ok: false, message: 'Must be at least 1.', key: 'at-least', params: { min: '1' } });
    expect(checkValue(filters, 9000)).toEqual({ ok: false, message: 'Must be at most 8192.', key: 'at-most', params: { max: '8192' } });
    expect(checkValue(filters, 2.5)).toMatchObject({ ok: false });
    expect(checkValue(filters, Number.NaN)).toMatchObject({ ok: false });
    expect(checkValue(filters, 'lots')).toMatchObject({ ok: false });
  });

  it('handles optional strings and exclusive bounds', () => {
    const optional = describeField('pretrained', z.string().min(1).optional().describe('A GloVe file'));
    expect(optional).toMatchObject({ optional: true, help: 'A GloVe file', edit: { kind: 'string' } });
    expect(checkValue(optional, undefined).ok).toBe(true);
    const lr = describeField('lr', z.number().positive().max(10).default(0.001));
    expect(lr.edit).toEqual({ kind: 'number', int: false, min: 0, max: 10 });
    expect(checkValue(lr, 0)).toEqual({ ok: false, message: 'Must be more than 0.', key: 'more-than', params: { min: '0' } });
  });
});

describe('text a person types', () => {
  it('reads numbers, auto and lists in the usual spellings', () => {
    expect(parseText(' 42 ')).toBe(42);
    expect(parseText('1e-3')).toBe(0.001);
    expect(parseText('auto')).toBe('auto');
    expect(parseText('"AUTO"')).toBe('auto');
    expect(parseText('[17, 77]')).toEqual([17, 77]);
    expect(parseText('17 x 77')).toEqual([17, 77]);
    expect(parseText('(3,3)')).toEqual([3, 3]);
    expect(parseText('')).toBeUndefined();
    expect(parseText('17 x')).toBe('17 x');
    expect(parseText('[17, 7')).toBe('[17, 7');
    expect(parseText('abc')).toBe('abc');
  });

  it('labels camelCase keys', () => {
    expect(labelOf('returnSequences')).toBe('Return sequences');
    expect(labelOf('l2')).toBe('L2');
  });
});
