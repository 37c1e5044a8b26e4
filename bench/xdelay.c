/* SPDX-License-Identifier: MIT */
/*
 * xdelay: a TCP proxy for the latency benchmark. It listens on 127.0.0.1 and
 * forwards every connection to a target port (an X server started with
 * `-listen tcp`). Bytes from the client go on at once; every chunk the
 * server sends back is held for a fixed delay before it is passed on, in
 * order. A client that waits for each reply before its next request then
 * pays the delay once per round trip, as it would on a remote connection,
 * while a client that pipelines its requests pays it once per stage.
 *
 * usage: xdelay --to PORT [--delay-ms MS] [--display FIRST]
 *
 * It binds the first free port 6000+D for D = FIRST, FIRST+1, ... (FIRST
 * defaults to 100), prints D on a line of its own to stdout, so that
 * DISPLAY=127.0.0.1:D goes through it, and runs until it is killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAIRS 64
#define CHUNK_SIZE 65536
/* A side stops reading while this much is queued for the other side, so a
 * slow reader cannot make the proxy buffer without bound. */
#define QUEUE_LIMIT (16u << 20)

typedef struct chunk {
  struct chunk *next;
  int64_t due_ns;
  size_t len, off;
  unsigned char data[];
} chunk;

/* One direction of a connection: bytes read from `from`, queued, and written
 * to `to` once due. */
typedef struct pipe_dir {
  int from, to;
  chunk *head, *tail;
  size_t queued;
  int eof; /* `from` has closed: close the pair once the queue is drained */
} pipe_dir;

typedef struct pair {
  int used;
  pipe_dir up;   /* client -> server, no delay */
  pipe_dir down; /* server -> client, delayed */
} pair;

static pair pairs[MAX_PAIRS];
static int64_t delay_ns = 5000000;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void set_socket_options(int fd) {
  int one = 1;
  /* Nagle's algorithm would add its own delay to small X requests. */
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void free_queue(pipe_dir *d) {
  while (d->head) {
    chunk *c = d->head;
    d->head = c->next;
    free(c);
  }
  d->tail = NULL;
  d->queued = 0;
}

static void close_pair(pair *p) {
  free_queue(&p->up);
  free_queue(&p->down);
  close(p->up.from);
  close(p->up.to);
  p->used = 0;
}

/* Reads what `d->from` has and queues it, due after `delay`. Returns -1 when
 * the pair must close at once (a read error). */
static int read_side(pipe_dir *d, int64_t delay) {
  unsigned char buffer[CHUNK_SIZE];
  ssize_t n = read(d->from, buffer, sizeof buffer);
  chunk *c;

  if (n == 0) {
    d->eof = 1;
    return 0;
  }
  if (n < 0)
    return errno == EAGAIN || errno == EINTR ? 0 : -1;
  c = malloc(sizeof *c + (size_t)n);
  if (c == NULL)
    return -1;
  c->next = NULL;
  c->due_ns = now_ns() + delay;
  c->len = (size_t)n;
  c->off = 0;
  memcpy(c->data, buffer, (size_t)n);
  if (d->tail)
    d->tail->next = c;
  else
    d->head = c;
  d->tail = c;
  d->queued += (size_t)n;
  return 0;
}

/* Writes every due chunk that the socket takes. Returns -1 on a write error,
 * 1 when it stopped because the socket is full. */
static int flush_side(pipe_dir *d, int64_t now) {
  while (d->head && d->head->due_ns <= now) {
    chunk *c = d->head;
    ssize_t n = write(d->to, c->data + c->off, c->len - c->off);
    if (n < 0)
      return errno == EAGAIN || errno == EINTR ? 1 : -1;
    c->off += (size_t)n;
    d->queued -= (size_t)n;
    if (c->off < c->len)
      return 1;
    d->head = c->next;
    if (d->head == NULL)
      d->tail = NULL;
    free(c);
  }
  return 0;
}

static int connect_target(int port) {
  struct sockaddr_in addr;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return -1;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static int listen_display(int first, int *display) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  if (fd < 0)
    return -1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  for (int d = first; d < first + 100 && 6000 + d < 65536; d++) {
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)(6000 + d));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) == 0 &&
        listen(fd, 16) == 0) {
      *display = d;
      return fd;
    }
  }
  close(fd);
  return -1;
}

