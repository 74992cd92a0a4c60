import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCKS } from '../../../engine/blocks/registry';
import { documentJsonSchema, documentJsonSchemaText } from '../../../engine/graph/jsonSchema';

const FILE = join(__dirname, '../../../assets/schema/modelwright.schema.json');

describe('assets/schema/modelwright.schema.json', () => {
  it('equals the schema generated from zod (regenerate: MODELWRIGHT_WRITE_SCHEMA=1 npx vitest run tests/unit/graph/jsonSchema.test.ts)', () => {
    const generated = documentJsonSchemaText();
    if (process.env.MODELWRIGHT_WRITE_SCHEMA === '1') writeFileSync(FILE, generated);
    expect(readFileSync(FILE, 'utf8')).toBe(generated);
  });

  it('has the params of every block, with help text on every param', () => {
    const schema = documentJsonSchema() as { $defs: { params: Record<string, { properties?: Record<string, { description?: string }> }> } };
    expect(Object.keys(schema.$defs.params).sort()).toEqual(BLOCKS.map((b) => b.type).sort());
    for (const [type, params] of Object.entries(schema.$defs.params)) {
      for (const [name, prop] of Object.entries(params.properties ?? {})) {
        expect(prop.description, `${type}.${name}`).toBeTruthy();
      }
    }
  });
});
