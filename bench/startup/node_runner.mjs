// node_runner.mjs MODULE.wasm ENTRY: compiles and instantiates an import-free module, calls the
// export ENTRY () -> i32 and prints its result (what `parawasm run --invoke ENTRY` prints).
import { readFileSync } from 'node:fs';

const module = new WebAssembly.Module(readFileSync(process.argv[2]));
const instance = new WebAssembly.Instance(module, {});
console.log(instance.exports[process.argv[3] || 'run']());
