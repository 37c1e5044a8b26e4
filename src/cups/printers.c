/*
 * Printers with CUPS: one CUPS-Get-Printers request on a connection of our
 * own to the server libcups would use, read within the query's deadline.
 *
 * The request is written and read with libcups' HTTP and IPP functions
 * rather than cupsDoRequest, because cupsDoRequest waits a fixed second for
 * "100 Continue", reconnects with a fixed 30 s timeout, and may ask for a
 * password on the terminal: none of that belongs in a bounded enumeration.
 * The server's default queue comes with the records (the default bit of
 * printer-type), so no second request is needed.
 */
#include "ce_cups_watch.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* How often a blocked read or write wakes up to check the deadline and the
 * cancel flag; it bounds how late a timeout or a cancel is noticed. */
#define POLL_SLICE_SECONDS 0.05

/* The largest response read before giving up: a defence against a server
 * that never stops sending. Roughly 100,000 queues. */
#define MAX_RESPONSE_BYTES (256u * 1024u * 1024u)

/* The longest server message repeated in ce_error_detail(). */
#define DETAIL_CAP 512u

/* --------------------------------------------------------- connection -- */

/* The callback libcups calls when a read or write has waited one slice:
 * 1 to keep waiting, 0 to give up. */
static int keep_waiting(http_t *http, void *data) {
  const ce__deadline *deadline = data;
  (void)http;
  if (ce__deadline_cancelled(deadline))
    return 0;
  return ce__deadline_left_ms(deadline) > 0;
}

/* The failure for a connection that broke off: the deadline or the cancel
 * flag when they are why, else the server is unavailable. */
static int lost(const ce__deadline *deadline, const char *server, int error,
                const char *what) {
  int status = ce__deadline_check(deadline, "CUPS");
  if (status != CE_OK)
    return status;
  return ce__fail(CE_E_UNAVAILABLE, "CUPS: %s %s: %s", what, server,
                  error != 0 ? strerror(error) : "connection closed");
}

static int connect_server(const ce__deadline *deadline, http_t **out,
                          const char **server_out) {
  const char *server = ce__cups.cupsServer();
  unsigned left = ce__deadline_left_ms(deadline);
  http_t *http;

  *server_out = server;
  if (left == 0)
    return ce__deadline_check(deadline, "CUPS");
  /* httpConnect2 only reads *cancel, between the slices of its wait for the
   * connection; it never writes it. */
  http = ce__cups.httpConnect2(server, ce__cups.ippPort(), NULL, AF_UNSPEC,
                               ce__cups.cupsEncryption(), 1, (int)left,
                               (int *)(uintptr_t)deadline->cancel);
  if (http == NULL) {
    /* errno is not reliable here: libcups closes its sockets after the
     * failed attempts. */
    int status = ce__deadline_check(deadline, "CUPS");
    if (status != CE_OK)
      return status;
    if (server[0] == '/')
      return ce__fail(CE_E_UNAVAILABLE,
                      "CUPS: cannot connect to %s (no server listens on "
                      "that socket)",
                      server);
    return ce__fail(CE_E_UNAVAILABLE,
                    "CUPS: cannot connect to %s port %d (unknown host, or no "
                    "server listens there)",
                    server, ce__cups.ippPort());
  }
  ce__cups.httpSetTimeout(http, POLL_SLICE_SECONDS, keep_waiting,
                          (void *)deadline);
  *out = http;
  return CE_OK;
}

/* ------------------------------------------------------------- SIGPIPE -- */

/*
 * Writing to a server that closed the connection raises SIGPIPE, which
 * would kill a host program that did not ignore it. libcups sets no
 * MSG_NOSIGNAL on Linux, so the signal is held blocked on this thread while
 * the request is written, and one that was raised meanwhile is consumed
 * before it is unblocked. The thread's mask is restored exactly.
 */
typedef struct sigpipe_guard {
  sigset_t old_mask;
  int was_pending;
  int active;
} sigpipe_guard;

static void sigpipe_hold(sigpipe_guard *guard) {
  sigset_t pipe_set, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  guard->active = pthread_sigmask(SIG_BLOCK, &pipe_set, &guard->old_mask) == 0;
  guard->was_pending =
      sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
}

