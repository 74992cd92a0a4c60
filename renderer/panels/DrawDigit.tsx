import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

const SIDE = 224;
const PEN = 20;

/**
 * A small black canvas to draw a digit on in white. When a stroke ends, the drawing is framed as
 * MNIST frames its digits (the strokes' bounding box scaled into the middle 20/28 of a black
 * square, centred) and handed on as PNG bytes, base64; the model's own preprocessing then
 * resizes it as it resized its training pictures.
 */
export function DrawDigit({ onDrawn, onCleared, disabled }: { onDrawn(pngBase64: string): void; onCleared(): void; disabled?: boolean }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const ink = useRef(false);

  const ctx = () => ref.current?.getContext('2d') ?? null;
  const clear = () => {
    const c = ctx();
    if (!c) return;
    c.fillStyle = '#000';
    c.fillRect(0, 0, SIDE, SIDE);
    ink.current = false;
    onCleared();
  };
  const at = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * SIDE, y: ((e.clientY - r.top) / r.height) * SIDE };
  };
  const stroke = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    const c = ctx();
    if (!c) return;
    c.strokeStyle = '#fff';
    c.lineWidth = PEN;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
    ink.current = true;
  };
  const finish = () => {
    if (!last.current) return;
    last.current = null;
    const canvas = ref.current;
    if (!canvas || !ink.current) return;
    onDrawn(framed(canvas));
  };
  return (
    <div className="draw-digit">
      <canvas
        ref={(el) => {
          (ref as React.MutableRefObject<HTMLCanvasElement | null>).current = el;
          if (el && !el.dataset.ready) {
            el.dataset.ready = '1';
            const c = el.getContext('2d');
            if (c) {
              c.fillStyle = '#000';
              c.fillRect(0, 0, SIDE, SIDE);
            }
          }
        }}
        width={SIDE}
        height={SIDE}
        className={disabled ? 'draw-canvas disabled' : 'draw-canvas'}
        aria-label={t('images.draw.canvasLabel')}
        data-testid="draw-canvas"
        onPointerDown={(e) => {
          if (disabled) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          const p = at(e);
          last.current = p;
          stroke(p, p);
        }}
        onPointerMove={(e) => {
          if (!last.current) return;
          const p = at(e);
          stroke(last.current, p);
          last.current = p;
        }}
        onPointerUp={finish}
        onPointerCancel={finish}
      />
      <button type="button" onClick={clear} disabled={disabled} data-testid="draw-clear">
        {t('images.draw.clear')}
      </button>
    </div>
  );
}

/**
 * The drawing framed like an MNIST digit: its ink's box scaled to fit 20/28 of a black square,
 * then moved so its centre of mass is the square's centre (as MNIST's digits were); PNG base64.
 */
function framed(canvas: HTMLCanvasElement): string {
  const c = canvas.getContext('2d')!;
  const { data } = c.getImageData(0, 0, SIDE, SIDE);
  let x0 = SIDE;
  let y0 = SIDE;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++)
      if (data[(y * SIDE + x) * 4]! > 32) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
  const out = document.createElement('canvas');
  const side = 112;
  out.width = side;
  out.height = side;
  const o = out.getContext('2d')!;
  o.fillStyle = '#000';
  o.fillRect(0, 0, side, side);
  if (x1 >= 0) {
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const scale = (side * (20 / 28)) / Math.max(w, h);
    const sw = w * scale;
    const sh = h * scale;
    // The ink's centre of mass, in the scaled box.
    let mass = 0;
    let mx = 0;
    let my = 0;
    for (let y = y0; y <= y1; y++)
      for (let x = x0; x <= x1; x++) {
        const v = data[(y * SIDE + x) * 4]!;
        mass += v;
        mx += v * (x - x0 + 0.5);
        my += v * (y - y0 + 0.5);
      }
    const cx = mass > 0 ? (mx / mass) * scale : sw / 2;
    const cy = mass > 0 ? (my / mass) * scale : sh / 2;
    const left = Math.min(side - sw, Math.max(0, side / 2 - cx));
    const top = Math.min(side - sh, Math.max(0, side / 2 - cy));
    o.imageSmoothingQuality = 'high';
    o.drawImage(canvas, x0, y0, w, h, left, top, sw, sh);
  }
  return out.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
