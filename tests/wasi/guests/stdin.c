/* Counts the lines, words and bytes of stdin (read in small pieces), after waiting for it with
 * poll_oneoff. */
#include "wasi_test.h"

#include <ctype.h>
#include <unistd.h>

int main(void) {
  __wasi_subscription_t subs[2];
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 1;
  subs[0].u.tag = __WASI_EVENTTYPE_FD_READ;
  subs[0].u.u.fd_read.file_descriptor = 0;
  subs[1].userdata = 2;
  subs[1].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[1].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[1].u.u.clock.timeout = 30ull * 1000000000ull;
  __wasi_event_t ev[2];
  __wasi_size_t n = 0;
  EXPECT_OK(__wasi_poll_oneoff(subs, ev, 2, &n));
  printf("stdin %s\n", n >= 1 && ev[0].userdata == 1 && ev[0].type == __WASI_EVENTTYPE_FD_READ
                           ? "became readable"
                           : "FAIL: not readable");
  printf("stdin is %sa terminal\n", isatty(0) ? "" : "not ");

  char buf[7];
  long lines = 0, words = 0, bytes = 0;
  unsigned long sum = 0;
  int inword = 0;
  ssize_t got;
  while ((got = read(0, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < got; ++i) {
      unsigned char c = (unsigned char)buf[i];
      ++bytes;
      sum = sum * 31 + c;
      lines += c == '\n';
      if (isspace(c))
        inword = 0;
      else if (!inword) {
        inword = 1;
        ++words;
      }
    }
  }
  printf("%ld lines, %ld words, %ld bytes, hash %08lx\n", lines, words, bytes, sum & 0xffffffff);
  printf("read at end of input: %zd\n", read(0, buf, sizeof buf));
  return pw_failures != 0;
}