static void sigpipe_release(sigpipe_guard *guard) {
  sigset_t pipe_set, pending;
  if (!guard->active)
    return;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  if (!guard->was_pending && sigpending(&pending) == 0 &&
      sigismember(&pending, SIGPIPE) == 1) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
      ;
  }
  pthread_sigmask(SIG_SETMASK, &guard->old_mask, NULL);
}

/* ------------------------------------------------------------ request -- */

static int send_request(http_t *http, ipp_t *request,
                        const ce__deadline *deadline, const char *server) {
  ipp_state_t state = IPP_STATE_IDLE;
  sigpipe_guard guard;
  int failed;

  ce__cups.httpClearFields(http);
  ce__cups.httpSetField(http, HTTP_FIELD_CONTENT_TYPE, "application/ipp");
  ce__cups.httpSetLength(http, ce__cups.ippLength(request));

  sigpipe_hold(&guard);
  failed = ce__cups.httpPost(http, "/") != 0;
  while (!failed &&
         (state = ce__cups.ippWrite(http, request)) != IPP_STATE_DATA)
    failed = state == IPP_STATE_ERROR;
  sigpipe_release(&guard);

  if (failed)
    return lost(deadline, server, ce__cups.httpError(http),
                "cannot send the request to");
  return CE_OK;
}

typedef struct reader {
  http_t *http;
  const ce__deadline *deadline;
  size_t total;
  int over_limit;
} reader;

/* ippReadIO's source: the response body, within the deadline and the size
 * limit, so a server that sends without end is cut off too. ippReadIO
 * expects every byte it asks for (as from a file), while httpRead2 stops at
 * each chunk, so this reads until the request is filled or the body ends. */
static ssize_t read_body(void *context, ipp_uchar_t *buffer, size_t bytes) {
  reader *r = context;
  size_t filled = 0;
  if (r->total + bytes > MAX_RESPONSE_BYTES) {
    r->over_limit = 1;
    return -1;
  }
  while (filled < bytes) {
    ssize_t got;
    if (!keep_waiting(r->http, (void *)r->deadline))
      return -1;
    got = ce__cups.httpRead2(r->http, (char *)buffer + filled, bytes - filled);
    if (got < 0)
      return -1;
    if (got == 0)
      break;
    filled += (size_t)got;
  }
  r->total += filled;
  return (ssize_t)filled;
}

/* Copies a message from the server into a bounded, valid UTF-8 buffer. */
static void repair_message(char *out, size_t size, const char *message) {
  ce__utf8_repair(out, size, message ? message : "",
                  message ? strnlen(message, size - 1) : 0);
}

