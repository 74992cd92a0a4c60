/**
 * Reads a block's zod params schema into form fields, so the inspector is generated from the
 * same schema the engine validates with (zod 4: walks `schema.shape` and each field's `def`).
 * Pure: no React here, so it is tested in Node.
 */
import type { z } from 'zod';

/** How a field is edited. */
export type FieldKind =
  /** A number input (with min/max/step). */
  | { kind: 'number'; int: boolean; min?: number; max?: number }
  /** A select of fixed values (an enum, or a union of literals). */
  | { kind: 'choice'; options: readonly (string | number | boolean)[] }
  | { kind: 'boolean' }
  | { kind: 'string' }
  /**
   * Anything else that is written as text and parsed: numbers, lists like `[17, 77]`, `"auto"`,
   * or a number-or-pair such as a 2D kernel size. Validated against the field's schema.
   */
  | { kind: 'text'; example: string };

export interface ParamField {
  key: string;
  /** A label for people: `kernelSize` → "Kernel size". */
  label: string;
  /** The field's `.describe()` text, if any. */
  help?: string;
  /** A unit from `.meta({ unit })`, if the block declared one. */
  unit?: string;
  /** Whether `"auto"` is one of the values (the engine fills it from the data). */
  allowsAuto: boolean;
  /** Whether the field may be left empty. */
  optional: boolean;
  defaultValue: unknown;
  edit: FieldKind;
  /** The field's own schema, for validating a value the user typed. */
  schema: z.ZodType;
}

// A loose view of zod 4's internals: every schema has `def.type`; wrappers have `def.innerType`.
interface Def {
  type: string;
  innerType?: AnyZod;
  defaultValue?: unknown;
  options?: AnyZod[];
  values?: unknown[];
  entries?: Record<string, string | number>;
  checks?: { _zod?: { def?: { check?: string; value?: unknown; inclusive?: boolean; format?: string } } }[];
  in?: AnyZod;
}
interface AnyZod {
  def: Def;
  description?: string;
  meta?: () => Record<string, unknown> | undefined;
}

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** "kernelSize" → "Kernel size", "l2" → "L2", "returnSequences" → "Return sequences". */
export function labelOf(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function literalValues(s: AnyZod): unknown[] | null {
  if (s.def.type === 'literal') return s.def.values ?? null;
  if (s.def.type === 'enum') return s.def.entries ? Object.values(s.def.entries) : null;
  return null;
}

function numberKind(s: AnyZod): FieldKind {
  let int = false;
  let min: number | undefined;
  let max: number | undefined;
  for (const check of s.def.checks ?? []) {
    const c = check._zod?.def;
    if (!c) continue;
    if (c.check === 'number_format' && /int/.test(c.format ?? '')) int = true;
    if (c.check === 'greater_than' && typeof c.value === 'number') min = c.value;
    if (c.check === 'less_than' && typeof c.value === 'number') max = c.value;
  }
  return { kind: 'number', int, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/** Describes one field of a params schema. */
export function describeField(key: string, schema: z.ZodType): ParamField {
  let s = schema as unknown as AnyZod;
  let help: string | undefined;
  let unit: string | undefined;
  let optional = false;
  let defaultValue: unknown;
  const readMeta = (x: AnyZod) => {
    help ??= x.description;
    const meta = typeof x.meta === 'function' ? x.meta() : undefined;
    if (meta && typeof meta.unit === 'string') unit ??= meta.unit;
  };
  readMeta(s);
  while (WRAPPERS.has(s.def.type) && s.def.innerType) {
    if (s.def.type === 'default' || s.def.type === 'prefault') defaultValue ??= s.def.defaultValue;
    if (s.def.type === 'optional' || s.def.type === 'nullable') optional = true;
    s = s.def.innerType;
    readMeta(s);
  }

  let allowsAuto = false;
  let edit: FieldKind;
  const literals = literalValues(s);
  if (literals) {
    edit = { kind: 'choice', options: literals as (string | number | boolean)[] };
  } else if (s.def.type === 'number') {
    edit = numberKind(s);
  } else if (s.def.type === 'boolean') {
    edit = { kind: 'boolean' };
  } else if (s.def.type === 'string') {
    edit = { kind: 'string' };
  } else if (s.def.type === 'union' && s.def.options) {
    const options = s.def.options;
    const optionLiterals = options.map(literalValues);
    if (optionLiterals.every((v) => v !== null)) {
      edit = { kind: 'choice', options: optionLiterals.flat() as (string | number | boolean)[] };
    } else {
      allowsAuto = optionLiterals.some((v) => v?.includes('auto'));
      const rest = options.filter((_, i) => optionLiterals[i] === null);
      const only = rest.length === 1 ? rest[0] : undefined;
      edit = only?.def.type === 'number' ? numberKind(only) : { kind: 'text', example: exampleOf(rest) };
    }
  } else {
    edit = { kind: 'text', example: exampleOf([s]) };
  }
  return {
    key,
    label: labelOf(key),
    ...(help !== undefined ? { help } : {}),
    ...(unit !== undefined ? { unit } : {}),
    allowsAuto,
    optional,
    defaultValue,
    edit,
    schema,
  };
}

function exampleOf(options: AnyZod[]): string {
  const kinds = options.map((o) => o.def.type);
  if (kinds.includes('tuple') && kinds.includes('number')) return '3 or [3, 3]';
  if (kinds.includes('array') || kinds.includes('tuple')) return '[17, 77]';
  return 'a value';
}

/** The fields of a block's params schema, in declaration order. */
export function describeParams(params: z.ZodObject): ParamField[] {
  return Object.entries(params.shape).map(([key, schema]) => describeField(key, schema as z.ZodType));
}

/** Text for a value in a text field: lists as `[a, b]`. */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  return String(value);
}

/**
 * Reads what a person typed into a text field: `auto`, a number, a list (`[17, 77]` or
 * `17, 77` or `17 x 77`). Returns `undefined` for an empty field.
 */
export function parseText(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^"?auto"?$/i.test(t)) return 'auto';
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t);
  // A list still being typed ("17 x", "[17,") is not a value yet.
  if (/[,x×]$/i.test(t) || (/^[[(]/.test(t) && !/[\])]$/.test(t))) return t;
  const inner = t.replace(/^[[(]\s*/, '').replace(/\s*[\])]$/, '');
  const parts = inner.split(/\s*[,x×]\s*|\s+/).filter((p) => p !== '');
  if (parts.length > 0 && parts.every((p) => /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(p))) return parts.map(Number);
  return t;
}

