#include "wasi/calls.h"

#include <csignal>
#include <sched.h>

namespace parawasm::wasi {

ProcOutcome procExit(u32 status) {
  ProcOutcome out;
  // WASI exit statuses stop below 126 (126 and up mean "not executable", "not found" and
  // signals to a shell); Wasmtime traps on them rather than forge such a status, and so do we.
  if (status >= 126)
    out.trapMessage = "exit with invalid exit status outside of [0..126)";
  else
    out.exitStatus = static_cast<int>(status);
  return out;
}

ProcOutcome procRaise(u32 sig) {
  ProcOutcome out;
  // WASI signal numbers: 0 NONE, 1 HUP ... 30 SYS.
  static const char *const names[] = {
      "NONE", "HUP",  "INT",  "QUIT",   "ILL",  "TRAP",  "ABRT", "BUS",  "FPE",  "KILL", "USR1",
      "SEGV", "USR2", "PIPE", "ALRM",   "TERM", "CHLD",  "CONT", "STOP", "TSTP", "TTIN", "TTOU",
      "URG",  "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "POLL", "PWR",  "SYS"};
  if (sig > 30) {
    out.errno_ = Errno::Inval;
    return out;
  }
  std::string name = names[sig];
  // The guest can install no host handler, so each signal takes its default action.
  if (name == "NONE" || name == "CHLD" || name == "CONT" || name == "URG" || name == "WINCH")
    return out; // ignored
  if (name == "STOP" || name == "TSTP" || name == "TTIN" || name == "TTOU") {
    out.errno_ = Errno::NotSup; // stopping the whole host process is not the guest's to do
    return out;
  }
  out.trapMessage = "guest raised signal SIG" + name;
  return out;
}

Errno schedYield(S &, M &) {
  sched_yield();
  return Errno::Success;
}

} // namespace parawasm::wasi
