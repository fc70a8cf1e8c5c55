/* Prints its arguments and environment, in order. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i)
    printf("argv[%d]=[%s]\n", i, argv[i]);
  for (char **e = environ; *e; ++e)
    printf("env [%s]\n", *e);
  const char *empty = getenv("EMPTY");
  printf("getenv(EMPTY) %s\n", empty ? (*empty ? "non-empty" : "is empty") : "is missing");
  printf("getenv(MISSING) %s\n", getenv("MISSING") ? "is set" : "is missing");
  return 0;
}
