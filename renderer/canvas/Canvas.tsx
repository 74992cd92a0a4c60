/**
 * The graph canvas. Controlled: nodes and wires are derived from the Document, the analysis and
 * the selection on every render; every change the user makes goes through the document store,
 * so it is undoable. Only the measured sizes of nodes live here.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background,
  BackgroundVariant,
  ConnectionLineType,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import type { GraphIssue } from '../../engine/graph/types';
import { edgeId, nodeId, type EdgeId, type NodeId } from '../../engine/graph/document';
import { getBlock } from '../../engine/blocks/registry';
import { useAppStore } from '../state/appStore';
import { useAnalysis } from '../state/analysis';
import { useDoc, useDocumentStore } from '../state/documentStore';
import { connect, moveNodes, type Position } from '../state/edits';
import { useTrainingStore } from '../state/trainingStore';
import { paramSummary } from './paramSummary';
import { BlockNode, type BlockFlowNode, type BlockNodeData } from './BlockNode';
import { ShapeEdge, type ShapeFlowEdge } from './ShapeEdge';
import { addBlock, BLOCK_MIME } from './addBlock';

const nodeTypes = { block: BlockNode };
const edgeTypes = { shape: ShapeEdge };
const NO_ISSUES: readonly GraphIssue[] = [];

export function Canvas() {
  const doc = useDoc();
  const selection = useDocumentStore((s) => s.selection);
  const loadCount = useDocumentStore((s) => s.loadCount);
  const dataStatus = useAppStore((s) => s.data.status);
  const runIssuesAll = useTrainingStore((s) => s.run.error?.issues ?? NO_ISSUES);
  const runSource = useTrainingStore((s) => s.source);
  // The engine's complaints are about the document it was given; an edit since makes them stale.
  const runIssues = runSource === doc ? runIssuesAll : NO_ISSUES;
  const analysis = useAnalysis();
  const flow = useReactFlow<BlockFlowNode, ShapeFlowEdge>();
  const [measured, setMeasured] = useState<ReadonlyMap<NodeId, { width: number; height: number }>>(new Map());
  const dragStep = useRef(0);
  // The minimap covers a corner of the model, so it is off until asked for.
  const [showMap, setShowMap] = useState(false);
  const pending = dataStatus === 'loading' || dataStatus === 'idle';

  // Each node's data is rebuilt only when what it shows changes, so dragging one block does not
  // re-render every other (BlockNode is memoised on its props).
  const dataCache = useRef(new Map<NodeId, { deps: readonly unknown[]; data: BlockNodeData }>());
  const nodes = useMemo<BlockFlowNode[]>(() => {
    if (!doc || !analysis) return [];
    const cache = dataCache.current;
    const selected = new Set(selection.nodes);
    const blamed = new Map<NodeId, GraphIssue[]>();
    for (const issue of runIssues) if (issue.nodeId !== undefined) blamed.set(issue.nodeId, [...(blamed.get(issue.nodeId) ?? []), issue]);
    const fresh = new Map<NodeId, { deps: readonly unknown[]; data: BlockNodeData }>();
    const result = doc.graph.nodes.map((node): BlockFlowNode => {
      const deps = [node.type, node.params, analysis, runIssues, pending];
      const hit = cache.get(node.id);
      const data = hit && hit.deps.every((d, i) => d === deps[i]) ? hit.data : makeData(node.id, node.type, node.params);
      fresh.set(node.id, { deps, data });
      const size = measured.get(node.id);
      return {
        id: node.id,
        type: 'block',
        position: { x: node.ui?.x ?? 0, y: node.ui?.y ?? 0 },
        data,
        selected: selected.has(node.id),
        ...(size ? { measured: size } : {}),
      };
    });
    dataCache.current = fresh;
    return result;

    function makeData(id: NodeId, type: string, params: Record<string, unknown>): BlockNodeData {
      const node = { id, type, params };
      const block = getBlock(node.type);
      const filled = analysis!.raw.params[node.id] ?? node.params;
      const live = (analysis!.nodeIssues.get(node.id) ?? NO_ISSUES).filter((i) => !(pending && i.code === 'data-mismatch'));
      // What the engine said in the last run, unless the canvas already says the same.
      const fromRun = (blamed.get(node.id) ?? []).filter(
        (r) => !live.some((i) => i.message === r.message) && !(r.edgeId && analysis!.edgeIssues.has(r.edgeId)),
      );
      const own = fromRun.length ? [...live, ...fromRun] : live;
      const data: BlockNodeData = {
        type: node.type,
        category: block?.category ?? 'Unknown',
        summary: block ? paramSummary(node.type, filled) : 'not a block this version knows',
        inputs: block ? block.inputs.map((p) => ({ name: p.name, multiple: p.multiple === true })) : [],
        out: analysis!.nodeTypes[node.id] ?? null,
        issues: own,
        runIssue: blamed.has(node.id),
        pending,
        known: block !== undefined,
      };
      return data;
    }
  }, [doc, analysis, selection.nodes, runIssues, measured, pending]);

  const edges = useMemo<ShapeFlowEdge[]>(() => {
    if (!doc || !analysis) return [];
    const selected = new Set(selection.edges);
    return doc.graph.edges.map((edge) => {
      const issue = analysis.edgeIssues.get(edge.id)?.find((i) => !(pending && i.code === 'data-mismatch')) ?? null;
      return {
        id: edge.id,
        type: 'shape',
        source: edge.source,
        sourceHandle: edge.sourcePort,
        target: edge.target,
        targetHandle: edge.targetPort,
        selected: selected.has(edge.id),
        data: { type: analysis.edgeTypes[edge.id] ?? null, issue, pending },
      };
    });
  }, [doc, analysis, selection.edges, pending]);

  const measuredRef = useRef(measured);
  measuredRef.current = measured;

  // React Flow hands back node and wire ids as plain strings; here (and in onConnect) they become NodeId and EdgeId again.
  const onNodesChange = useCallback((changes: NodeChange<BlockFlowNode>[]) => {
    const store = useDocumentStore.getState();
    const moved = new Map<NodeId, Position>();
    let dragging = false;
    let sizes: Map<NodeId, { width: number; height: number }> | null = null;
    let select: Set<NodeId> | null = null;
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        moved.set(nodeId(change.id), { x: Math.round(change.position.x), y: Math.round(change.position.y) });
        dragging ||= change.dragging === true;
      } else if (change.type === 'dimensions' && change.dimensions) {
        sizes ??= new Map(measuredRef.current);
        sizes.set(nodeId(change.id), change.dimensions);
      } else if (change.type === 'select') {
        select ??= new Set(store.selection.nodes);
        if (change.selected) select.add(nodeId(change.id));
        else select.delete(nodeId(change.id));
      }
      // 'remove' is ignored: deleting goes through the Delete shortcut, as one undo step.
    }
    if (moved.size > 0) store.edit((doc) => moveNodes(doc, moved), `drag:${dragStep.current}`);
    if (!dragging && moved.size > 0) dragStep.current++;
    if (sizes) setMeasured(sizes);
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

  const onConnect = useCallback((c: Connection) => {
    const store = useDocumentStore.getState();
    const source = nodeId(c.source);
    const to = nodeId(c.target);
    const target = store.history?.present.graph.nodes.find((n) => n.id === to);
    const port = c.targetHandle ?? 'in';
    const many = target ? getBlock(target.type)?.inputs.find((p) => p.name === port)?.multiple === true : false;
    let wire: EdgeId | null = null;
    store.edit((doc) => {
      const result = connect(doc, { source, sourcePort: c.sourceHandle ?? 'out', target: to, targetPort: port }, many);
      wire = result.edgeId;
      return result.doc;
    });
    if (wire) store.select({ nodes: [], edges: [wire] });
  }, []);

  // Any wire from an output to an input may be drawn; a wrong one turns red and says why.
  const isValidConnection = useCallback<IsValidConnection<ShapeFlowEdge>>((c) => c.source !== c.target, []);

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

  // A newly opened document is fitted into view once its nodes have been measured.
  const fittedFor = useRef(0);
  useEffect(() => {
    if (loadCount === fittedFor.current || nodes.length === 0 || nodes.some((n) => !n.measured)) return;
    fittedFor.current = loadCount;
    requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.1 }));
  }, [loadCount, nodes, flow]);

  return (
    <div className="canvas" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<BlockFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeClick={() => useAppStore.getState().set({ sidebarTab: 'block' })}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        connectionLineType={ConnectionLineType.Bezier}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        colorMode="dark"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <Controls showInteractive={false} position="bottom-left" orientation="horizontal">
          <ControlButton
            onClick={() => setShowMap(!showMap)}
            title={showMap ? 'Hide the minimap' : 'Show the minimap'}
            aria-label="Toggle the minimap"
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
        </Controls>
        {showMap && <MiniMap pannable zoomable position="bottom-right" className="minimap" style={{ width: 150, height: 96 }} nodeClassName="minimap-node" />}
      </ReactFlow>
      {doc && doc.graph.nodes.length === 0 && <div className="canvas-empty">Drag blocks from the palette to start, or open an example.</div>}
    </div>
  );
}
