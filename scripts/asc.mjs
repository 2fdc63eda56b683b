// Compiling the repository's AssemblyScript to WebAssembly, one way for every module: the GEMM/LSTM/layer
// kernels (wasm/index.ts) and the optimizers' update rules (src-engine/optimizers/wasm/rules.as.ts), all
// with the runtime stubbed and the memory imported and shared (the engine passes in its own).
// Used by scripts/build-wasm.mjs, and by the test that checks the built rules are their source's.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const RULES_SOURCE = join(root, 'src-engine', 'optimizers', 'wasm', 'rules.as.ts')

/** The bytes of the module `entry` compiles to with the WebAssembly `features` (e.g. 'simd,threads'). */
export function compileAssemblyScript(entry, features) {
  const tmp = mkdtempSync(join(tmpdir(), 'bplab-asc-'))
  try {
    const out = join(tmp, 'module.wasm')
    execFileSync(process.execPath, [join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js'), entry,
      '-O3', '--noAssert', '--runtime', 'stub', '--importMemory', '--sharedMemory', '--maximumMemory', '65536',
      '--initialMemory', '1', '--enable', features, '-o', out], { stdio: ['ignore', 'inherit', 'inherit'] })
    return readFileSync(out)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** The optimizers' rules module (SIMD, no relaxed SIMD: its loops compute in float64 lanes). */
export const compileRules = () => compileAssemblyScript(RULES_SOURCE, 'simd,threads')
