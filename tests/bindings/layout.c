/* SPDX-License-Identifier: MIT */
/*
 * Prints the layout of every record and query of <cenum.h> as the C
 * compiler lays it out, as one JSON object:
 *   {"ce_window": {"sizeof": 96, "fields": {"size": [0, 8], ...}}, ...}
 * The bindings' tests compare their own declarations (ctypes structures,
 * C# StructLayout structs) with it field by field, so a binding can never
 * drift from the header it binds.
 */
#include <cenum.h>

#include <stdio.h>

static int first_struct = 1, first_field;

static void begin(const char *name, size_t size) {
  printf("%s\"%s\": {\"sizeof\": %zu, \"fields\": {", first_struct ? "" : ", ",
         name, size);
  first_struct = 0;
  first_field = 1;
}

static void field(const char *name, size_t offset, size_t size) {
  printf("%s\"%s\": [%zu, %zu]", first_field ? "" : ", ", name, offset, size);
  first_field = 0;
}

static void end(void) { printf("}}"); }

#define FIELD(type, name)                                                      \
  field(#name, offsetof(type, name), sizeof(((type *)0)->name))

int main(void) {
  printf("{");
  begin("ce_font", sizeof(ce_font));
  FIELD(ce_font, size);
  FIELD(ce_font, family);
  FIELD(ce_font, style);
  FIELD(ce_font, fullname);
  FIELD(ce_font, postscript_name);
  FIELD(ce_font, path);
  FIELD(ce_font, index);
  FIELD(ce_font, weight);
  FIELD(ce_font, width);
  FIELD(ce_font, slant);
  FIELD(ce_font, monospace);
  FIELD(ce_font, scalable);
  FIELD(ce_font, format);
  end();
  begin("ce_font_query", sizeof(ce_font_query));
  FIELD(ce_font_query, size);
  FIELD(ce_font_query, timeout_ms);
  FIELD(ce_font_query, cancel);
  FIELD(ce_font_query, family);
  FIELD(ce_font_query, monospace_only);
  end();
  begin("ce_window", sizeof(ce_window));
  FIELD(ce_window, size);
  FIELD(ce_window, id);
  FIELD(ce_window, title);
  FIELD(ce_window, class_name);
  FIELD(ce_window, instance);
  FIELD(ce_window, pid);
  FIELD(ce_window, exe);
  FIELD(ce_window, x);
  FIELD(ce_window, y);
  FIELD(ce_window, width);
  FIELD(ce_window, height);
  FIELD(ce_window, desktop);
  FIELD(ce_window, visible);
  FIELD(ce_window, minimized);
  FIELD(ce_window, managed);
  FIELD(ce_window, transient_for);
  FIELD(ce_window, focused);
  end();
  begin("ce_window_query", sizeof(ce_window_query));
  FIELD(ce_window_query, size);
  FIELD(ce_window_query, timeout_ms);
  FIELD(ce_window_query, cancel);
  FIELD(ce_window_query, visible_only);
  FIELD(ce_window_query, apps_only);
  FIELD(ce_window_query, x11_display);
  FIELD(ce_window_query, backend);
  FIELD(ce_window_query, fields);
  end();
  begin("ce_printer", sizeof(ce_printer));
  FIELD(ce_printer, size);
  FIELD(ce_printer, name);
  FIELD(ce_printer, info);
  FIELD(ce_printer, location);
  FIELD(ce_printer, make_model);
  FIELD(ce_printer, uri);
  FIELD(ce_printer, is_default);
  FIELD(ce_printer, state);
  FIELD(ce_printer, state_message);
  FIELD(ce_printer, state_reasons);
  FIELD(ce_printer, state_reason_count);
  FIELD(ce_printer, accepting);
  FIELD(ce_printer, shared);
  FIELD(ce_printer, discovered);
  FIELD(ce_printer, instance);
  end();
  begin("ce_printer_query", sizeof(ce_printer_query));
  FIELD(ce_printer_query, size);
  FIELD(ce_printer_query, timeout_ms);
  FIELD(ce_printer_query, cancel);
  FIELD(ce_printer_query, include_discovered);
  end();
  begin("ce_backend", sizeof(ce_backend));
  FIELD(ce_backend, size);
  FIELD(ce_backend, kind);
  FIELD(ce_backend, name);
  FIELD(ce_backend, available);
  FIELD(ce_backend, detail);
  end();
  printf("}\n");
  return 0;
}
