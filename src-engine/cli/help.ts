/** Help text of the command line (`npm run lab -- --help`, `npm run lab -- train --help`). */

export const HELP = `Backprop Lab engine — command line

usage: npm run lab -- <command> [options]

commands:
  presets                         list the built-in architectures
  validate SPEC.json [--data D]   check an architecture: shapes, parameters, errors
  train --preset NAME | --spec SPEC.json [options]
                                  train on the built-in digits or IDX files
  predict --weights W.safetensors --input X.npy [--spec SPEC.json]
                                  run a trained model on images
  generate --weights W.safetensors --prompt "..." [--length N] [--temperature T] [--seed S]
                                  write text with a trained character language model
  evaluate --weights FILE... [--data D]
                                  score trained models (.safetensors or .bplab) on the held-out set
  export --weights W.safetensors [--onnx OUT.onnx] [--npz OUT.npz] [--spec SPEC.json]
                                  convert trained weights for ONNX Runtime, NumPy and PyTorch
  bench [--preset NAME] [--batch B] [--optimizer NAME]
                                  training speed in images per second

Every command prints readable text, or JSON lines with --json (each with an "event" field; the last
one is "done" or "error"). Exit code 0 on success, 1 on a failure, 2 on a usage error, 141 (as
for a SIGPIPE) when whoever reads the output stops early, as \`| head\` does.
See \`npm run lab -- <command> --help\` for a command's options.`

