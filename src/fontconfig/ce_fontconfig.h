/* SPDX-License-Identifier: MIT */
/* What the fontconfig backend's files share: the functions of libfontconfig
 * it loads at first use. */
#ifndef CE_FONTCONFIG_H
#define CE_FONTCONFIG_H

#include "../internal.h"

#include <fontconfig/fontconfig.h>

/* Every function of libfontconfig.so.1 the backend calls. */
#define CE__FC_FUNCTIONS(XX, t)                                                \
  XX(t, FcConfigReference)                                                     \
  XX(t, FcConfigDestroy)                                                       \
  XX(t, FcConfigGetFilename)                                                   \
  XX(t, FcStrFree)                                                             \
  XX(t, FcPatternCreate)                                                       \
  XX(t, FcPatternDestroy)                                                      \
  XX(t, FcPatternGet)                                                          \
  XX(t, FcObjectSetBuild)                                                      \
  XX(t, FcObjectSetDestroy)                                                    \
  XX(t, FcFontList)                                                            \
  XX(t, FcFontSetDestroy)                                                      \
  XX(t, FcWeightToOpenTypeDouble)                                              \
  XX(t, FcStrCmpIgnoreCase)

/* Valid once ce__fc_load() returned CE_OK. */
extern CE__LIBRARY_STRUCT(ce__fc, CE__FC_FUNCTIONS) ce__fc;

/* Loads libfontconfig at first use; CE_OK, or CE_E_UNAVAILABLE. */
int ce__fc_load(void);

/* Lists the faces of `config` that `query` selects into `fn`, as
 * ce_enum_fonts_ex does for the current configuration (fonts.c; the watch
 * lists its own private configuration with it). */
int ce__fc_list(FcConfig *config, const ce_font_query *query, ce_font_fn fn,
                void *ctx);

/* CE_OK when `config` was loaded from its main configuration file, else
 * CE_E_UNAVAILABLE with the detail (fontconfig's built-in fallback lists
 * fonts nobody configured). */
int ce__fc_check_loaded(FcConfig *config);

#endif /* CE_FONTCONFIG_H */