static int receive_response(http_t *http, const ce__deadline *deadline,
                            const char *server, ipp_t **out) {
  http_status_t code;
  reader r = {0};
  ipp_t *response;
  ipp_state_t state;

  *out = NULL;
  do
    code = ce__cups.httpUpdate(http);
  while (code == HTTP_STATUS_CONTINUE &&
         ce__deadline_check(deadline, "CUPS") == CE_OK);

  if (code == HTTP_STATUS_CONTINUE || code == HTTP_STATUS_ERROR)
    return lost(deadline, server, ce__cups.httpError(http), "no answer from");
  if (code != HTTP_STATUS_OK) {
    char text[DETAIL_CAP];
    repair_message(text, sizeof text, ce__cups.httpStatus(code));
    return ce__fail(CE_E_BACKEND, "CUPS: %s answered HTTP %d (%s)%s", server,
                    (int)code, text,
                    code == HTTP_STATUS_UNAUTHORIZED
                        ? ": listing printers needs authentication"
                        : "");
  }

  response = ce__cups.ippNew();
  if (response == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory for the response");
  r.http = http;
  r.deadline = deadline;
  do
    state = ce__cups.ippReadIO(&r, read_body, 1, NULL, response);
  while (state != IPP_STATE_DATA && state != IPP_STATE_ERROR);
  if (state == IPP_STATE_ERROR) {
    int status = ce__deadline_check(deadline, "CUPS");
    ce__cups.ippDelete(response);
    if (status != CE_OK)
      return status;
    if (r.over_limit)
      return ce__fail(CE_E_BACKEND,
                      "CUPS: the answer of %s is larger than %u MiB", server,
                      MAX_RESPONSE_BYTES / (1024u * 1024u));
    return ce__fail(CE_E_BACKEND, "CUPS: cannot read the answer of %s%s%s",
                    server, ce__cups.httpError(http) ? ": " : "",
                    ce__cups.httpError(http)
                        ? strerror(ce__cups.httpError(http))
                        : " (malformed IPP)");
  }
  *out = response;
  return CE_OK;
}

/* CUPS-Get-Printers on `http`: the response, or a failure. A server without
 * queues answers client-error-not-found, which is not a failure: *out is
 * then NULL with CE_OK. */
static int get_printers(http_t *http, const ce__deadline *deadline,
                        const char *server, ipp_t **out) {
  ipp_t *request = ce__cups.ippNewRequest(IPP_OP_CUPS_GET_PRINTERS);
  ipp_t *response = NULL;
  ipp_status_t code;
  int status;

  *out = NULL;
  if (request == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory for the request");
  ce__cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
                         "requested-attributes", CE_CUPS_REQUESTED_COUNT, NULL,
                         ce__cups_requested);
  /* The server leaves out the queues this user may not use, as lpstat. */
  ce__cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME,
                        "requesting-user-name", NULL, ce__cups.cupsUser());

  status = send_request(http, request, deadline, server);
  ce__cups.ippDelete(request);
  if (status == CE_OK)
    status = receive_response(http, deadline, server, &response);
  if (status != CE_OK)
    return status;

  code = ce__cups.ippGetStatusCode(response);
  if (code == IPP_STATUS_ERROR_NOT_FOUND) {
    ce__cups.ippDelete(response);
    return CE_OK;
  }
  if (code >= IPP_STATUS_ERROR_BAD_REQUEST) {
    ipp_attribute_t *message =
        ce__cups.ippFindAttribute(response, "status-message", IPP_TAG_TEXT);
    char text[DETAIL_CAP];
    repair_message(text, sizeof text,
                   message ? ce__cups.ippGetString(message, 0, NULL) : NULL);
    status =
        ce__fail(CE_E_BACKEND, "CUPS: %s: %s", ce__cups.ippErrorString(code),
                 text[0] ? text : "no message from the server");
    ce__cups.ippDelete(response);
    return status;
  }
  *out = response;
  return CE_OK;
}

/* ----------------------------------------------------------- delivery -- */

/*
 * The names and device URIs of the queues delivered, kept only when
 * discovery follows, so a printer both configured and discovered is listed
 * once.
 */
typedef struct seen {
  char **items;
  size_t count, capacity;
  int failed;
} seen;

static void seen_add(seen *s, const char *text) {
  if (s->failed || text[0] == '\0')
    return;
  if (s->count == s->capacity) {
    size_t capacity = s->capacity ? s->capacity * 2 : 64;
    char **items = realloc(s->items, capacity * sizeof *items);
    if (items == NULL) {
      s->failed = 1;
      return;
    }
    s->items = items;
    s->capacity = capacity;
  }
  if ((s->items[s->count] = malloc(strlen(text) + 1)) == NULL) {
    s->failed = 1;
    return;
  }
  strcpy(s->items[s->count++], text);
}

/* CUPS compares queue names without regard to ASCII case. */
static int seen_has(const seen *s, const char *text) {
  for (size_t i = 0; i < s->count; i++)
    if (strcasecmp(s->items[i], text) == 0)
      return 1;
  return 0;
}

static void seen_free(seen *s) {
  for (size_t i = 0; i < s->count; i++)
    free(s->items[i]);
  free(s->items);
}

typedef struct delivery {
  const ce__deadline *deadline;
  ce_printer_fn fn;
  void *ctx;
  ce__arena arena;
  /* The default libcups' clients honour before the server's (see
   * user_default); NULL when there is none. */
  const char *user_default;
  char user_default_buffer[256];
  int default_given;
  seen *seen; /* NULL when no discovery follows */
  /* While libcups browses: SIGPIPE held, and let go around each callback so
   * the program's own writes there behave as it expects. */
  sigpipe_guard *browsing;
  int status;
} delivery;

