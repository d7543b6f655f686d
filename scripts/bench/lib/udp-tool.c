/*
 * udp-tool: the two ends of a UDP measurement that cost as little CPU as the kernel allows, so that what a
 * benchmark measures is the hub and not the load generator.
 *
 *   udp-tool sink <port>                     counts datagrams on 127.0.0.1:<port> (recvmmsg); prints
 *                                            "<packets> <bytes>" on stdout every time a line arrives on stdin,
 *                                            and exits at end of stdin.
 *   udp-tool blast <port> <seconds> <size>   sends <size>-byte datagrams to 127.0.0.1:<port> as fast as it
 *                                            can (sendmmsg) for <seconds>; prints "<packets sent>".
 *
 * Written for this project's benchmarks (scripts/bench); compiled on demand by scripts/bench/lib/tools.ts.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAXSZ 2048

static int udp_socket(int port, int bind_it) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  if (fd < 0) { perror("socket"); exit(1); }
  int size = 8 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  /* As root, past net.core.rmem_max/wmem_max too: a sink starved of CPU for a moment then loses nothing. */
  int forced = 64 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &forced, sizeof forced);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &forced, sizeof forced);
  if (bind_it) {
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
  }
  return fd;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int sink(int port) {
  int fd = udp_socket(port, 1);
  static char bufs[BATCH][MAXSZ];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  unsigned long long packets = 0, bytes = 0;
  for (int i = 0; i < BATCH; i++) {
    iov[i].iov_base = bufs[i];
    iov[i].iov_len = MAXSZ;
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  printf("ready\n");
  fflush(stdout);
  struct pollfd fds[2] = { { .fd = fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
  for (;;) {
    if (poll(fds, 2, -1) < 0) continue;
    if (fds[0].revents & POLLIN) {
      int n = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
      for (int i = 0; i < n; i++) { packets++; bytes += msgs[i].msg_len; }
    }
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      char line[64];
      if (!fgets(line, sizeof line, stdin)) break;
      printf("%llu %llu\n", packets, bytes);
      fflush(stdout);
    }
  }
  return 0;
}

static int blast(int port, double seconds, int size) {
  int fd = udp_socket(0, 0);
  static char buf[MAXSZ];
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct mmsghdr msgs[BATCH];
  struct iovec iov = { .iov_base = buf, .iov_len = (size_t)size };
  for (int i = 0; i < BATCH; i++) {
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov;
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &a;
    msgs[i].msg_hdr.msg_namelen = sizeof a;
  }
  unsigned long long sent = 0;
  double end = now() + seconds;
  while (now() < end) {
    int n = sendmmsg(fd, msgs, BATCH, 0);
    if (n > 0) sent += n;
  }
  printf("%llu\n", sent);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "sink") == 0) return sink(atoi(argv[2]));
  if (argc == 5 && strcmp(argv[1], "blast") == 0) return blast(atoi(argv[2]), atof(argv[3]), atoi(argv[4]));
  fprintf(stderr, "usage: udp-tool sink <port> | udp-tool blast <port> <seconds> <size>\n");
  return 2;
}
