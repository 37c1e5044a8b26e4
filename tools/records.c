/* SPDX-License-Identifier: MIT */
/* The JSON keys of each record (see records.h). */
#include "records.h"

const char *record_slant_name(ce_slant slant) {
  switch (slant) {
  case CE_SLANT_ITALIC:
    return "italic";
  case CE_SLANT_OBLIQUE:
    return "oblique";
  case CE_SLANT_ROMAN:
    break;
  }
  return "roman";
}

const char *record_state_name(ce_printer_state state) {
  switch (state) {
  case CE_PRINTER_PROCESSING:
    return "processing";
  case CE_PRINTER_STOPPED:
    return "stopped";
  case CE_PRINTER_IDLE:
    break;
  }
  return "idle";
}

/* An int that the record marks unknown with a negative value: null. */
static void int_or_null(json_line *line, const char *key, int64_t value,
                        int64_t unknown_below) {
  if (value < unknown_below)
    json_null(line, key);
  else
    json_int(line, key, value);
}

void json_font_fields(json_line *line, const ce_font *f) {
  json_string(line, "family", f->family);
  json_string(line, "style", f->style);
  json_string(line, "fullname", f->fullname);
  json_string(line, "postscript_name", f->postscript_name);
  json_string(line, "path", f->path);
  json_int(line, "index", f->index);
  int_or_null(line, "weight", f->weight, 0);
  int_or_null(line, "width", f->width, 0);
  json_string(line, "slant", record_slant_name(f->slant));
  json_bool(line, "monospace", f->monospace);
  json_bool(line, "scalable", f->scalable);
  json_string(line, "format", f->format);
}

void json_printer_fields(json_line *line, const ce_printer *p) {
  json_string(line, "name", p->name);
  json_string(line, "info", p->info);
  json_string(line, "location", p->location);
  json_string(line, "make_model", p->make_model);
  json_string(line, "uri", p->uri);
  json_bool(line, "default", p->is_default);
  json_string(line, "state", record_state_name(p->state));
  json_string(line, "state_message", p->state_message);
  json_string_array(line, "state_reasons", p->state_reasons,
                    p->state_reason_count);
  json_bool(line, "accepting", p->accepting);
  json_bool(line, "shared", p->shared);
  json_bool(line, "discovered", p->discovered);
  json_string(line, "instance",
              CE_HAS_FIELD(p, ce_printer, instance) ? p->instance : "");
}

void json_window_fields(json_line *line, const ce_window *w) {
  json_int(line, "id", (int64_t)w->id);
  json_string(line, "title", w->title);
  json_string(line, "class", w->class_name);
  json_string(line, "instance", w->instance);
  int_or_null(line, "pid", w->pid, 0);
  json_string(line, "exe", w->exe);
  json_int(line, "x", w->x);
  json_int(line, "y", w->y);
  json_int(line, "width", w->width);
  json_int(line, "height", w->height);
  if (w->desktop == CE_DESKTOP_UNKNOWN)
    json_null(line, "desktop");
  else
    json_int(line, "desktop", w->desktop);
  json_bool(line, "visible", w->visible);
  json_bool(line, "minimized", w->minimized);
  json_bool(line, "managed", w->managed);
  if (CE_HAS_FIELD(w, ce_window, focused)) {
    json_int(line, "transient_for", (int64_t)w->transient_for);
    json_bool(line, "focused", w->focused);
  }
}
