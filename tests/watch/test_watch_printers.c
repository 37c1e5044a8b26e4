/* SPDX-License-Identifier: MIT */
/*
 * The CUPS watch against a private cupsd of its own, which it changes,
 * stops, restarts and freezes: lpadmin add and delete, cupsdisable -r,
 * cupsreject and lpadmin -D are each reported with the fields lpstat
 * shows; the set told equals `lpstat -e` after each; a cupsd stopped and
 * started again is followed (the dispatch fails meanwhile, then resumes); a
 * frozen cupsd (SIGSTOP) keeps a dispatch within its query's timeout; close
 * cancels the subscription; a server that refuses subscriptions is re-read
 * periodically, as the detail says. The server grants 4 s leases
 * (MaxLeaseDuration), so the watch must renew its subscription to go on.
 */
#include "check.h"
#include "told.h"

#include <cenum.h>

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static told seen;
static struct {
  char name[256], info[256], message[256];
  ce_printer_state state;
  bool accepting;
} last;

static ce_next on_printer(ce_change change, const ce_printer *p, void *ctx) {
  char key[600];
  (void)ctx;
  CHECK(p->size == sizeof *p);
  snprintf(key, sizeof key, "%s%s%s", p->name, p->instance[0] ? "/" : "",
           p->instance);
  if (getenv("WATCH_DEBUG"))
    fprintf(stderr, "change %d %s info=%s state=%d accepting=%d\n", (int)change,
            key, p->info, (int)p->state, (int)p->accepting);
  told_apply(&seen, change, key);
  snprintf(last.name, sizeof last.name, "%s", p->name);
  snprintf(last.info, sizeof last.info, "%s", p->info);
  snprintf(last.message, sizeof last.message, "%s", p->state_message);
  last.state = p->state;
  last.accepting = p->accepting;
  return CE_CONTINUE;
}

static char dir[1024];

static int sh(const char *format, ...) {
  char command[4096];
  va_list args;
  va_start(args, format);
  vsnprintf(command, sizeof command, format, args);
  va_end(args);
  return system(command);
}

static pid_t cupsd_pid(void) {
  char path[1200];
  long pid = 0;
  FILE *f;
  snprintf(path, sizeof path, "%s/cupsd.pid", dir);
  if ((f = fopen(path, "r")) != NULL) {
    if (fscanf(f, "%ld", &pid) != 1)
      pid = 0;
    fclose(f);
  }
  return (pid_t)pid;
}

/* cupsd started again on the same state (cupsd.sh start would empty it). */
static void restart_cupsd(void) {
  REQUIRE(sh("setsid cupsd -f -c '%s/cupsd.conf' -s '%s/cups-files.conf' "
             "</dev/null >'%s/cupsd.out' 2>&1 & echo $! >'%s/cupsd.pid'",
             dir, dir, dir, dir) == 0);
  REQUIRE(sh("i=0; until lpstat -r 2>/dev/null | grep -q 'is running'; do "
             "i=$((i+1)); [ $i -ge 600 ] && exit 1; sleep 0.1; done") == 0);
}

/* Dispatches until `what` holds or 20 s passed (the watch asks the local
 * server every 2 s); dispatch failures are expected while cupsd is down. */
#define DISPATCH_UNTIL(w, what) DISPATCH_UNTIL_TRIES(w, what, 200, 1)

/* Dispatches until one returns CE_OK with nothing new for a second. */
static void settle(ce_watch *w) {
  int quiet = 0;
  for (int i = 0; i < 100 && quiet < 10; i++) {
    int before = seen.added + seen.removed + seen.changed;
    int status = ce_watch_dispatch(w, 100);
    quiet =
        status == CE_OK && seen.added + seen.removed + seen.changed == before
            ? quiet + 1
            : 0;
  }
}

static int matches_lpstat(void) {
  return told_equals_command(&seen, "lpstat -e | sort -u");
}

