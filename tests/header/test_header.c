/* SPDX-License-Identifier: MIT */
/*
 * <cenum.h> as a program of each language standard sees it: this file is
 * built as C99 and C11, and (through test_header.cpp) as C++11, C++17 and
 * C++20, each with -pedantic and warnings as errors. It uses every macro
 * and type of the header and calls the functions that need no service, so
 * the link also proves the C++ names are not mangled.
 */
#include <cenum.h>

#include <stdio.h>
#include <string.h>

static ce_next on_font(const ce_font *font, void *ctx) {
  (void)ctx;
  return CE_HAS_FIELD(font, ce_font, format) ? CE_CONTINUE : CE_STOP;
}
static ce_next on_window(const ce_window *window, void *ctx) {
  (void)ctx;
  return CE_HAS_FIELD(window, ce_window, focused) && window->focused
             ? CE_STOP
             : CE_CONTINUE;
}
static ce_next on_printer(const ce_printer *printer, void *ctx) {
  (void)ctx;
  return CE_HAS_FIELD(printer, ce_printer, instance) ? CE_CONTINUE : CE_STOP;
}
static ce_next on_backend(const ce_backend *backend, void *ctx) {
  ++*(int *)ctx;
  return backend->name[0] != '\0' ? CE_CONTINUE : CE_STOP;
}

int main(void) {
  ce_font_query fonts = CE_FONT_QUERY_INIT;
  ce_window_query windows = CE_WINDOW_QUERY_INIT;
  ce_printer_query printers = CE_PRINTER_QUERY_INIT;
  ce_font_fn font_fn = on_font;
  ce_window_fn window_fn = on_window;
  ce_printer_fn printer_fn = on_printer;
  ce_status status = CE_E_BACKEND;
  ce_slant slant = CE_SLANT_OBLIQUE;
  ce_printer_state state = CE_PRINTER_STOPPED;
  ce_windows_backend backend = CE_WINDOWS_WAYLAND;
  char version[32];
  int backends = 0;

  (void)font_fn;
  (void)window_fn;
  (void)printer_fn;
  snprintf(version, sizeof version, "%d.%d.%d", CE_VERSION_MAJOR,
           CE_VERSION_MINOR, CE_VERSION_PATCH);
  if (strcmp(version, ce_version_string()) != 0) {
    fprintf(stderr, "header %s, library %s\n", version, ce_version_string());
    return 1;
  }
  if (fonts.size != sizeof fonts || windows.size != sizeof windows ||
      printers.size != sizeof printers || windows.backend != CE_WINDOWS_AUTO ||
      CE_DEFAULT_TIMEOUT_MS != 5000u || slant != 2 || state != 2 ||
      backend != 2 || CE_DESKTOP_ALL != -1 || CE_DESKTOP_UNKNOWN != -2)
    return 1;
  if (strcmp(ce_status_name(status), "CE_E_BACKEND") != 0 ||
      ce_strerror(CE_OK)[0] == '\0' || ce_error_detail() == NULL)
    return 1;
  if (ce_enum_backends(on_backend, &backends) != CE_OK || backends == 0)
    return 1;
  printf("cenum %s, %d backends\n", ce_version_string(), backends);
  return 0;
}
