/* SPDX-License-Identifier: MIT */
/*
 * The library's own connection to $DISPLAY: XCB alone, opened within the
 * deadline.
 *
 * Xlib is not used for it. XOpenDisplay and XCloseDisplay take libX11's
 * process-wide lock and run its I/O error handler, which ends the process
 * when a connection breaks; a thread given up on while it waits for a
 * silent server would hold that lock, and the program's own Xlib with it.
 * XCB has no global state, never exits, and xcb_disconnect never waits.
 *
 * xcb_connect itself has no timeout either: a server grabbed by another
 * client does not answer the connection setup until the grab ends. So the
 * socket is connected here (non-blocking, under the deadline), the setup
 * runs on a thread with xcb_connect_to_fd (the authorisation read from the
 * Xauthority file here, see xauth.c), and when the deadline passes
 * first the socket is shut down, which makes that thread's read return at
 * once: the thread is joined, nothing is left behind.
 */
#include "ce_x11_xcb.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------- socket -- */

/* Waits until `fd` is connected, within the deadline. */
static int finish_connect(int fd, const ce__deadline *deadline) {
  for (;;) {
    struct pollfd p = {fd, POLLOUT, 0};
    int error = 0, status = ce__deadline_check(deadline, "X11");
    socklen_t len = sizeof error;
    if (status != CE_OK)
      return status;
    if (poll(&p, 1, (int)ce__deadline_slice_ms(deadline)) < 0 && errno != EINTR)
      return CE_E_UNAVAILABLE;
    if (p.revents == 0)
      continue;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0)
      return CE_E_UNAVAILABLE;
    return CE_OK;
  }
}

/* A non-blocking socket connecting to `addr`; CE_OK with *fd, or a status
 * (the detail is the caller's to give). */
static int connect_to(int domain, const struct sockaddr *addr, socklen_t len,
                      const ce__deadline *deadline, int *fd) {
  int status;
  *fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (*fd < 0)
    return CE_E_UNAVAILABLE;
  for (;;) {
    if (connect(*fd, addr, len) == 0)
      return CE_OK;
    if (errno != EAGAIN) {
      status = errno == EINPROGRESS || errno == EINTR
                   ? finish_connect(*fd, deadline)
                   : CE_E_UNAVAILABLE;
      break;
    }
    /* A Unix socket whose listen queue is full (many clients connecting at
     * once) refuses a non-blocking connect with EAGAIN, having done
     * nothing: try again a little later, within the deadline. */
    if ((status = ce__deadline_check(deadline, "X11")) != CE_OK)
      break;
    {
      struct timespec pause = {0, 2 * 1000000L};
      nanosleep(&pause, NULL);
    }
  }
  if (status != CE_OK) {
    close(*fd);
    *fd = -1;
  }
  return status;
}

/* The local server's socket: Linux's abstract name first, then the file,
 * as XCB tries them. */
static int connect_local(int display, const ce__deadline *deadline, int *fd) {
  struct sockaddr_un addr;
  int status = CE_E_UNAVAILABLE;
  for (int abstract = 1; abstract >= 0 && status == CE_E_UNAVAILABLE;
       abstract--) {
    int n;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    n = snprintf(addr.sun_path + abstract, sizeof addr.sun_path - 1,
                 "/tmp/.X11-unix/X%d", display);
    status = connect_to(AF_UNIX, (const struct sockaddr *)&addr,
                        (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                                    (size_t)abstract + (size_t)n +
                                    (abstract ? 0u : 1u)),
                        deadline, fd);
  }
  return status;
}

/*
 * A TCP server: port 6000 + display at `host`. The name is resolved by the
 * system's resolver, which the deadline does not bound (a numeric address
 * needs no lookup).
 */
static int connect_tcp(const char *host, int display,
                       const ce__deadline *deadline, int *fd,
                       struct sockaddr_storage *peer) {
  struct addrinfo hints, *list = NULL;
  char port[16];
  int status = CE_E_UNAVAILABLE;
  memset(&hints, 0, sizeof hints);
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  snprintf(port, sizeof port, "%d", 6000 + display);
  if (getaddrinfo(host, port, &hints, &list) != 0)
    return CE_E_UNAVAILABLE;
  for (struct addrinfo *a = list; a != NULL && status == CE_E_UNAVAILABLE;
       a = a->ai_next) {
    status = connect_to(a->ai_family, a->ai_addr, a->ai_addrlen, deadline, fd);
    if (status == CE_OK && a->ai_addrlen <= sizeof *peer)
      memcpy(peer, a->ai_addr, a->ai_addrlen);
  }
  freeaddrinfo(list);
  return status;
}

/* --------------------------------------------------------------- auth -- */

/* The most of an Xauthority file read: far more than any real one. */
#define XAUTHORITY_MAX (1u << 20)

