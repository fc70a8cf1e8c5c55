// node node_runner.mjs FILE.wasm WORKLOAD N: instantiates and calls the export, prints the result.
import { readFileSync } from 'node:fs';
const [file, name, n] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
console.log(String(instance.exports[name](Number(n))));
