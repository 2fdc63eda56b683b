// The engine's WebAssembly module: scripts/build-wasm.mjs compiles this entry, with every file it
// re-exports, into one .wasm (a plain SIMD and a relaxed SIMD build). One file per job:
//   gemm.ts    the packed SIMD GEMM and its few-rows path (src-engine/kernels/wasm/gemm-wasm.ts)
//   lstm.ts    the fused LSTM step, forward and backward (lstm-wasm.ts)
//   layers.ts  Relu, im2col (both layouts), col2im, bias fills and sums, and max pooling forward and backward (layer-wasm.ts)
//   simd.ts    helpers they share (fused multiply-add)
//   probe.ts   an FMA-only loop, the micro-kernel's ceiling on this machine (npm run bench, W5)
// Only what is exported here is exported by the module; the names are the wrappers' contract.

export { setScratch, workspaceBytes, gemm, packedBFloats, packBAll, packBPart, gemmPackedB, gemmRows, packBCols, columnsFloats, columnRowsMax, gemmColumnRows } from './gemm'
export { lstmForwardStep, lstmBackwardStep } from './lstm'
export { reluForward, reluBackward, im2col, im2colT, col2imT, swapAxes, fillRows, sumPlanes, maxPoolInside, maxPoolBackward } from './layers'
export { fmaPeak } from './probe'
