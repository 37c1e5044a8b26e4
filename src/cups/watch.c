/* SPDX-License-Identifier: MIT */
/*
 * The CUPS watch: a server-wide subscription to printer events
 * (Create-Printer-Subscriptions, notify-pull-method ippget), read with
 * Get-Notifications as often as the server's notify-get-interval asks, on a
 * timerfd that is the watch's descriptor. Any printer event makes the entry
 * list the queues again (ce_enum_printers_ex, one CUPS-Get-Printers) and diff
 * them: one request answers for every event of a burst, and the records are
 * built by the enumeration's code alone. The lease is renewed at half its
 * time; close cancels the subscription.
 *
 * Every request is a connection of its own, bounded by the query's timeout,
 * so a hung server never holds a dispatch longer. After a failed request
 * (the server stopped), the next one is tried a few seconds later, and the
 * first that succeeds lists the queues again, since the events of the
 * outage are lost; a server restarted without the subscription answers
 * not-found, and the watch subscribes anew. A server that refuses
 * subscriptions gets a re-read every POLL_SECONDS instead, and the detail
 * says so.
 */
#include "ce_cups.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

/* What the watch needs of libcups beyond the enumeration's table. */
#define CE__CUPSW_FUNCTIONS(XX, t) XX(t, ippAddInteger)

static CE__LIBRARY_STRUCT(ce__cupsw, CE__CUPSW_FUNCTIONS) ce__cupsw;
CE__LIBRARY_SYMBOLS(ce__cupsw, CE__CUPSW_FUNCTIONS);
static const char *const sonames[] = {"libcups.so.2", NULL};
static ce__library library = CE__LIBRARY("CUPS", sonames, ce__cupsw_symbols);

/* The lease asked for; renewed at half of what the server grants. */
#define LEASE_SECONDS 600
/* The re-read of a server that refuses subscriptions. */
#define POLL_SECONDS 5
/* The retry after a failed request. */
#define RETRY_SECONDS 2
/*
 * How often Get-Notifications is sent: the server's notify-get-interval,
 * but no less than MIN_INTERVAL s (a server saying 0 would make the watch
 * spin) and, for a server on this machine, no more than LOCAL_INTERVAL s.
 * cupsd 2.4 answers 60 s whatever happens, and answers at once when asked
 * to wait for an event (notify-wait), as measured against it: honouring
 * its 60 s would make a print dialog learn of a new queue a minute late,
 * while one Get-Notifications on the local socket costs the server about a
 * millisecond. A remote server's interval is honoured as it says.
 */
#define MIN_INTERVAL 1
#define LOCAL_INTERVAL 2
#define MAX_INTERVAL 3600

static const char *const events[] = {
    "printer-added", "printer-deleted", "printer-state-changed",
    "printer-config-changed", "printer-modified"};
#define EVENT_COUNT (sizeof events / sizeof events[0])

/* Where the subscription is made: the server itself, for every queue. */
#define SERVER_URI "ipp://localhost/"

typedef struct source {
  int fd; /* timerfd: the next request is due */
  unsigned timeout_ms;
  ce__deadline deadline; /* of the request under way */
  int subscription;      /* its id; 0 when there is none */
  int next_sequence;     /* the first event not read yet */
  unsigned interval_s;   /* notify-get-interval */
  uint64_t next_get_ms, renew_ms;
  int local;   /* the server is on this machine */
  int polling; /* the server refused the subscription */
  int lost;    /* a request failed since the last list */
  char note[512];
} source;

static ipp_t *new_request(ipp_op_t op) {
  ipp_t *request = ce__cups.ippNewRequest(op);
  if (request == NULL)
    return NULL;
  ce__cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri",
                        NULL, SERVER_URI);
  ce__cups.ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME,
                        "requesting-user-name", NULL, ce__cups.cupsUser());
  return request;
}

/* A request about the watch's subscription (its notify-subscription-id). */
static ipp_t *subscription_request(const source *s, ipp_op_t op) {
  ipp_t *request = new_request(op);
  if (request != NULL)
    ce__cupsw.ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER,
                            "notify-subscription-id", s->subscription);
  return request;
}

/* Whether an answer says the subscription is gone (a restarted server, an
 * expired lease) or no longer ours: it must be made anew. */
static int subscription_gone(ipp_status_t code) {
  return code == IPP_STATUS_ERROR_NOT_FOUND ||
         code == IPP_STATUS_ERROR_NOT_AUTHORIZED ||
         code == IPP_STATUS_ERROR_FORBIDDEN;
}

