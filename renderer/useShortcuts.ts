/**
 * Keyboard shortcuts: every key of the command table (renderer/commands.ts), in every host.
 * Inside text fields the field's own keys win, except for the commands marked `inFields`
 * (Save, Open, Train, Stop). Copy, cut and paste of blocks also answer the DOM's clipboard
 * events, which is what the desktop's native Edit menu sends.
 */
import { useEffect, useMemo } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { Actions } from './actions';
import { useHost } from './HostContext';
import { commandById, commandForKey, isEnabled, type CommandContext } from './commands';
import { useAppStore } from './state/appStore';
import { useDocumentStore } from './state/documentStore';
import { useShellStore } from './state/shellStore';

export { keyLabel, tidyUp } from './commands';

function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range'].includes(target.type);
}

export function useShortcuts(actions: Actions): void {
  const flow = useReactFlow();
  const { host } = useHost();
  const ctx: CommandContext = useMemo(() => ({ actions, host, flow }), [actions, host, flow]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A dialog handles its own keys.
      if (useAppStore.getState().confirmation || useShellStore.getState().choice) return;
      const command = commandForKey(e);
      if (!command) return;
      if (inTextField(e.target) && !command.inFields) return;
      // Copy with nothing of ours selected leaves the browser's own copy alone (text on the page).
      if (command.role === 'copy' || command.role === 'cut') {
        if (useDocumentStore.getState().selection.nodes.length === 0) return;
      }
      if (!isEnabled(command, ctx)) return;
      e.preventDefault();
      void command.run(ctx);
    };
    // The native Edit menu's Cut / Copy / Paste arrive as clipboard events.
    const onClipboard = (id: 'edit.copy' | 'edit.cut' | 'edit.paste') => (e: ClipboardEvent) => {
      if (e.defaultPrevented || inTextField(e.target) || inTextField(document.activeElement)) return;
      if (id !== 'edit.paste' && useDocumentStore.getState().selection.nodes.length === 0) return;
      const command = commandById(id);
      if (!command) return;
      e.preventDefault();
      void command.run(ctx);
    };
    const copy = onClipboard('edit.copy');
    const cut = onClipboard('edit.cut');
    const paste = onClipboard('edit.paste');
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', paste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', paste);
    };
  }, [ctx]);
}

/** Mounts the shortcuts; lives inside the React Flow provider so "F" can fit the view. */
export function Shortcuts({ actions }: { actions: Actions }) {
  useShortcuts(actions);
  return null;
}
