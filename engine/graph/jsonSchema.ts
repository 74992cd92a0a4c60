/**
 * The published JSON Schema of the file format, generated from the zod schemas so it can never
 * disagree with them: the Document schema, plus each block's params, applied to a node by its
 * `type`. A node of a type this build does not know is left open (a newer file may have it).
 * The committed copy is assets/schema/modelwright.schema.json; a unit test keeps it current.
 */
import { z } from 'zod';
import { BLOCKS } from '../blocks/registry';
import type { BlockDef } from '../blocks/defineBlock';
import { CURRENT_SCHEMA_VERSION, DocumentSchema } from './document';

type Json = Record<string, unknown>;

function strip(schema: Json): Json {
  const { $schema: _drop, ...rest } = schema;
  return rest;
}

/** The JSON Schema (draft 2020-12) of a Modelwright document of the current version. */
export function documentJsonSchema(): Json {
  const doc = z.toJSONSchema(DocumentSchema, { io: 'input', target: 'draft-2020-12' }) as Json;
  const params: Record<string, Json> = {};
  for (const block of BLOCKS as readonly BlockDef[]) {
    params[block.type] = {
      ...strip(z.toJSONSchema(block.params, { io: 'input', target: 'draft-2020-12' }) as Json),
      description: `${block.type} (${block.category}): ${block.doc}`,
      additionalProperties: false,
    };
  }
  const graph = (doc.properties as Json).graph as Json;
  const nodes = (graph.properties as Json).nodes as Json;
  const node = nodes.items as Json;
  node.allOf = Object.keys(params).map((type) => ({
    if: { properties: { type: { const: type } }, required: ['type'] },
    then: { properties: { params: { $ref: `#/$defs/params/${type}` } } },
  }));
  return {
    $schema: doc.$schema,
    title: 'Modelwright document',
    description:
      `A Modelwright model: the graph of blocks, the data it trains on and the training settings. ` +
      `Schema version ${CURRENT_SCHEMA_VERSION}; see docs/file-format.md. Generated from the zod schemas in engine/graph and engine/blocks; do not edit by hand.`,
    ...strip(doc),
    $defs: { params },
  };
}

/** The text of assets/schema/modelwright.schema.json. */
export function documentJsonSchemaText(): string {
  return `${JSON.stringify(documentJsonSchema(), null, 2)}\n`;
}
