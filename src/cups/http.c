/* SPDX-License-Identifier: MIT */
/*
 * The CUPS-Get-Printers exchange: one request on a connection of our own to
 * the server libcups would use, and the whole answer read within the
 * query's deadline and cancel flag, in bounded memory.
 *
 * The HTTP answer is read by a loop of our own on the socket rather than by
 * libcups, because libcups reads header lines until the blank one without
 * asking its timeout callback while bytes keep coming, joins repeated
 * headers into one growing string, inflates a gzip body nobody asked for,
 * and starts a TLS handshake on "101 Switching Protocols". Here every read
 * is one large recv() behind a poll() sliced to notice the deadline and the
 * cancel flag, the header lines are bounded in length and number, only
 * identity bodies are taken (Content-Length, chunked, or up to the close),
 * and the body, held whole, is handed to libcups' IPP parser.
 *
 * A network server for which libcups' settings demand encryption
 * (Encryption Required or Always) is reached through libcups' own HTTP
 * layer, which alone speaks TLS; that path is bounded only where libcups
 * asks its timeout callback (see the README).
 */
#include "ce_cups.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* What one recv() asks for. */
#define READ_CHUNK (64u * 1024u)

/*
 * The largest body read, and the most its parse may build by trim_values'
 * estimate: a defence against a server that never stops sending, or sends
 * millions of tiny attributes. Roughly 100,000 queues.
 */
#define MAX_ANSWER_BYTES (256u * 1024u * 1024u)

/* Header lines: no longer than this, and no more of them in one answer
 * (interim 1xx answers and chunked trailers included). */
#define MAX_LINE 8192u
#define MAX_HEADER_LINES 256u

/* The longest server message repeated in ce_error_detail(). */
#define DETAIL_CAP 512u

/* --------------------------------------------------------------- body -- */

/* The answer's body, as it arrives. */
typedef struct body {
  unsigned char *data;
  size_t len, cap;
} body;

static int body_add(body *b, const void *bytes, size_t len,
                    const char *server) {
  int status;
  if (len > MAX_ANSWER_BYTES - b->len)
    return ce__fail(CE_E_BACKEND,
                    "CUPS: the answer of %s is larger than %u MiB", server,
                    MAX_ANSWER_BYTES / (1024u * 1024u));
  status = ce__grow((void **)&b->data, &b->cap, b->len + len, 1, "CUPS",
                    "bytes of the answer");
  if (status != CE_OK)
    return status;
  memcpy(b->data + b->len, bytes, len);
  b->len += len;
  return CE_OK;
}

/* ------------------------------------------------------------- socket -- */

typedef struct conn {
  int fd;
  const ce__deadline *deadline;
  const char *server;
  unsigned char *in; /* READ_CHUNK bytes; [start, end) not yet used */
  size_t start, end;
  int eof;
} conn;

/* The failure for a connection that broke off: the deadline or the cancel
 * flag when they are why, else the server is unavailable. */
static int lost(const conn *c, int error, const char *what) {
  int status = ce__deadline_check(c->deadline, "CUPS");
  if (status != CE_OK)
    return status;
  return ce__fail(CE_E_UNAVAILABLE, "CUPS: %s %s: %s", what, c->server,
                  error != 0 ? strerror(error) : "connection closed");
}

/* Waits until the socket is ready for `events`, in slices, within the
 * deadline and the cancel flag. */
static int wait_for(const conn *c, short events) {
  for (;;) {
    struct pollfd p = {c->fd, events, 0};
    int status = ce__deadline_check(c->deadline, "CUPS");
    int ready;
    if (status != CE_OK)
      return status;
    ready = poll(&p, 1, (int)ce__deadline_slice_ms(c->deadline));
    if (ready > 0)
      return CE_OK;
    if (ready < 0 && errno != EINTR)
      return lost(c, errno, "cannot wait for");
  }
}

/* Reads what the server has sent (at least one byte, or the end) into the
 * input buffer, keeping the bytes not yet used. */