/* The user's Xauthority file, as libXau finds it: XAUTHORITY, else
 * ~/.Xauthority; its bytes (malloc'd, at most XAUTHORITY_MAX), or NULL. */
static unsigned char *read_xauthority(size_t *length) {
  const char *env = getenv("XAUTHORITY"), *home = getenv("HOME");
  char path[4096];
  unsigned char *buffer;
  size_t room = XAUTHORITY_MAX;
  struct stat st;
  FILE *f;
  if (env != NULL && env[0] != '\0')
    snprintf(path, sizeof path, "%s", env);
  else if (home != NULL && home[0] != '\0')
    snprintf(path, sizeof path, "%s/.Xauthority", home);
  else
    return NULL;
  f = fopen(path, "rb");
  if (f == NULL)
    return NULL;
  /* Room for the file as it is now (a few hundred bytes, usually), not for
   * the most ever read: every connection reads it. */
  if (fstat(fileno(f), &st) == 0 && st.st_size >= 0 &&
      (unsigned long long)st.st_size < XAUTHORITY_MAX)
    room = st.st_size > 0 ? (size_t)st.st_size : 1;
  buffer = malloc(room);
  *length = buffer != NULL ? fread(buffer, 1, room, f) : 0;
  fclose(f);
  return buffer;
}

/*
 * The authorisation for this server, as Xlib and XCB choose it: the
 * MIT-MAGIC-COOKIE-1 entry of the user's Xauthority file for a local socket
 * or a loopback address (the local family with our host name), or for any
 * other address its Internet family. 0 when there is none (the server may
 * need none); else *auth, whose strings point into *file (free it after).
 */
static int find_cookie(const struct sockaddr_storage *peer, int display,
                       xcb_auth_info_t *auth, unsigned char **file) {
  static char cookie[] = "MIT-MAGIC-COOKIE-1";
  char number[16], host[256];
  const void *address = host;
  unsigned family = CE_X11_FAMILY_LOCAL;
  size_t address_len, length = 0, data_len;
  const unsigned char *data;

  if (gethostname(host, sizeof host) != 0)
    host[0] = '\0';
  host[sizeof host - 1] = '\0';
  address_len = strlen(host);
  if (peer->ss_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)peer;
    if ((ntohl(in->sin_addr.s_addr) >> 24) != 127) {
      family = CE_X11_FAMILY_INTERNET;
      address = &in->sin_addr;
      address_len = 4;
    }
  } else if (peer->ss_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)peer;
    if (!IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
      family = CE_X11_FAMILY_INTERNET6;
      address = &in6->sin6_addr;
      address_len = 16;
    }
  }
  snprintf(number, sizeof number, "%d", display);
  *file = read_xauthority(&length);
  if (*file == NULL ||
      !ce__x11_find_cookie(*file, length, family, address, address_len, number,
                           &data, &data_len))
    return 0;
  auth->name = cookie;
  auth->namelen = (int)sizeof cookie - 1;
  auth->data = (char *)(uintptr_t)data;
  auth->datalen = (int)data_len;
  return 1;
}

/* -------------------------------------------------------------- setup -- */

/* The setup's thread and the caller share this; the caller joins. */
typedef struct setup {
  int fd;
  xcb_auth_info_t *auth;
  xcb_connection_t *connection;
  pthread_mutex_t lock;
  pthread_cond_t done_cond;
  int done;
} setup;

static void *setup_thread(void *data) {
  setup *s = data;
  sigset_t pipe_set;
  xcb_connection_t *c;
  /* A server that closes before it reads the setup would make XCB's write
   * raise SIGPIPE, whose default action ends the process. Blocked on this
   * thread of ours only, the write fails with EPIPE instead, and a pending
   * SIGPIPE ends with the thread. */
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
  c = ce__x11_xcb.xcb_connect_to_fd(s->fd, s->auth);
  pthread_mutex_lock(&s->lock);
  s->connection = c;
  s->done = 1;
  pthread_cond_signal(&s->done_cond);
  pthread_mutex_unlock(&s->lock);
  return NULL;
}

static struct timespec wake_time(unsigned ms) {
  struct timespec at;
  clock_gettime(CLOCK_MONOTONIC, &at);
  at.tv_sec += ms / 1000u;
  at.tv_nsec += (long)(ms % 1000u) * 1000000L;
  if (at.tv_nsec >= 1000000000L) {
    at.tv_sec++;
    at.tv_nsec -= 1000000000L;
  }
  return at;
}

/*
 * Runs XCB's connection setup on `fd` (which it then owns) within the
 * deadline; CE_OK with *out (which may be in error: the caller checks), or
 * CE_E_TIMEOUT / CE_E_CANCELLED / CE_E_NOMEM.
 */
