/*
 * cenum: lists the windows, printers or fonts of this machine as a table or
 * as JSON Lines. It uses only the public API in <cenum.h>.
 */
#include <cenum.h>

#include "output.h"
#include "watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>

/* Everything cenum prints is UTF-8: a Windows console shows it as such only
 * with its output code page set so. The console is shared with the shell
 * that started us, so its code page is put back at exit. */
static UINT console_code_page;
static void restore_console(void) { SetConsoleOutputCP(console_code_page); }
static void console_utf8(void) {
  console_code_page = GetConsoleOutputCP();
  if (console_code_page != 0 && console_code_page != CP_UTF8 &&
      SetConsoleOutputCP(CP_UTF8))
    atexit(restore_console);
}
#endif

enum {
  EXIT_OK = 0,
  EXIT_ERROR = 1,
  EXIT_USAGE = 2,
  EXIT_UNAVAILABLE = 3,
  EXIT_TIMEOUT = 4
};

static const char usage_text[] =
    "usage: cenum fonts    [--json] [--family NAME] [--monospace]\n"
    "       cenum printers [--json] [--discover] [--timeout MS]\n"
    "       cenum windows  [--json] [--visible] [--apps] [--timeout MS]\n"
    "                      [--backend auto|x11|wayland|win32]\n"
    "       cenum --help | --version\n"
    "\n"
    "Lists the installed fonts, the print queues or the top-level windows of\n"
    "this machine, as a table or, with --json, as JSON Lines (one object per\n"
    "record).\n"
    "\n"
    "  --family NAME  only faces of this family (exact, case-insensitive)\n"
    "  --monospace    only monospace faces\n"
    "  --discover     also printers found by network discovery\n"
    "  --visible      only mapped, viewable windows\n"
    "  --apps         only what a task bar shows\n"
    "  --backend NAME which window backend lists the windows (default auto;\n"
    "                 the environment variable CENUM_WINDOWS sets it too)\n"
    "  --timeout MS   longest wait for the service (default 5000)\n"
    "\n"
    "Exit status: 0 success (also when nothing is found), 1 error, 2 bad\n"
    "usage, 3 service unavailable, 4 timeout.\n"
    "\n"
    "--version also lists the backends of this build and whether each can\n"
    "serve now.\n";

/* What the command line asked for. */
typedef struct options {
  const char *kind;
  bool json;
  const char *family;
  bool monospace;
  bool discover;
  bool visible;
  bool apps;
  ce_windows_backend backend;
  unsigned timeout_ms;
} options;

static int usage_error(const char *format, const char *argument) {
  fputs("cenum: ", stderr);
  fprintf(stderr, format, argument);
  fputs("\nTry 'cenum --help'.\n", stderr);
  return EXIT_USAGE;
}

/* Whether the command lists `kind` (an option for another kind is a usage
 * error). */
static bool option_for(const options *o, const char *kind) {
  return strcmp(o->kind, kind) == 0;
}

static int parse_timeout(const char *text, unsigned *out) {
  char *end;
  unsigned long value;
  errno = 0;
  value = strtoul(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-' ||
      value == 0 || value > 3600000ul)
    return -1;
  *out = (unsigned)value;
  return 0;
}

/* The names --backend takes, in ce_windows_backend's order. */
static const char *const backend_names[] = {"auto", "x11", "wayland", "win32"};

static int parse_backend(const char *text, ce_windows_backend *out) {
  for (size_t i = 0; i < sizeof backend_names / sizeof backend_names[0]; i++)
    if (strcmp(text, backend_names[i]) == 0) {
      *out = (ce_windows_backend)i;
      return 0;
    }
  return -1;
}

