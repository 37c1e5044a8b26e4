/* SPDX-License-Identifier: MIT */
/* Loads libfontconfig at first use. */
#include "ce_fontconfig.h"

struct ce__fc_table ce__fc;
CE__LIBRARY_SYMBOLS(ce__fc, CE__FC_FUNCTIONS);

static const char *const sonames[] = {"libfontconfig.so.1", NULL};
static ce__library library = CE__LIBRARY("fontconfig", sonames, ce__fc_symbols);

int ce__fc_load(void) { return ce__library_load(&library); }
