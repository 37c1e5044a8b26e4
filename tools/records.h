/* SPDX-License-Identifier: MIT */
/*
 * The JSON keys of each record, written into a line the caller began: the
 * one list of them for `cenum watch` (and, once merged, for the listing in
 * cenum.c, whose print_* functions write the same keys today).
 */
#ifndef CENUM_TOOLS_RECORDS_H
#define CENUM_TOOLS_RECORDS_H

#include <cenum.h>

#include "output.h"

void json_font_fields(json_line *line, const ce_font *f);
void json_printer_fields(json_line *line, const ce_printer *p);
void json_window_fields(json_line *line, const ce_window *w);

const char *record_slant_name(ce_slant slant);
const char *record_state_name(ce_printer_state state);

#endif