static int parse(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  if (argc < 2)
    return usage_error("%s", "say what to list: fonts, printers or windows");
  o->kind = argv[1];
  if (strcmp(o->kind, "fonts") != 0 && strcmp(o->kind, "printers") != 0 &&
      strcmp(o->kind, "windows") != 0)
    return usage_error("unknown command '%s'", o->kind);

  for (int i = 2; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--json") == 0) {
      o->json = true;
    } else if (strcmp(arg, "--family") == 0 && option_for(o, "fonts")) {
      if (++i == argc)
        return usage_error("%s needs a value", arg);
      o->family = argv[i];
    } else if (strcmp(arg, "--monospace") == 0 && option_for(o, "fonts")) {
      o->monospace = true;
    } else if (strcmp(arg, "--discover") == 0 && option_for(o, "printers")) {
      o->discover = true;
    } else if (strcmp(arg, "--visible") == 0 && option_for(o, "windows")) {
      o->visible = true;
    } else if (strcmp(arg, "--apps") == 0 && option_for(o, "windows")) {
      o->apps = true;
    } else if (strcmp(arg, "--backend") == 0 && option_for(o, "windows")) {
      if (++i == argc)
        return usage_error("%s needs a value", arg);
      if (parse_backend(argv[i], &o->backend) != 0)
        return usage_error("--backend takes auto, x11, wayland or win32, "
                           "not '%s'",
                           argv[i]);
    } else if (strcmp(arg, "--timeout") == 0) {
      if (++i == argc)
        return usage_error("%s needs a value", arg);
      if (parse_timeout(argv[i], &o->timeout_ms) != 0)
        return usage_error("--timeout takes milliseconds from 1 to 3600000, "
                           "not '%s'",
                           argv[i]);
    } else {
      fprintf(stderr, "cenum: %s: unknown option '%s'\n", o->kind, arg);
      fputs("Try 'cenum --help'.\n", stderr);
      return EXIT_USAGE;
    }
  }
  return EXIT_OK;
}

static void print_header(const options *o);

/* Stops the enumeration when stdout fails (a closed pipe, a full disk). */
static ce_next next_unless_write_failed(void) {
  return ferror(stdout) ? CE_STOP : CE_CONTINUE;
}

static const char *slant_name(ce_slant slant) {
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

static ce_next print_font(const ce_font *f, void *ctx) {
  const options *o = ctx;
  print_header(o);
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_string(&line, "family", f->family);
    json_string(&line, "style", f->style);
    json_string(&line, "fullname", f->fullname);
    json_string(&line, "postscript_name", f->postscript_name);
    json_string(&line, "path", f->path);
    json_int(&line, "index", f->index);
    if (f->weight < 0)
      json_null(&line, "weight");
    else
      json_int(&line, "weight", f->weight);
    if (f->width < 0)
      json_null(&line, "width");
    else
      json_int(&line, "width", f->width);
    json_string(&line, "slant", slant_name(f->slant));
    json_bool(&line, "monospace", f->monospace);
    json_bool(&line, "scalable", f->scalable);
    json_string(&line, "format", f->format);
    json_end(&line);
  } else {
    text_write(stdout, f->family, 28);
    putchar(' ');
    text_write(stdout, f->style, 22);
    printf(" %6d %-7s %-4s ", f->weight, slant_name(f->slant),
           f->monospace ? "mono" : "-");
    text_write(stdout, f->path, 0);
    putchar('\n');
  }
  return next_unless_write_failed();
}

static const char *state_name(ce_printer_state state) {
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

static ce_next print_printer(const ce_printer *p, void *ctx) {
  const options *o = ctx;
  print_header(o);
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_string(&line, "name", p->name);
    json_string(&line, "info", p->info);
    json_string(&line, "location", p->location);
    json_string(&line, "make_model", p->make_model);
    json_string(&line, "uri", p->uri);
    json_bool(&line, "default", p->is_default);
    json_string(&line, "state", state_name(p->state));
    json_string(&line, "state_message", p->state_message);
    json_string_array(&line, "state_reasons", p->state_reasons,
                      p->state_reason_count);
    json_bool(&line, "accepting", p->accepting);
    json_bool(&line, "shared", p->shared);
    json_bool(&line, "discovered", p->discovered);
    json_string(&line, "instance",
                CE_HAS_FIELD(p, ce_printer, instance) ? p->instance : "");
    json_end(&line);
  } else {
    putchar(p->is_default ? '*' : ' ');
    text_write(stdout, p->name, 24);
    printf(" %-10s %-9s ", state_name(p->state),
           p->accepting ? "accepting" : "rejecting");
    text_write(stdout, p->info, 30);
    putchar(' ');
    text_write(stdout, p->location, 0);
    putchar('\n');
  }
  return next_unless_write_failed();
}

