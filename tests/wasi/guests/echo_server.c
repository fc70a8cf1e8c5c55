// Accepts one connection on the socket the host handed over (--tcplisten), reads one line,
// answers it in upper case and closes. Argument: the socket's descriptor number.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int listener = argc > 1 ? atoi(argv[1]) : 3;
  int conn = accept(listener, NULL, NULL);
  if (conn < 0) {
    perror("accept");
    return 1;
  }
  char buf[256];
  ssize_t n = recv(conn, buf, sizeof buf - 1, 0);
  if (n <= 0) {
    perror("recv");
    return 1;
  }
  for (ssize_t i = 0; i < n; ++i) buf[i] = (char)toupper((unsigned char)buf[i]);
  if (send(conn, buf, (size_t)n, 0) != n) {
    perror("send");
    return 1;
  }
  shutdown(conn, SHUT_RDWR);
  buf[n] = 0;
  printf("echoed %zd bytes\n", n);
  return 0;
}
