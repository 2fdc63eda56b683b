// Generated sources the engine imports must exist before any test file loads (a fresh clone has none).
import { execFileSync } from 'node:child_process'

export default function setup() {
  execFileSync(process.execPath, ['scripts/build-wasm.mjs'], { stdio: 'inherit' })
}
