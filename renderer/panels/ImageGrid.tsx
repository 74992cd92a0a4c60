import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DataSummary } from '../../engine/api';
import '../styles/images.css';

type Images = NonNullable<DataSummary['images']>;

/** base64 height × width × channels bytes (1 gray, 3 RGB) drawn on a canvas of that size. */
export function PixelCanvas({
  base64,
  width,
  height,
  channels,
  title,
  testId,
}: {
  base64: string;
  width: number;
  height: number;
  channels: number;
  title: string;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      for (let c = 0; c < 3; c++) img.data[i * 4 + c] = bytes[i * channels + (channels === 3 ? c : 0)] ?? 0;
      img.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [base64, width, height, channels]);
  return <canvas ref={ref} className="pixel-canvas" width={width} height={height} title={title} data-testid={testId} />;
}

/** A few pictures of each class, as the model gets them (resized, in its colour), one row a class. */
export function ImageGrid({ images }: { images: Images }) {
  const { t } = useTranslation();
  const byClass = new Map<string, Images['examples']>();
  for (const e of images.examples) byClass.set(e.label, [...(byClass.get(e.label) ?? []), e]);
  return (
    <div className="image-grid" data-testid="image-grid">
      <p className="small muted">
        {t('images.grid.caption', {
          height: images.height,
          width: images.width,
          color: t(images.channels === 3 ? 'images.color.rgb' : 'images.color.grayscale'),
        })}
      </p>
      {[...byClass].map(([label, examples]) => (
        <div key={label} className="image-grid-row" data-testid="image-grid-row" data-label={label}>
          <span className="class-name">{label}</span>
          <span className="image-grid-cells">
            {examples.map((e, i) => (
              <PixelCanvas key={i} base64={e.pixels} width={images.width} height={images.height} channels={images.channels} title={`${e.file} (${e.split})`} />
            ))}
          </span>
        </div>
      ))}
      {images.converted && (
        <p className="small issue-warning" data-testid="image-converted">
          {t('images.grid.converted', {
            count: images.converted.count,
            to: t(images.converted.to === 'rgb' ? 'images.color.rgb' : 'images.color.grayscale'),
            files: images.converted.files.join(', '),
          })}
        </p>
      )}
      {images.skipped && (
        <p className="small muted" data-testid="image-skipped">
          {t('images.grid.skipped', { count: images.skipped.count, files: images.skipped.files.join(', ') })}
        </p>
      )}
    </div>
  );
}

/** Train pictures and what augmentation makes of them: the engine's own augmentations, seeded. */
export function AugmentPreview({ images }: { images: Images }) {
  const { t } = useTranslation();
  if (!images.augmented?.length) return null;
  return (
    <div className="augment-preview" data-testid="augment-preview">
      <p className="small muted">{t('images.augment.previewCaption')}</p>
      {images.augmented.map((a, i) => (
        <div key={i} className="image-grid-row">
          <span className="class-name">{a.label}</span>
          <span className="image-grid-cells">
            <PixelCanvas base64={a.pixels} width={images.width} height={images.height} channels={images.channels} title={a.file} />
            <span className="arrow muted">→</span>
            {a.variants.map((v, k) => (
              <PixelCanvas
                key={k}
                base64={v}
                width={images.width}
                height={images.height}
                channels={images.channels}
                title={t('images.augment.variant', { n: k + 1 })}
              />
            ))}
          </span>
        </div>
      ))}
    </div>
  );
}