/* Copies the queue name of "name[/instance]" (up to `stop` characters, a
 * '/' or the end) into `out`; false when it is empty or too long. */
static int queue_name(const char *name, const char *stop, char *out,
                      size_t size) {
  size_t len = strcspn(name, stop);
  if (len == 0 || len >= size)
    return 0;
  memcpy(out, name, len);
  out[len] = '\0';
  return 1;
}

/* The queue of the last "Default name[/instance]" line of an lpoptions file
 * into `out`; false when the file has none (or cannot be read). */
static int lpoptions_default(const char *path, char *out, size_t size) {
  char line[1024];
  int found = 0;
  FILE *file = fopen(path, "re");
  if (file == NULL)
    return 0;
  while (fgets(line, sizeof line, file) != NULL)
    if (strncasecmp(line, "Default", 7) == 0 &&
        (line[7] == ' ' || line[7] == '\t'))
      found |=
          queue_name(line + 8 + strspn(line + 8, " \t"), "/ \t\r\n", out, size);
  fclose(file);
  return found;
}

/*
 * The default destination as libcups' own clients (lp, lpstat -d) choose it
 * before asking the server: $LPDEST, or $PRINTER unless it is "lp"; else the
 * Default line of ~/.cups/lpoptions, else that of $CUPS_SERVERROOT/lpoptions
 * (/etc/cups; what `lpoptions -d` writes). An instance ("office/draft")
 * names its queue. NULL when none says, and the server's default holds.
 */
static const char *user_default(char *out, size_t size) {
  const char *name = getenv("LPDEST");
  const char *home = getenv("HOME");
  const char *server_root = getenv("CUPS_SERVERROOT");
  char path[4096];

  if (name == NULL || name[0] == '\0') {
    name = getenv("PRINTER");
    if (name != NULL && strcmp(name, "lp") == 0)
      name = NULL;
  }
  if (name != NULL && name[0] != '\0')
    return queue_name(name, "/", out, size) ? out : NULL;
  if (home != NULL && home[0] != '\0' &&
      (size_t)snprintf(path, sizeof path, "%s/.cups/lpoptions", home) <
          sizeof path &&
      lpoptions_default(path, out, size))
    return out;
  if (server_root == NULL || server_root[0] == '\0')
    server_root = "/etc/cups";
  if ((size_t)snprintf(path, sizeof path, "%s/lpoptions", server_root) <
          sizeof path &&
      lpoptions_default(path, out, size))
    return out;
  return NULL;
}

/* Hands one record to the caller; d->status says whether to go on. */
static void deliver(delivery *d, ce_printer *printer) {
  if (d->user_default != NULL)
    printer->is_default =
        !printer->discovered && strcasecmp(printer->name, d->user_default) == 0;
  /* At most one default per enumeration, whatever the server says. */
  if (printer->is_default && d->default_given)
    printer->is_default = false;
  d->default_given |= printer->is_default;
  if (d->seen != NULL) {
    seen_add(d->seen, printer->name);
    seen_add(d->seen, printer->uri);
  }
  if (d->fn(printer, d->ctx) == CE_STOP)
    d->status = CE_STOPPED;
}

static int deliver_response(delivery *d, ipp_t *response) {
  ipp_attribute_t *cursor = ce__cups.ippFirstAttribute(response);

  ce__cups_next_printer_group(response, &cursor);
  while (cursor != NULL && d->status == CE_OK) {
    ce_printer printer;
    /* The whole answer is in hand: only a cancel stops its delivery, not
     * the time a slow callback takes. */
    if ((d->status = ce__cancel_check(d->deadline, "CUPS")) != CE_OK)
      break;
    if (ce__cups_printer_from_ipp(response, &cursor, &d->arena, &printer) !=
        CE_OK) {
      d->status = ce__fail(CE_E_NOMEM, "CUPS: out of memory for a record");
      break;
    }
    /* A group without a name is no queue anyone could print to. */
    if (printer.name[0] != '\0')
      deliver(d, &printer);
    ce__arena_reset(&d->arena);
  }
  return d->status;
}

