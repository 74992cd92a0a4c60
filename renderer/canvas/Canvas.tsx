/**
 * The graph canvas. Controlled: nodes and wires are derived from the Document, the analysis and
 * the selection on every render; every change the user makes goes through the document store,
 * so it is undoable. Only the measured sizes of nodes live here.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useConnection,
  useReactFlow,
  useStore,
  useUpdateNodeInternals,
  type Connection,
  type FinalConnectionState,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import type { GraphIssue } from '../../engine/graph/types';
import { edgeId, nodeId, type EdgeId, type NodeId } from '../../engine/graph/document';
import { useAppStore } from '../state/appStore';
import { useAnalysedGraph } from '../state/analysis';
import { useDoc, useDocumentStore } from '../state/documentStore';
import { connect, moveNodes, type Position } from '../state/edits';
import { BlockSearch } from './BlockSearch';
import { SelectionBar } from './SelectionBar';
import { GRID, useCanvasPrefs } from './canvasPrefs';
import { flowDirection, tidyLayout, type LayoutDirection } from './layout';
import { refusalFor, refusalWords, type FlowConnection } from './wireRefusal';
import { TemplateGallery } from '../panels/TemplateGallery';
import '../styles/editor.css';
import { useTrainingStore } from '../state/trainingStore';
import { BlockNode, type BlockFlowNode } from './BlockNode';
import { ShapeEdge, type ShapeEdgeData, type ShapeFlowEdge } from './ShapeEdge';
import { stableLooks, useCanvasLooks } from './looks';
import { addBlock, BLOCK_MIME } from './addBlock';
import { blockDataById, edgeDataById, stableEdges, stableNodes, unanalysedData } from './flowElements';

const nodeTypes = { block: BlockNode };
const edgeTypes = { shape: ShapeEdge };
const NO_ISSUES: readonly GraphIssue[] = [];
// React Flow's props, made once: a new array or function each render makes React Flow update its
// store (snapGrid) or re-render every node wrapper (onNodeClick), 300 of them at a keystroke.
const SNAP_GRID: [number, number] = [GRID, GRID];
const MULTI_SELECT_KEYS = ['Meta', 'Control', 'Shift'];
const PRO_OPTIONS = { hideAttribution: true };
/** A wire the analysis says nothing of (not yet analysed, or nothing known). */
const UNKNOWN_WIRE: ShapeEdgeData = Object.freeze({ type: null, issue: null, pending: false });
const UNKNOWN_WIRE_PENDING: ShapeEdgeData = Object.freeze({ type: null, issue: null, pending: true });
const showBlockTab = () => useAppStore.getState().set({ sidebarTab: 'block' });
/**
 * Below this zoom a block's small print (12 px at 100%) would be under 5.5 px high: the canvas then
 * draws each block as its type in large letters and hides the wire labels (app.css, `.canvas.far`).
 */
export const FAR_ZOOM = 0.45;
const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