static int fill(conn *c) {
  if (c->start > 0) {
    memmove(c->in, c->in + c->start, c->end - c->start);
    c->end -= c->start;
    c->start = 0;
  }
  for (;;) {
    /* Checked before every read, so a server that trickles bytes cannot
     * keep the call past its deadline. */
    int status = ce__deadline_check(c->deadline, "CUPS");
    ssize_t got;
    if (status != CE_OK)
      return status;
    got = recv(c->fd, c->in + c->end, READ_CHUNK - c->end, MSG_DONTWAIT);
    if (got > 0) {
      c->end += (size_t)got;
      return CE_OK;
    }
    if (got == 0) {
      c->eof = 1;
      return CE_OK;
    }
    if (errno == EINTR)
      continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      return lost(c, errno, "cannot read the answer of");
    if ((status = wait_for(c, POLLIN)) != CE_OK)
      return status;
  }
}

static int send_all(conn *c, const unsigned char *data, size_t len) {
  while (len > 0) {
    int status = ce__deadline_check(c->deadline, "CUPS");
    ssize_t sent;
    if (status != CE_OK)
      return status;
    /* MSG_NOSIGNAL: a server that closed gives EPIPE, never SIGPIPE. */
    sent = send(c->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      data += sent;
      len -= (size_t)sent;
    } else if (sent < 0 && errno == EINTR) {
      continue;
    } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if ((status = wait_for(c, POLLOUT)) != CE_OK)
        return status;
    } else {
      return lost(c, sent < 0 ? errno : 0, "cannot send the request to");
    }
  }
  return CE_OK;
}

/* --------------------------------------------------------- connection -- */

static int unreachable(const char *server, int port) {
  if (server[0] == '/')
    return ce__fail(CE_E_UNAVAILABLE,
                    "CUPS: cannot connect to %s (no server listens on that "
                    "socket)",
                    server);
  return ce__fail(CE_E_UNAVAILABLE,
                  "CUPS: cannot connect to %s port %d (unknown host, or no "
                  "server listens there)",
                  server, port);
}

/* A non-blocking connect of `fd` to `address`, finished within the
 * deadline; CE_OK, CE_E_UNAVAILABLE (no detail: the caller tells) or the
 * deadline's status. */
static int connect_socket(conn *c, const struct sockaddr *address,
                          socklen_t length) {
  int error = 0;
  socklen_t size = sizeof error;
  int status;
  while (connect(c->fd, address, length) != 0) {
    if (errno == EINTR)
      continue;
    if (errno == EAGAIN && address->sa_family == AF_UNIX) {
      /* The listener's backlog is full: try again after a slice. */
      if ((status = ce__deadline_check(c->deadline, "CUPS")) != CE_OK)
        return status;
      poll(NULL, 0, 10);
      continue;
    }
    if (errno != EINPROGRESS)
      return CE_E_UNAVAILABLE;
    if ((status = wait_for(c, POLLOUT)) != CE_OK)
      return status;
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 ||
        error != 0)
      return CE_E_UNAVAILABLE;
    return CE_OK;
  }
  return CE_OK;
}

static int open_socket(conn *c, int family) {
  c->fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0)
    return ce__fail(CE_E_UNAVAILABLE, "CUPS: cannot make a socket: %s",
                    strerror(errno));
  return CE_OK;
}

static void close_socket(conn *c) {
  if (c->fd >= 0)
    close(c->fd);
  c->fd = -1;
}

static int connect_local(conn *c, const char *path) {
  struct sockaddr_un address;
  int status;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof address.sun_path)
    return unreachable(path, 0);
  memcpy(address.sun_path, path, strlen(path) + 1);
  if ((status = open_socket(c, AF_UNIX)) != CE_OK)
    return status;
  status = connect_socket(c, (const struct sockaddr *)&address,
                          (socklen_t)sizeof address);
  if (status == CE_E_UNAVAILABLE)
    return unreachable(path, 0);
  return status;
}

/* Each address of `host` in turn until one accepts. Resolving the name is
 * not bounded by the deadline (getaddrinfo has no timeout). */
