import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AugmentSpec, ImageSpec } from '../../engine/graph/document';
import { FieldRow } from '../ui/FieldRow';

const NO_AUGMENT: AugmentSpec = { shift: 0, flip: false, rotate: 0, crop: 0 };

/** A number typed as a draft and committed, when valid, on blur or Enter. */
function NumberField({
  id,
  label,
  value,
  min,
  max,
  step,
  help,
  onCommit,
}: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  help?: string;
  onCommit(v: number): void;
}) {
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  const commit = () => {
    const n = Number(draft);
    if (draft.trim() !== '' && Number.isFinite(n) && n >= min && n <= max && (step !== 1 || Number.isInteger(n))) {
      if (n !== value) onCommit(n);
    } else setDraft(String(value));
  };
  return (
    <FieldRow id={id} label={label} help={help}>
      <input
        id={id}
        type="number"
        className="narrow-input"
        value={draft}
        min={min}
        max={max}
        step={step ?? 'any'}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
        data-testid={id}
      />
    </FieldRow>
  );
}

function SelectField<T extends string>({
  id,
  label,
  value,
  options,
  help,
  onCommit,
}: {
  id: string;
  label: string;
  value: T;
  options: readonly { value: T; label: string }[];
  help?: string;
  onCommit(v: T): void;
}) {
  return (
    <FieldRow id={id} label={label} help={help}>
      <select id={id} className="wide-input" value={value} onChange={(e) => onCommit(e.target.value as T)} data-testid={id}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldRow>
  );
}

/** How pictures become inputs: size, colour, fit and scaling, and the train split's augmentation. */
export function ImageSettings({ image, onCommit }: { image: ImageSpec; onCommit(image: ImageSpec, key: string): void }) {
  const { t } = useTranslation();
  const [height, width] = image.size;
  const augment = image.augment ?? NO_AUGMENT;
  const setAugment = (patch: Partial<AugmentSpec>, key: string) => onCommit({ ...image, augment: { ...augment, ...patch } }, `augment.${key}`);
  return (
    <div className="fields" data-testid="image-settings">
      <NumberField
        id="image-height"
        label={t('images.settings.height')}
        value={height}
        min={1}
        max={1024}
        step={1}
        onCommit={(h) => onCommit({ ...image, size: [h, width] }, 'size')}
      />
      <NumberField
        id="image-width"
        label={t('images.settings.width')}
        value={width}
        min={1}
        max={1024}
        step={1}
        help={t('images.settings.sizeHelp')}
        onCommit={(w) => onCommit({ ...image, size: [height, w] }, 'size')}
      />
      <SelectField
        id="image-color"
        label={t('images.settings.color')}
        value={image.color}
        options={[
          { value: 'grayscale', label: t('images.color.grayscale') },
          { value: 'rgb', label: t('images.color.rgb') },
        ]}
        help={t('images.settings.colorHelp')}
        onCommit={(color) => onCommit({ ...image, color }, 'color')}
      />
      <SelectField
        id="image-fit"
        label={t('images.settings.fit')}
        value={image.fit}
        options={[
          { value: 'pad', label: t('images.settings.fitPad') },
          { value: 'stretch', label: t('images.settings.fitStretch') },
        ]}
        onCommit={(fit) => onCommit({ ...image, fit }, 'fit')}
      />
      <SelectField
        id="image-scale"
        label={t('images.settings.scale')}
        value={image.scale}
        options={[
          { value: 'unit', label: t('images.settings.scaleUnit') },
          { value: 'standardize', label: t('images.settings.scaleStandardize') },
        ]}
        onCommit={(scale) => onCommit({ ...image, scale }, 'scale')}
      />
      <h4 className="section">{t('images.augment.title')}</h4>
      <p className="small muted">{t('images.augment.help')}</p>
      <NumberField
        id="augment-shift"
        label={t('images.augment.shift')}
        value={augment.shift}
        min={0}
        max={0.5}
        help={t('images.augment.shiftHelp')}
        onCommit={(shift) => setAugment({ shift }, 'shift')}
      />
      <NumberField
        id="augment-rotate"
        label={t('images.augment.rotate')}
        value={augment.rotate}
        min={0}
        max={45}
        help={t('images.augment.rotateHelp')}
        onCommit={(rotate) => setAugment({ rotate }, 'rotate')}
      />
      <NumberField
        id="augment-crop"
        label={t('images.augment.crop')}
        value={augment.crop}
        min={0}
        max={0.5}
        help={t('images.augment.cropHelp')}
        onCommit={(crop) => setAugment({ crop }, 'crop')}
      />
      <div className="field">
        <div className="field-row">
          <label htmlFor="augment-flip">{t('images.augment.flip')}</label>
          <div className="field-control">
            <input
              id="augment-flip"
              type="checkbox"
              checked={augment.flip}
              onChange={(e) => setAugment({ flip: e.target.checked }, 'flip')}
              data-testid="augment-flip"
            />
          </div>
        </div>
        <div className="field-help">{t('images.augment.flipHelp')}</div>
      </div>
    </div>
  );
}
