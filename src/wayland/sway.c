/* SPDX-License-Identifier: MIT */
/*
 * sway's IPC: the get_tree request and a reader of its JSON reply that
 * keeps only what a window record needs, and the watch's subscription to
 * window events, which it counts without reading them. The reply comes from
 * another process and is not trusted: nesting, lengths and numbers are bounded,
 * and malformed text is an error, never a crash.
 */
/* struct ucred (SO_PEERCRED) is a GNU extension. */
#define _GNU_SOURCE
#include "ce_wayland.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Deeper than any tree sway makes (root, output, workspace, a few nested
 * splits, each an object in an array). */
#define MAX_DEPTH 200

/* A reply larger than this is not believed (a tree of 10,000 windows is
 * some 20 MiB). */
#define MAX_REPLY (256u * 1024u * 1024u)

#define IPC_SUBSCRIBE 2u
#define IPC_GET_TREE 4u
#define IPC_MAGIC "i3-ipc"
#define IPC_HEADER (sizeof IPC_MAGIC - 1 + 2 * sizeof(uint32_t))

/* ------------------------------------------------------------- reader -- */

typedef struct reader {
  const char *p, *end;
  int depth;
  int status;       /* CE_OK until the first failure */
  char *text;       /* the last string decoded, NUL-terminated */
  size_t text_size; /* its buffer's size */
  ce__sway_views *out;
} reader;

/* What an object may hold of a view; `has_*` say which members it had. */
typedef struct members {
  int64_t id, pid;
  const char *name, *app_id, *class_name;
  int x, y, width, height;
  int has_pid, has_app_id;
} members;

static int fail(reader *r, const char *what) {
  if (r->status == CE_OK)
    r->status =
        ce__fail(CE_E_BACKEND, "sway: malformed get_tree reply: %s", what);
  return r->status;
}

static void skip_space(reader *r) {
  while (r->p < r->end &&
         (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    r->p++;
}

static int expect(reader *r, char c) {
  skip_space(r);
  if (r->p >= r->end || *r->p != c)
    return 0;
  r->p++;
  return 1;
}

static int hex4(const char *p, uint32_t *out) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (uint32_t)(c - 'A' + 10);
    else
      return 0;
  }
  *out = v;
  return 1;
}

/* Room for `more` bytes after `used` in the decoded text. */
static int text_room(reader *r, size_t used, size_t more) {
  if (used + more + 1 <= r->text_size)
    return 1;
  {
    size_t size = r->text_size ? r->text_size : 256;
    char *grown;
    while (size < used + more + 1)
      size *= 2;
    grown = realloc(r->text, size);
    if (grown == NULL) {
      if (r->status == CE_OK)
        r->status = ce__fail(CE_E_NOMEM, "sway: out of memory for the tree");
      return 0;
    }
    r->text = grown;
    r->text_size = size;
  }
  return 1;
}

/*
 * A string at r->p (after its opening quote). With `keep`, decoded into
 * r->text (escapes resolved, \u0000 and lone surrogates kept as bytes the
 * repair turns into U+FFFD) and its length in *length; else only skipped.
 */
