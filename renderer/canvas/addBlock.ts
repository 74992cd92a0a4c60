import { getBlock } from '../../engine/blocks/registry';
import { GROUP_TYPE, type NodeId } from '../../engine/graph/document';
import { useAppStore } from '../state/appStore';
import { useDocumentStore } from '../state/documentStore';
import { addNode, type Position } from '../state/edits';
import { snapped } from './canvasPrefs';

/** The drag-and-drop type the palette puts a block type under. */
export const BLOCK_MIME = 'application/x-modelwright-block';

/** Nodes are about this big; a new one is centred where it was dropped. */
const NODE_HALF = { x: 100, y: 32 };

/** The block's params with every default filled in, so the file says what the model is. */
function defaultParams(type: string): Record<string, unknown> {
  const block = getBlock(type);
  if (!block) return {};
  const parsed = block.params.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

const SIZE = { w: 196, h: 80 };

/**
 * The point nearest to `center` where a new block covers no other, searched in rings around it,
 * so blocks added by clicking do not pile up on each other or on the model.
 */
export function freeSpot(taken: readonly Position[], center: Position): Position {
  const clear = (c: Position) => {
    const x = c.x - NODE_HALF.x;
    const y = c.y - NODE_HALF.y;
    return taken.every((t) => x + SIZE.w + 16 <= t.x || t.x + SIZE.w + 16 <= x || y + SIZE.h + 16 <= t.y || t.y + SIZE.h + 16 <= y);
  };
  if (clear(center)) return center;
  for (let ring = 1; ring <= 12; ring++) {
    for (let i = 0; i < ring * 8; i++) {
      const angle = (i / (ring * 8)) * 2 * Math.PI;
      const c = { x: center.x + Math.cos(angle) * ring * 70, y: center.y + Math.sin(angle) * ring * 50 };
      if (clear(c)) return c;
    }
  }
  return center;
}

/** Adds a block at a free spot near `center` (a click in the palette); returns where it went. */
export function addBlockNear(type: string, center: Position): { id: NodeId; at: Position } | null {
  const doc = useDocumentStore.getState().history?.present;
  const taken = doc ? doc.graph.nodes.map((n) => ({ x: n.ui?.x ?? 0, y: n.ui?.y ?? 0 })) : [];
  const at = freeSpot(taken, center);
  const id = addBlock(type, at);
  return id ? { id, at } : null;
}

/** What the palette puts on the drag for a saved group: `group:<definition id>`. */
export const GROUP_PREFIX = 'group:';

/**
 * Adds a block (a block type, or `group:<id>` for a saved group) centred at a canvas position,
 * selects it and shows it in the inspector.
 */
export function addBlock(type: string, center: Position): NodeId | null {
  const store = useDocumentStore.getState();
  const group = type.startsWith(GROUP_PREFIX) ? store.history?.present.graph.groups?.find((g) => g.id === type.slice(GROUP_PREFIX.length)) : undefined;
  if (!group && !getBlock(type)) return null;
  let id: NodeId | null = null;
  store.edit((doc) => {
    const at = snapped({ x: center.x - NODE_HALF.x, y: center.y - NODE_HALF.y });
    const added = group ? addNode(doc, GROUP_TYPE, { group: group.id }, at, group.id) : addNode(doc, type, defaultParams(type), at);
    id = added.id;
    return added.doc;
  });
  if (id) {
    store.select({ nodes: [id], edges: [] });
    useAppStore.getState().set({ sidebarTab: 'block' });
  }
  return id;
}