static ce_next print_window(const ce_window *w, void *ctx) {
  const options *o = ctx;
  print_header(o);
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_int(&line, "id", (int64_t)w->id);
    json_string(&line, "title", w->title);
    json_string(&line, "class", w->class_name);
    json_string(&line, "instance", w->instance);
    if (w->pid < 0)
      json_null(&line, "pid");
    else
      json_int(&line, "pid", w->pid);
    json_string(&line, "exe", w->exe);
    json_int(&line, "x", w->x);
    json_int(&line, "y", w->y);
    json_int(&line, "width", w->width);
    json_int(&line, "height", w->height);
    if (w->desktop == CE_DESKTOP_UNKNOWN)
      json_null(&line, "desktop");
    else
      json_int(&line, "desktop", w->desktop);
    json_bool(&line, "visible", w->visible);
    json_bool(&line, "minimized", w->minimized);
    json_bool(&line, "managed", w->managed);
    if (CE_HAS_FIELD(w, ce_window, focused)) {
      json_int(&line, "transient_for", (int64_t)w->transient_for);
      json_bool(&line, "focused", w->focused);
    }
    json_end(&line);
  } else {
    char geometry[64];
    snprintf(geometry, sizeof geometry, "%dx%d%+d%+d", w->width, w->height,
             w->x, w->y);
    printf("0x%08llx %7lld %-20s %c%c%c ", (unsigned long long)w->id,
           (long long)w->pid, geometry, w->visible ? 'v' : '-',
           w->minimized ? 'm' : '-', w->managed ? 'w' : '-');
    text_write(stdout, w->class_name, 16);
    putchar(' ');
    text_write(stdout, w->title, 0);
    putchar('\n');
  }
  return next_unless_write_failed();
}

/* The table's header, printed before the first row: a failed enumeration
 * prints nothing on stdout. */
static void print_header(const options *o) {
  static bool printed;
  if (o->json || printed)
    return;
  printed = true;
  if (option_for(o, "fonts"))
    printf("%-28s %-22s %6s %-7s %-4s %s\n", "FAMILY", "STYLE", "WEIGHT",
           "SLANT", "MONO", "PATH");
  else if (option_for(o, "printers"))
    printf(" %-24s %-10s %-9s %-30s %s\n", "NAME", "STATE", "JOBS", "INFO",
           "LOCATION");
  else
    printf("%-10s %7s %-20s %-3s %-16s %s\n", "ID", "PID", "GEOMETRY", "VMW",
           "CLASS", "TITLE");
}

static int list(const options *o) {
  unsigned timeout = o->timeout_ms;
  if (option_for(o, "fonts")) {
    ce_font_query q = CE_FONT_QUERY_INIT;
    q.timeout_ms = timeout;
    q.family = o->family;
    q.monospace_only = o->monospace;
    return ce_enum_fonts_ex(&q, print_font, (void *)o);
  }
  if (option_for(o, "printers")) {
    ce_printer_query q = CE_PRINTER_QUERY_INIT;
    q.timeout_ms = timeout;
    q.include_discovered = o->discover;
    return ce_enum_printers_ex(&q, print_printer, (void *)o);
  }
  {
    ce_window_query q = CE_WINDOW_QUERY_INIT;
    q.timeout_ms = timeout;
    q.visible_only = o->visible;
    q.apps_only = o->apps;
    q.backend = o->backend;
    return ce_enum_windows_ex(&q, print_window, (void *)o);
  }
}

/* One line of --version: "windows  x11      available", or why not. */
static ce_next print_backend(const ce_backend *b, void *ctx) {
  (void)ctx;
  printf("%-8s %-10s %s", b->kind, b->name,
         b->available ? "available" : "unavailable: ");
  if (!b->available)
    text_write(stdout, b->detail, 0);
  putchar('\n');
  return CE_CONTINUE;
}

static int exit_status_for(int status) {
  switch (status) {
  case CE_OK:
    return EXIT_OK;
  case CE_E_INVALID:
    return EXIT_USAGE;
  case CE_E_UNAVAILABLE:
    return EXIT_UNAVAILABLE;
  case CE_E_TIMEOUT:
    return EXIT_TIMEOUT;
  }
  return EXIT_ERROR;
}

int main(int argc, char **argv) {
  options o;
  int status;

#ifdef _WIN32
  console_utf8();
#endif
  if (argc >= 2 && strcmp(argv[1], "watch") == 0)
    return cenum_watch(argc - 1, argv + 1);
  if (argc == 2 &&
      (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(usage_text, stdout);
    return EXIT_OK;
  }
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("cenum %s\n", ce_version_string());
    ce_enum_backends(print_backend, NULL);
    return EXIT_OK;
  }
  status = parse(argc, argv, &o);
  if (status != EXIT_OK)
    return status;

  status = list(&o);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "cenum: %s: cannot write the output: %s\n", o.kind,
            strerror(errno));
    return EXIT_ERROR;
  }
  if (status < 0) {
    /* The detail may quote a server's message: escaped like a record. */
    const char *detail = ce_error_detail();
    fprintf(stderr, "cenum: %s: %s%s", o.kind, ce_strerror(status),
            detail[0] ? ": " : "");
    text_write(stderr, detail, 0);
    fputc('\n', stderr);
    return exit_status_for(status);
  }
  return EXIT_OK;
}
