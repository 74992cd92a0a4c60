/**
 * The Host in a browser: the engine contract over the web host's WebSocket (engine/api.ts wire
 * protocol), and files through the browser's own pickers (browserFiles.ts).
 */
import {
  ENGINE_METHODS,
  type EngineApi,
  type EngineMethod,
  type TrainEvent,
  type TuneEvent,
  type WireClientMessage,
  type WireServerMessage,
} from '../../engine/api';
import { clearRecent, openDocument, openDropped, openRecent, readDocument, recentDocuments, saveDocument } from './browserFiles';
import type { ConnectionState, Host } from './Host';
import { t } from '../i18n';

const RECONNECT_MIN_MS = 300;
const RECONNECT_MAX_MS = 5_000;

/** The socket URL for this page: same host, `/api`, with the session token if the page had one. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const token = new URLSearchParams(location.search).get('token');
  return `${scheme}//${location.host}/api${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * One logical connection that survives dropped sockets: calls made while the socket is down
 * wait for the next one; calls in flight when it drops fail (the engine may or may not have
 * acted on them, so repeating them blindly would be wrong).
 */
class EngineSocket {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: WireClientMessage[] = [];
  private readonly eventListeners = new Set<(event: TrainEvent) => void>();
  private readonly tuneListeners = new Set<(event: TuneEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private state: ConnectionState = 'connecting';
  private delay = RECONNECT_MIN_MS;

  constructor(private readonly url: string) {
    this.connect();
  }

  call(method: EngineMethod, args: unknown[]): Promise<unknown> {
    const message: WireClientMessage = { kind: 'call', id: this.nextId++, method, args };
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
      else this.queue.push(message);
    });
  }

  onEvent(listener: (event: TrainEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onTune(listener: (event: TuneEvent) => void): () => void {
    this.tuneListeners.add(listener);
    return () => this.tuneListeners.delete(listener);
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    this.state = state;
    for (const listener of this.stateListeners) listener(state);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = RECONNECT_MIN_MS;
      this.setState('open');
      for (const message of this.queue.splice(0)) socket.send(JSON.stringify(message));
    };
    socket.onmessage = (frame) => this.receive(frame.data);
    // A refused or failed socket reports an error, then closes; the close handler reconnects.
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const inFlight = [...this.pending.entries()].filter(([id]) => !this.queue.some((m) => m.id === id));
      for (const [id, call] of inFlight) {
        this.pending.delete(id);
        call.reject(new Error(t('shell.host.lostConnection')));
      }
      this.setState('reconnecting');
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
    };
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: WireServerMessage;
    try {
      message = JSON.parse(data) as WireServerMessage;
    } catch {
      console.error('Modelwright: a frame from the engine was not JSON', data.slice(0, 200));
      return;
    }
    if (message.kind === 'event') {
      for (const listener of this.eventListeners) listener(message.event);
      return;
    }
    if (message.kind === 'tune') {
      for (const listener of this.tuneListeners) listener(message.event);
      return;
    }
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(new Error(message.error));
  }
}

/** Builds the EngineApi over a socket: one method per name in ENGINE_METHODS. */
function engineOver(socket: EngineSocket): EngineApi {
  const calls = Object.fromEntries(ENGINE_METHODS.map((method) => [method, (...args: unknown[]) => socket.call(method, args)])) as unknown as Omit<
    EngineApi,
    'onTrainEvent' | 'onTuneEvent'
  >;
  return { ...calls, onTrainEvent: (listener) => socket.onEvent(listener), onTuneEvent: (listener) => socket.onTune(listener) };
}

export function createWebHost(location: Pick<Location, 'protocol' | 'host' | 'search'> = window.location): Host {
  const socket = new EngineSocket(socketUrl(location));
  return {
    kind: 'web',
    engine: engineOver(socket),
    openDocument,
    saveDocument,
    readDocument,
    recentDocuments,
    openRecent,
    clearRecent,
    openDropped,
    openExternal: (url) => void window.open(url, '_blank', 'noopener,noreferrer'),
    onConnectionChange: (listener) => socket.onState(listener),
  };
}
