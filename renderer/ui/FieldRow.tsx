import type { ReactNode } from 'react';

/** One labelled form row of the side panels: the label, its control, and its help below when there is one. */
export function FieldRow({ id, label, help, children }: { id: string; label: ReactNode; help?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <div className="field-row">
        <label htmlFor={id}>{label}</label>
        <div className="field-control">{children}</div>
      </div>
      {help ? <div className="field-help">{help}</div> : null}
    </div>
  );
}