/* One request on a connection of its own; takes `request`. *response is
 * the answer whatever its IPP status, or NULL on a failure. */
static int exchange(source *s, ipp_t *request, ipp_t **response) {
  int status;
  *response = NULL;
  if (request == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory for a request");
  s->deadline = ce__deadline_start(s->timeout_ms, NULL);
  status = ce__cups_ipp(&s->deadline, request, response);
  ce__cups.ippDelete(request);
  return status;
}

static int integer_of(ipp_t *response, const char *name, int fallback) {
  ipp_attribute_t *a =
      ce__cups.ippFindAttribute(response, name, IPP_TAG_INTEGER);
  return a ? ce__cups.ippGetInteger(a, 0) : fallback;
}

/* The IPP status of a response, with its message for the detail. */
static ipp_status_t status_of(ipp_t *response, char *message, size_t size) {
  ipp_attribute_t *a =
      ce__cups.ippFindAttribute(response, "status-message", IPP_TAG_TEXT);
  ipp_status_t code = ce__cups.ippGetStatusCode(response);
  const char *text = a ? ce__cups.ippGetString(a, 0, NULL) : NULL;
  char raw[256];
  snprintf(raw, sizeof raw, "%s%s%s", ce__cups.ippErrorString(code),
           text ? ": " : "", text ? text : "");
  ce__utf8_repair(message, size, raw, strlen(raw));
  return code;
}

static void set_lease(source *s, ipp_t *response) {
  int lease = integer_of(response, "notify-lease-duration", LEASE_SECONDS);
  /* 0 is a lease without end: renew it now and then all the same. */
  if (lease <= 0)
    lease = LEASE_SECONDS;
  s->renew_ms = ce__now_ms() + (uint64_t)lease * 500u;
}

/*
 * The lease the server granted a new subscription. cupsd 2.4 grants at
 * most its MaxLeaseDuration but does not say so in its answer to
 * Create-Printer-Subscriptions (measured: only notify-subscription-id), so
 * one that did not say is asked (Get-Subscription-Attributes); without it a
 * lease shorter than the one asked for would run out before its renewal.
 */
static int find_lease(source *s, ipp_t *created) {
  static const char *const wanted[] = {"notify-lease-duration"};
  ipp_t *request, *response;
  char message[256];
  int status;

  if (ce__cups.ippFindAttribute(created, "notify-lease-duration",
                                IPP_TAG_INTEGER) != NULL) {
    set_lease(s, created);
    return CE_OK;
  }
  if ((request = subscription_request(s, IPP_OP_GET_SUBSCRIPTION_ATTRIBUTES)) !=
      NULL)
    ce__cups.ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD,
                           "requested-attributes", 1, NULL, wanted);
  status = exchange(s, request, &response);
  if (status == CE_E_BACKEND) {
    /* An HTTP refusal: as a server that will not tell, below. */
    ce__clear_detail();
    set_lease(s, NULL);
    return CE_OK;
  }
  if (status != CE_OK) {
    /* Unknown: renewed at the next request, whose answer says it. */
    s->renew_ms = ce__now_ms();
    return status;
  }
  /* A server that will not tell: the lease asked for. */
  if (status_of(response, message, sizeof message) <
      IPP_STATUS_ERROR_BAD_REQUEST)
    set_lease(s, response);
  else
    set_lease(s, NULL);
  ce__cups.ippDelete(response);
  return CE_OK;
}

static int subscribe(source *s) {
  ipp_t *request = new_request(IPP_OP_CREATE_PRINTER_SUBSCRIPTIONS);
  ipp_t *response;
  char message[256];
  int status;

  if (request != NULL) {
    ce__cups.ippAddString(request, IPP_TAG_SUBSCRIPTION, IPP_TAG_KEYWORD,
                          "notify-pull-method", NULL, "ippget");
    ce__cups.ippAddStrings(request, IPP_TAG_SUBSCRIPTION, IPP_TAG_KEYWORD,
                           "notify-events", (int)EVENT_COUNT, NULL, events);
    ce__cupsw.ippAddInteger(request, IPP_TAG_SUBSCRIPTION, IPP_TAG_INTEGER,
                            "notify-lease-duration", LEASE_SECONDS);
  }
  status = exchange(s, request, &response);
  if (status == CE_E_BACKEND) {
    /* An HTTP refusal (authentication the watch cannot give). */
    snprintf(message, sizeof message, "%s", ce_error_detail());
    ce__clear_detail();
  } else if (status != CE_OK) {
    return status;
  } else if (status_of(response, message, sizeof message) <
                 IPP_STATUS_ERROR_BAD_REQUEST &&
             (s->subscription =
                  integer_of(response, "notify-subscription-id", 0)) > 0) {
    s->next_sequence = 1;
    status = find_lease(s, response);
  }
  if (response != NULL)
    ce__cups.ippDelete(response);
  if (status != CE_OK && status != CE_E_BACKEND)
    return status;
  if (s->subscription <= 0) {
    s->subscription = 0;
    s->polling = 1;
    snprintf(s->note, sizeof s->note,
             "CUPS: the server refused a subscription to printer events "
             "(%s); the watch re-reads the queues every %d s",
             message, POLL_SECONDS);
  }
  return CE_OK;
}

