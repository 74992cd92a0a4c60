/**
 * Conv1D's and Conv2D's bias and activation (linear, relu, elu) as one SIMD pass forward and one
 * backward on the wasm backend. tfjs-layers runs them as the convolution, then biasAdd, then the
 * activation, and backpropagates them as ~5 more kernels (Step, Cast, Multiply or EluGrad, Sum),
 * each a pass over the activations plus the engine's per-kernel bookkeeping. (Conv2D asks for
 * tfjs's FusedConv2D, but tfjs-core fuses only outside a gradient, so in training it got the
 * same unfused kernels; the digits CNNs' profiles showed them.) An undilated layer is one op
 * each way in all (wholeConv: the convolution kernels run on 4-D views inside it, so a Conv1D
 * records no Reshape ops either); a dilated one keeps tfjs's convolution ops around the fused
 * bias pass (tfjs has no dilated convolution gradients to call). Installed as Conv1D's and
 * Conv2D's `call` (NiN's 1×1 convolutions are Conv1D and Conv2D layers too); anything else
 * (other activations, no bias, channelsFirst, causal padding, other backends) runs tfjs-layers'
 * own code.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { currentSimd, heapTensor, lazyGradOp, replaceLayerCall, singleInput, upstream, type LayerCall } from './layerCall';
import type { SimdKernels } from './simdKernels';
import { offsetOf, runWasmKernel, view, type WasmBackend } from './wasmBackend';
import { biasActForward } from './threadedGemm';

interface LayerVar {
  read(): tf.Tensor;
}

/** The fields of tfjs-layers' Conv1D and Conv2D (the Conv base class) this path reads. */
interface Conv1DLike {
  rank: number;
  strides: number[];
  dilationRate: number[];
  padding: string;
  dataFormat: string;
  kernel: LayerVar;
  bias: LayerVar | null;
  activation: { getClassName(): string };
}

type Call = LayerCall<Conv1DLike>;

const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, elu: 2 };

/** The `call` each layer class had before ours, by the convolution's rank (1: Conv1D, 2: Conv2D). */
const originals: Partial<Record<1 | 2, Call>> = {};
let fusedCalls = 0;

/** How many Conv1D and Conv2D calls took the fused path (tests check it was used). */
export function fusedConvBiasCalls(): number {
  return fusedCalls;
}

export function installFusedConvBias(): void {
  originals[1] ??= replaceLayerCall(tfl.layers.conv1d({ filters: 1, kernelSize: 1 }), fusedCallFor(1));
  originals[2] ??= replaceLayerCall(tfl.layers.conv2d({ filters: 1, kernelSize: 1 }), fusedCallFor(2));
}

function fusedCallFor(rank: 1 | 2): Call {
  return function (this: Conv1DLike, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    return fusedCall.call(this, rank, originals[rank] as Call, inputs, kwargs);
  };
}

function fusedCall(this: Conv1DLike, rank: 1 | 2, fallback: Call, inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
  const x = singleInput(inputs);
  const act = ACTIVATIONS[this.activation.getClassName()];
  const usable =
    x !== undefined &&
    x.dtype === 'float32' &&
    x.rank === rank + 2 &&
    this.rank === rank &&
    act !== undefined &&
    this.bias !== null &&
    this.dataFormat === 'channelsLast' &&
    (this.padding === 'same' || this.padding === 'valid');
  const wasm = usable ? currentSimd() : null;
  if (wasm === null || x === undefined || act === undefined) return fallback.call(this, inputs, kwargs);
  fusedCalls++;
  const { backend, simd } = wasm;
  const off = (t: tf.Tensor): number => offsetOf(backend, t);
  const padding = this.padding as 'same' | 'valid';
  if (this.dilationRate.every((d) => d === 1))
    return tf.tidy(() => wholeConv(backend, simd, rank, x, this.kernel.read(), (this.bias as LayerVar).read(), this.strides, padding, act));
  return tf.tidy(() => {
    const z =
      rank === 1
        ? tf.conv1d(x as tf.Tensor3D, this.kernel.read() as tf.Tensor3D, this.strides[0] ?? 1, padding, 'NWC', this.dilationRate[0] ?? 1)
        : tf.conv2d(x as tf.Tensor4D, this.kernel.read() as tf.Tensor4D, [this.strides[0] ?? 1, this.strides[1] ?? 1], padding, 'NHWC', [
            this.dilationRate[0] ?? 1,
            this.dilationRate[1] ?? 1,
          ]);
    const channels = z.shape[z.rank - 1]!;
    const rows = z.size / channels;
    const f = tf.customGrad((...args: (tf.Tensor | ((s: tf.Tensor[]) => void))[]) => {
      const [zIn, bias] = args as [tf.Tensor, tf.Tensor];
      const save = args[2] as (s: tf.Tensor[]) => void;
      const y = heapTensor(backend, [...zIn.shape]);
      biasActForward(simd, off(zIn), off(bias), off(y), rows, channels, act);
      save([y]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const g = upstream(dy);
          const sy = saved[0] as tf.Tensor;
          const dz = heapTensor(backend, [...sy.shape]);
          const dbias = heapTensor(backend, [channels]);
          simd.bias_act_backward(off(sy), off(g), off(dz), off(dbias), rows, channels, act);
          return [dz, dbias];
        },
      };
    });
    return f(z, (this.bias as LayerVar).read());
  });
}

