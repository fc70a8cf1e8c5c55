// Runs a wasm32-wasi program under Node.js (v20+) with WASI preview1:
//
//   node bench/node_wasi_runner.mjs [--wasi-parallel] [--trace] [--dir HOST[:GUEST]]...
//                                   [--env NAME=VALUE]... PROGRAM.wasm [ARGS...]
//
// Node 20 needs no flag for WASI (--experimental-wasi-unstable-preview1 is accepted and harmless);
// the runner silences the experimental warning so stdout/stderr carry only the program's output.
// The current directory is preopened as "." unless --dir is given. --wasi-parallel adds the
// sequential wasi-parallel host from sdk/node/wasi_parallel.mjs (--trace logs its calls).
// --env sets a guest environment variable (the guest sees no others).
// The process exits with the program's exit status.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') console.error(w);
});

function usage() {
  console.error('usage: node node_wasi_runner.mjs [--wasi-parallel] [--trace] ' +
                '[--dir HOST[:GUEST]]... [--env NAME=VALUE]... PROGRAM.wasm [ARGS...]');
  process.exit(2);
}

const argv = process.argv.slice(2);
let useParallel = false, trace = false;
const preopens = {};
const env = {};
while (argv.length && argv[0].startsWith('--')) {
  const opt = argv.shift();
  if (opt === '--wasi-parallel') useParallel = true;
  else if (opt === '--trace') trace = true;
  else if (opt === '--dir') {
    const spec = argv.shift() ?? usage();
    const [host, guest = host] = spec.split(':');
    preopens[guest] = host;
  } else if (opt === '--env') {
    const spec = argv.shift() ?? usage();
    const eq = spec.indexOf('=');
    if (eq < 1) usage();
    env[spec.slice(0, eq)] = spec.slice(eq + 1);
  } else usage();
}
if (!argv.length) usage();
if (!Object.keys(preopens).length) preopens['.'] = '.';

const { WASI } = await import('node:wasi');
const program = argv[0];
const wasi = new WASI({
  version: 'preview1',
  args: [basename(program), ...argv.slice(1)],
  env,
  preopens,
  returnOnExit: true,
});
const imports = wasi.getImportObject();
let parallel = null;
if (useParallel) {
  const { WasiParallel } = await import(new URL('../sdk/node/wasi_parallel.mjs', import.meta.url));
  parallel = new WasiParallel({ trace });
  Object.assign(imports, parallel.getImports());
}

const module = await WebAssembly.compile(await readFile(program));
const instance = await WebAssembly.instantiate(module, imports);
if (parallel) parallel.setMemory(instance.exports.memory);
process.exitCode = wasi.start(instance);