export function Canvas() {
  const doc = useDoc();
  const selection = useDocumentStore((s) => s.selection);
  const loadCount = useDocumentStore((s) => s.loadCount);
  const dataStatus = useAppStore((s) => s.data.status);
  const runIssuesAll = useTrainingStore((s) => s.run.error?.issues ?? NO_ISSUES);
  const runSource = useTrainingStore((s) => s.source);
  // The engine's complaints are about the document it was given; an edit since makes them stale.
  const runIssues = runSource === doc ? runIssuesAll : NO_ISSUES;
  const analysed = useAnalysedGraph();
  const flow = useReactFlow<BlockFlowNode, ShapeFlowEdge>();
  const { t } = useTranslation();
  const far = useStore(isFar);
  const [measured, setMeasured] = useState<ReadonlyMap<NodeId, { width: number; height: number }>>(new Map());
  // Where the blocks under a drag are, frame by frame. The document learns where they landed
  // once, when the drag ends (one undo step, as before): a document change at every frame
  // re-rendered every panel that reads the document (toolbar, inspector, status bar) 60 times a
  // second, for a position none of them shows.
  const [dragged, setDragged] = useState<ReadonlyMap<NodeId, Position> | null>(null);
  const draggedRef = useRef<ReadonlyMap<NodeId, Position> | null>(null);
  // The minimap covers a corner of the model, so it is off until asked for.
  const [showMap, setShowMap] = useState(false);
  const pending = dataStatus === 'loading' || dataStatus === 'idle';

  // What each block and wire says comes from the analysis (deferred: it catches up with an edit
  // just after the edit paints); where the blocks stand, what is selected and which wires exist
  // follow the document at once, so a drag never waits for inference. Both keep their objects
  // across renders when unchanged (flowElements.ts): React Flow re-renders only what changed.
  const vertical = useMemo(() => (doc ? doc.graph.nodes.length > 0 && flowDirection(doc.graph) === 'TB' : false), [doc?.graph]);
  const dataCache = useRef<ReturnType<typeof blockDataById>>(new Map());
  const analysis = analysed?.analysis ?? null;
  // While a block is dragged only `dragged` changes (the document learns where it landed at the
  // end); the analysed graph and its analysis are kept while only positions change
  // (useAnalysedGraph), so a landing re-runs nothing here but the positions.
  const analysedGraph = analysed?.graph;
  const blockData = useMemo(() => {
    if (!analysis || !analysedGraph) return dataCache.current;
    const ctx = { graph: analysedGraph, analysis, runIssues, pending, vertical, t };
    return (dataCache.current = blockDataById(ctx, dataCache.current));
  }, [analysis, analysedGraph, runIssues, pending, vertical, t]);
  const graphNodes = doc?.graph.nodes;
  const graph = doc?.graph;
  const blockLooks = useMemo(() => {
    const previous = useCanvasLooks.getState().blocks;
    if (!graph || !analysis) return previous.size === 0 ? previous : new Map();
    // A block added since the analysis ran says nothing yet; it is told a moment later. So does
    // one whose id the analysed graph gave another type (a document just opened, not analysed yet).
    return stableLooks(
      previous,
      graph.nodes,
      (node) => node.id,
      (node) => {
        const entry = blockData.get(node.id);
        return entry?.type === node.type ? entry.data : unanalysedData(node, graph, pending, vertical, t);
      },
    );
  }, [graph, analysis, blockData, pending, vertical, t]);
  const flowNodes = useRef<BlockFlowNode[]>([]);
  const nodes = useMemo<BlockFlowNode[]>(() => {
    if (!graphNodes || !analysis) return (flowNodes.current = []);
    return (flowNodes.current = stableNodes(flowNodes.current, graphNodes, new Set(selection.nodes), measured, dragged ?? undefined));
  }, [graphNodes, analysis, selection.nodes, measured, dragged]);

  const edgeCache = useRef<ReturnType<typeof edgeDataById>>(new Map());
  const edgeData = useMemo(
    () => (analysis ? (edgeCache.current = edgeDataById(analysis, pending, edgeCache.current)) : edgeCache.current),
    [analysis, pending],
  );
  const wires = doc?.graph.edges;
  const wireLooks = useMemo(() => {
    const previous = useCanvasLooks.getState().wires;
    if (!wires || !analysis) return previous.size === 0 ? previous : new Map();
    const unknown = pending ? UNKNOWN_WIRE_PENDING : UNKNOWN_WIRE;
    return stableLooks(
      previous,
      wires,
      (wire) => wire.id,
      (wire) => edgeData.get(wire.id) ?? unknown,
    );
  }, [wires, analysis, edgeData, pending]);
  const flowEdges = useRef<ShapeFlowEdge[]>([]);
  const edges = useMemo<ShapeFlowEdge[]>(() => {
    if (!wires || !analysis) return (flowEdges.current = []);
    return (flowEdges.current = stableEdges(flowEdges.current, wires, new Set(selection.edges)));
  }, [wires, analysis, selection.edges]);
  // Published before the browser paints, so a block never shows an old look beside a new shape.
  useLayoutEffect(() => {
    const now = useCanvasLooks.getState();
    if (now.blocks !== blockLooks || now.wires !== wireLooks) useCanvasLooks.setState({ blocks: blockLooks, wires: wireLooks });
  }, [blockLooks, wireLooks]);

  // Ports that move to other edges of their blocks (a top-to-bottom layout) are measured again.
  const updateNodeInternals = useUpdateNodeInternals();
  useEffect(() => {
    const ids = useDocumentStore.getState().history?.present.graph.nodes.map((n) => n.id) ?? [];
    if (ids.length > 0) requestAnimationFrame(() => updateNodeInternals(ids));
  }, [vertical, updateNodeInternals]);

  const measuredRef = useRef(measured);
  measuredRef.current = measured;

  // React Flow hands back node and wire ids as plain strings; here (and in onConnect) they become NodeId and EdgeId again.
  const onNodesChange = useCallback((changes: NodeChange<BlockFlowNode>[]) => {
    const store = useDocumentStore.getState();
    const moved = new Map<NodeId, Position>();
    let dragging = false;
    const sizes: [NodeId, { width: number; height: number }][] = [];
    let select: Set<NodeId> | null = null;
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        moved.set(nodeId(change.id), { x: Math.round(change.position.x), y: Math.round(change.position.y) });
        dragging ||= change.dragging === true;
      } else if (change.type === 'dimensions' && change.dimensions) {
        sizes.push([nodeId(change.id), change.dimensions]);
      } else if (change.type === 'select') {
        select ??= new Set(store.selection.nodes);
        if (change.selected) select.add(nodeId(change.id));
        else select.delete(nodeId(change.id));
      }
      // 'remove' is ignored: deleting goes through the Delete shortcut, as one undo step.
    }
    if (moved.size > 0 && dragging) {
      draggedRef.current = new Map([...(draggedRef.current ?? []), ...moved]);
      setDragged(draggedRef.current);
    } else if (moved.size > 0) {
      // The drag's end (React Flow's last position change says dragging: false, also when a drag
      // is aborted) or a move by the keyboard.
      const landed = new Map([...(draggedRef.current ?? []), ...moved]);
      draggedRef.current = null;
      setDragged(null);
      store.edit((doc) => moveNodes(doc, landed));
    }
    // On what the state holds now, not on the last render's copy: React Flow reports sizes in
    // several batches, and a second batch before the next render must not drop the first (a node
    // left without its size draws no wire, and its size is never reported again).
    if (sizes.length > 0) setMeasured((before) => new Map([...before, ...sizes]));
    if (select) store.select({ nodes: [...select], edges: useDocumentStore.getState().selection.edges });
  }, []);
  const onEdgesChange = useCallback((changes: EdgeChange<ShapeFlowEdge>[]) => {
    const store = useDocumentStore.getState();
    let select: Set<EdgeId> | null = null;
    for (const change of changes) {
      if (change.type !== 'select') continue;
      select ??= new Set(store.selection.edges);
      if (change.selected) select.add(edgeId(change.id));
      else select.delete(edgeId(change.id));
    }
    if (select) store.select({ nodes: useDocumentStore.getState().selection.nodes, edges: [...select] });
  }, []);

  // A refused wire's reason, shown at the pointer for a moment after the mouse is let go.
  const [refused, setRefused] = useState<{ text: string; hint?: string; x: number; y: number } | null>(null);
  const refusedTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const canvasRef = useRef<HTMLDivElement>(null);
  const showRefusal = useCallback(
    (c: FlowConnection, client: { x: number; y: number }) => {
      const refusal = refusalFor(c);
      const box = canvasRef.current?.getBoundingClientRect();
      if (!refusal || !box) return;
      clearTimeout(refusedTimer.current);
      setRefused({ ...refusalWords(refusal, t), x: client.x - box.left, y: client.y - box.top });
      refusedTimer.current = setTimeout(() => setRefused(null), 4_000);
    },
    [t],
  );
  useEffect(() => () => clearTimeout(refusedTimer.current), []);

  const onConnect = useCallback((c: Connection) => {
    // React Flow asked isValidConnection already; asking again costs nothing (remembered) and
    // keeps the rule in one place should a connection arrive some other way.
    if (refusalFor(c)) return;
    const store = useDocumentStore.getState();
    let wire: EdgeId | null = null;
    store.edit((doc) => {
      const result = connect(doc, {
        source: nodeId(c.source),
        sourcePort: c.sourceHandle ?? 'out',
        target: nodeId(c.target),
        targetPort: c.targetHandle ?? 'in',
      });
      wire = result.edgeId;
      return result.doc;
    });
    if (wire) store.select({ nodes: [], edges: [wire] });
  }, []);

  // A wire that would make a loop, fill a taken input or join shapes that cannot meet is refused
  // while it is still under the pointer; the hint there says why.
  const isValidConnection = useCallback<IsValidConnection<ShapeFlowEdge>>((c) => refusalFor(c) === null, []);

  const onConnectEnd = useCallback(
    (event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid !== false || !state.toHandle || !state.fromHandle) return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (!point) return;
      const [from, to] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
      showRefusal({ source: from.nodeId, sourceHandle: from.id, target: to.nodeId, targetHandle: to.id }, { x: point.clientX, y: point.clientY });
    },
    [showRefusal],
  );

  // Double-click on the empty canvas: a block search there, and the block lands where it was asked for.
  const [search, setSearch] = useState<{ screen: Position; flow: Position } | null>(null);
  const onDoubleClick = useCallback(
    (e: ReactMouseEvent) => {
      const target = e.target as Element;
      if (!target.closest('.react-flow__pane') || target.closest('.react-flow__node, .react-flow__edge, .react-flow__controls')) return;
      const box = canvasRef.current?.getBoundingClientRect();
      if (!box) return;
      setSearch({ screen: { x: e.clientX - box.left, y: e.clientY - box.top }, flow: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
    },
    [flow],
  );
  const closeSearch = useCallback(() => setSearch(null), []);

  const snap = useCanvasPrefs((s) => s.snap);
  const layoutNow = useCallback(
    (direction: LayoutDirection) => {
      useDocumentStore.getState().edit((doc) => moveNodes(doc, tidyLayout(doc.graph, { direction, sizes: measuredRef.current })));
      requestAnimationFrame(() => requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.1, duration: 200 })));
    },
    [flow],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(BLOCK_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(BLOCK_MIME);
      if (!type) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addBlock(type, at);
    },
    [flow],
  );

  // A newly opened document is fitted into view once its nodes have been measured. An empty one
  // starts at the origin at 100%, and is not fitted later: the first block dropped on a blank
  // canvas stays where it was dropped instead of the view jumping to it.
  const fittedFor = useRef(0);
  useEffect(() => {
    if (loadCount === fittedFor.current || !doc) return;
    if (doc.graph.nodes.length === 0) {
      fittedFor.current = loadCount;
      void flow.setViewport({ x: 0, y: 0, zoom: 1 });
      return;
    }
    if (nodes.length === 0 || nodes.some((n) => !n.measured)) return;
    fittedFor.current = loadCount;
    requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.1 }));
  }, [loadCount, doc, nodes, flow]);

  return (
    <div className={far ? 'canvas far' : 'canvas'} ref={canvasRef} onDragOver={onDragOver} onDrop={onDrop} onDoubleClick={onDoubleClick} data-testid="canvas">
      <ReactFlow<BlockFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onNodeClick={showBlockTab}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        zoomOnDoubleClick={false}
        snapToGrid={snap}
        snapGrid={SNAP_GRID}
        connectionLineType={ConnectionLineType.Bezier}
        minZoom={0.2}
        maxZoom={2}
        proOptions={PRO_OPTIONS}
        colorMode="dark"
      >
        <Background variant={BackgroundVariant.Dots} gap={GRID} size={1.2} />
        <WireHint canvas={canvasRef} />
        <Controls showInteractive={false} position="bottom-left" orientation="horizontal">
          <ControlButton
            onClick={() => setShowMap(!showMap)}
            title={showMap ? t('canvas.minimap.hide') : t('canvas.minimap.show')}
            aria-label={t('canvas.minimap.toggle')}
            className={showMap ? 'on' : ''}
          >
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden>
              <path
                d="M1.5 3.5l4-1.5 5 1.5 4-1.5v10.5l-4 1.5-5-1.5-4 1.5zM5.5 2v10.5M10.5 3.5V14"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.4"
                strokeLinejoin="round"
              />
            </svg>
          </ControlButton>
          <ControlButton
            onClick={() => layoutNow('LR')}
            title={t('editor.controls.layoutAcross')}
            aria-label={t('editor.controls.layoutAcross')}
            data-testid="layout-lr"
          >
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden>
              <path d="M1.5 5.5h4v5h-4zM10.5 5.5h4v5h-4zM5.5 8h5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
            </svg>
          </ControlButton>
          <ControlButton
            onClick={() => layoutNow('TB')}
            title={t('editor.controls.layoutDown')}
            aria-label={t('editor.controls.layoutDown')}
            data-testid="layout-tb"
          >
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden>
              <path d="M5.5 1.5h5v4h-5zM5.5 10.5h5v4h-5zM8 5.5v5" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
            </svg>
          </ControlButton>
          <ControlButton
            onClick={() => useCanvasPrefs.getState().setSnap(!snap)}
            title={snap ? t('editor.controls.snapOn') : t('editor.controls.snapOff')}
            aria-label={snap ? t('editor.controls.snapOn') : t('editor.controls.snapOff')}
            aria-pressed={snap}
            className={snap ? 'on' : ''}
            data-testid="snap-toggle"
          >
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden>
              <path d="M2 2v12M6 2v12M10 2v12M14 2v12M2 2h12M2 6h12M2 10h12M2 14h12" fill="none" stroke="currentColor" strokeWidth="1" />
            </svg>
          </ControlButton>
        </Controls>
        {showMap && <MiniMap pannable zoomable position="bottom-right" className="minimap" style={{ width: 150, height: 96 }} nodeClassName="minimap-node" />}
      </ReactFlow>
      {doc && doc.graph.nodes.length === 0 && <div className="canvas-empty">{t('editor.empty')}</div>}
      {refused && (
        <div className="wire-refusal" style={{ left: refused.x, top: refused.y }} role="status" data-testid="wire-refusal">
          <strong>{t('editor.wire.refused')}</strong>
          <span>{refused.text}</span>
          {refused.hint && <span className="muted">{refused.hint}</span>}
        </div>
      )}
      <TemplateGallery />
      <SelectionBar />
      {search && (
        <BlockSearch
          at={search.screen}
          onClose={closeSearch}
          onPick={(type) => {
            setSearch(null);
            addBlock(type, search.flow);
          }}
        />
      )}
    </div>
  );
}

/**
 * While a wire is dragged over an input that refuses it, the reason, next to the pointer. It
 * re-renders with the connection (React Flow's store), not with the canvas.
 */
function WireHint({ canvas }: { canvas: { readonly current: HTMLDivElement | null } }) {
  const { t } = useTranslation();
  const flow = useReactFlow();
  const hint = useConnection((c) => {
    if (!c.inProgress || c.isValid !== false || !c.toHandle) return null;
    const [from, to] = c.fromHandle.type === 'source' ? [c.fromHandle, c.toHandle] : [c.toHandle, c.fromHandle];
    return { source: from.nodeId, sourceHandle: from.id, target: to.nodeId, targetHandle: to.id, x: c.to.x, y: c.to.y };
  });
  const refusal = hint ? refusalFor(hint) : null;
  const box = canvas.current?.getBoundingClientRect();
  if (!hint || !refusal || !box) return null;
  const at = flow.flowToScreenPosition({ x: hint.x, y: hint.y });
  const words = refusalWords(refusal, t);
  return (
    <div className="wire-refusal live" style={{ left: at.x - box.left, top: at.y - box.top }} role="status" data-testid="wire-refusal-live">
      <span>{words.text}</span>
    </div>
  );
}
