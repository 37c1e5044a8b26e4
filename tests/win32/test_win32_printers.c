/*
 * Printers with EnumPrintersW. Under Wine (CENUM_TEST_WINE set), the
 * queues of the fixture's private cupsd, which Wine's winspool lists, with
 * the exact names, descriptions and locations wine-env.sh gave them. On
 * Windows, the "Microsoft Print to PDF" printer Windows installs.
 */
#include "check.h"
#include "win32_test.h"

#include "cenum.h"

#include <windows.h>

#include <winspool.h>

typedef struct expected {
  const char *name, *info, *location;
  int count, is_default;
  ce_printer_state state;
  int accepting;
} expected;

typedef struct seen {
  expected *want;
  size_t want_count;
  int total, defaults;
} seen;

static ce_next on_printer(const ce_printer *p, void *ctx) {
  seen *s = ctx;
  s->total++;
  CHECK(p->size == sizeof *p);
  CHECK(p->name && p->info && p->location && p->make_model && p->uri &&
        p->state_message);
  CHECK(p->state_reason_count == 0 || p->state_reasons != NULL);
  CHECK(!p->discovered);
  s->defaults += p->is_default;
  for (size_t i = 0; i < s->want_count; i++) {
    expected *e = &s->want[i];
    if (strcmp(p->name, e->name) != 0)
      continue;
    e->count++;
    e->is_default = p->is_default;
    e->state = p->state;
    e->accepting = p->accepting;
    if (e->info != NULL)
      CHECK_STR(p->info, e->info);
    if (e->location != NULL)
      CHECK_STR(p->location, e->location);
  }
  return CE_CONTINUE;
}

WIN32_STOP_AT_FIRST(stop_at_first, ce_printer)

int main(void) {
  /* As tests/win32/wine-env.sh made them with lpadmin. */
  expected wine_queues[] = {
      {"cenum-wine-a", "Wine queue A \xE2\x9C\x93", "Room 101", 0, 0, 0, 0},
      {"cenum-wine-b", "Wine queue B", "Labor f\xC3\xBCr Drucker", 0, 0, 0, 0},
  };
  expected windows_printers[] = {
      {"Microsoft Print to PDF", NULL, NULL, 0, 0, 0, 0},
  };
  int wine = getenv("CENUM_TEST_WINE") != NULL;
  seen s;
  ce_printer_query q = CE_PRINTER_QUERY_INIT;
  int status;
  wchar_t default_name[512];
  DWORD default_len = 512;

  memset(&s, 0, sizeof s);
  s.want = wine ? wine_queues : windows_printers;
  s.want_count = wine ? 2 : 1;
  /* Wine's first look at CUPS can take a while under load. */
  q.timeout_ms = 60000;
  status = ce_enum_printers_ex(&q, on_printer, &s);
  if (status != CE_OK)
    fprintf(stderr, "ce_enum_printers_ex: %s: %s\n", ce_status_name(status),
            ce_error_detail());
  REQUIRE(status == CE_OK);
  for (size_t i = 0; i < s.want_count; i++) {
    if (s.want[i].count != 1)
      fprintf(stderr, "printer \"%s\" listed %d times\n", s.want[i].name,
              s.want[i].count);
    CHECK_INT(s.want[i].count, 1);
    CHECK(s.want[i].accepting);
    if (wine)
      CHECK_INT(s.want[i].state, CE_PRINTER_IDLE);
  }
  CHECK(s.total >= (int)s.want_count);
  /* At most one default, and it is the one GetDefaultPrinterW names. */
  CHECK(s.defaults <= 1);
  if (GetDefaultPrinterW(default_name, &default_len)) {
    CHECK_INT(s.defaults, 1);
    if (wine)
      CHECK(s.want[0].is_default + s.want[1].is_default == 1);
  }

  WIN32_CHECK_STOP_AND_CANCEL(ce_printer_query, CE_PRINTER_QUERY_INIT,
                              ce_enum_printers_ex, stop_at_first);

  /* A timeout too short for the worker: whatever the outcome, no crash, no
   * leak, and the worker cleans up after itself once it is done. */
  for (int i = 0; i < 20; i++) {
    ce_printer_query quick = CE_PRINTER_QUERY_INIT;
    int n = 0;
    quick.timeout_ms = 1;
    status = ce_enum_printers_ex(&quick, stop_at_first, &n);
    CHECK(status == CE_STOPPED || status == CE_E_TIMEOUT);
    if (status == CE_E_TIMEOUT)
      CHECK(strstr(ce_error_detail(), "within the timeout") != NULL);
  }
  return check_finish();
}