static int run_setup(int fd, xcb_auth_info_t *auth,
                     const ce__deadline *deadline, xcb_connection_t **out) {
  setup s;
  pthread_condattr_t monotonic;
  pthread_t thread;
  int status = CE_OK;
  /* A second descriptor of the socket, to shut it down with: XCB closes
   * `fd` itself when the setup fails, and that number may be reused by the
   * program at once. */
  int shutter = fcntl(fd, F_DUPFD_CLOEXEC, 0);

  memset(&s, 0, sizeof s);
  s.fd = fd;
  s.auth = auth;
  pthread_mutex_init(&s.lock, NULL);
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_init(&s.done_cond, &monotonic);
  pthread_condattr_destroy(&monotonic);

  if (shutter < 0 || pthread_create(&thread, NULL, setup_thread, &s) != 0) {
    if (shutter >= 0)
      close(shutter);
    close(fd);
    pthread_cond_destroy(&s.done_cond);
    pthread_mutex_destroy(&s.lock);
    return ce__fail(CE_E_NOMEM, "X11: no thread for the connection setup");
  }
  pthread_mutex_lock(&s.lock);
  while (!s.done && (status = ce__deadline_check(deadline, "X11")) == CE_OK) {
    struct timespec at = wake_time(ce__deadline_slice_ms(deadline));
    pthread_cond_timedwait(&s.done_cond, &s.lock, &at);
  }
  pthread_mutex_unlock(&s.lock);
  if (status != CE_OK)
    shutdown(shutter, SHUT_RDWR); /* the setup's read returns now */
  pthread_join(thread, NULL);
  close(shutter);
  pthread_cond_destroy(&s.done_cond);
  pthread_mutex_destroy(&s.lock);

  if (status != CE_OK) {
    ce__x11_xcb.xcb_disconnect(s.connection);
    return status;
  }
  *out = s.connection;
  return CE_OK;
}

/* ---------------------------------------------------------- the entry -- */

int ce__x11_connect(const char *name, const ce__deadline *deadline,
                    xcb_connection_t **out, xcb_window_t *root) {
  char *host = NULL;
  int display = 0, screen = 0, fd = -1, status;
  struct sockaddr_storage peer;
  xcb_auth_info_t auth;
  unsigned char *xauthority = NULL;
  xcb_connection_t *c = NULL;

  *out = NULL;
  if (!ce__x11_xcb.xcb_parse_display(name, &host, &display, &screen))
    return ce__fail(CE_E_UNAVAILABLE,
                    "X11: cannot open display \"%s\" (not a display name)",
                    name);
  memset(&peer, 0, sizeof peer);
  peer.ss_family = AF_UNIX;
  /* "unix:N" and ":N" are the local socket; XCB's protocol prefixes
   * ("tcp/host:N", "unix/...") are honoured too. */
  if (strncmp(host, "tcp/", 4) == 0)
    status = connect_tcp(host + 4, display, deadline, &fd, &peer);
  else if (host[0] == '\0' || strcmp(host, "unix") == 0 ||
           strncmp(host, "unix/", 5) == 0)
    status = connect_local(display, deadline, &fd);
  else
    status = connect_tcp(host, display, deadline, &fd, &peer);
  free(host);
  if (status == CE_E_UNAVAILABLE)
    return ce__fail(CE_E_UNAVAILABLE, "X11: cannot open display \"%s\"", name);
  if (status != CE_OK)
    return status;

  status = run_setup(
      fd, find_cookie(&peer, display, &auth, &xauthority) ? &auth : NULL,
      deadline, &c);
  free(xauthority);
  if (status == CE_E_TIMEOUT)
    return ce__fail(status,
                    "X11: display \"%s\" did not answer the connection within "
                    "the timeout (is the server grabbed?)",
                    name);
  if (status != CE_OK)
    return status;
  if (ce__x11_xcb.xcb_connection_has_error(c)) {
    int error = ce__x11_xcb.xcb_connection_has_error(c);
    ce__x11_xcb.xcb_disconnect(c);
    return ce__fail(CE_E_UNAVAILABLE, "X11: cannot open display \"%s\" (%s)",
                    name,
                    error == XCB_CONN_CLOSED_PARSE_ERR ? "malformed setup"
                    : error == XCB_CONN_ERROR
                        ? "refused: not authorised, or the server closed"
                        : "connection failed");
  }
  {
    xcb_screen_iterator_t it =
        ce__x11_xcb.xcb_setup_roots_iterator(ce__x11_xcb.xcb_get_setup(c));
    for (int i = 0; i < screen && it.rem > 0; i++)
      ce__x11_xcb.xcb_screen_next(&it);
    if (it.rem == 0) {
      ce__x11_xcb.xcb_disconnect(c);
      return ce__fail(CE_E_UNAVAILABLE, "X11: display \"%s\" has no screen %d",
                      name, screen);
    }
    *root = it.data->root;
  }
  *out = c;
  return CE_OK;
}