static int read_string(reader *r, int keep, size_t *length) {
  size_t used = 0;
  while (r->p < r->end && *r->p != '"') {
    const char *run = r->p;
    char unit[4];
    size_t n;
    if (*r->p != '\\') {
      while (r->p < r->end && *r->p != '"' && *r->p != '\\')
        r->p++;
      if (keep) {
        n = (size_t)(r->p - run);
        if (!text_room(r, used, n))
          return 0;
        memcpy(r->text + used, run, n);
        used += n;
      }
      continue;
    }
    if (r->end - r->p < 2)
      return fail(r, "an escape at the end"), 0;
    r->p++;
    switch (*r->p++) {
    case '"':
      unit[0] = '"', n = 1;
      break;
    case '\\':
      unit[0] = '\\', n = 1;
      break;
    case '/':
      unit[0] = '/', n = 1;
      break;
    case 'b':
      unit[0] = '\b', n = 1;
      break;
    case 'f':
      unit[0] = '\f', n = 1;
      break;
    case 'n':
      unit[0] = '\n', n = 1;
      break;
    case 'r':
      unit[0] = '\r', n = 1;
      break;
    case 't':
      unit[0] = '\t', n = 1;
      break;
    case 'u': {
      uint32_t cp, low;
      if (r->end - r->p < 4 || !hex4(r->p, &cp))
        return fail(r, "a bad \\u escape"), 0;
      r->p += 4;
      if (cp >= 0xD800 && cp < 0xDC00 && r->end - r->p >= 6 &&
          r->p[0] == '\\' && r->p[1] == 'u' && hex4(r->p + 2, &low) &&
          low >= 0xDC00 && low < 0xE000) {
        r->p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      } else if (cp >= 0xD800 && cp < 0xE000) {
        cp = 0xFFFD; /* a lone surrogate */
      }
      n = cp == 0 ? (unit[0] = '\0', 1) : ce__utf8_encode(cp, unit);
      break;
    }
    default:
      return fail(r, "an unknown escape"), 0;
    }
    if (keep) {
      if (!text_room(r, used, n))
        return 0;
      memcpy(r->text + used, unit, n);
      used += n;
    }
  }
  if (r->p >= r->end)
    return fail(r, "an unterminated string"), 0;
  r->p++; /* the closing quote */
  if (keep) {
    if (!text_room(r, used, 0))
      return 0;
    r->text[used] = '\0';
    *length = used;
  }
  return 1;
}

/* A string member's value into the views' arena: the repaired text, or
 * NULL for JSON null. *ok is 0 on failure. */
static const char *string_value(reader *r, size_t cap, int *ok) {
  size_t length = 0;
  const char *copy;
  *ok = 0;
  skip_space(r);
  if (r->end - r->p >= 4 && memcmp(r->p, "null", 4) == 0) {
    r->p += 4;
    *ok = 1;
    return NULL;
  }
  if (!expect(r, '"'))
    return fail(r, "a string expected"), NULL;
  if (!read_string(r, 1, &length))
    return NULL;
  copy = ce__arena_utf8(&r->out->strings, r->text, length, cap);
  if (copy == NULL) {
    if (r->status == CE_OK)
      r->status = ce__fail(CE_E_NOMEM, "sway: out of memory for the tree");
    return NULL;
  }
  *ok = 1;
  return copy;
}

/* A number; *value is its integer part, or `fallback` when it has none
 * that fits in 53 bits (what JSON numbers can be trusted to hold). */
static int number_value(reader *r, int64_t fallback, int64_t *value) {
  int negative = 0, digits = 0, fits = 1;
  int64_t v = 0;
  skip_space(r);
  if (r->p < r->end && *r->p == '-')
    negative = 1, r->p++;
  while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
    if (v > (INT64_C(1) << 53) / 10)
      fits = 0;
    else
      v = v * 10 + (*r->p - '0');
    r->p++;
    digits++;
  }
  if (digits == 0)
    return fail(r, "a number expected");
  if (r->p < r->end && *r->p == '.') {
    r->p++;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
      r->p++;
  }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
    fits = 0;
    r->p++;
    if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
      r->p++;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
      r->p++;
  }
  *value = fits ? (negative ? -v : v) : fallback;
  return CE_OK;
}

static int clamp_int(int64_t v) {
  return v > 0x7fffffff ? 0x7fffffff : v < -0x7fffffff ? -0x7fffffff : (int)v;
}

static int value(reader *r);

/* The members of an object at r->p (after its brace) that a view has; any
 * other value is read for its nested views and otherwise skipped. */