static int connect_network(conn *c, const char *host, int port) {
  char name[256], service[16];
  struct addrinfo hints, *list = NULL;
  int status = CE_E_UNAVAILABLE;
  size_t len = strlen(host);

  /* An IPv6 literal comes in brackets. */
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    host++, len -= 2;
  if (len >= sizeof name)
    return unreachable(c->server, port);
  memcpy(name, host, len);
  name[len] = '\0';
  snprintf(service, sizeof service, "%d", port);
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(name, service, &hints, &list) != 0)
    return unreachable(c->server, port);
  for (struct addrinfo *a = list; a != NULL && status == CE_E_UNAVAILABLE;
       a = a->ai_next) {
    if ((status = open_socket(c, a->ai_family)) != CE_OK)
      break;
    status = connect_socket(c, a->ai_addr, a->ai_addrlen);
    if (status != CE_OK)
      close_socket(c);
  }
  freeaddrinfo(list);
  if (status == CE_E_UNAVAILABLE)
    return unreachable(c->server, port);
  return status;
}

/* ------------------------------------------------------------ request -- */

/* ippWriteIO's and ippReadIO's callbacks over memory. */
typedef struct memory {
  unsigned char *data;
  size_t len, at;
  int short_read; /* the parser asked for more than there was */
} memory;

static ssize_t to_memory(void *context, ipp_uchar_t *buffer, size_t bytes) {
  memory *m = context;
  if (bytes > m->len - m->at)
    return -1;
  memcpy(m->data + m->at, buffer, bytes);
  m->at += bytes;
  return (ssize_t)bytes;
}

static ssize_t from_memory(void *context, ipp_uchar_t *buffer, size_t bytes) {
  memory *m = context;
  size_t n = bytes < m->len - m->at ? bytes : m->len - m->at;
  m->short_read |= n < bytes;
  memcpy(buffer, m->data + m->at, n);
  m->at += n;
  return (ssize_t)n;
}

/* The CUPS-Get-Printers request for the attributes the records use. */
static ipp_t *new_request(void) {
  ipp_t *request = ce__cups.ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
  if (request == NULL)
    return NULL;
  ce__cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
                         "requested-attributes", CE__CUPS_ATTR_COUNT, NULL,
                         ce__cups_requested);
  /* The server leaves out the queues this user may not use, as lpstat. */
  ce__cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME,
                        "requesting-user-name", NULL, ce__cups.cupsUser());
  return request;
}

/* The whole HTTP request, header and IPP body of `request`, in one buffer
 * (*out, to be freed). Only the identity encoding is accepted and no
 * upgrade offered. */
