import { useEffect, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { exportFormatName } from '../actions';
import { useHost } from '../HostContext';
import { useAppStore } from '../state/appStore';
import { useDirty, useDocumentStore } from '../state/documentStore';
import { useTrainingStore } from '../state/trainingStore';
import { rename } from '../state/edits';
import { Icon, type IconName } from '../ui/Icon';
import { useTranslation } from 'react-i18next';
import { COMMANDS, commandById, isEnabled, keyLabel, tidyUp, type CommandContext, type CommandId } from '../commands';
import { useShellStore } from '../state/shellStore';
import { RecoveryBanner } from './RecoveryBanner';
import { useMenu } from '../ui/useMenu';
import { openTemplateGallery } from './TemplateGallery';

function ToolButton(props: { icon: IconName; label: string; keys?: string; onClick(): void; disabled?: boolean; testId?: string }) {
  return (
    <button
      type="button"
      className="tool"
      onClick={props.onClick}
      disabled={props.disabled}
      title={props.keys ? `${props.label} (${keyLabel(props.keys)})` : props.label}
      aria-label={props.label}
      data-testid={props.testId}
    >
      <Icon name={props.icon} />
    </button>
  );
}

export function Toolbar() {
  const { t } = useTranslation();
  const { actions } = useHost();
  const flow = useReactFlow();
  const file = useDocumentStore((s) => s.file);
  const name = useDocumentStore((s) => s.history?.present.name ?? '');
  const dirty = useDirty();
  const canUndo = useDocumentStore((s) => (s.history?.past.length ?? 0) > 0);
  const canRedo = useDocumentStore((s) => (s.history?.future.length ?? 0) > 0);
  const store = useDocumentStore.getState;

  return (
    <header className="toolbar">
      <div className="brand">
        <img src="./favicon.svg" alt="" width="22" height="22" />
        <span>Modelwright</span>
      </div>
      <div className="doc-title">
        <DocName name={name} onRename={(next) => store().edit((doc) => rename(doc, next), 'rename')} />
        <span className="file-name" title={file.path ?? t('shell.toolbar.notSaved')} data-testid="file-name">
          {file.name}
          {dirty && (
            <span className="dirty" title={t('shell.toolbar.unsaved')} data-testid="dirty-marker">
              ●
            </span>
          )}
        </span>
      </div>
      <div className="tool-group">
        <FileMenu />
        <ToolButton icon="open" label={t('commands.file.open')} keys="CmdOrCtrl+O" onClick={() => void actions.openFile()} testId="open-button" />
        <ToolButton icon="save" label={t('commands.file.save')} keys="CmdOrCtrl+S" onClick={() => void actions.save()} testId="save-button" />
        <ExamplesMenu />
        <ExportMenu />
      </div>
      <div className="tool-group">
        <ToolButton icon="undo" label={t('commands.edit.undo')} keys="CmdOrCtrl+Z" onClick={() => store().undo()} disabled={!canUndo} testId="undo-button" />
        <ToolButton
          icon="redo"
          label={t('commands.edit.redo')}
          keys="CmdOrCtrl+Shift+Z"
          onClick={() => store().redo()}
          disabled={!canRedo}
          testId="redo-button"
        />
        <ToolButton icon="layout" label={t('commands.view.tidy')} keys="L" onClick={() => tidyUp(flow)} testId="tidy-button" />
        <ToolButton icon="fit" label={t('commands.view.fit')} keys="F" onClick={() => void flow.fitView({ padding: 0.15, duration: 200 })} />
      </div>
      <div className="spacer" />
      <RecoveryBanner />
      <ToolButton icon="keyboard" label={t('commands.help.shortcuts')} keys="?" onClick={() => useAppStore.getState().set({ showShortcuts: true })} />
    </header>
  );
}

/** The document's name, edited in place; Enter or leaving the field renames (one undo step). */
function DocName({ name, onRename }: { name: string; onRename(name: string): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(name);
  useEffect(() => setDraft(name), [name]);
  const commit = () => {
    const next = draft.trim();
    if (next && next !== name) onRename(next);
    else setDraft(name);
  };
  return (
    <input
      className="doc-name"
      value={draft}
      size={Math.max(8, Math.min(draft.length + 1, 40))}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') e.currentTarget.blur();
        if (e.key === 'Escape') {
          setDraft(name);
          e.currentTarget.blur();
        }
      }}
      aria-label={t('shell.toolbar.modelName')}
      spellCheck={false}
    />
  );
}

/**
 * The File menu: the table's file commands with their keys (one table with the native menu),
 * and the recent files. In the desktop app the native menu bar has the same items.
 */
