/**
 * Weights in and out of the tfjs artifact format (a weight manifest + one binary): what run
 * folders hold for the final model, each checkpoint's model, optimizer and best epoch, and what
 * prediction, resuming and the exports load back, matched by name and shape.
 */
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { SavedWeights } from './runStore';

/** A tensor with its weight name (tfjs-core's NamedTensor, which its index does not export). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Named tensors in the artifact format (no topology). */
export async function encodeNamed(named: NamedTensor[]): Promise<SavedWeights> {
  const { data, specs } = await tf.io.encodeWeights(named);
  return { modelTopology: null, weightSpecs: specs.map((s) => ({ name: s.name, shape: s.shape, dtype: s.dtype })), weightData: data as ArrayBuffer };
}

/** The trained weights of `model` in the tfjs artifact format, with its topology where it serialises. */
export async function captureWeights(model: tfl.LayersModel): Promise<SavedWeights> {
  const saved = await encodeNamed(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
  try {
    saved.modelTopology = model.toJSON(null, false) as object;
  } catch {
    // A layer without a serialiser: the Document rebuilds the model, so weights alone suffice.
  }
  return saved;
}

/** An optimizer's state (Adam moments, iteration count) in the same artifact format. */
export async function captureOptimizer(optimizer: tf.Optimizer): Promise<SavedWeights> {
  const named = await optimizer.getWeights();
  try {
    return await encodeNamed(named);
  } finally {
    // getWeights returns the live state variables plus a fresh iteration-count scalar: free that one only.
    for (const w of named) if (w.name === 'iter') w.tensor.dispose();
  }
}

/** Saved weights as tensors by name, in the file's order (the caller disposes them). */
export function decodeSaved(saved: SavedWeights): NamedTensor[] {
  const map = tf.io.decodeWeights(saved.weightData, saved.weightSpecs as tf.io.WeightsManifestEntry[]);
  return saved.weightSpecs.map((s) => ({ name: s.name, tensor: map[s.name]! }));
}

/**
 * Writes saved weights into `model` by name; the first mismatch (a weight missing on either side,
 * or of another shape) as a sentence, or null when every weight fitted and was written.
 */
export function loadSavedWeights(model: tfl.LayersModel, saved: SavedWeights): string | null {
  const decoded = new Map(decodeSaved(saved).map((n) => [n.name, n.tensor]));
  try {
    const names = new Set(decoded.keys());
    for (const w of model.weights) {
      const value = decoded.get(w.originalName);
      if (!value) return `the model has a weight "${w.originalName}" the file lacks.`;
      if (value.shape.join('x') !== w.shape.join('x'))
        return `"${w.originalName}" is ${value.shape.join(' × ')} in the file and ${w.shape.join(' × ')} in the model.`;
      names.delete(w.originalName);
    }
    if (names.size) return `the file has weights the model lacks (${[...names].slice(0, 3).join(', ')}).`;
    for (const w of model.weights) w.write(decoded.get(w.originalName)!);
    return null;
  } finally {
    for (const t of decoded.values()) t.dispose();
  }
}
