/**
 * Every kernel that training our blocks calls, forward and backward, found by training each
 * block kind (conv 1D/2D, pooling, batch norm, embedding, GRU/LSTM/SimpleRNN, bidirectional,
 * dense with L2, dropout, every activation, every loss, every optimizer) on the cpu backend and
 * recording the kernels the engine ran. `initBackend` checks each is registered on the backend
 * it picks, so a missing one is a start-up message, not a failure mid-epoch.
 */
export const REQUIRED_TRAINING_KERNELS: readonly string[] = [
  'Abs', 'Add', 'ArgMax', 'AvgPool', 'AvgPoolGrad', 'BatchMatMul', 'Cast', 'ClipByValue', 'Concat',
  'Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Elu', 'EluGrad', 'Equal', 'Erf', 'Exp',
  'ExpandDims', 'Fill', 'Floor', 'FusedBatchNorm', 'FusedConv2D', 'GatherV2', 'Greater',
  'GreaterEqual', 'Identity', 'LessEqual', 'Log', 'Log1p', 'LogicalAnd', 'Max', 'MaxPool',
  'MaxPoolGrad', 'Maximum', 'Mean', 'Minimum', 'Multiply', 'Neg', 'NotEqual', 'OneHot',
  'OnesLike', 'Pack', 'Pow', 'RealDiv', 'Relu', 'Reshape', 'Reverse', 'Rsqrt', 'Select', 'Selu',
  'Sigmoid', 'Sign', 'Slice', 'Softmax', 'Softplus', 'SplitV', 'Sqrt', 'Square', 'Step',
  'StridedSlice', 'Sub', 'Sum', 'Tanh', 'Tile', 'Transpose', 'Unpack', 'UnsortedSegmentSum',
  'ZerosLike', '_FusedMatMul',
];
