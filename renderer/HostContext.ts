import { createContext, useContext } from 'react';
import type { Actions } from './actions';
import type { Host } from './host/Host';

export interface HostContextValue {
  host: Host;
  actions: Actions;
}

export const HostContext = createContext<HostContextValue | null>(null);

/** The host and the actions built on it; only inside <App>. */
export function useHost(): HostContextValue {
  const value = useContext(HostContext);
  if (!value) throw new Error('useHost() outside <HostContext.Provider>');
  return value;
}
