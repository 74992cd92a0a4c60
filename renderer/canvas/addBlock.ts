import { getBlock } from '../../engine/blocks/registry';
import { useAppStore } from '../state/appStore';
import { useDocumentStore } from '../state/documentStore';
import { addNode, type Position } from '../state/edits';

/** The drag-and-drop type the palette puts a block type under. */
export const BLOCK_MIME = 'application/x-modelwright-block';

/** Nodes are about this big; a new one is centred where it was dropped. */
const NODE_HALF = { x: 100, y: 32 };

/** The block's params with every default filled in, so the file says what the model is. */
export function defaultParams(type: string): Record<string, unknown> {
  const block = getBlock(type);
  if (!block) return {};
  const parsed = block.params.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

/** Adds a block centred at a canvas position, selects it and shows it in the inspector. */
export function addBlock(type: string, center: Position): string | null {
  if (!getBlock(type)) return null;
  const store = useDocumentStore.getState();
  let id: string | null = null;
  store.edit((doc) => {
    const added = addNode(doc, type, defaultParams(type), { x: center.x - NODE_HALF.x, y: center.y - NODE_HALF.y });
    id = added.id;
    return added.doc;
  });
  if (id) {
    store.select({ nodes: [id], edges: [] });
    useAppStore.getState().set({ sidebarTab: 'block' });
  }
  return id;
}
