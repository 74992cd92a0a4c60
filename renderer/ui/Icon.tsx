/** The app's few icons, drawn as 16px strokes so they follow the text colour. */
const PATHS = {
  open: 'M2 4.5h4l1.5 1.5H14v6.5a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1z',
  save: 'M3 2.5h8l2.5 2.5v8a.5.5 0 0 1-.5.5H3a.5.5 0 0 1-.5-.5v-10a.5.5 0 0 1 .5-.5zM5 2.5v3.5h5V2.5M5 13.5V9.5h6v4',
  undo: 'M5.5 4 2.5 7l3 3M3 7h6.5a3.5 3.5 0 0 1 0 7H7',
  redo: 'M10.5 4l3 3-3 3M13 7H6.5a3.5 3.5 0 0 0 0 7H9',
  play: 'M5 3.5v9l7.5-4.5z',
  stop: 'M4.5 4.5h7v7h-7z',
  layout: 'M2.5 3h4v3.5h-4zM9.5 3h4v3.5h-4zM6 9.5h4V13H6zM6.5 4.75h3M11.5 6.5v1.5H8v1.5',
  fit: 'M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10',
  book: 'M2.5 3.5h4a1.5 1.5 0 0 1 1.5 1.5v8.5a1.5 1.5 0 0 0-1.5-1.5h-4zM13.5 3.5h-4A1.5 1.5 0 0 0 8 5v8.5a1.5 1.5 0 0 1 1.5-1.5h4z',
  keyboard: 'M1.5 4.5h13v7h-13zM4 7h1M7.5 7h1M11 7h1M5 9.5h6',
  chevron: 'M4 6l4 4 4-4',
  search: 'M7 2.5a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9zM10.5 10.5l3 3',
  warn: 'M8 2 1.5 13.5h13zM8 6.5v3.5M8 11.8v.2',
  close: 'M4 4l8 8M12 4l-8 8',
  collapse: 'M4 10l4-4 4 4',
  expand: 'M4 6l4 4 4-4',
  settings: 'M2.5 4.5h11M2.5 11.5h11M5.5 3v3M10.5 10v3',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg className={`icon${className ? ` ${className}` : ''}`} width="16" height="16" viewBox="0 0 16 16" aria-hidden focusable="false">
      <path
        d={PATHS[name]}
        fill={name === 'play' || name === 'stop' ? 'currentColor' : 'none'}
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
