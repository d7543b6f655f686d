/*
 * tun-link: an impaired point-to-point IP link between two TUN devices, in user space.
 *
 * Why not `tc qdisc ... netem`: the kernels this project is tested on (CI containers) have no sch_netem
 * and cannot load modules, and iptables/nft are not there either. TUN is, so the impairment is done
 * here: every IP packet read from one device is written to the other after a per-direction delay (a
 * FIFO timer queue), unless it is lost (seeded random loss) or the link is cut. The caller moves one
 * device into a network namespace and gives both their addresses (scripts/netem/link.ts).
 *
 *   tun-link <root-dev> <ns-dev> [seed]
 *
 * Directions: "in" is root-dev -> ns-dev (towards the namespace), "out" is ns-dev -> root-dev.
 * Prints "ready" once both devices exist. Then reads commands, one a line, on stdin; each is answered
 * with one line on stdout:
 *   loss [in|out] <fraction>     random loss, e.g. "loss 0.1" (both directions)      -> ok
 *   delay [in|out] <ms>          one-way delay, e.g. "delay 100" (RTT 200 ms)          -> ok
 *   cut on | cut off             drop everything, queued packets included             -> ok
 *   cut udp on | cut udp off     drop UDP only (a firewall closing UDP; TCP still flows) -> ok
 *   keep tcp <port>              a cut spares TCP to or from this port (signalling); 0 = none -> ok
 *   stats                        -> "in <forwarded> <lost> <cut> out <forwarded> <lost> <cut>"
 * Exits at end of stdin; the devices disappear with the process.
 *
 * Written for this project's network-fault tests; compiled on demand by scripts/netem/link.ts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAXPKT 2048
#define QLEN 16384

struct packet {
  uint64_t due_us;
  int len;
  unsigned char data[MAXPKT];
};

struct direction {
  const char *name;
  int from, to;
  double loss;
  uint64_t delay_us;
  struct packet *queue;
  int head, count;
  unsigned long forwarded, lost, cut, overflow;
};

static int cut;
static int cut_udp;
static int keep_tcp_port;

/* Whether a packet is TCP to or from `port` (IPv4, or IPv6 without extension headers). */
static int is_tcp_port(const unsigned char *p, ssize_t n, int port) {
  if (port <= 0) return 0;
  int off;
  if (n >= 20 && (p[0] >> 4) == 4 && p[9] == 6) off = (p[0] & 0x0f) * 4;
  else if (n >= 40 && (p[0] >> 4) == 6 && p[6] == 6) off = 40;
  else return 0;
  if (n < off + 4) return 0;
  int src = (p[off] << 8) | p[off + 1], dst = (p[off + 2] << 8) | p[off + 3];
  return src == port || dst == port;
}

/* Whether the current conditions drop this packet outright. */
static int is_udp(const unsigned char *p, ssize_t n);
static int dropped(const unsigned char *p, ssize_t n) {
  if (cut) return !is_tcp_port(p, n, keep_tcp_port);
  return cut_udp && is_udp(p, n);
}

/* Whether an IPv4 or IPv6 packet carries UDP (no IPv6 extension headers are followed). */
static int is_udp(const unsigned char *p, ssize_t n) {
  if (n >= 20 && (p[0] >> 4) == 4) return p[9] == 17;
  if (n >= 40 && (p[0] >> 4) == 6) return p[6] == 17;
  return 0;
}
static uint64_t rng;

static uint64_t now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

/* xorshift64*: a uniform double in [0, 1). */
static double uniform(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static int tun_open(const char *name) {
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
  if (fd < 0) { perror("/dev/net/tun"); exit(1); }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) { fprintf(stderr, "TUNSETIFF %s: %s\n", name, strerror(errno)); exit(1); }
  return fd;
}

/* Reads every packet waiting on d->from and queues (or drops) it. */
static void take(struct direction *d) {
  for (;;) {
    unsigned char buf[MAXPKT];
    ssize_t n = read(d->from, buf, sizeof buf);
    if (n <= 0) return;
    if (dropped(buf, n)) { d->cut++; continue; }
    if (d->loss > 0 && uniform() < d->loss) { d->lost++; continue; }
    if (d->count == QLEN) { d->overflow++; continue; }
    struct packet *p = &d->queue[(d->head + d->count) % QLEN];
    p->due_us = now_us() + d->delay_us;
    p->len = (int)n;
    memcpy(p->data, buf, (size_t)n);
    d->count++;
  }
}