static int object(reader *r, members *m) {
  if (expect(r, '}'))
    return r->status;
  do {
    size_t length = 0;
    int ok = 1;
    if (!expect(r, '"'))
      return fail(r, "a member name expected");
    if (!read_string(r, 1, &length))
      return r->status;
    if (!expect(r, ':'))
      return fail(r, "a colon expected");
#define KEY(name)                                                              \
  (length == sizeof name - 1 && memcmp(r->text, name, length) == 0)
    if (KEY("id")) {
      number_value(r, -1, &m->id);
    } else if (KEY("pid")) {
      m->has_pid = 1;
      number_value(r, -1, &m->pid);
    } else if (KEY("name")) {
      m->name = string_value(r, CE__CAP_TITLE, &ok);
    } else if (KEY("app_id")) {
      m->has_app_id = 1;
      m->app_id = string_value(r, CE__CAP_NAME, &ok);
    } else if (KEY("rect") || KEY("window_properties")) {
      /* One level down, only these few members are read. */
      int is_rect = KEY("rect");
      if (!expect(r, '{')) {
        value(r); /* null, or anything but the object we read */
        continue;
      }
      if (expect(r, '}'))
        continue;
      do {
        int64_t v = 0;
        if (!expect(r, '"') || !read_string(r, 1, &length))
          return fail(r, "a member name expected");
        if (!expect(r, ':'))
          return fail(r, "a colon expected");
        if (is_rect &&
            (KEY("x") || KEY("y") || KEY("width") || KEY("height"))) {
          char which = r->text[0];
          number_value(r, 0, &v);
          if (which == 'x')
            m->x = clamp_int(v);
          else if (which == 'y')
            m->y = clamp_int(v);
          else if (which == 'w')
            m->width = clamp_int(v);
          else
            m->height = clamp_int(v);
        } else if (!is_rect && KEY("class")) {
          m->class_name = string_value(r, CE__CAP_NAME, &ok);
        } else {
          value(r);
        }
        if (!ok || r->status != CE_OK)
          return r->status != CE_OK ? r->status : fail(r, "a bad member");
      } while (expect(r, ','));
      if (!expect(r, '}'))
        return fail(r, "a closing brace expected");
    } else {
      value(r);
    }
#undef KEY
    if (!ok || r->status != CE_OK)
      return r->status != CE_OK ? r->status : fail(r, "a bad member");
  } while (expect(r, ','));
  if (!expect(r, '}'))
    return fail(r, "a closing brace expected");
  return r->status;
}

/* A node object: its members, its nested nodes, and, when it is a view,
 * one more entry in r->out after those of its children. */
static int node(reader *r) {
  members m;
  memset(&m, 0, sizeof m);
  m.id = -1;
  m.pid = -1;
  if (object(r, &m) != CE_OK)
    return r->status;
  /* Views are the nodes with a process: a Wayland view has an app_id
   * member (maybe null), an Xwayland one window_properties. */
  if (m.has_pid && (m.has_app_id || m.class_name != NULL)) {
    ce__sway_views *out = r->out;
    ce__sway_view *v;
    int status = ce__grow((void **)&out->views, &out->capacity, out->count + 1,
                          sizeof *out->views, "sway", "views");
    if (status != CE_OK)
      return r->status = status;
    v = &out->views[out->count++];
    memset(v, 0, sizeof *v);
    v->id = m.id;
    v->name = m.name != NULL ? m.name : "";
    v->app_id = m.app_id != NULL       ? m.app_id
                : m.class_name != NULL ? m.class_name
                                       : "";
    v->pid = m.pid > 0 ? m.pid : -1;
    v->x = m.x;
    v->y = m.y;
    v->width = m.width;
    v->height = m.height;
  }
  return r->status;
}

/* Any value. Objects anywhere are read as nodes (their members `nodes` and
 * `floating_nodes` are arrays of nodes). */
static int value(reader *r) {
  skip_space(r);
  if (r->status != CE_OK)
    return r->status;
  if (r->p >= r->end)
    return fail(r, "a value expected");
  if (++r->depth > MAX_DEPTH)
    return fail(r, "nested too deep");
  switch (*r->p) {
  case '{':
    r->p++;
    node(r);
    break;
  case '[':
    r->p++;
    if (!expect(r, ']')) {
      do
        value(r);
      while (r->status == CE_OK && expect(r, ','));
      if (r->status == CE_OK && !expect(r, ']'))
        fail(r, "a closing bracket expected");
    }
    break;
  case '"':
    r->p++;
    read_string(r, 0, NULL);
    break;
  case 't':
  case 'f':
  case 'n': {
    static const char *const words[] = {"true", "false", "null"};
    int matched = 0;
    for (int i = 0; i < 3 && !matched; i++) {
      size_t n = strlen(words[i]);
      if ((size_t)(r->end - r->p) >= n && memcmp(r->p, words[i], n) == 0) {
        r->p += n;
        matched = 1;
      }
    }
    if (!matched)
      fail(r, "an unknown word");
    break;
  }
  default: {
    int64_t ignored;
    number_value(r, 0, &ignored);
  }
  }
  r->depth--;
  return r->status;
}

