# Sourced by scripts/sanitize.sh and scripts/fuzz.sh: the sanitizer run-time options parawasm needs
# (docs/testing.md#sanitizers explains each). Options already in the environment come last and win.
_pw_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# handle_segv=1 + allow_user_segv_handler=1: ASan installs its SIGSEGV/SIGBUS handler at start-up;
#   the runtime installs its own later, keeps ASan's as the previous one, turns guard-page faults
#   (out-of-bounds access, stack exhaustion) into traps and passes every other fault on, so a
#   real crash still gets ASan's report.
# detect_stack_use_after_return=0: a fake stack would move C++ frames off the thread's stack; the
#   runtime tells stack exhaustion from other faults by the stack pointer.
# detect_leaks=1 with scripts/lsan.supp for what LLVM and the JIT keep until exit.
export ASAN_OPTIONS="handle_segv=1:handle_sigbus=1:allow_user_segv_handler=1:detect_stack_use_after_return=0:detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$_pw_root/scripts/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$_pw_root/scripts/tsan.supp:${TSAN_OPTIONS:-}"
unset _pw_root
