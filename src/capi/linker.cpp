// parawasm's additions to the C API: the linker, the text format, trap details, and attaching
// WASI and wasi-parallel (parawasm_linker.h, parawasm_wasi.h, parawasm_parallel.h).
#include "capi/capi.h"

#include "wasm/loaded_module.h"

#include <unistd.h>

extern char **environ;

using namespace parawasm;
using namespace parawasm::capi;

extern "C" {

// Linker

parawasm_linker_t *parawasm_linker_new(wasm_store_t *store) { return new parawasm_linker_t(store); }
void parawasm_linker_delete(parawasm_linker_t *l) { delete l; }

void parawasm_linker_define(parawasm_linker_t *l, const char *module, const char *name,
                            const wasm_extern_t *item) {
  l->linker.define(module, name, item->value);
}

void parawasm_linker_define_instance(parawasm_linker_t *l, const char *module,
                                     const wasm_instance_t *instance) {
  l->linker.defineInstance(module, instance->instance);
}

wasm_instance_t *parawasm_linker_instantiate(const parawasm_linker_t *l,
                                             const wasm_module_t *module, wasm_trap_t **trap) {
  if (trap)
    *trap = nullptr;
  auto inst = l->linker.instantiate(module->module);
  if (!inst) {
    if (trap)
      *trap = newTrap(inst.error());
    return nullptr;
  }
  return new wasm_instance_t(std::move(*inst));
}

wasm_trap_t *parawasm_wat2wasm(const char *text, size_t size, wasm_byte_vec_t *out) {
  wasm_byte_vec_new_empty(out);
  auto bytes = wasm::watToWasm(std::string_view(text, size), "<wat>");
  if (!bytes)
    return newTrap(bytes.error().message());
  wasm_byte_vec_new(out, bytes->size(), reinterpret_cast<const char *>(bytes->data()));
  return nullptr;
}

bool parawasm_trap_code(const wasm_trap_t *trap, uint32_t *code) {
  if (!trap->code)
    return false;
  *code = uint32_t(*trap->code);
  return true;
}

bool parawasm_trap_exit_status(const wasm_trap_t *trap, int *status) {
  if (!trap->exitStatus)
    return false;
  *status = *trap->exitStatus;
  return true;
}

// WASI

parawasm_wasi_config_t *parawasm_wasi_config_new(void) {
  auto *c = new parawasm_wasi_config_t;
  c->config.stdinFd = c->config.stdoutFd = c->config.stderrFd = -1;
  return c;
}
void parawasm_wasi_config_delete(parawasm_wasi_config_t *c) { delete c; }

void parawasm_wasi_config_set_argv(parawasm_wasi_config_t *c, size_t argc,
                                   const char *const argv[]) {
  c->config.args.assign(argv, argv + argc);
}

void parawasm_wasi_config_set_env(parawasm_wasi_config_t *c, size_t count,
                                  const char *const names[], const char *const values[]) {
  c->config.env.clear();
  for (size_t i = 0; i < count; ++i)
    c->config.env.emplace_back(names[i], values[i]);
}

void parawasm_wasi_config_inherit_env(parawasm_wasi_config_t *c) {
  for (char **e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != 0 && eq != std::string_view::npos)
      c->config.env.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
}

void parawasm_wasi_config_set_stdio(parawasm_wasi_config_t *c, int stdinFd, int stdoutFd,
                                    int stderrFd) {
  c->config.stdinFd = stdinFd;
  c->config.stdoutFd = stdoutFd;
  c->config.stderrFd = stderrFd;
}

void parawasm_wasi_config_inherit_stdio(parawasm_wasi_config_t *c) {
  parawasm_wasi_config_set_stdio(c, STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO);
}

void parawasm_wasi_config_preopen_dir(parawasm_wasi_config_t *c, const char *hostPath,
                                      const char *guestPath) {
  c->config.preopens.push_back({hostPath, guestPath ? guestPath : ""});
}

wasm_trap_t *parawasm_linker_define_wasi(parawasm_linker_t *l, parawasm_wasi_config_t *config) {
  auto context = WasiContext::create(config->config);
  delete config;
  if (!context)
    return newTrap(context.error().message());
  addWasiToLinker(l->linker, std::move(*context));
  return nullptr;
}

// wasi-parallel

parawasm_parallel_config_t *parawasm_parallel_config_new(void) {
  return new parawasm_parallel_config_t;
}
void parawasm_parallel_config_delete(parawasm_parallel_config_t *c) { delete c; }

void parawasm_parallel_config_set_device(parawasm_parallel_config_t *c, const char *device) {
  c->config.device = device ? device : "";
}

void parawasm_parallel_config_set_threads(parawasm_parallel_config_t *c, unsigned threads) {
  c->config.threads = threads;
}

void parawasm_parallel_config_set_verbose(parawasm_parallel_config_t *c, bool verbose) {
  c->config.verbose = verbose;
}

wasm_trap_t *parawasm_linker_define_parallel(parawasm_linker_t *l,
                                             parawasm_parallel_config_t *config) {
  auto added = addWasiParallelToLinker(l->linker, config->config);
  delete config;
  if (!added)
    return newTrap(added.error().message());
  return nullptr;
}

bool parawasm_parallel_devices(wasm_byte_vec_t *out) {
  wasm_byte_vec_new_empty(out);
  auto devices = listParallelDevices();
  if (!devices)
    return false;
  std::string text;
  for (const ParallelDeviceInfo &d : *devices)
    text += d.kindName + ": " + d.name + (d.details.empty() ? "" : " (" + d.details + ")") + "\n";
  setName(out, text, true);
  return true;
}

} // extern "C"