int ce__sway_parse_tree(const char *json, size_t length, ce__sway_views *out) {
  reader r;
  memset(&r, 0, sizeof r);
  r.p = json;
  r.end = json + length;
  r.out = out;
  value(&r);
  skip_space(&r);
  if (r.status == CE_OK && r.p != r.end)
    fail(&r, "text after the tree");
  free(r.text);
  return r.status;
}

void ce__sway_free(ce__sway_views *views) {
  free(views->views);
  ce__arena_free(&views->strings);
  memset(views, 0, sizeof *views);
}

/* ---------------------------------------------------------------- IPC -- */

int64_t ce__peer_pid(int fd) {
  struct ucred peer;
  socklen_t length = sizeof peer;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0 ||
      peer.pid <= 0)
    return -1;
  return peer.pid;
}

/* Sends or receives all of buf within the deadline. */
static int transfer(int fd, char *buf, size_t size, int sending,
                    const ce__deadline *deadline) {
  size_t done = 0;
  while (done < size) {
    struct pollfd p = {fd, (short)(sending ? POLLOUT : POLLIN), 0};
    unsigned left;
    ssize_t n;
    int status = ce__deadline_check(deadline, "sway");
    if (status != CE_OK)
      return status;
    left = ce__deadline_left_ms(deadline);
    if (poll(&p, 1, (int)(left < 50u ? left : 50u)) <= 0)
      continue;
    n = sending ? send(fd, buf + done, size - done, MSG_NOSIGNAL)
                : recv(fd, buf + done, size - done, 0);
    if (n > 0)
      done += (size_t)n;
    else if (n == 0 || (errno != EAGAIN && errno != EINTR))
      return ce__fail(CE_E_UNAVAILABLE, "sway: the IPC connection failed: %s",
                      n == 0 ? "closed" : strerror(errno));
  }
  return CE_OK;
}

/* Connects to sway's IPC socket at `path`: the socket, non-blocking, or -1
 * with *status and the detail set. *sway_pid is the peer's. */
static int ipc_connect(const char *path, int64_t *sway_pid, int *status) {
  struct sockaddr_un address;
  int fd;

  *sway_pid = -1;
  memset(&address, 0, sizeof address);
  address.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof address.sun_path) {
    *status = ce__fail(CE_E_UNAVAILABLE, "sway: SWAYSOCK is too long");
    return -1;
  }
  memcpy(address.sun_path, path, strlen(path));
  fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *status =
        ce__fail(CE_E_UNAVAILABLE, "sway: socket failed: %s", strerror(errno));
    return -1;
  }
  /* sway's listener accepts at once; a full backlog is a sway too busy to
   * ask, and the IPC is optional. */
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    *status = ce__fail(CE_E_UNAVAILABLE, "sway: cannot connect to %s: %s", path,
                       strerror(errno));
    close(fd);
    return -1;
  }
  *sway_pid = ce__peer_pid(fd);
  *status = CE_OK;
  return fd;
}

/* Sends message `type` with `payload` and reads its reply within the
 * deadline: *reply is malloc'ed and NUL-terminated, `*length` bytes. */
