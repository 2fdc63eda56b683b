// Test-only worker entry: a helper thread of bench/lib/parallel-gemm.ts (bench/lab.ts routes role 'gemm-tile' the same way).
import { workerData } from 'node:worker_threads'
import { runTileWorker, type TileInit } from '../../../bench/lib/parallel-gemm'

runTileWorker(workerData as TileInit)
