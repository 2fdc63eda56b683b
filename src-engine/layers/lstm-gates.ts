/**
 * The LSTM's gate order, in one place. The fused affine A = x·Wx + h_prev·Wh + b (N, 4H) is sliced into
 * four H-wide blocks in this order, as in the course: f (forget), g (candidate), i (input), o (output).
 * Forward, backward, weight export (ONNX reorders to i, o, f, c; PyTorch uses i, f, g, o) and the gate
 * heatmaps all read this constant.
 */
export const LSTM_GATES = ['f', 'g', 'i', 'o'] as const
export type LstmGate = (typeof LSTM_GATES)[number]

/** Column offset of a gate's block inside the 4H-wide fused affine, for hidden size H. */
export function gateOffset(gate: LstmGate, H: number): number {
  return LSTM_GATES.indexOf(gate) * H
}

export const F = 0
export const G = 1
export const I = 2
export const O = 3
