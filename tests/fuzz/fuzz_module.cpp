// Fuzz target: bytes -> decode -> validate -> (bounded) compile -> instantiate -> call every
// export. Any crash, sanitizer report or hang is a finding; traps and refusals are ordinary
// outcomes.
#include "bound_module.h"
#include "run_module.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace parawasm;
  std::span<const uint8_t> input(data, size);
  fuzz::Bounded bounded = fuzz::boundModule(input);
  if (!bounded.valid) {
    // The engine must refuse what the loader refused, with an error rather than a crash.
    if (Module::fromBinary(fuzz::fuzzEngine(), input))
      std::abort();
    return 0;
  }
  if (bounded.tooLarge)
    return 0;
  (void)fuzz::runInParawasm(bounded.bytes, fuzz::inputSeed(input));
  return 0;
}
