/* SPDX-License-Identifier: MIT */
/*
 * What the fontconfig watch (watch.c) uses of the enumeration (fonts.c):
 * the listing and the configuration check, on a configuration the caller
 * holds. For the lead: these two belong in ce_fontconfig.h once merged.
 */
#ifndef CE_FONTCONFIG_WATCH_H
#define CE_FONTCONFIG_WATCH_H

#include "ce_fontconfig.h"

/* Lists the faces of `config` that `query` selects into `fn`, as
 * ce_enum_fonts_ex does for the current configuration. */
int ce__fc_list(FcConfig *config, const ce_font_query *query, ce_font_fn fn,
                void *ctx);

/* CE_OK when `config` was loaded from its main configuration file, else
 * CE_E_UNAVAILABLE with the detail (fontconfig's built-in fallback lists
 * fonts nobody configured). */
int ce__fc_check_loaded(FcConfig *config);

#endif /* CE_FONTCONFIG_WATCH_H */
