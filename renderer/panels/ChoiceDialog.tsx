import { useEffect, useRef } from 'react';
import { useShellStore } from '../state/shellStore';

/** A question with several answers (Save / Don't save / Cancel); Escape or a click outside cancels. */
export function ChoiceDialog() {
  const choice = useShellStore((s) => s.choice);
  const primaryRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!choice) return;
    primaryRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        choice.resolve(null);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [choice]);
  if (!choice) return null;
  const id = choice.testId ?? 'choice';
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && choice.resolve(null)}>
      <div className="dialog" role="alertdialog" aria-modal="true" aria-labelledby="choice-title" aria-describedby="choice-text" data-testid={`${id}-dialog`}>
        <h2 id="choice-title">{choice.title}</h2>
        <p id="choice-text">{choice.text}</p>
        <div className="dialog-buttons">
          {choice.options.map((o) => (
            <button
              key={o.id}
              type="button"
              className={o.kind}
              ref={o.kind === 'primary' ? primaryRef : undefined}
              onClick={() => choice.resolve(o.id)}
              data-testid={`${id}-${o.id}`}
            >
              {o.label}
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
