import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { BlockDef } from '../../../engine/blocks/defineBlock';
import type { IssueCode } from '../../../engine/graph/types';
import { BLOCKS } from '../../../engine/blocks/registry';
import { CURRENT_SCHEMA_VERSION } from '../../../engine/graph/document';
import { MIGRATIONS } from '../../../engine/graph/migrations';

const DOC = readFileSync(join(__dirname, '../../../docs/file-format.md'), 'utf8');

it('docs/file-format.md lists every block with every param', () => {
  for (const block of BLOCKS as readonly BlockDef[]) {
    const start = DOC.indexOf(`### \`${block.type}\``);
    expect(start, block.type).toBeGreaterThan(0);
    const section = DOC.slice(start, DOC.indexOf('\n### ', start + 1));
    for (const name of Object.keys(block.params.shape)) expect(section, `${block.type}.${name}`).toContain(`| \`${name}\` |`);
  }
});

it('docs/file-format.md names every issue code and every migration', () => {
  const codes: Record<IssueCode, true> = {
    'unknown-type': true,
    'unknown-param': true,
    'bad-param': true,
    'missing-input': true,
    'too-many-inputs': true,
    cycle: true,
    'dangling-edge': true,
    'duplicate-id': true,
    'rank-mismatch': true,
    'shape-mismatch': true,
    'dtype-mismatch': true,
    'shape-too-small': true,
    'empty-graph': true,
    'no-output': true,
    'several-outputs': true,
    'unknown-port': true,
    'data-mismatch': true,
  };
  for (const code of Object.keys(codes)) expect(DOC, code).toContain(`\`${code}\``);
  for (const m of MIGRATIONS) expect(DOC).toContain(`| ${m.from} → ${m.from + 1} |`);
  expect(DOC).toContain(`schema version ${CURRENT_SCHEMA_VERSION})`);
});
