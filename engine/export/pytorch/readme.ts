/** README.md of the PyTorch project: what each file is, how to predict, train, and scale out. */
import { isImagePreprocessing, type ImagePreprocessing } from '../../data/preprocessing';
import { pictureSteps } from '../files';
import { describeNode, showBatchShape } from '../plan';
import type { ExportSource } from '../source';

/** What an image model's README says instead of a text model's. */
function pictureParts(p: ImagePreprocessing): { files: string; tensors: string; predict: string } {
  const { height, width, channels } = p.image;
  return {
    files: `| \`data.py\` | reading the pictures as the app does: the built-in digits, a folder of class folders (or train/val/test folders of them) or a CSV of picture paths, the labels, the split, decoding (Pillow), the app's resizing and scaling, and its augmentation of train pictures |
| \`train.py\` | the app's training loop: optimizer, schedule, batch size, class weights, clipping, early stopping, seed, augmentation; DDP under \`torchrun\` |
| \`predict.py\` | classifies PNG or JPEG files; \`--json\` prints what \`modelwright predict --json\` prints |
| \`weights.json\` + \`weights.bin\` | the weights: the state dict as raw little-endian float32, listed in the JSON (read by \`weights.py\` with \`torch.frombuffer\`) |
| \`config.json\` | the document's data and training sections, the classes, and \`image\`: how a picture becomes the input |`,
    tensors: `Tensors are channels-last, as in the app: a batch of pictures is float32 [batch, ${height}, ${width}, ${channels}];
the steps that use \`nn.Conv2d\` or a pool transpose around them.`,
    predict: `\`\`\`sh
python predict.py cat.png dog.jpg
python predict.py --json --top 5 cat.png
\`\`\`

In Python: \`from model import load_model; import data\`, then
\`load_model()(data.model_inputs(data.encode(["cat.png"])))\` gives the class probabilities, in the
order of \`data.CLASSES\`.

## Pictures

The model reads float32 [batch, ${height}, ${width}, ${channels}] (channels last, ${channels === 1 ? 'grayscale' : 'RGB'}): ${pictureSteps(p)}.
\`data.py\` does each step as the app does: Pillow decodes (PNG byte for byte as the app; a
JPEG within about 3 levels of the app's decoder, whose inverse DCT rounds differently, and more at
sharp colour edges for JPEGs with 4:2:2 chroma), and the resizing
is the app's own arithmetic in numpy (Pillow's \`resize\` rounds between its passes, so it is not
used). It reads what the app reads: a folder with one sub-folder of PNG or JPEG pictures per class
(or \`train/\`, \`val/\` and \`test/\` folders holding the class folders), or a CSV with a column
of picture paths (relative to the CSV) and a label column (and a split column, if the document
names one). \`python train.py --data FOLDER\` trains on another folder with the same classes; the
scaling stays the run's. It needs numpy and Pillow besides PyTorch.

Train pictures are augmented as the document asks (\`config.json\`'s \`data.image.augment\`):
shifts, rotations, crops and flips with the app's random amounts, each picture's drawn for its
place in the run, so one process and many see the same pictures; dev and test pictures never are.`,
  };
}

export function pytorchReadme(source: ExportSource, dataFile: string | null): string {
  const pictures = isImagePreprocessing(source.preprocessing) ? pictureParts(source.preprocessing) : null;
  const origin =
    source.origin.kind === 'run'
      ? `the trained weights of run \`${source.origin.runId}\`${source.origin.epochs !== undefined ? ` (${source.origin.epochs} epoch${source.origin.epochs === 1 ? '' : 's'}${source.origin.reason ? `, ${source.origin.reason}` : ''})` : ''}`
      : 'the initial weights the app gives this document (seeded as in the app), untrained';
  const graph = source.nodes.map((n) => `| \`${n.id.replace(/[|`\n\r]/g, ' ')}\` | ${describeNode(n).replace(/[|`\n\r]/g, ' ')} | ${showBatchShape(n.type)} |`);
  return `# ${source.doc.name.replace(/[\r\n]/g, ' ')} — PyTorch project