/* Writes every queued packet whose time has come; returns microseconds until the next one (or -1). */
static int64_t give(struct direction *d) {
  uint64_t t = now_us();
  while (d->count > 0) {
    struct packet *p = &d->queue[d->head];
    if (p->due_us > t) return (int64_t)(p->due_us - t);
    if (dropped(p->data, p->len)) d->cut++;
    else if (write(d->to, p->data, (size_t)p->len) == p->len) d->forwarded++;
    else d->overflow++;
    d->head = (d->head + 1) % QLEN;
    d->count--;
  }
  return -1;
}

static struct direction *pick(struct direction *dirs, const char *which, int *both) {
  *both = 0;
  if (strcmp(which, "in") == 0) return &dirs[0];
  if (strcmp(which, "out") == 0) return &dirs[1];
  *both = 1;
  return NULL;
}

static void command(char *line, struct direction *dirs) {
  char verb[16] = "", a[16] = "", b[32] = "";
  int n = sscanf(line, "%15s %15s %31s", verb, a, b);
  if (n < 1) return;
  if (strcmp(verb, "stats") == 0) {
    printf("in %lu %lu %lu out %lu %lu %lu\n", dirs[0].forwarded, dirs[0].lost, dirs[0].cut + dirs[0].overflow,
           dirs[1].forwarded, dirs[1].lost, dirs[1].cut + dirs[1].overflow);
  } else if (strcmp(verb, "keep") == 0 && n == 3 && strcmp(a, "tcp") == 0) {
    keep_tcp_port = atoi(b);
    printf("ok\n");
  } else if (strcmp(verb, "cut") == 0 && n == 3 && strcmp(a, "udp") == 0 && (strcmp(b, "on") == 0 || strcmp(b, "off") == 0)) {
    cut_udp = strcmp(b, "on") == 0;
    printf("ok\n");
  } else if (strcmp(verb, "cut") == 0 && n == 2 && (strcmp(a, "on") == 0 || strcmp(a, "off") == 0)) {
    cut = strcmp(a, "on") == 0;
    printf("ok\n");
  } else if ((strcmp(verb, "loss") == 0 || strcmp(verb, "delay") == 0) && n >= 2) {
    int both;
    struct direction *d = pick(dirs, a, &both);
    double v = atof(both ? a : b);
    if ((!both && n < 3) || v < 0 || (verb[0] == 'l' && v > 1)) { printf("error bad value\n"); fflush(stdout); return; }
    for (int i = 0; i < 2; i++) {
      struct direction *x = both ? &dirs[i] : d;
      if (verb[0] == 'l') x->loss = v;
      else x->delay_us = (uint64_t)(v * 1000);
      if (!both) break;
    }
    printf("ok\n");
  } else {
    printf("error unknown command\n");
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: tun-link <root-dev> <ns-dev> [seed]\n"); return 2; }
  rng = argc > 3 ? strtoull(argv[3], NULL, 10) : 1;
  if (rng == 0) rng = 1;
  int root = tun_open(argv[1]);
  int ns = tun_open(argv[2]);
  struct direction dirs[2] = {
    { .name = "in", .from = root, .to = ns },
    { .name = "out", .from = ns, .to = root },
  };
  for (int i = 0; i < 2; i++) {
    dirs[i].queue = malloc(sizeof(struct packet) * QLEN);
    if (!dirs[i].queue) { perror("malloc"); return 1; }
  }
  fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
  printf("ready\n");
  fflush(stdout);

  char line[256];
  size_t have = 0;
  for (;;) {
    int64_t wait = -1;
    for (int i = 0; i < 2; i++) {
      int64_t w = give(&dirs[i]);
      if (w >= 0 && (wait < 0 || w < wait)) wait = w;
    }
    struct pollfd fds[3] = { { root, POLLIN, 0 }, { ns, POLLIN, 0 }, { 0, POLLIN, 0 } };
    int timeout = wait < 0 ? -1 : (int)((wait + 999) / 1000);
    if (poll(fds, 3, timeout) < 0 && errno != EINTR) { perror("poll"); return 1; }
    if (fds[0].revents & POLLIN) take(&dirs[0]);
    if (fds[1].revents & POLLIN) take(&dirs[1]);
    if (fds[2].revents & (POLLIN | POLLHUP)) {
      ssize_t n = read(0, line + have, sizeof line - 1 - have);
      if (n == 0) return 0;
      if (n < 0) continue;
      have += (size_t)n;
      line[have] = 0;
      char *nl;
      while ((nl = strchr(line, '\n'))) {
        *nl = 0;
        command(line, dirs);
        size_t rest = have - (size_t)(nl + 1 - line);
        memmove(line, nl + 1, rest);
        have = rest;
        line[have] = 0;
      }
      if (have == sizeof line - 1) have = 0;
    }
  }
}