static int build_request(const char *server, int port, ipp_t *request,
                         unsigned char **out, size_t *out_len) {
  char head[512];
  int head_len;
  memory m = {NULL, 0, 0, 0};
  ipp_state_t state;

  *out = NULL;
  /* A local socket is "localhost" to cupsd, as libcups says. */
  if (server[0] == '/')
    head_len = snprintf(head, sizeof head, "localhost");
  else
    head_len =
        snprintf(head, sizeof head,
                 strchr(server, ':') && server[0] != '[' ? "[%s]:%d" : "%s:%d",
                 server, port);
  if (head_len > 0 && (size_t)head_len < sizeof head) {
    char host[sizeof head];
    memcpy(host, head, (size_t)head_len + 1);
    head_len = snprintf(head, sizeof head,
                        "POST / HTTP/1.1\r\nHost: %s\r\n"
                        "Content-Type: application/ipp\r\n"
                        "Content-Length: %zu\r\n"
                        "Accept-Encoding: identity\r\n"
                        "Connection: close\r\n\r\n",
                        host, ce__cups.ippLength(request));
  }
  if (head_len <= 0 || (size_t)head_len >= sizeof head)
    return unreachable(server, port);
  m.len = (size_t)head_len + ce__cups.ippLength(request);
  m.data = malloc(m.len);
  if (m.data == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory for the request");
  memcpy(m.data, head, (size_t)head_len);
  m.at = (size_t)head_len;
  do
    state = ce__cups.ippWriteIO(&m, to_memory, 1, NULL, request);
  while (state != IPP_STATE_DATA && state != IPP_STATE_ERROR);
  if (state == IPP_STATE_ERROR || m.at != m.len) {
    free(m.data);
    return ce__fail(CE_E_BACKEND, "CUPS: cannot encode the request");
  }
  *out = m.data;
  *out_len = m.len;
  return CE_OK;
}

/* ------------------------------------------------------- HTTP answer -- */

/* One line without its CR LF, NUL-terminated in the input buffer; valid
 * until the next read. `lines` counts the header lines read so far (NULL
 * for a chunk's size line, bounded only in length). */
static int read_line(conn *c, char **line, unsigned *lines) {
  size_t scanned = 0;
  int status;
  if (lines != NULL && ++*lines > MAX_HEADER_LINES)
    return ce__fail(CE_E_BACKEND, "CUPS: %s sent more than %u header lines",
                    c->server, MAX_HEADER_LINES);
  for (;;) {
    unsigned char *start = c->in + c->start;
    unsigned char *nl =
        memchr(start + scanned, '\n', c->end - c->start - scanned);
    if (nl != NULL) {
      size_t len = (size_t)(nl - start);
      if (len > MAX_LINE)
        break;
      if (len > 0 && start[len - 1] == '\r')
        len--;
      start[len] = '\0';
      *line = (char *)start;
      c->start += (size_t)(nl - start) + 1;
      return CE_OK;
    }
    scanned = c->end - c->start;
    if (scanned > MAX_LINE)
      break;
    if (c->eof)
      return lost(c, 0, "no complete answer from");
    if ((status = fill(c)) != CE_OK)
      return status;
  }
  return ce__fail(CE_E_BACKEND,
                  "CUPS: %s sent a header line longer than %u bytes", c->server,
                  MAX_LINE);
}

typedef struct head {
  int code;
  int chunked;
  int has_length;
  unsigned long long length;
} head;

/* `value` without leading and trailing blanks, in place. */
static char *trim(char *value) {
  size_t len;
  value += strspn(value, " \t");
  len = strlen(value);
  while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
    value[--len] = '\0';
  return value;
}

/* Decimal digits only, without overflow; false for anything else. */
static int parse_length(const char *text, unsigned long long *out) {
  unsigned long long n = 0;
  if (*text == '\0')
    return 0;
  for (; *text != '\0'; text++) {
    if (*text < '0' || *text > '9' || n > (~0ull - 9) / 10)
      return 0;
    n = n * 10 + (unsigned)(*text - '0');
  }
  *out = n;
  return 1;
}

static int malformed(const conn *c, const char *what) {
  return ce__fail(CE_E_BACKEND, "CUPS: %s sent a malformed answer (%s)",
                  c->server, what);
}

/* One header field of the final answer into `h`. */
static int header_field(conn *c, char *line, head *h) {
  char *colon = strchr(line, ':');
  char *value;
  if (colon == NULL)
    return malformed(c, "a header line without a colon");
  *colon = '\0';
  value = trim(colon + 1);
  if (strcasecmp(line, "Content-Length") == 0) {
    unsigned long long length;
    if (!parse_length(value, &length) || (h->has_length && length != h->length))
      return malformed(c, "Content-Length");
    h->has_length = 1;
    h->length = length;
  } else if (strcasecmp(line, "Transfer-Encoding") == 0) {
    if (strcasecmp(value, "chunked") != 0)
      return ce__fail(CE_E_BACKEND,
                      "CUPS: %s answered with Transfer-Encoding %.64s, which "
                      "cenum does not read",
                      c->server, value);
    h->chunked = 1;
  } else if (strcasecmp(line, "Content-Encoding") == 0) {
    /* Accept-Encoding asked for identity: a compressed body could inflate
     * to many times what was read. */
    if (value[0] != '\0' && strcasecmp(value, "identity") != 0)
      return ce__fail(CE_E_BACKEND,
                      "CUPS: %s answered with Content-Encoding %.64s, which "
                      "cenum did not ask for",
                      c->server, value);
  }
  return CE_OK;
}

/* The status line and header fields of the final answer; interim answers
 * (100 Continue, 102, 103) are read past. */
static int read_head(conn *c, head *h, unsigned *lines) {
  for (;;) {
    char *line;
    int status = read_line(c, &line, lines);
    memset(h, 0, sizeof *h);
    if (status != CE_OK)
      return status;
    if (strncmp(line, "HTTP/1.", 7) != 0 || line[7] < '0' || line[7] > '9' ||
        line[8] != ' ' || line[9] < '1' || line[9] > '5' || line[10] < '0' ||
        line[10] > '9' || line[11] < '0' || line[11] > '9' ||
        (line[12] != ' ' && line[12] != '\0'))
      return ce__fail(CE_E_BACKEND, "CUPS: %s sent no HTTP answer", c->server);
    h->code = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    while ((status = read_line(c, &line, lines)) == CE_OK && line[0] != '\0')
      if (h->code >= 200 && (status = header_field(c, line, h)) != CE_OK)
        return status;
    if (status != CE_OK)
      return status;
    if (h->code >= 200 || h->code == HTTP_STATUS_SWITCHING_PROTOCOLS)
      return CE_OK;
  }
}

/* Moves `n` body bytes from the connection into `b`. A close before they
 * all came is a server gone away mid-answer. */
static int take_bytes(conn *c, unsigned long long n, body *b) {
  while (n > 0) {
    size_t have = c->end - c->start;
    int status;
    if (have == 0) {
      if (c->eof)
        return lost(c, 0, "the answer broke off: no more from");
      if ((status = fill(c)) != CE_OK)
        return status;
      continue;
    }
    if (have > n)
      have = (size_t)n;
    if ((status = body_add(b, c->in + c->start, have, c->server)) != CE_OK)
      return status;
    c->start += have;
    n -= have;
  }
  return CE_OK;
}

/* A chunked body: each chunk's size in hex (extensions ignored), its bytes
 * and CR LF, up to the empty chunk and the trailer lines. */
static int read_chunked(conn *c, body *b, unsigned *lines) {
  for (;;) {
    char *line;
    unsigned long long size = 0;
    size_t digits = 0;
    int status = read_line(c, &line, NULL);
    if (status != CE_OK)
      return status;
    for (; line[digits] != '\0' && line[digits] != ';' && line[digits] != ' ';
         digits++) {
      int d = line[digits];
      unsigned v = d >= '0' && d <= '9'   ? (unsigned)(d - '0')
                   : d >= 'a' && d <= 'f' ? (unsigned)(d - 'a' + 10)
                   : d >= 'A' && d <= 'F' ? (unsigned)(d - 'A' + 10)
                                          : 16u;
      if (v == 16u || size > (~0ull >> 4))
        return malformed(c, "a chunk size");
      size = size * 16 + v;
    }
    if (digits == 0)
      return malformed(c, "a chunk size");
    if (size == 0)
      break;
    if ((status = take_bytes(c, size, b)) != CE_OK ||
        (status = read_line(c, &line, NULL)) != CE_OK)
      return status;
    if (line[0] != '\0')
      return malformed(c, "a chunk longer than its size");
  }
  for (;;) {
    char *line;
    int status = read_line(c, &line, lines);
    if (status != CE_OK || line[0] == '\0')
      return status;
  }
}

/* Copies a message from the server into a bounded, valid UTF-8 buffer. */
static void repair_message(char *out, size_t size, const char *message) {
  ce__utf8_repair(out, size, message ? message : "",
                  message ? strnlen(message, size - 1) : 0);
}

static int http_failure(const char *server, int code) {
  char text[DETAIL_CAP];
  repair_message(text, sizeof text, ce__cups.httpStatus((http_status_t)code));
  return ce__fail(CE_E_BACKEND, "CUPS: %s answered HTTP %d (%s)%s", server,
                  code, text,
                  code == HTTP_STATUS_UNAUTHORIZED
                      ? ": listing printers needs authentication"
                  : code == HTTP_STATUS_SWITCHING_PROTOCOLS
                      ? ": cenum asked for no other protocol"
                      : "");
}

/* The exchange on our own socket; `*to_close` says the body ended at the
 * close rather than at a length the server gave. */
static int exchange_plain(const ce__deadline *deadline, const char *server,
                          int port, ipp_t *ipp, body *b, int *to_close) {
  conn c = {-1, deadline, server, NULL, 0, 0, 0};
  unsigned char *request = NULL;
  size_t request_len = 0;
  unsigned lines = 0;
  head h;
  int status;

  if (ce__deadline_left_ms(deadline) == 0)
    return ce__deadline_check(deadline, "CUPS");
  status = build_request(server, port, ipp, &request, &request_len);
  if (status == CE_OK && (c.in = malloc(READ_CHUNK)) == NULL)
    status = ce__fail(CE_E_NOMEM, "CUPS: out of memory for the answer");
  if (status == CE_OK)
    status = server[0] == '/' ? connect_local(&c, server)
                              : connect_network(&c, server, port);
  if (status == CE_OK)
    status = send_all(&c, request, request_len);
  free(request);
  if (status == CE_OK)
    status = read_head(&c, &h, &lines);
  if (status == CE_OK && h.code != HTTP_STATUS_OK)
    status = http_failure(server, h.code);
  if (status == CE_OK && h.chunked)
    status = read_chunked(&c, b, &lines);
  else if (status == CE_OK && h.has_length)
    status = take_bytes(&c, h.length, b);
  else if (status == CE_OK) {
    /* Neither a length nor chunks: the body ends with the connection. */
    *to_close = 1;
    while (status == CE_OK && !c.eof) {
      status = take_bytes(&c, c.end - c.start, b);
      if (status == CE_OK)
        status = fill(&c);
    }
  }
  close_socket(&c);
  free(c.in);
  return status;
}

/* -------------------------------------------------- through libcups (TLS) --
 */

/* libcups' callback when a read or write has waited one slice: 1 to keep
 * waiting, 0 to give up. */
static int keep_waiting(http_t *http, void *data) {
  const ce__deadline *deadline = data;
  (void)http;
  return !ce__deadline_cancelled(deadline) &&
         ce__deadline_left_ms(deadline) > 0;
}

static int tls_lost(const ce__deadline *deadline, http_t *http,
                    const char *server, const char *what) {
  conn c = {-1, deadline, server, NULL, 0, 0, 0};
  return lost(&c, ce__cups.httpError(http), what);
}

/*
 * The exchange through libcups' HTTP layer, for a network server reached
 * with TLS. The handshake, and header lines that keep coming, are bounded
 * only by libcups; the body is read in large pieces under the deadline and
 * the cap, and a compressed one is refused before libcups inflates it.
 */
static int exchange_tls(const ce__deadline *deadline, const char *server,
                        int port, http_encryption_t encryption, ipp_t *request,
                        body *b) {
  unsigned left = ce__deadline_left_ms(deadline);
  http_t *http;
  http_status_t code;
  ipp_state_t state = IPP_STATE_IDLE;
  ce__sigpipe guard;
  const char *coding;
  int failed, status = CE_OK;

  if (left == 0)
    return ce__deadline_check(deadline, "CUPS");
  /* httpConnect2 only reads *cancel, between the slices of its wait for the
   * connection; it never writes it. */
  http = ce__cups.httpConnect2(server, port, NULL, AF_UNSPEC, encryption, 1,
                               (int)left, (int *)(uintptr_t)deadline->cancel);
  if (http == NULL) {
    status = ce__deadline_check(deadline, "CUPS");
    return status != CE_OK ? status : unreachable(server, port);
  }
  ce__cups.httpSetTimeout(http, CE__POLL_SLICE_MS / 1000.0, keep_waiting,
                          (void *)deadline);
  ce__cups.httpClearFields(http);
  ce__cups.httpSetField(http, HTTP_FIELD_CONTENT_TYPE, "application/ipp");
  ce__cups.httpSetField(http, HTTP_FIELD_ACCEPT_ENCODING, "identity");
  ce__cups.httpSetLength(http, ce__cups.ippLength(request));
  /* libcups' TLS writes set no MSG_NOSIGNAL. */
  ce__sigpipe_hold(&guard);
  failed = ce__cups.httpPost(http, "/") != 0;
  while (!failed &&
         (state = ce__cups.ippWrite(http, request)) != IPP_STATE_DATA)
    failed = state == IPP_STATE_ERROR;
  ce__sigpipe_release(&guard);
  if (failed)
    status = tls_lost(deadline, http, server, "cannot send the request to");

  if (status == CE_OK) {
    do
      code = ce__cups.httpUpdate(http);
    while (code == HTTP_STATUS_CONTINUE &&
           (status = ce__deadline_check(deadline, "CUPS")) == CE_OK);
    if (status == CE_OK &&
        (code == HTTP_STATUS_CONTINUE || code == HTTP_STATUS_ERROR))
      status = tls_lost(deadline, http, server, "no answer from");
    else if (status == CE_OK && code != HTTP_STATUS_OK)
      status = http_failure(server, (int)code);
  }
  coding = status == CE_OK
               ? ce__cups.httpGetField(http, HTTP_FIELD_CONTENT_ENCODING)
               : NULL;
  if (coding != NULL && coding[0] != '\0' && strcasecmp(coding, "identity"))
    status = ce__fail(CE_E_BACKEND,
                      "CUPS: %s answered with Content-Encoding %.64s, which "
                      "cenum did not ask for",
                      server, coding);
  while (status == CE_OK) {
    char chunk[16384];
    ssize_t got;
    if ((status = ce__deadline_check(deadline, "CUPS")) != CE_OK)
      break;
    got = ce__cups.httpRead2(http, chunk, sizeof chunk);
    if (got == 0)
      break;
    if (got < 0)
      status = tls_lost(deadline, http, server,
                        "the answer broke off: no more from");
    else
      status = body_add(b, chunk, (size_t)got, server);
  }
  ce__cups.httpClose(http);
  return status;
}

/* ---------------------------------------------------------- IPP answer -- */

static unsigned read_short(const unsigned char *p) {
  return (unsigned)p[0] << 8 | p[1];
}

/*
 * One pass over the IPP message in `m` before libcups parses it: checks its
 * framing as ippReadIO reads it, drops the values of an attribute after its
 * CE__CUPS_MAX_VALUES first (moving the rest of the message down), and
 * counts what the parse will build. Returns CE_OK, or CE_E_BACKEND when the
 * message is malformed or would take more than MAX_ANSWER_BYTES; sets
 * m->short_read when it ended before its end tag.
 */
static int trim_values(memory *m, const char *server) {
  /* What libcups allocates per attribute and per value beyond the bytes
   * themselves, rounded up (ipp_attribute_t, the value, the string pool). */
  enum { ATTRIBUTE_COST = 160, VALUE_COST = 64 };
  unsigned char *data = m->data;
  size_t in = 8, out = 8, attributes = 0, values = 0, count = 0, depth = 0;
  size_t dropping = 0; /* the depth a dropped collection opened, or 0 */

  if (m->len < 8) {
    m->short_read = 1;
    return CE_OK;
  }
  for (;;) {
    size_t start = in, tag_len = 1, name_len, value_len, end;
    unsigned long tag;
    int drop, top = depth == 0;
    if (in >= m->len) {
      m->short_read = 1;
      return CE_OK;
    }
    tag = data[in];
    if (tag == IPP_TAG_EXTENSION) {
      /* As ippReadIO: the tag itself follows in four bytes. */
      if (m->len - in < 5) {
        m->short_read = 1;
        return CE_OK;
      }
      tag_len = 5;
      tag = (unsigned long)data[in + 1] << 24 |
            (unsigned long)data[in + 2] << 16 |
            (unsigned long)data[in + 3] << 8 | data[in + 4];
    }
    if (tag == IPP_TAG_END || tag < IPP_TAG_UNSUPPORTED_VALUE) {
      /* The end, or a group tag: the next attribute is no additional
       * value. */
      memmove(data + out, data + in, tag_len);
      out += tag_len;
      in += tag_len;
      count = 0;
      if (tag == IPP_TAG_END)
        break;
      continue;
    }
    if (m->len - in < tag_len + 2) {
      m->short_read = 1;
      return CE_OK;
    }
    name_len = read_short(data + in + tag_len);
    if (m->len - in < tag_len + 2 + name_len + 2) {
      m->short_read = 1;
      return CE_OK;
    }
    value_len = read_short(data + in + tag_len + 2 + name_len);
    end = in + tag_len + 2 + name_len + 2 + value_len;
    if (end > m->len) {
      m->short_read = 1;
      return CE_OK;
    }
    in = end;
    if (name_len > 0 && top)
      count = 0;
    /* Only additional values of a top-level attribute are dropped; inside
     * a dropped collection everything is. */
    drop = dropping > 0 || (top && name_len == 0 && tag != IPP_TAG_MEMBERNAME &&
                            count >= CE__CUPS_MAX_VALUES);
    if (tag == IPP_TAG_BEGIN_COLLECTION) {
      depth++;
      if (drop && dropping == 0)
        dropping = depth;
    } else if (tag == IPP_TAG_END_COLLECTION) {
      if (depth == 0)
        return ce__fail(CE_E_BACKEND,
                        "CUPS: %s sent malformed IPP (a collection ends "
                        "that never began)",
                        server);
      if (dropping == depth)
        dropping = 0;
      depth--;
    }
    if (drop)
      continue;
    count += top;
    attributes += name_len > 0;
    values++;
    if (out != start)
      memmove(data + out, data + start, end - start);
    out += end - start;
    if (out + attributes * (size_t)ATTRIBUTE_COST +
            values * (size_t)VALUE_COST >
        MAX_ANSWER_BYTES)
      return ce__fail(CE_E_BACKEND,
                      "CUPS: the answer of %s would take more than %u MiB",
                      server, MAX_ANSWER_BYTES / (1024u * 1024u));
  }
  /* Whatever followed the end tag is not read. */
  m->len = out;
  return CE_OK;
}

int ce__cups_parse_answer(unsigned char *data, size_t len, int to_close,
                          const char *server, ipp_t **out) {
  memory m = {data, len, 0, 0};
  ipp_t *response;
  ipp_state_t state;
  int status = trim_values(&m, server);

  *out = NULL;
  if (status != CE_OK)
    return status;
  if (m.short_read && to_close)
    return ce__fail(CE_E_UNAVAILABLE,
                    "CUPS: the answer broke off: %s closed the connection",
                    server);
  if (m.short_read)
    return ce__fail(CE_E_BACKEND,
                    "CUPS: %s sent malformed IPP (the message ends before "
                    "its end tag)",
                    server);
  if ((response = ce__cups.ippNew()) == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory for the answer");
  do
    state = ce__cups.ippReadIO(&m, from_memory, 1, NULL, response);
  while (state != IPP_STATE_DATA && state != IPP_STATE_ERROR);
  if (state == IPP_STATE_ERROR) {
    ce__cups.ippDelete(response);
    return ce__fail(CE_E_BACKEND, "CUPS: %s sent malformed IPP", server);
  }
  *out = response;
  return CE_OK;
}

/* --------------------------------------------------------------- entry -- */

/* The server's IPP status: a failure, or CE_OK. A server without queues
 * answers client-error-not-found, which is not a failure: *response is then
 * deleted and NULL. */
static int check_status(ipp_t **response) {
  ipp_status_t code = ce__cups.ippGetStatusCode(*response);
  ipp_attribute_t *message;
  char text[DETAIL_CAP];
  int status = CE_OK;

  if (code == IPP_STATUS_ERROR_NOT_FOUND) {
    ce__cups.ippDelete(*response);
    *response = NULL;
    return CE_OK;
  }
  if (code < IPP_STATUS_ERROR_BAD_REQUEST)
    return CE_OK;
  message =
      ce__cups.ippFindAttribute(*response, "status-message", IPP_TAG_TEXT);
  repair_message(text, sizeof text,
                 message ? ce__cups.ippGetString(message, 0, NULL) : NULL);
  status = ce__fail(CE_E_BACKEND, "CUPS: %s: %s", ce__cups.ippErrorString(code),
                    text[0] ? text : "no message from the server");
  ce__cups.ippDelete(*response);
  *response = NULL;
  return status;
}

int ce__cups_ipp(const ce__deadline *deadline, ipp_t *request, ipp_t **out) {
  const char *server = ce__cups.cupsServer();
  int port = ce__cups.ippPort();
  http_encryption_t encryption = ce__cups.cupsEncryption();
  body b = {NULL, 0, 0};
  int to_close = 0;
  int status;

  *out = NULL;
  /* cupsd speaks no TLS on its local socket, and libcups does not ask it. */
  if (server[0] != '/' && (encryption == HTTP_ENCRYPTION_REQUIRED ||
                           encryption == HTTP_ENCRYPTION_ALWAYS))
    status = exchange_tls(deadline, server, port, encryption, request, &b);
  else
    status = exchange_plain(deadline, server, port, request, &b, &to_close);
  if (status == CE_OK)
    status = ce__cups_parse_answer(b.data, b.len, to_close, server, out);
  free(b.data);
  return status;
}

int ce__cups_get_printers(const ce__deadline *deadline, ipp_t **out) {
  ipp_t *request = new_request();
  int status;
  *out = NULL;
  if (request == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory for the request");
  status = ce__cups_ipp(deadline, request, out);
  ce__cups.ippDelete(request);
  if (status == CE_OK)
    status = check_status(out);
  return status;
}