Exported from Modelwright with ${origin}. It predicts what the app predicts (the export is
checked to within 1e-4 of the app's probabilities), and trains as the app trains, on a CPU, a
GPU, or many GPUs and machines with \`torchrun\`. It needs Python 3.8+ and PyTorch 1.13 or newer,
${pictures ? 'and numpy and Pillow to read pictures.' : 'nothing else.'}

| file | what it is |
| --- | --- |
| \`model.py\` | \`Model\`, an \`nn.Module\`: one attribute and one forward step per node of the graph, named after the node |
| \`layers.py\` | the layers that compute what the app's do where \`torch.nn\`'s differ (GRU cell, padding, pools, BatchNorm) |
${
  pictures?.files ??
  `| \`data.py\` | reading the data as the app does: the CSV, the header and columns, the labels, the seeded split, the tokenizer and \`vocab.json\` |
| \`train.py\` | the app's training loop: optimizer, schedule, batch size, class weights, clipping, early stopping, seed; DDP under \`torchrun\` |
| \`predict.py\` | classifies texts; \`--json\` prints what \`modelwright predict --json\` prints |
| \`weights.json\` + \`weights.bin\` | the weights: the state dict as raw little-endian float32, listed in the JSON (read by \`weights.py\` with \`torch.frombuffer\`) |
| \`vocab.json\` | the token of each id (0 = padding, 1 = a token training never saw) |
| \`config.json\` | the document's data and training sections, the classes and the encoding |`
}

## The graph

| node | block | output shape |
| --- | --- | --- |
${graph.join('\n')}

${
  pictures?.tensors ??
  `Tensors are channels-last, as in the app ([batch, length, channels]); the steps that use
\`nn.Conv1d\`, \`nn.Conv2d\` or a pool transpose around them.`
}

## Predict

${
  pictures?.predict ??
  `\`\`\`sh
python predict.py "some text" "another"
python predict.py --json --top 5 "some text"
\`\`\`

In Python: \`from model import load_model; import data\`, then
\`load_model()(data.model_inputs(data.encode(["some text"])))\` gives the class probabilities, in
the order of \`data.CLASSES\`.`
}

## Train

\`\`\`sh
python train.py                     # ${dataFile ? `on ${dataFile.replace(/[\r\n]/g, ' ')}` : 'on the data file config.json names'}; --data FILE for another
python train.py --epochs 5 --device cuda
\`\`\`

It starts from the exported weights (\`--from-scratch\`: PyTorch's initialisation, seeded), and
writes \`out/checkpoint.pt\` after every epoch, then \`out/model.pt\` and \`out/weights.json\` +
\`weights.bin\` (the best epoch's, with early stopping's restore-best). \`python predict.py
--weights out\` uses them; \`--resume out/checkpoint.pt\` carries on.

## Many GPUs, many machines

\`train.py\` runs under \`torchrun\` with DistributedDataParallel: \`nccl\` on GPUs, \`gloo\` on CPUs.
Each process takes \`batchSize / processes\` rows of each batch, so a step still sees the
document's batch size, and the batches are the app's. Only rank 0 prints, logs and saves.

\`\`\`sh
# one machine, 4 GPUs
torchrun --standalone --nproc_per_node 4 train.py
# the same where that hangs at start (a machine whose own hostname does not resolve)
torchrun --nnodes 1 --master_addr 127.0.0.1 --master_port 29500 --nproc_per_node 4 train.py
# two machines with 8 GPUs each: run on both, with the first machine's address
torchrun --nnodes 2 --nproc_per_node 8 --node_rank 0 --rdzv_backend c10d --rdzv_endpoint HOST0:29500 train.py   # on HOST0
torchrun --nnodes 2 --nproc_per_node 8 --node_rank 1 --rdzv_backend c10d --rdzv_endpoint HOST0:29500 train.py   # on the other
\`\`\`

Under SLURM, one task per node:

\`\`\`sh
srun --nodes 2 --ntasks-per-node 1 torchrun --nnodes 2 --nproc_per_node 8 \\
  --rdzv_id $SLURM_JOB_ID --rdzv_backend c10d --rdzv_endpoint $(scontrol show hostnames | head -n1):29500 train.py
\`\`\`

Every machine needs this folder and the data file at the same path (\`--data\` to point at it).

## Where PyTorch and the app differ, and what this project does

- **GRU**: tfjs applies the reset gate before the recurrent product (Keras \`reset_after=False\`),
  \`nn.GRU\` after it; \`layers.GRU\` is tfjs's cell, gates z, r, h, one bias.
- **LSTM**: \`layers.LSTM\` keeps tfjs's weight layout ([in, 4·units], gates i, f, c, o).
- **Padding**: with an Embedding's \`maskZero\`, a padded step leaves a recurrent layer's state
  as it was, as in tfjs; a bidirectional layer reads each padded row from its end.
- **"same" padding** is TensorFlow's: the odd cell after; a padded cell never wins a max pool and
  never counts in an average pool.
- **BatchNorm**: momentum here is PyTorch's, 1 − the app's; the running variance is the biased
  one, as tfjs keeps it; in DDP each process normalises with its own share of the batch.
- **Optimizers**: \`torch.optim\` with the document's settings. RMSprop adds epsilon outside the
  square root (tfjs inside) and Adagrad starts at 0.1, as tfjs's does.
- **Dropout** and BatchNorm's batch statistics apply in \`model.train()\` only; \`load_model\` and
  \`predict.py\` use \`model.eval()\`.
`;
}
