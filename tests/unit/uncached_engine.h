// The engine the API and parallel unit tests share: default configuration, no disk cache (a test
// must compile what it runs, not find it from an earlier run).
#pragma once

#include "parawasm/parawasm.h"

namespace parawasm::test {

inline Engine &uncachedEngine() {
  static Engine e([] {
    EngineConfig c;
    c.useCache = false;
    return c;
  }());
  return e;
}

} // namespace parawasm::test
