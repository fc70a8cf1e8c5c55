// parawasm devices
#include "cli.h"

#include <cstdio>

namespace parawasm::cli {

int devicesCommand(std::vector<std::string>) {
  std::printf("sequential\ncpu\n");
  return 0;
}

} // namespace parawasm::cli
