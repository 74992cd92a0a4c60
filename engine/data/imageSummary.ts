/** What a data summary says about image data (DataSummary.images). */

/** One picture as the model gets it before scaling: height × width × channels bytes, base64. */
export interface ImageExample {
  label: string;
  split: 'train' | 'dev' | 'test';
  /** Where it came from: a path under the folder (or the CSV's row), or "digit 12" of a built-in. */
  file: string;
  pixels: string;
}

/** How pictures are turned into inputs, resolved: what prediction and the exports repeat. */
export interface ResolvedImage {
  height: number;
  width: number;
  channels: 1 | 3;
  fit: 'pad' | 'stretch';
  scale: 'unit' | 'standardize';
  /** Per channel, of pixel/255 on the train split (0 and 1 for `unit`, where they are not used). */
  mean: number[];
  std: number[];
}

/** The pictures' size, colour and scaling (over the train split), and a few of them. */
export interface ImageSummary extends ResolvedImage {
  /** A few pictures of each class (up to EXAMPLES_PER_CLASS), classes in order. */
  examples: ImageExample[];
  /** Train pictures and what augmentation makes of them (each `variants` as `pixels`), when augmentation is on. */
  augmented?: { file: string; label: string; pixels: string; variants: string[] }[];
  /** Pictures whose colour was converted to the chosen one (a few of their paths, and how many in all). */
  converted?: { count: number; to: 'grayscale' | 'rgb'; files: string[] };
  /** Files in the folders that are not PNG or JPEG by name and were left out (a few, and how many). */
  skipped?: { count: number; files: string[] };
}