/* Reads the events since the last; *any when there was one. */
static int get_notifications(source *s, int *any) {
  ipp_t *request = new_request(IPP_OP_GET_NOTIFICATIONS);
  ipp_t *response;
  ipp_attribute_t *a;
  char message[256];
  ipp_status_t code;
  int status;

  if (request != NULL) {
    ce__cupsw.ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER,
                            "notify-subscription-ids", s->subscription);
    ce__cupsw.ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER,
                            "notify-sequence-numbers", s->next_sequence);
  }
  if ((status = exchange(s, request, &response)) != CE_OK)
    return status;
  code = status_of(response, message, sizeof message);
  if (subscription_gone(code)) {
    /* Subscribed anew, and listed again for what was missed. */
    s->subscription = 0;
    *any = 1;
  } else if (code >= IPP_STATUS_ERROR_BAD_REQUEST) {
    status = ce__fail(CE_E_BACKEND, "CUPS: Get-Notifications: %s", message);
  } else {
    int interval = integer_of(response, "notify-get-interval", 0);
    for (a = ce__cups.ippFirstAttribute(response); a != NULL;
         a = ce__cups.ippNextAttribute(response)) {
      const char *name = ce__cups.ippGetName(a);
      if (ce__cups.ippGetGroupTag(a) == IPP_TAG_EVENT_NOTIFICATION &&
          name != NULL && strcmp(name, "notify-sequence-number") == 0 &&
          ce__cups.ippGetValueTag(a) == IPP_TAG_INTEGER) {
        int sequence = ce__cups.ippGetInteger(a, 0);
        *any = 1;
        if (sequence >= s->next_sequence)
          s->next_sequence = sequence + 1;
      }
    }
    if (interval > 0)
      s->interval_s = (unsigned)interval;
  }
  ce__cups.ippDelete(response);
  return status;
}

static int renew(source *s) {
  ipp_t *request = subscription_request(s, IPP_OP_RENEW_SUBSCRIPTION);
  ipp_t *response;
  char message[256];
  ipp_status_t code;
  int status;

  if (request != NULL)
    ce__cupsw.ippAddInteger(request, IPP_TAG_SUBSCRIPTION, IPP_TAG_INTEGER,
                            "notify-lease-duration", LEASE_SECONDS);
  if ((status = exchange(s, request, &response)) != CE_OK)
    return status;
  code = status_of(response, message, sizeof message);
  if (subscription_gone(code))
    s->subscription = 0; /* subscribed anew by work() */
  else if (code >= IPP_STATUS_ERROR_BAD_REQUEST)
    /* Any other error (a busy server) leaves the subscription to the
     * retry: making another would leave this one to pile up. */
    status = ce__fail(CE_E_BACKEND, "CUPS: Renew-Subscription: %s", message);
  else
    set_lease(s, response);
  ce__cups.ippDelete(response);
  return status;
}

static void arm(source *s) {
  uint64_t now = ce__now_ms();
  uint64_t at = s->next_get_ms;
  struct itimerspec when;
  if (s->subscription != 0 && s->renew_ms < at)
    at = s->renew_ms;
  /* At least a millisecond: an all-zero it_value would disarm it. */
  at = at > now ? at - now : 1;
  memset(&when, 0, sizeof when);
  when.it_value.tv_sec = (time_t)(at / 1000u);
  when.it_value.tv_nsec = (long)(at % 1000u) * 1000000L;
  timerfd_settime(s->fd, 0, &when, NULL);
}

static unsigned interval_ms(const source *s) {
  unsigned interval = s->interval_s;
  unsigned most = s->local ? LOCAL_INTERVAL : MAX_INTERVAL;
  if (interval < MIN_INTERVAL)
    interval = MIN_INTERVAL;
  if (interval > most)
    interval = most;
  return interval * 1000u;
}

