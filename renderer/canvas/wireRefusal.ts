/**
 * The canvas's side of refusing a wire: `checkWire` (the engine's, on the open document and the
 * data's facts) remembered per document, so the many questions React Flow asks while a wire is
 * dragged over handles cost one check each, and the refusal in words.
 */
import type { TFunction } from 'i18next';
import type { Document, NodeId } from '../../engine/graph/document';
import type { DataFacts } from '../../engine/graph/types';
import { checkWire, type WireProposal, type WireRefusal } from '../../engine/graph/wireCheck';
import { issueText } from '../i18n/issueText';
import { useAppStore } from '../state/appStore';
import { useDocumentStore } from '../state/documentStore';

let memo: { doc: Document; facts: DataFacts; answers: Map<string, WireRefusal | null> } | null = null;

/** What React Flow calls a connection: handles may be null (the default port). */
export interface FlowConnection {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export function proposalOf(c: FlowConnection): WireProposal {
  return { source: c.source as NodeId, sourcePort: c.sourceHandle ?? 'out', target: c.target as NodeId, targetPort: c.targetHandle ?? 'in' };
}

/** Why the open document refuses this wire, or null when it may be drawn. */
export function refusalFor(c: FlowConnection): WireRefusal | null {
  const doc = useDocumentStore.getState().history?.present;
  if (!doc) return null;
  const { facts, data } = useAppStore.getState();
  // While the data is being read its facts are not the document's: check loops and ports only.
  const known = data.status === 'ok' ? facts : {};
  if (!memo || memo.doc !== doc || memo.facts !== known) memo = { doc, facts: known, answers: new Map() };
  const wire = proposalOf(c);
  const key = `${wire.source}\u0000${wire.sourcePort}\u0000${wire.target}\u0000${wire.targetPort}`;
  if (!memo.answers.has(key)) memo.answers.set(key, checkWire(doc.graph, known, wire));
  return memo.answers.get(key)!;
}

/** The refusal as a sentence (and a hint) in the user's language. */
export function refusalWords(r: WireRefusal, t: TFunction): { text: string; hint?: string } {
  const v = { source: r.source, target: r.target, taken: r.taken ?? '', port: r.port };
  switch (r.code) {
    case 'self-loop':
      return { text: t('editor.wire.selfLoop', v) };
    case 'duplicate':
      return { text: t('editor.wire.duplicate', v) };
    case 'cycle':
      return { text: t('editor.wire.cycle', v), hint: t('editor.wire.cycleHint') };
    case 'occupied':
      return { text: t('editor.wire.occupied', v), hint: t('editor.wire.occupiedHint') };
    case 'unknown-port':
      return { text: t('editor.wire.unknownPort', v) };
    case 'shape':
      // Validation's own words about the shapes, so the refusal says what the red wire would.
      if (r.issue?.key) {
        const words = issueText(t, r.issue);
        const text = r.inGroup ? t('canvas.wire.inGroup', { group: r.inGroup.group, block: r.inGroup.block, message: words.message }) : words.message;
        return words.hint ? { text, hint: words.hint } : { text };
      }
      return r.hint ? { text: r.message, hint: r.hint } : { text: r.message };
  }
}