static void accept_client(int listener, int target_port) {
  int client = accept(listener, NULL, NULL);
  int server;
  if (client < 0)
    return;
  server = connect_target(target_port);
  if (server < 0) {
    close(client);
    return;
  }
  for (int i = 0; i < MAX_PAIRS; i++) {
    if (!pairs[i].used) {
      pair *p = &pairs[i];
      memset(p, 0, sizeof *p);
      p->used = 1;
      p->up.from = p->down.to = client;
      p->up.to = p->down.from = server;
      set_socket_options(client);
      set_socket_options(server);
      return;
    }
  }
  close(client);
  close(server);
}

static int usage(void) {
  fputs("usage: xdelay --to PORT [--delay-ms MS] [--display FIRST]\n", stderr);
  return 2;
}

int main(int argc, char **argv) {
  int target_port = 0, first = 100, display = 0, listener;

  for (int i = 1; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--to") == 0)
      target_port = atoi(argv[i + 1]);
    else if (strcmp(argv[i], "--delay-ms") == 0)
      delay_ns = (int64_t)(atof(argv[i + 1]) * 1e6);
    else if (strcmp(argv[i], "--display") == 0)
      first = atoi(argv[i + 1]);
    else
      return usage();
  }
  if (target_port <= 0 || target_port > 65535 || argc % 2 == 0)
    return usage();
  signal(SIGPIPE, SIG_IGN);
  listener = listen_display(first, &display);
  if (listener < 0) {
    perror("xdelay: no free port to listen on");
    return 1;
  }
  printf("%d\n", display);
  fflush(stdout);

  for (;;) {
    struct pollfd fds[1 + 2 * MAX_PAIRS];
    int owner[1 + 2 * MAX_PAIRS];
    int nfds = 1, timeout = -1;
    int64_t now = now_ns(), next_due = INT64_MAX;

    fds[0].fd = listener;
    fds[0].events = POLLIN;
    owner[0] = -1;
    for (int i = 0; i < MAX_PAIRS; i++) {
      pair *p = &pairs[i];
      pipe_dir *dirs[2] = {&p->up, &p->down};
      if (!p->used)
        continue;
      for (int k = 0; k < 2; k++) {
        pipe_dir *d = dirs[k], *other = dirs[1 - k];
        short events = 0;
        if (!d->eof && d->queued < QUEUE_LIMIT)
          events |= POLLIN;
        /* This socket is also where the other direction writes: wait for
         * room when its first chunk is due, else wake when it becomes due. */
        if (other->head && other->head->due_ns <= now)
          events |= POLLOUT;
        else if (other->head && other->head->due_ns < next_due)
          next_due = other->head->due_ns;
        fds[nfds].fd = d->from;
        fds[nfds].events = events;
        owner[nfds] = i * 2 + k;
        nfds++;
      }
    }
    if (next_due != INT64_MAX) {
      int64_t wait = (next_due - now + 999999) / 1000000;
      timeout = wait < 0 ? 0 : (int)wait;
    }
    if (poll(fds, (nfds_t)nfds, timeout) < 0 && errno != EINTR) {
      perror("xdelay: poll");
      return 1;
    }
    if (fds[0].revents & POLLIN)
      accept_client(listener, target_port);

    for (int f = 1; f < nfds; f++) {
      pair *p = &pairs[owner[f] / 2];
      pipe_dir *d = owner[f] % 2 ? &p->down : &p->up;
      if (p->used && !d->eof && (fds[f].revents & (POLLIN | POLLHUP | POLLERR)))
        if (read_side(d, d == &p->down ? delay_ns : 0) != 0)
          close_pair(p);
    }
    now = now_ns();
    for (int i = 0; i < MAX_PAIRS; i++) {
      pair *p = &pairs[i];
      if (!p->used)
        continue;
      if (flush_side(&p->up, now) < 0 || flush_side(&p->down, now) < 0) {
        close_pair(p);
        continue;
      }
      /* One side has closed and everything it sent has been passed on: the
       * other side sees the close too. */
      if ((p->up.eof && p->up.head == NULL) ||
          (p->down.eof && p->down.head == NULL))
        close_pair(p);
    }
  }
}
