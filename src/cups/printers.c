/* SPDX-License-Identifier: MIT */
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
} seen;

/* CE_OK, or CE_E_NOMEM with its detail. */
static int seen_add(seen *s, const char *text) {
  size_t size = strlen(text) + 1;
  int status;
  if (text[0] == '\0')
    return CE_OK;
  status = ce__grow((void **)&s->items, &s->capacity, s->count + 1,
                    sizeof *s->items, "CUPS", "queue names");
  if (status != CE_OK)
    return status;
  if ((s->items[s->count] = malloc(size)) == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory for a queue name");
  memcpy(s->items[s->count++], text, size);
  return CE_OK;
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
  /* The default libcups' clients honour before the server's, and the
   * instances of the queues. */
  ce__cups_local local;
  int default_given;
  seen *seen; /* NULL when no discovery follows */
  /* While libcups browses: SIGPIPE held, and let go around each callback so
   * the program's own writes there behave as it expects. */
  ce__sigpipe *browsing;
  int status;
} delivery;

/* Hands one record to the caller: the default rule, then the callback.
 * `instance` is the instance's name as the lpoptions file has it ("" for
 * the queue), which the default's name is compared with. */
static ce_next call(delivery *d, ce_printer *printer, const char *instance) {
  if (d->local.has_default)
    printer->is_default =
        !printer->discovered &&
        ce__cups_is_default(&d->local, printer->name, instance);
  /* At most one default per enumeration, whatever the server says. */
  if (printer->is_default && d->default_given)
    printer->is_default = false;
  d->default_given |= printer->is_default;
  return d->fn(printer, d->ctx);
}

/*
 * The queue's record, then one for each of its instances (lpstat -e lists
 * them as destinations of their own): the queue's fields with `instance`
 * set. The server's default bit belongs to the queue alone.
 */
static ce_next call_with_instances(delivery *d, ce_printer *printer) {
  const ce__cups_dest_name *instances;
  size_t count =
      printer->discovered
          ? 0
          : ce__cups_instances_of(&d->local, printer->name, &instances);
  ce_next next = call(d, printer, "");

  for (size_t i = 0; i < count && next == CE_CONTINUE; i++) {
    ce_printer instance = *printer;
    /* A slow callback over many instances still notices a cancel. */
    if ((d->status = ce__cancel_check(d->deadline, "CUPS")) != CE_OK)
      return CE_STOP;
    /* The name comes from a file: repaired to UTF-8 like the server's. */
    instance.instance =
        ce__arena_cstr(&d->arena, instances[i].instance, CE__CAP_NAME);
    if (instance.instance == NULL) {
      d->status = ce__fail(CE_E_NOMEM, "CUPS: out of memory for a record");
      return CE_STOP;
    }
    instance.is_default = false;
    next = call(d, &instance, instances[i].instance);
  }
  return next;
}

/* Hands over a record its builder returned `built` for; the enumeration's
 * status after it (see ce__delivered). The names of a queue delivered are
 * kept when discovery follows, so that it is not listed again. */
static int hand_over(delivery *d, int built, ce_printer *printer) {
  ce_next next = CE_CONTINUE;
  if (built == CE_OK && d->seen != NULL &&
      (built = seen_add(d->seen, printer->name)) == CE_OK)
    built = seen_add(d->seen, printer->uri);
  if (built == CE_OK)
    next = call_with_instances(d, printer);
  if (d->status != CE_OK)
    built = d->status;
  return ce__delivered(built, next, &d->arena);
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
    d->status = hand_over(
        d, ce__cups_printer_from_ipp(response, &cursor, &d->arena, &printer),
        &printer);
  }
  return d->status;
}

/* cupsEnumDests' callback for each discovered destination: 1 to go on. */
static int discovered(void *data, unsigned flags, cups_dest_t *dest) {
  delivery *d = data;
  ce_printer printer;
  int built;

  if ((flags & CUPS_DEST_FLAGS_REMOVED) || dest == NULL || dest->name == NULL)
    return 1;
  /* The timeout is how long to browse: reaching it ends discovery with what
   * was found, it is no failure. */
  if ((d->status = ce__cancel_check(d->deadline, "CUPS")) != CE_OK ||
      ce__deadline_left_ms(d->deadline) == 0)
    return 0;
  built = ce__cups_printer_from_dest(dest, &d->arena, &printer);
  if (built == CE_OK &&
      (seen_has(d->seen, printer.name) ||
       (printer.uri[0] != '\0' && seen_has(d->seen, printer.uri))))
    built = CE__SKIP;
  ce__sigpipe_release(d->browsing);
  d->status = hand_over(d, built, &printer);
  ce__sigpipe_hold(d->browsing);
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
  ce__sigpipe guard;
  if (left == 0)
    return CE_OK;
  /* Type and mask CUPS_PRINTER_DISCOVERED: only what DNS-SD finds, so
   * libcups does not list the server's queues a second time. libcups may
   * write to the server on its own connection meanwhile, so SIGPIPE is held
   * here as for our own request. */
  d->browsing = &guard;
  ce__sigpipe_hold(&guard);
  ce__cups.cupsEnumDests(
      CUPS_DEST_FLAGS_NONE, (int)left, (int *)(uintptr_t)d->deadline->cancel,
      CUPS_PRINTER_DISCOVERED, CUPS_PRINTER_DISCOVERED, discovered, d);
  ce__sigpipe_release(&guard);
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
  seen names = {NULL, 0, 0};
  delivery d;
  int status = ce__cups_get_printers(&deadline, &response);
  if (status != CE_OK)
    return status;

  memset(&d, 0, sizeof d);
  d.deadline = &deadline;
  d.fn = fn;
  d.ctx = ctx;
  d.arena = (ce__arena)CE__ARENA_INIT;
  d.seen = query->include_discovered ? &names : NULL;
  d.status = ce__cups_local_read(&d.local);

  status = d.status;
  if (response != NULL) {
    if (status == CE_OK)
      status = deliver_response(&d, response);
    ce__cups.ippDelete(response);
  }
  if (status == CE_OK && query->include_discovered)
    status = discover(&d);
  ce__arena_free(&d.arena);
  ce__cups_local_free(&d.local);
  seen_free(&names);
  return status;
}

const ce__printers_backend ce__cups_printers = {"cups", probe, enumerate};
