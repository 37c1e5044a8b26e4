/*
 * Printers with CUPS: one CUPS-Get-Printers request on a connection of our
 * own to the server libcups would use, read within the query's deadline
 * (http.c), then delivered record by record.
 *
 * Not cupsDoRequest, because it waits a fixed second for "100 Continue",
 * reconnects with a fixed 30 s timeout, and may ask for a password on the
 * terminal: none of that belongs in a bounded enumeration. The server's
 * default queue comes with the records (the default bit of printer-type),
 * so no second request is needed.
 */
#include "ce_cups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
  ce__cups_sigpipe *browsing;
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
    ce__cups_sigpipe_release(d->browsing);
    deliver(d, &printer);
    ce__cups_sigpipe_hold(d->browsing);
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
  ce__cups_sigpipe guard;
  if (left == 0)
    return CE_OK;
  /* Type and mask CUPS_PRINTER_DISCOVERED: only what DNS-SD finds, so
   * libcups does not list the server's queues a second time. libcups may
   * write to the server on its own connection meanwhile, so SIGPIPE is held
   * here as for our own request. */
  d->browsing = &guard;
  ce__cups_sigpipe_hold(&guard);
  ce__cups.cupsEnumDests(
      CUPS_DEST_FLAGS_NONE, (int)left, (int *)(uintptr_t)d->deadline->cancel,
      CUPS_PRINTER_DISCOVERED, CUPS_PRINTER_DISCOVERED, discovered, d);
  ce__cups_sigpipe_release(&guard);
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
  ipp_t *response = NULL;
  seen names = {NULL, 0, 0, 0};
  delivery d;
  int status = ce__cups_get_printers(&deadline, &response);
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
