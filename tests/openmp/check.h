// Shared by the OpenMP tests: CHECK counts failures and reports them; finish() prints the
// summary line and gives the exit status. Every test must print the same lines whatever the team
// size, so that the sequential device, node and cpu with 1, 2 and 5 threads all agree.
//
// EXPECT_TEAM (set by tests.cmake where the host runs real teams) is the team size a plain
// `parallel` must get; without it a team of one (a host without teams) is accepted too.
#ifndef OMP_TEST_CHECK_H
#define OMP_TEST_CHECK_H

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static int checks, failures;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    checks++;                                                                                      \
    if (!(cond)) {                                                                                 \
      failures++;                                                                                  \
      printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                                       \
      printf(__VA_ARGS__);                                                                         \
      printf("\n");                                                                                \
    }                                                                                              \
  } while (0)

// The team size a region with `requested` threads must get: the request where teams run, and
// either the request or 1 where that is not known.
static inline int teamOk(int got, int requested) {
  const char *expect = getenv("EXPECT_TEAM");
  if (expect && atoi(expect) > 0)
    return got == requested;
  return got == requested || got == 1;
}

// The team size of a plain `parallel` (what OMP_NUM_THREADS asks for).
static inline int defaultTeamOk(int got) { return teamOk(got, omp_get_max_threads()); }

static inline int finish(const char *name) {
  printf("%s: %s\n", name, failures ? "FAILED" : "ok");
  if (failures)
    printf("%s: %d of %d checks failed\n", name, failures, checks);
  return failures != 0;
}

#endif