/** Why a typed value is refused: the English, and the sentence's key and values for other languages (`inspector.check.<key>`). */
export interface FieldProblem {
  message: string;
  key:
    | 'needed'
    | 'invalid'
    | 'at-least'
    | 'more-than'
    | 'at-most'
    | 'less-than'
    | 'at-least-items'
    | 'at-most-items'
    | 'whole-number'
    | 'list'
    | 'type'
    | 'union'
    | 'other';
  params?: Record<string, string | number>;
}

export type FieldCheck = { ok: true; value: unknown } | ({ ok: false } & FieldProblem);

/** Checks a value against the field's schema; the message is zod's, for people. */
export function checkValue(field: ParamField, value: unknown): FieldCheck {
  if (value === undefined && !field.optional && field.defaultValue === undefined) {
    return { ok: false, message: 'A value is needed.', key: 'needed' };
  }
  const result = field.schema.safeParse(value);
  if (result.success) return { ok: true, value };
  const issue = result.error.issues[0];
  return { ok: false, ...(issue ? friendly(issue) : { message: 'Not a valid value.', key: 'invalid' }) };
}

function friendly(issue: z.core.$ZodIssue): FieldProblem {
  switch (issue.code) {
    case 'too_small': {
      const items = issue.origin === 'array';
      const min = String(issue.minimum);
      return {
        message: `Must be ${issue.inclusive ? 'at least' : 'more than'} ${min}${items ? ' items' : ''}.`,
        key: items ? 'at-least-items' : issue.inclusive ? 'at-least' : 'more-than',
        params: { min },
      };
    }
    case 'too_big': {
      const items = issue.origin === 'array';
      const max = String(issue.maximum);
      return {
        message: `Must be ${issue.inclusive ? 'at most' : 'less than'} ${max}${items ? ' items' : ''}.`,
        key: items ? 'at-most-items' : issue.inclusive ? 'at-most' : 'less-than',
        params: { max },
      };
    }
    case 'invalid_type':
      if (issue.expected === 'int') return { message: 'Must be a whole number.', key: 'whole-number' };
      if (issue.expected === 'array') return { message: 'Must be a list like [17, 77].', key: 'list' };
      return { message: `Must be a ${issue.expected}.`, key: 'type', params: { expected: issue.expected } };
    case 'invalid_union':
      return { message: 'Not one of the accepted forms (a number, a list like [3, 3], or "auto").', key: 'union' };
    default:
      return { message: issue.message, key: 'other', params: { reason: issue.message } };
  }
}