function FileMenu() {
  const { t } = useTranslation();
  const { host, actions } = useHost();
  const flow = useReactFlow();
  const { open, setOpen, ref } = useMenu();
  const recent = useShellStore((s) => s.recent);
  // Re-render while open so enabled states are current; closed, an edit (a keystroke) leaves it alone.
  useDocumentStore((s) => (open ? s.history : null));
  useTrainingStore((s) => (open ? s.run.status : null));
  const ctx: CommandContext = { host, actions, flow };
  const file = COMMANDS.filter((c) => c.menu === 'file' && c.only !== 'desktop');
  const item = (id: CommandId) => {
    const c = commandById(id);
    if (!c) return null;
    const keys = c.keys?.[0];
    return (
      <button
        key={id}
        type="button"
        role="menuitem"
        disabled={!isEnabled(c, ctx)}
        data-testid={`menu-${id}`}
        onClick={() => {
          setOpen(false);
          void c.run(ctx);
        }}
      >
        <span className="menu-row">
          <span>{t(`commands.${id}`)}</span>
          {keys && <kbd className="menu-keys">{keyLabel(keys)}</kbd>}
        </span>
      </button>
    );
  };
  const rows: React.ReactNode[] = [];
  let group = -1;
  for (const c of file) {
    if (group !== -1 && c.group !== group) rows.push(<div key={`sep-${c.id}`} className="menu-sep" role="separator" />);
    group = c.group;
    rows.push(item(c.id));
    if (c.id === 'file.open') {
      rows.push(
        <div key="recent" className="menu-recent" role="group" aria-label={t('commands.file.openRecent')} data-testid="recent-files">
          <div className="menu-empty">{t('commands.file.openRecent')}</div>
          {recent.length === 0 && <div className="menu-empty small">{t('shell.recent.empty')}</div>}
          {recent.slice(0, 10).map((r) => (
            <button
              key={r.path}
              type="button"
              role="menuitem"
              title={r.path}
              data-testid="recent-file"
              onClick={() => {
                setOpen(false);
                void actions.openRecent(r.path);
              }}
            >
              <span>{r.name}</span>
            </button>
          ))}
          {recent.length > 0 && (
            <button
              type="button"
              role="menuitem"
              onClick={() => {
                setOpen(false);
                void host.clearRecent().then(() => useShellStore.getState().set({ recent: [] }));
              }}
            >
              <span className="muted small">{t('commands.file.clearRecent')}</span>
            </button>
          )}
        </div>,
      );
    }
  }
  return (
    <div className="menu" ref={ref}>
      <button type="button" className="tool wide" onClick={() => setOpen(!open)} aria-haspopup="menu" aria-expanded={open} data-testid="file-menu">
        <span>{t('commands.menu.file')}</span>
        <Icon name="chevron" />
      </button>
      {open && (
        <div className="menu-list" role="menu">
          {rows}
        </div>
      )}
    </div>
  );
}

/** File → Export: the last finished run's model as a PyTorch project, ONNX or tfjs files. */
function ExportMenu() {
  const { t } = useTranslation();
  const { actions } = useHost();
  const { open, setOpen, ref } = useMenu();
  const finished = useTrainingStore((s) => s.run.status === 'done' && s.run.runId !== null);
  return (
    <div className="menu" ref={ref}>
      <button
        type="button"
        className="tool wide"
        onClick={() => setOpen(!open)}
        aria-haspopup="menu"
        aria-expanded={open}
        title={finished ? t('shell.toolbar.exportTitle') : t('shell.toolbar.exportFirst')}
        data-testid="export-button"
      >
        <Icon name="save" />
        <span>{t('shell.toolbar.export')}</span>
        <Icon name="chevron" />
      </button>
      {open && (
        <div className="menu-list" role="menu">
          {!finished && <div className="menu-empty">{t('shell.toolbar.trainToExport')}</div>}
          {(['pytorch', 'onnx', 'tfjs'] as const).map((format) => (
            <button
              key={format}
              type="button"
              role="menuitem"
              disabled={!finished}
              data-testid={`export-${format}`}
              onClick={() => {
                setOpen(false);
                void actions.exportRun(format);
              }}
            >
              <span>{exportFormatName(format)}…</span>
              <span className="muted small">{t(`shell.exportFormatDetail.${format}`)}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

function ExamplesMenu() {
  const { t } = useTranslation();
  const { actions } = useHost();
  const examples = useAppStore((s) => s.examples);
  const { open, setOpen, ref } = useMenu();
  return (
    <div className="menu" ref={ref}>
      <button type="button" className="tool wide" onClick={() => setOpen(!open)} aria-haspopup="menu" aria-expanded={open} data-testid="examples-button">
        <Icon name="book" />
        <span>{t('shell.toolbar.examples')}</span>
        <Icon name="chevron" />
      </button>
      {open && (
        <div className="menu-list" role="menu">
          <button
            type="button"
            role="menuitem"
            data-testid="new-document"
            onClick={() => {
              setOpen(false);
              void actions.newDocument();
            }}
          >
            <span>{t('shell.toolbar.blank')}</span>
            <span className="muted small">{t('shell.toolbar.blankDetail')}</span>
          </button>
          {/* The editor's templates gallery (renderer/panels/TemplateGallery.tsx). */}
          <button
            type="button"
            role="menuitem"
            data-testid="new-from-template"
            onClick={() => {
              setOpen(false);
              openTemplateGallery();
            }}
          >
            <span>{t('templates.menu')}</span>
            <span className="muted small">{t('templates.menuNote')}</span>
          </button>
          <div className="menu-sep" role="separator" />
          {examples.length === 0 && <div className="menu-empty">{t('shell.toolbar.noExamples')}</div>}
          {examples.map((example) => (
            <button
              key={example.file}
              type="button"
              role="menuitem"
              data-testid={`example-${example.file}`}
              onClick={() => {
                setOpen(false);
                void actions.openExample(example.file);
              }}
            >
              <span>{example.name}</span>
              <span className="muted small">{example.file}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