/* cupsEnumDests' callback for each discovered destination: 1 to go on. */
static int discovered(void *data, unsigned flags, cups_dest_t *dest) {
  delivery *d = data;
  ce_printer printer;

  if ((flags & CUPS_DEST_FLAGS_REMOVED) || dest == NULL || dest->name == NULL)
    return 1;
  /* The timeout is how long to browse: reaching it ends discovery with what
   * was found, it is no failure. */
  if ((d->status = ce__cancel_check(d->deadline, "CUPS")) != CE_OK ||
      ce__deadline_left_ms(d->deadline) == 0)
    return 0;
  if (ce__cups_printer_from_dest(dest, &d->arena, &printer) != CE_OK) {
    d->status = ce__fail(CE_E_NOMEM, "CUPS: out of memory for a record");
    return 0;
  }
  if (!seen_has(d->seen, printer.name) &&
      (printer.uri[0] == '\0' || !seen_has(d->seen, printer.uri))) {
    sigpipe_release(d->browsing);
    deliver(d, &printer);
    sigpipe_hold(d->browsing);
  }
  ce__arena_reset(&d->arena);
  return d->status == CE_OK;
}

/*
 * Browses DNS-SD for printers until the deadline. Discovery is best effort:
 * cupsEnumDests' return value does not tell "nothing found" from "no
 * browsing possible" (without Avahi it returns 0 after delivering
 * everything), so it is not used; the server itself was checked already.
 */
static int discover(delivery *d) {
  unsigned left = ce__deadline_left_ms(d->deadline);
  sigpipe_guard guard;
  if (left == 0)
    return CE_OK;
  /* Type and mask CUPS_PRINTER_DISCOVERED: only what DNS-SD finds, so
   * libcups does not list the server's queues a second time. libcups may
   * write to the server on its own connection meanwhile, so SIGPIPE is held
   * here as for our own request. */
  d->browsing = &guard;
  sigpipe_hold(&guard);
  ce__cups.cupsEnumDests(
      CUPS_DEST_FLAGS_NONE, (int)left, (int *)(uintptr_t)d->deadline->cancel,
      CUPS_PRINTER_DISCOVERED, CUPS_PRINTER_DISCOVERED, discovered, d);
  sigpipe_release(&guard);
  d->browsing = NULL;
  if (d->status == CE_OK)
    d->status = ce__cancel_check(d->deadline, "CUPS");
  return d->status;
}

static int probe(const ce_printer_query *query) {
  (void)query;
  return ce__cups_load();
}

static int enumerate(const ce_printer_query *query, ce_printer_fn fn,
                     void *ctx) {
  ce__deadline deadline = ce__deadline_start(query->timeout_ms, query->cancel);
  const char *server = NULL;
  http_t *http = NULL;
  ipp_t *response = NULL;
  seen names = {NULL, 0, 0, 0};
  delivery d;
  int status = connect_server(&deadline, &http, &server);
  if (status == CE_OK)
    status = get_printers(http, &deadline, server, &response);
  if (http != NULL)
    ce__cups.httpClose(http);
  if (status != CE_OK)
    return status;

  memset(&d, 0, sizeof d);
  d.deadline = &deadline;
  d.fn = fn;
  d.ctx = ctx;
  d.arena = (ce__arena)CE__ARENA_INIT;
  d.user_default =
      user_default(d.user_default_buffer, sizeof d.user_default_buffer);
  d.seen = query->include_discovered ? &names : NULL;
  d.status = CE_OK;

  if (response != NULL) {
    status = deliver_response(&d, response);
    ce__cups.ippDelete(response);
  }
  if (status == CE_OK && query->include_discovered)
    status = discover(&d);
  ce__arena_free(&d.arena);
  seen_free(&names);
  return status;
}

const ce__printers_backend ce__cups_printers = {"cups", probe, enumerate};

/* -------------------------------------------------------------- watch -- */

/* The watch (watch.c) sends its IPP requests the same bounded way. */
int ce__cups_connect(const ce__deadline *deadline, http_t **out,
                     const char **server) {
  return connect_server(deadline, out, server);
}

int ce__cups_call(http_t *http, ipp_t *request, const ce__deadline *deadline,
                  const char *server, ipp_t **response) {
  int status = send_request(http, request, deadline, server);
  return status == CE_OK ? receive_response(http, deadline, server, response)
                         : status;
}