export const COMMAND_HELP: Record<string, string> = {
  presets: `usage: npm run lab -- presets [--json]

Lists the built-in architectures with their parameter counts and default training settings.
A language model's count (marked *) includes its embedding and output layers sized for the
built-in text's 74 characters, the text it trains on by default, as the app's editor counts it.
With --json, one {"event":"preset", id, title, kind, params, defaults, spec} line each (a language
model's also has vocab and vocabFrom; its spec leaves the vocabulary to the text it trains on).`,

  validate: `usage: npm run lab -- validate SPEC.json [--data mnist | idx:DIR | text:FILE] [--json]

Checks an architecture file: every layer's output shape and parameter count, and every problem
with the layer it concerns and what to change. Exit code 1 when the network is not valid.
--data names the data a run would train on, as for train (default: the built-in digits): a
classifier's number of class scores is checked against it (an IDX folder's training labels are
read for the classes they use; a text has none to check). A language model is counted with the
vocabulary of the text it would train on (--data text:FILE; default the built-in text, 74 characters).`,

  train: `usage: npm run lab -- train (--preset NAME | --spec SPEC.json) [options]

options:
  --data mnist | idx:DIR | text:FILE
                             the built-in 10,000 digits (8,000 training / 2,000 held-out), a
                             folder of MNIST-format IDX files (train-* and t10k-*, gzipped or not),
                             or a UTF-8 text for language models (text:builtin = the shipped one,
                             the default for language models)
  --epochs N                 passes over the training data (default: the preset's, else 5)
  --batch B                  examples per mini-batch (default: the preset's, else 100)
  --optimizer NAME           SGD, Momentum, Nesterov, AdaGrad, RMSProp or Adam
  --lr X                     learning rate (default: the preset's, else 0.001)
  --weight-decay L           L2 weight decay (default 0)
  --clip C                   clip gradients to global norm C (default 0 = off)
  --seed S                   seed of initialisation and shuffling (default 1); the same seed gives
                             the same numbers
  --threads N                kernel threads (default 1); more than the computer's cores gets a
                             warning (they slow training down), more than the network's copies of
                             the weights fit in memory is refused with the count that fits
  --test-fraction F          held-out share of the built-in digits (default 0.2)
  --train-size N             train on N of the training examples (default: all; images only): the
                             first N of an order shuffled by a fixed seed, the same N whatever --seed,
                             as the training page's "Training examples"; the held-out set is unchanged
  --stateful                 language models: read the text in order in B lanes and carry the LSTM/RNN
                             state from batch to batch (truncated BPTT; one thread; reset each epoch)
  --out W.safetensors        save the trained weights, with the spec in metadata key "spec" (and a
                             language model's characters, id order, as a JSON array in key "vocab")
  --json                     JSON lines: start, epoch (trainLoss, trainAcc, trainEvalAcc, testLoss,
                             testAcc, seconds; perplexity for language models), then done or error

The epoch line's training accuracy is measured as the held-out one is: after the epoch, in inference
mode (dropout off), on up to 1,000 training examples (trainEvalAcc). In brackets, and as trainAcc and
trainLoss: the running mean over the epoch's batches while they trained (weights changing, dropout on).

example: npm run lab -- train --preset simple-convnet --epochs 3 --seed 1 --json`,

  predict: `usage: npm run lab -- predict --weights W.safetensors --input X.npy [--spec SPEC.json] [--json]

X.npy holds float32 images (N, C, H, W) with values in 0..1 (one image may be (C, H, W)).
W.safetensors is a weights file as \`train --out\` or the app's Model & project › Export weights
(safetensors) writes it, or a project the app saved (.bplab: its weights, spec and vocabulary; as
for generate, export and evaluate); the .npz and ONNX exports are for other tools and are not
read back.
The spec defaults to the one saved inside the weights file. Prints, per image, the predicted
class, the probabilities and the logits (with --json: {"event":"prediction", index, predicted,
probs, logits}).`,

  generate: `usage: npm run lab -- generate --weights W.safetensors [--prompt "..."] [--length N]
                             [--temperature T] [--seed S] [--spec SPEC.json] [--json]

Continues the prompt with a character language model trained by \`train --out\` (its vocabulary is
saved in the weights file). Each next character is drawn from softmax(scores / T):
  --prompt "..."    text to continue (default empty: start as after a line break); every
                    character must occur in the training text; Hangul works
  --length N        characters to write after the prompt (default 200, at most 10,000)
  --temperature T   1 = the model's own probabilities (default), lower is safer and more repetitive,
                    higher more adventurous; 0 always takes the likeliest character
  --seed S          seed of the sampling (default 1): the same seed gives the same text
With --json: one {"event":"done", prompt, text, length, temperature, seed} line.

example: npm run lab -- generate --weights lm.safetensors --prompt "It is a truth" --length 300 --temperature 0.7`,

  evaluate: `usage: npm run lab -- evaluate --weights FILE [FILE...] [--data mnist | idx:DIR | text:FILE]
                             [--test-fraction F] [--spec SPEC.json] [--json]

Scores trained models on the held-out set with the trainer's own evaluation, so the numbers are
the ones the app shows after an epoch: loss and accuracy; for a classifier the confusion matrix and
each class's accuracy; for a language model the perplexity; for an autoencoder the reconstruction
loss and MSE. FILE is a .safetensors weights file or a .bplab project (its weights, spec, vocabulary
and training settings); give several, or a glob such as handins/*.bplab, for one line each and a table.
  --data D           the held-out set: mnist (the built-in digits' 2,000 held-out), idx:DIR (the
                     folder's t10k files) or text:FILE (its last tenth). Default: what a project
                     trained on (the text it carries, for a language model), else the built-in digits
                     (the built-in text for a language model). An IDX folder's images must be
                     the network's input size, and a damaged folder is named file by file
  --test-fraction F  the held-out share of the built-in digits (default: the project's, else 0.2)
A file that cannot be read or scored (damaged, another network's weights, a text of other
characters) is reported on its line and the others are still scored; the exit code is then 1.
With --json: one {"event":"score", file, network, task, data, examples, loss, acc, confusion,
perClass, perplexity | reconstructionLoss, reconstructionMse} or {"event":"failed", file, code,
message} line per file, then {"event":"done", count, failed}.

example: npm run lab -- evaluate --weights handins/*.bplab --data mnist`,

  export: `usage: npm run lab -- export --weights W.safetensors [--onnx OUT.onnx] [--npz OUT.npz]
                             [--spec SPEC.json] [--compress] [--json]

Writes a trained model in formats other tools load; give --onnx, --npz or both.
  --onnx OUT.onnx   the whole model as ONNX (opset 17): input "input" (N, ...spec input), outputs
                    "scores" (before the loss layer) and "output" (probabilities). Runs in ONNX
                    Runtime with the lab's numbers; LSTM gates are reordered to ONNX's i, o, f, c.
  --npz OUT.npz     every weight as a float32 array named like the lab's tensors (conv1.W, affine1.b…),
                    for numpy.load; --compress deflates it (np.savez_compressed)
  --spec SPEC.json  the architecture, when the weights file does not carry one in its metadata
The weights are checked against the architecture first: a missing tensor, a wrong shape or a NaN
stops the export with a message naming the tensor, and nothing is written.

example: npm run lab -- export --weights convnet.safetensors --onnx convnet.onnx --npz convnet.npz`,

  bench: `usage: npm run lab -- bench [--preset NAME | --spec SPEC.json] [--batch B] [--optimizer NAME]
                            [--batches N] [--warmup N] [--threads N] [--json]

Measures training throughput (forward, backward, update) on the built-in digits in images per
second. Defaults: simple-convnet, batch 100, Adam, 3 warm-up and 30 timed batches, 1 thread.`
}
