// Helpers of the C API tests: a CHECK that reports the failing line, and reading a .wasm file.
#ifndef CAPI_TEST_H
#define CAPI_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm.h"

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);                     \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

// Whether a trap's message contains `text`; deletes the trap.
static inline int trap_says(wasm_trap_t *trap, const char *text) {
  wasm_message_t message;
  wasm_trap_message(trap, &message);
  int found = message.size > 0 && message.data[message.size - 1] == '\0' &&
              strstr(message.data, text) != NULL;
  if (!found)
    fprintf(stderr, "trap message: %.*s (expected: %s)\n", (int)message.size, message.data, text);
  wasm_byte_vec_delete(&message);
  wasm_trap_delete(trap);
  return found;
}

static inline void read_binary(const char *path, wasm_byte_vec_t *out) {
  FILE *f = fopen(path, "rb");
  CHECK(f != NULL);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  wasm_byte_vec_new_uninitialized(out, (size_t)size);
  CHECK(fread(out->data, 1, (size_t)size, f) == (size_t)size);
  fclose(f);
}

// The export named `name` among `exports` (borrowed), or NULL.
static inline wasm_extern_t *find_export(const wasm_module_t *module,
                                         const wasm_extern_vec_t *exports, const char *name) {
  wasm_exporttype_vec_t types;
  wasm_module_exports(module, &types);
  wasm_extern_t *found = NULL;
  for (size_t i = 0; i < types.size && i < exports->size; ++i) {
    const wasm_name_t *n = wasm_exporttype_name(types.data[i]);
    if (n->size == strlen(name) && memcmp(n->data, name, n->size) == 0)
      found = exports->data[i];
  }
  wasm_exporttype_vec_delete(&types);
  return found;
}

#endif