int main(void) {
  const char *script = getenv("CUPSD_SH"), *base = getenv("CENUM_TEST_TMP");
  char env[1200];
  ce_printer_query query = CE_PRINTER_QUERY_INIT;
  ce_watch *w = NULL;

  REQUIRE(script != NULL && base != NULL);
  snprintf(dir, sizeof dir, "%s/cupsd", base);
  REQUIRE(sh("sh '%s' start '%s' >/dev/null", script, dir) == 0);
  snprintf(env, sizeof env, "%s/cups.sock", dir);
  setenv("CUPS_SERVER", env, 1);
  setenv("HOME", dir, 1); /* no lpoptions of the user's */
  setenv("LC_ALL", "C", 1);
  unsetenv("LPDEST");
  unsetenv("PRINTER");
  /* Leases of 4 s: the watch asks for more and must renew at half. */
  REQUIRE(sh("sh '%s' stop '%s'", script, dir) == 0);
  REQUIRE(sh("printf 'MaxLeaseDuration 4\\nAccessLogLevel all\\n' "
             ">>'%s/cupsd.conf'",
             dir) == 0);
  restart_cupsd();
  REQUIRE(sh("lpadmin -p watch_a -E -v file:///dev/null -D 'Queue A'") == 0);

  query.include_discovered = true;
  CHECK_INT(ce_watch_printers(&query, on_printer, NULL, &w), CE_E_INVALID);
  CHECK(w == NULL);
  query.include_discovered = false;
  /* Room for a loaded machine (and valgrind); the frozen cupsd below
   * shows the bound. */
  query.timeout_ms = 3000;
  REQUIRE(ce_watch_printers(&query, on_printer, NULL, &w) == CE_OK);
  CHECK_STR(ce_error_detail(), "");
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK_INT(seen.added, 1);
  CHECK(matches_lpstat());

  /* Added. */
  told_reset_counts(&seen);
  REQUIRE(sh("lpadmin -p watch_b -E -v file:///dev/null -D 'Queue B'") == 0);
  DISPATCH_UNTIL(w, seen.added == 1);
  CHECK_STR(last.name, "watch_b");
  CHECK_STR(last.info, "Queue B");
  CHECK(matches_lpstat());

  /* Paused with a reason. */
  told_reset_counts(&seen);
  REQUIRE(sh("cupsdisable -r 'out of paper' watch_b") == 0);
  DISPATCH_UNTIL(w, seen.changed >= 1 && last.state == CE_PRINTER_STOPPED);
  CHECK_STR(last.name, "watch_b");
  CHECK_STR(last.message, "out of paper");
  CHECK_INT(seen.added + seen.removed, 0);

  /* Rejecting jobs. */
  told_reset_counts(&seen);
  REQUIRE(sh("cupsreject watch_b") == 0);
  DISPATCH_UNTIL(w, seen.changed >= 1 && !last.accepting);
  CHECK_STR(last.name, "watch_b");

  /* A new description. */
  told_reset_counts(&seen);
  REQUIRE(sh("lpadmin -p watch_b -D 'Queue B, moved'") == 0);
  DISPATCH_UNTIL(w,
                 seen.changed >= 1 && strcmp(last.info, "Queue B, moved") == 0);
  CHECK_INT(seen.added + seen.removed, 0);

  /* Three leases long with nothing changing: the subscription is renewed,
   * never made again, and the next change still comes as its event. */
  {
    uint64_t until = ce__now_ms() + 12000;
    while (ce__now_ms() < until)
      CHECK_INT(ce_watch_dispatch(w, 100), CE_OK);
  }
  CHECK(sh("test $(grep -c 'Renew-Subscription successful-ok' "
           "'%s/log/access_log') -ge 3",
           dir) == 0);
  CHECK(sh("test $(grep -c 'Create-Printer-Subscriptions successful-ok' "
           "'%s/log/access_log') -eq 1",
           dir) == 0);

  /* Deleted. */
  told_reset_counts(&seen);
  REQUIRE(sh("lpadmin -x watch_b") == 0);
  DISPATCH_UNTIL(w, seen.removed == 1);
  CHECK_STR(last.name, "watch_b");
  settle(w);
  CHECK(matches_lpstat());
  CHECK_INT(seen.errors, 0);

  /* cupsd stopped: a dispatch fails (bounded); started again with a queue
   * added meanwhile (in printers.conf, no event for it): reported. */
  REQUIRE(sh("sh '%s' stop '%s'", script, dir) == 0);
  {
    int failed = 0;
    uint64_t started = ce__now_ms();
    for (int i = 0; i < 50 && !failed; i++)
      /* Unavailable once the socket is gone; a timeout while cupsd is
       * shutting down (still accepting, no longer answering). */
      failed = ce_watch_dispatch(w, 100) < 0;
    CHECK(failed);
    CHECK(ce__now_ms() - started < 15000);
  }
  REQUIRE(sh("printf '<Printer watch_c>\\nInfo Queue C\\nDeviceURI "
             "file:///dev/null\\nState Idle\\nType 4\\nAccepting Yes\\n"
             "</Printer>\\n' >>'%s/printers.conf'",
             dir) == 0);
  restart_cupsd();
  told_reset_counts(&seen);
  DISPATCH_UNTIL(w, seen.added == 1);
  CHECK_STR(last.name, "watch_c");
  settle(w);
  CHECK(matches_lpstat());

  /* Frozen: a dispatch ends within the query's timeout (3 s), with room
   * for valgrind. */
  REQUIRE(kill(cupsd_pid(), SIGSTOP) == 0);
  {
    int status = CE_OK;
    uint64_t started = ce__now_ms(), longest = 0;
    for (int i = 0; i < 80 && status == CE_OK; i++) {
      uint64_t one = ce__now_ms();
      status = ce_watch_dispatch(w, 100);
      if (ce__now_ms() - one > longest)
        longest = ce__now_ms() - one;
    }
    CHECK_INT(status, CE_E_TIMEOUT);
    CHECK(longest < 8000);
    CHECK(ce__now_ms() - started < 30000);
  }
  REQUIRE(kill(cupsd_pid(), SIGCONT) == 0);
  told_reset_counts(&seen);
  REQUIRE(sh("lpadmin -p watch_d -E -v file:///dev/null -D 'Queue D'") == 0);
  DISPATCH_UNTIL(w, seen.added == 1);
  CHECK_STR(last.name, "watch_d");
  settle(w);
  CHECK(matches_lpstat());
  CHECK_INT(seen.errors, 0);

  /* Close cancels the subscription. */
  ce_watch_close(w);
  CHECK(sh("i=0; until grep -q 'Cancel-Subscription successful-ok' "
           "'%s/log/access_log'; do i=$((i+1)); [ $i -ge 50 ] && exit 1; "
           "sleep 0.1; done",
           dir) == 0);

  /* A server that refuses subscriptions: a re-read every few seconds. */
  REQUIRE(sh("sh '%s' stop '%s'", script, dir) == 0);
  REQUIRE(sh("sed -i 's|<Policy default>|<Policy default>\\n  <Limit "
             "Create-Printer-Subscriptions>\\n    AuthType Basic\\n    "
             "Require user no-such-user-cenum\\n  </Limit>|' "
             "'%s/cupsd.conf'",
             dir) == 0);
  restart_cupsd();
  told_free(&seen);
  REQUIRE(ce_watch_printers(&query, on_printer, NULL, &w) == CE_OK);
  CHECK(strstr(ce_error_detail(), "refused a subscription") != NULL);
  CHECK(strstr(ce_error_detail(), "re-reads the queues every 5 s") != NULL);
  CHECK_INT(ce_watch_dispatch(w, 0), CE_OK);
  CHECK(matches_lpstat());
  told_reset_counts(&seen);
  REQUIRE(sh("lpadmin -p watch_e -E -v file:///dev/null") == 0);
  DISPATCH_UNTIL(w, seen.added == 1);
  CHECK_STR(last.name, "watch_e");
  ce_watch_close(w);

  told_free(&seen);
  sh("sh '%s' stop '%s'", script, dir);
  return check_failures ? 1 : 0;
}