static int ipc_request(int fd, uint32_t type, const char *payload,
                       const ce__deadline *deadline, char **reply,
                       uint32_t *length) {
  char header[IPC_HEADER];
  uint32_t fields[2] = {(uint32_t)strlen(payload), type};
  int status;

  *reply = NULL;
  memcpy(header, IPC_MAGIC, sizeof IPC_MAGIC - 1);
  memcpy(header + sizeof IPC_MAGIC - 1, fields, sizeof fields);
  status = transfer(fd, header, sizeof header, 1, deadline);
  if (status == CE_OK && fields[0] > 0)
    status = transfer(fd, (char *)payload, fields[0], 1, deadline);
  if (status == CE_OK)
    status = transfer(fd, header, sizeof header, 0, deadline);
  if (status == CE_OK) {
    memcpy(fields, header + sizeof IPC_MAGIC - 1, sizeof fields);
    if (memcmp(header, IPC_MAGIC, sizeof IPC_MAGIC - 1) != 0 ||
        fields[1] != type || fields[0] > MAX_REPLY)
      status = ce__fail(CE_E_BACKEND, "sway: not a reply to message %u",
                        (unsigned)type);
  }
  if (status == CE_OK && (*reply = malloc(fields[0] + 1u)) == NULL)
    status = ce__fail(CE_E_NOMEM, "sway: out of memory for a reply");
  if (status == CE_OK)
    status = transfer(fd, *reply, fields[0], 0, deadline);
  if (status != CE_OK) {
    free(*reply);
    *reply = NULL;
    return status;
  }
  (*reply)[fields[0]] = '\0';
  *length = fields[0];
  return CE_OK;
}

int ce__sway_get_tree(const char *path, const ce__deadline *deadline,
                      ce__sway_views *out, int64_t *sway_pid) {
  char *reply = NULL;
  uint32_t length = 0;
  int fd, status;

  memset(out, 0, sizeof *out);
  if ((fd = ipc_connect(path, sway_pid, &status)) < 0)
    return status;
  status = ipc_request(fd, IPC_GET_TREE, "", deadline, &reply, &length);
  close(fd);
  if (status == CE_OK)
    status = ce__sway_parse_tree(reply, length, out);
  free(reply);
  return status;
}

/* -------------------------------------------------------------- events -- */

int ce__sway_subscribe(const char *path, const char *events,
                       const ce__deadline *deadline, ce__sway_events *out,
                       int64_t *sway_pid) {
  char *reply = NULL;
  uint32_t length = 0;
  int status;

  memset(out, 0, sizeof *out);
  if ((out->fd = ipc_connect(path, sway_pid, &status)) < 0)
    return status;
  status =
      ipc_request(out->fd, IPC_SUBSCRIBE, events, deadline, &reply, &length);
  /* The reply is {"success": true} or {"success": false}: a reply without
   * `true` is a refusal, whatever else it holds. */
  if (status == CE_OK && strstr(reply, "true") == NULL)
    status = ce__fail(CE_E_BACKEND,
                      "sway: the subscription to %s was "
                      "refused",
                      events);
  free(reply);
  if (status != CE_OK) {
    close(out->fd);
    out->fd = -1;
  }
  return status;
}

int ce__sway_read_events(ce__sway_events *e, unsigned *count) {
  char buf[4096];
  if (e->broken)
    return ce__fail(CE_E_BACKEND, "sway: an IPC event without the i3-ipc "
                                  "header came earlier");
  /* A bound on one call, so a sway that sends without end cannot hold the
   * caller: what is left is read at the next, as the socket stays ready. */
  for (int turn = 0; turn < 64; turn++) {
    ssize_t n = recv(e->fd, buf, sizeof buf, 0);
    if (n == 0)
      return ce__fail(CE_E_UNAVAILABLE, "sway: the IPC connection closed");
    if (n < 0) {
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return CE_OK;
      return ce__fail(CE_E_UNAVAILABLE, "sway: the IPC connection failed: %s",
                      strerror(errno));
    }
    for (size_t at = 0; at < (size_t)n;) {
      if (e->skip > 0) {
        size_t take = (size_t)n - at < e->skip ? (size_t)n - at : e->skip;
        e->skip -= (uint32_t)take;
        at += take;
        *count += e->skip == 0;
        continue;
      }
      e->header[e->have++] = (unsigned char)buf[at++];
      if (e->have == sizeof e->header) {
        uint32_t fields[2];
        e->have = 0;
        if (memcmp(e->header, IPC_MAGIC, sizeof IPC_MAGIC - 1) != 0) {
          e->broken = 1;
          return ce__fail(CE_E_BACKEND, "sway: an IPC event without the "
                                        "i3-ipc header");
        }
        memcpy(fields, e->header + sizeof IPC_MAGIC - 1, sizeof fields);
        e->skip = fields[0];
        *count += e->skip == 0;
      }
    }
  }
  return CE_OK;
}
