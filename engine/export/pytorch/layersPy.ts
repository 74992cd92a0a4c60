/**
 * layers.py of the PyTorch project: the layers whose PyTorch originals compute something else
 * than the app's (tfjs, Keras conventions), written to compute exactly what the app does: the
 * GRU cell with the reset gate before the recurrent product, LSTM and Elman cells with tfjs's
 * weight layout and gate order, padded steps that leave the state alone, TensorFlow's "same"
 * padding of pools, BatchNorm over the channels-last axis with tfjs's statistics. The same file
 * for every model; model.py imports what it uses.
 */
export const LAYERS_PY = String.raw`"""Layers that compute exactly what Modelwright's (tfjs, Keras-style) layers compute.

Tensors are channels-last, as in the app: [batch, length, channels] or [batch, height, width,
channels]. Where the app and torch.nn differ, these follow the app:

- GRU: tfjs (and Keras with reset_after=False) multiplies the previous state by the reset gate
  *before* the recurrent product; nn.GRU applies the gate after it. One bias per gate, gates in
  the order update (z), reset (r), candidate (h).
- LSTM: gates in the order input, forget, cell, output (as nn.LSTM), one bias.
- Padding: a step whose mask is False (a padding token, id 0, of an Embedding with maskZero)
  keeps the state, and outputs the previous output, as tfjs's RNN layer does.
- Bidirectional: the backward pass reads the whole (padded) row from its end; outputs are joined
  [forward, backward] on the last axis.
- Pool with "same" padding pads as TensorFlow does (the odd cell after): a padded cell never
  wins a max and never counts in an average.
- BatchNorm normalises the last axis; its momentum is PyTorch's (the app's is 1 - it), and its
  running variance is the biased one, as tfjs keeps it.
"""
import torch
from torch import nn
import torch.nn.functional as F


class BatchNorm(nn.Module):
    """Batch normalisation over the last (channel) axis, as tfjs's BatchNormalization."""

    def __init__(self, channels, eps=1e-3, momentum=0.1):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))

    def forward(self, x):
        if self.training:
            axes = tuple(range(x.dim() - 1))
            mean = x.mean(dim=axes)
            var = x.var(dim=axes, unbiased=False)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) * torch.rsqrt(var + self.eps) * self.weight + self.bias


class Pool(nn.Module):
    """Max or average pooling over channels-last data with explicit (before, after) padding per axis."""

    def __init__(self, kind, kernel_size, stride, padding):
        super().__init__()
        self.kind = kind
        self.kernel_size = tuple(kernel_size)
        self.stride = tuple(stride)
        self.padding = tuple(tuple(p) for p in padding)

    def forward(self, x):
        rank = len(self.kernel_size)
        x = x.movedim(-1, 1)
        # F.pad lists the last axis first.
        pad = [n for pair in reversed(self.padding) for n in pair]
        pool = F.max_pool1d if rank == 1 else F.max_pool2d
        if self.kind == "max":
            y = pool(F.pad(x, pad, value=float("-inf")), self.kernel_size, self.stride)
        else:
            pool = F.avg_pool1d if rank == 1 else F.avg_pool2d
            total = pool(F.pad(x, pad), self.kernel_size, self.stride)
            cells = pool(F.pad(torch.ones_like(x[:1, :1]), pad), self.kernel_size, self.stride)
            y = total / cells
        return y.movedim(1, -1)


def _glorot(rows, cols):
    w = torch.empty(rows, cols)
    nn.init.xavier_uniform_(w)
    return w


def _orthogonal(rows, cols):
    w = torch.empty(rows, cols)
    nn.init.orthogonal_(w)
    return w


class GRUCell(nn.Module):
    """tfjs's GRU step: kernel [in, 3u], recurrent_kernel [u, 3u], bias [3u], gates z, r, h."""

    gates = 3

    def __init__(self, inputs, units):
        super().__init__()
        self.units = units
        self.kernel = nn.Parameter(_glorot(inputs, 3 * units))
        self.recurrent_kernel = nn.Parameter(_orthogonal(units, 3 * units))
        self.bias = nn.Parameter(torch.zeros(3 * units))

    def initial(self, x):
        return (x.new_zeros(x.shape[0], self.units),)

    def forward(self, x, states):
        (h,) = states
        u = self.units
        x_z, x_r, x_h = (x @ self.kernel + self.bias).split(u, dim=-1)
        r_z, r_r = (h @ self.recurrent_kernel[:, : 2 * u]).split(u, dim=-1)
        z = torch.sigmoid(x_z + r_z)
        r = torch.sigmoid(x_r + r_r)
        candidate = torch.tanh(x_h + (r * h) @ self.recurrent_kernel[:, 2 * u :])
        h = z * h + (1 - z) * candidate
        return h, (h,)


class LSTMCell(nn.Module):
    """tfjs's LSTM step: kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u], gates i, f, c, o."""

    gates = 4

    def __init__(self, inputs, units):
        super().__init__()
        self.units = units
        self.kernel = nn.Parameter(_glorot(inputs, 4 * units))
        self.recurrent_kernel = nn.Parameter(_orthogonal(units, 4 * units))
        self.bias = nn.Parameter(torch.zeros(4 * units))

    def initial(self, x):
        zeros = x.new_zeros(x.shape[0], self.units)
        return (zeros, zeros)

    def forward(self, x, states):
        h, c = states
        i, f, g, o = (x @ self.kernel + h @ self.recurrent_kernel + self.bias).split(self.units, dim=-1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        return h, (h, c)


class SimpleRNNCell(nn.Module):
    """tfjs's Elman step: h = tanh(x kernel + bias + h recurrent_kernel)."""

    gates = 1

    def __init__(self, inputs, units):
        super().__init__()
        self.units = units
        self.kernel = nn.Parameter(_glorot(inputs, units))
        self.recurrent_kernel = nn.Parameter(_orthogonal(units, units))
        self.bias = nn.Parameter(torch.zeros(units))

    def initial(self, x):
        return (x.new_zeros(x.shape[0], self.units),)

    def forward(self, x, states):
        (h,) = states
        h = torch.tanh(x @ self.kernel + self.bias + h @ self.recurrent_kernel)
        return h, (h,)


class Recurrent(nn.Module):
    """Runs a cell over [batch, length, features], as tfjs's RNN layer (and Bidirectional wrapper) do.

    dropout drops inputs and recurrent_dropout the state, with one mask for all steps of a row
    while training (Keras's variational dropout); both do nothing in eval mode.
    """

    Cell = None

    def __init__(self, inputs, units, return_sequences=False, bidirectional=False, dropout=0.0, recurrent_dropout=0.0):
        super().__init__()
        self.return_sequences = return_sequences
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.cell = self.Cell(inputs, units)
        self.backward_cell = self.Cell(inputs, units) if bidirectional else None

    def _run(self, cell, x, mask, backwards):
        if backwards:
            x = x.flip(1)
            mask = None if mask is None else mask.flip(1)
        states = cell.initial(x)
        if self.training and self.dropout > 0:
            x = x * F.dropout(x.new_ones(x.shape[0], 1, x.shape[2]), self.dropout)
        state_mask = None
        if self.training and self.recurrent_dropout > 0:
            state_mask = F.dropout(x.new_ones(x.shape[0], cell.units), self.recurrent_dropout)
        output = states[0]
        outputs = []
        for t in range(x.shape[1]):
            previous = states if state_mask is None else (states[0] * state_mask,) + tuple(states[1:])
            y, new = cell(x[:, t], previous)
            if mask is not None:
                keep = mask[:, t, None].to(y.dtype)
                y = y * keep + states[0] * (1 - keep)
                new = tuple(n * keep + s * (1 - keep) for n, s in zip(new, states))
            states = new
            output = y
            outputs.append(y)
        if self.return_sequences:
            sequence = torch.stack(outputs, 1)
            return sequence.flip(1) if backwards else sequence
        return output

    def forward(self, x, mask=None):
        y = self._run(self.cell, x, mask, False)
        if self.backward_cell is None:
            return y
        return torch.cat([y, self._run(self.backward_cell, x, mask, True)], dim=-1)


class GRU(Recurrent):
    Cell = GRUCell


class LSTM(Recurrent):
    Cell = LSTMCell


class SimpleRNN(Recurrent):
    Cell = SimpleRNNCell
`;