/**
 * The whole layer as one op each way (undilated convolutions): forward our Conv2D kernel on
 * 4-D views (a Conv1D's [n, w, c] is [n, 1, w, c], no Reshape ops) with the bias and activation
 * applied in place on its output; backward dz and dbias in one pass, then our input-gradient
 * and filter-gradient kernels on the same views, each only if the backward pass asks for it
 * (lazyGradOp: a first layer's input gradient is not computed). tf.conv1d and tf.conv2d would
 * record the convolution, its reshapes and the bias pass as separate ops, each with the
 * engine's bookkeeping forward and backward (a Conv1D layer was ~10 ops a step).
 */
function wholeConv(
  backend: WasmBackend,
  simd: SimdKernels,
  rank: 1 | 2,
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  layerStrides: number[],
  padding: 'same' | 'valid',
  act: number,
): tf.Tensor {
  const off = (t: tf.TensorInfo): number => offsetOf(backend, t);
  const x4 = rank === 1 ? [x.shape[0]!, 1, x.shape[1]!, x.shape[2]!] : [...x.shape];
  const w4 = rank === 1 ? [1, kernel.shape[0]!, kernel.shape[1]!, kernel.shape[2]!] : [...kernel.shape];
  const strides = rank === 1 ? [1, layerStrides[0] ?? 1] : [layerStrides[0] ?? 1, layerStrides[1] ?? 1];
  const attrs = { strides, pad: padding, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
  const channels = w4[3]!;
  return lazyGradOp([x, kernel, bias], (save) => {
    const z = runWasmKernel(backend, 'Conv2D', { x: view(x, x4), filter: view(kernel, w4) }, attrs);
    const z4 = [...z.shape];
    const outShape = rank === 1 ? [z4[0]!, z4[2]!, z4[3]!] : z4;
    const rows = tf.util.sizeFromShape(z4) / channels;
    biasActForward(simd, off(z), off(bias), off(z), rows, channels, act);
    const y = tf.engine().makeTensorFromTensorInfo(view(z, outShape));
    save([x, kernel, y]);
    return {
      value: y,
      grads: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const engine = tf.engine();
        // The gradient kernels run as ops (the engine's own bookkeeping, and the bench's
        // profile sees them as such) on 4-D tensors over the same buffers: no Reshape ops.
        // A second tensor on a buffer holds a reference of its own, as tfjs-wasm's Reshape does.
        const as = (t: tf.Tensor, shape: number[]): tf.Tensor => {
          (backend as unknown as { incRef(dataId: unknown): void }).incRef(t.dataId);
          return engine.makeTensorFromTensorInfo(view(t, shape));
        };
        // A linear layer's dz is dy itself (a view of it; no pass writing a copy), its dbias dy's column sums.
        const dz = act === 0 ? as(dy, z4) : heapTensor(backend, z4);
        const dbias = heapTensor(backend, [channels]);
        if (act === 0) simd.sum_leading(off(dy), off(dbias), rows, channels);
        else simd.bias_act_backward(off(sy), off(dy), off(dz), off(dbias), rows, channels, act);
        const dx = (): tf.Tensor =>
          as(engine.runKernel('Conv2DBackpropInput', { dy: dz, filter: as(sw, w4) }, { ...attrs, inputShape: x4 } as unknown as tf.NamedAttrMap) as tf.Tensor, [
            ...sx.shape,
          ]);
        const dw = (): tf.Tensor =>
          as(engine.runKernel('Conv2DBackpropFilter', { x: as(sx, x4), dy: dz }, { ...attrs, filterShape: w4 } as unknown as tf.NamedAttrMap) as tf.Tensor, [
            ...sw.shape,
          ]);
        return [dx, dw, () => dbias];
      },
    };
  });
}
