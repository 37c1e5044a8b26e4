/* SPDX-License-Identifier: MIT */
/* Loads libwayland-client at first use. */
#include "ce_wayland.h"

struct ce__wl_table ce__wl;
CE__LIBRARY_SYMBOLS(ce__wl, CE__WL_FUNCTIONS);

static const char *const sonames[] = {"libwayland-client.so.0", NULL};
static ce__library library = CE__LIBRARY("Wayland", sonames, ce__wl_symbols);

int ce__wl_load(void) { return ce__library_load(&library); }
