import { describe, expect, it } from 'vitest';
import { nodeId, type Graph } from '../../../engine/graph/document';
import { checkWire, type WireProposal } from '../../../engine/graph/wireCheck';
import { chain, graphOf, ONEHOT, SURNAME_CNN } from './fixtures';

const wire = (source: string, target: string, targetPort = 'in'): WireProposal => ({
  source: nodeId(source),
  sourcePort: 'out',
  target: nodeId(target),
  targetPort,
});

/** The surname CNN with its Output unwired, so there is a free input to try wires on. */
function openCnn(): Graph {
  const g = chain(SURNAME_CNN);
  return { ...g, edges: g.edges.filter((e) => e.target !== 'n6') };
}

describe('checkWire', () => {
  it('accepts a wire that fits', () => {
    expect(checkWire(openCnn(), ONEHOT, wire('n5', 'n6'))).toBeNull();
  });

  it('refuses a loop, naming both blocks, even when the input it aims at is taken', () => {
    const refusal = checkWire(chain(SURNAME_CNN), ONEHOT, wire('n3', 'n1'));
    expect(refusal?.code).toBe('cycle');
    expect(refusal?.message).toContain('"n1" already feeds "n3"');
  });

  it('refuses a loop through a port that takes many wires', () => {
    const g = graphOf({ a: ['Input', { shape: [4, 8] }], b: ['Dense', { units: 8 }], r: ['Residual'] }, [
      ['a', 'r'],
      ['r', 'b'],
    ]);
    expect(checkWire(g, {}, wire('b', 'r'))?.code).toBe('cycle');
  });

  it('refuses a second wire into an input that takes one, and names the wire already there', () => {
    const refusal = checkWire(chain(SURNAME_CNN), ONEHOT, wire('n0', 'n2'));
    expect(refusal?.code).toBe('occupied');
    expect(refusal?.message).toContain('"n1"');
  });

  it('refuses shapes that cannot meet with validation’s own words', () => {
    // A sequence straight into Output, which needs a flat vector.
    const refusal = checkWire(openCnn(), ONEHOT, wire('n4', 'n6'));
    expect(refusal?.code).toBe('shape');
    expect(refusal?.issueCode).toBeDefined();
    expect(refusal?.message).toMatch(/flat vector/);
  });

  it('refuses a Residual input of another shape, and accepts one of the same shape', () => {
    const g = graphOf(
      {
        x: ['Input', { shape: [8, 4] }],
        c: ['Conv1D', { filters: 4, kernelSize: 3, padding: 'same' }],
        d: ['Conv1D', { filters: 6, kernelSize: 1 }],
        r: ['Residual'],
      },
      [
        ['x', 'c'],
        ['x', 'd'],
        ['c', 'r'],
      ],
    );
    expect(checkWire(g, {}, wire('x', 'r'))).toBeNull();
    const refusal = checkWire(g, {}, wire('d', 'r'));
    expect(refusal?.code).toBe('shape');
    expect(refusal?.message).toMatch(/different shapes/);
  });

  it('does not refuse a wire whose shapes are not known yet (no data facts)', () => {
    expect(checkWire(openCnn(), {}, wire('n4', 'n6'))).toBeNull();
  });

  it('refuses a self-loop, a duplicate and a port the block lacks', () => {
    expect(checkWire(openCnn(), ONEHOT, wire('n2', 'n2'))?.code).toBe('self-loop');
    expect(checkWire(chain(SURNAME_CNN), ONEHOT, wire('n0', 'n1'))?.code).toBe('duplicate');
    expect(checkWire(openCnn(), ONEHOT, wire('n5', 'n6', 'other'))?.code).toBe('unknown-port');
  });
});