/* A domain socket, or the loopback host. */
static int is_local(const char *server) {
  return server[0] == '/' || strcmp(server, "localhost") == 0 ||
         strcmp(server, "127.0.0.1") == 0 || strcmp(server, "::1") == 0;
}

/* The requests that are due. */
static int work(source *s, int *resync) {
  uint64_t now = ce__now_ms();
  int status = CE_OK, any = 0;

  if (s->polling) {
    if (now >= s->next_get_ms) {
      *resync = 1;
      s->next_get_ms = now + POLL_SECONDS * 1000u;
    }
    return CE_OK;
  }
  if (now < s->next_get_ms && !(s->subscription && now >= s->renew_ms))
    return CE_OK;
  if (s->subscription == 0) {
    if ((status = subscribe(s)) != CE_OK)
      return status;
    /* What happened while there was no subscription is unknown. */
    *resync = 1;
    if (s->polling)
      return CE_OK;
  }
  if (now >= s->next_get_ms) {
    status = get_notifications(s, &any);
    if (status == CE_OK && s->subscription == 0 &&
        (status = subscribe(s)) == CE_OK)
      s->next_get_ms = now; /* events of the new one: read at once */
    else
      s->next_get_ms = now + interval_ms(s);
    if (any)
      *resync = 1;
  }
  if (status == CE_OK && s->subscription != 0 && now >= s->renew_ms) {
    status = renew(s);
    /* The lease ran out before its renewal (a server frozen past it):
     * subscribed anew at once, and listed again for what was missed. */
    if (status == CE_OK && s->subscription == 0 &&
        (status = subscribe(s)) == CE_OK)
      *resync = 1;
  }
  return status;
}

static int source_drain(void *opaque, int *resync) {
  source *s = opaque;
  uint64_t expirations;
  int status;

  while (read(s->fd, &expirations, sizeof expirations) < 0 && errno == EINTR)
    ;
  status = work(s, resync);
  if (status != CE_OK) {
    s->lost = 1;
    s->next_get_ms = ce__now_ms() + RETRY_SECONDS * 1000u;
    /* A renewal that failed is tried again with the next request, not at
     * once (its time has passed: the timer would fire without end). */
    if (s->subscription != 0 && s->renew_ms < s->next_get_ms)
      s->renew_ms = s->next_get_ms;
  } else if (s->lost) {
    s->lost = 0;
    *resync = 1;
  }
  arm(s);
  return status;
}

static int source_list(void *opaque, const void *query, ce__record_fn fn,
                       void *ctx) {
  source *s = opaque;
  int status = ce_enum_printers_ex(query, fn.printer, ctx);
  /* The one thing a successful call says in its detail: that the watch
   * polls. */
  if (status == CE_OK && s->polling)
    ce__fail(CE_OK, "%s", s->note);
  return status;
}

static void source_close(void *opaque) {
  source *s = opaque;
  if (s->subscription != 0) {
    ipp_t *request = subscription_request(s, IPP_OP_CANCEL_SUBSCRIPTION);
    ipp_t *response;
    /* Bounded like every request; a server gone lets the lease run out. */
    if (exchange(s, request, &response) == CE_OK)
      ce__cups.ippDelete(response);
  }
  if (s->fd >= 0)
    close(s->fd);
  free(s);
}

static int source_open(const void *query, void **out, int *fd) {
  const ce_printer_query *q = query;
  source *s;
  int status;

  if ((status = ce__cups_load()) != CE_OK ||
      (status = ce__library_load(&library)) != CE_OK)
    return status;
  if ((s = calloc(1, sizeof *s)) == NULL)
    return ce__fail(CE_E_NOMEM, "CUPS: out of memory");
  s->timeout_ms = q->timeout_ms;
  s->local = is_local(ce__cups.cupsServer());
  s->fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (s->fd < 0)
    status =
        ce__fail(CE_E_UNAVAILABLE, "CUPS: timerfd_create: %s", strerror(errno));
  else
    status = subscribe(s);
  if (status != CE_OK) {
    source_close(s);
    return status;
  }
  s->next_get_ms =
      ce__now_ms() + (s->polling ? POLL_SECONDS * 1000u : interval_ms(s));
  arm(s);
  *out = s;
  *fd = s->fd;
  return CE_OK;
}

const ce__watch_backend ce__cups_watch = {
    "cups", source_open, source_drain, source_list, NULL, NULL, source_close};
