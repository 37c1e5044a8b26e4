/* SPDX-License-Identifier: MIT */
/* Loads libcups at first use, keeping the program's SIGPIPE disposition. */
#include "ce_cups.h"

#include <signal.h>

struct ce__cups_table ce__cups;
CE__LIBRARY_SYMBOLS(ce__cups, CE__CUPS_FUNCTIONS);

static const char *const sonames[] = {"libcups.so.2", NULL};

/*
 * libcups' one-time network initialisation (run by its first httpConnect2 or
 * cupsEnumDests) sets SIGPIPE to SIG_IGN for the whole process on systems
 * without SO_NOSIGPIPE, such as Linux: a host program's own SIGPIPE handler
 * would silently stop being called. So cenum runs that initialisation
 * itself, once, and puts the program's disposition back; libcups never
 * repeats it. cenum writes to its own socket with MSG_NOSIGNAL, and holds
 * SIGPIPE blocked while libcups writes (http.c).
 */
static void initialize_keeping_sigpipe(void) {
  struct sigaction saved;
  int have_saved = sigaction(SIGPIPE, NULL, &saved) == 0;
  ce__cups.httpInitialize();
  if (have_saved)
    sigaction(SIGPIPE, &saved, NULL);
}

static ce__library cups_library = CE__LIBRARY_AFTER_LOAD(
    "CUPS", sonames, ce__cups_symbols, initialize_keeping_sigpipe);

int ce__cups_load(void) { return ce__library_load(&cups_library); }
