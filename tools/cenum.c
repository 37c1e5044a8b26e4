/* SPDX-License-Identifier: MIT */
/*
 * cenum: lists the windows, printers or fonts of this machine as a table or
 * as JSON Lines. It uses only the public API in <cenum.h>.
 */
#include <cenum.h>

#include "output.h"
#include "records.h"
#include "watch.h"

#include <errno.h>
#include <stddef.h>
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
  uint64_t fields; /* ce_window_query.fields */
  unsigned timeout_ms;
} options;

/* The kinds the command lists, with what each lists. */
static const struct {
  const char *name;
  const char *what;
} kinds[] = {
    {"fonts", "the installed font faces"},
    {"printers", "the print queues (and their instances)"},
    {"windows", "the top-level windows"},
};
#define KIND_COUNT (sizeof kinds / sizeof kinds[0])

static int usage_error(const char *format, const char *argument);
static int set_family(options *o, const char *value);
static int set_backend(options *o, const char *value);
static int set_fields(options *o, const char *value);
static int set_timeout(options *o, const char *value);

/*
 * Every option: its name, the kind it is for (NULL: every kind), for an
 * option that takes a value its placeholder and the function that takes it
 * (as `--name VALUE` or `--name=VALUE`), else the flag it sets. The usage
 * and help texts are made from this table.
 */
typedef struct option_spec {
  const char *name;
  const char *kind;
  const char *value;
  int (*take)(options *o, const char *value);
  size_t flag; /* offsetof the bool in options, for a flag */
  const char *help;
} option_spec;

static const option_spec option_specs[] = {
    {"--json", NULL, NULL, NULL, offsetof(options, json),
     "JSON Lines: one object per record, every field"},
    {"--family", "fonts", "NAME", set_family, 0,
     "only faces of this family: case and blanks ignored on\n"
     "Linux (as fontconfig compares), case on Windows (as GDI)"},
    {"--monospace", "fonts", NULL, NULL, offsetof(options, monospace),
     "only monospace faces"},
    {"--discover", "printers", NULL, NULL, offsetof(options, discover),
     "also printers found by network discovery"},
    {"--visible", "windows", NULL, NULL, offsetof(options, visible),
     "only windows on screen (shown and not minimized)"},
    {"--apps", "windows", NULL, NULL, offsetof(options, apps),
     "only what a task bar shows"},
    {"--backend", "windows", "auto|x11|wayland|win32", set_backend, 0,
     "which window backend lists the windows (default auto; the\n"
     "environment variable CENUM_WINDOWS sets it too)"},
    {"--fields", "windows", "LIST", set_fields, 0,
     "only these fields, comma-separated (title, class, pid,\n"
     "geometry, desktop, visible, minimized, managed,\n"
     "transient_for, focused); the others are reported unknown"},
    {"--timeout", NULL, "MS", set_timeout, 0,
     "longest wait for the service (default 5000)"},
};
#define OPTION_COUNT (sizeof option_specs / sizeof option_specs[0])

static bool option_applies(const option_spec *spec, const char *kind) {
  return spec->kind == NULL || strcmp(spec->kind, kind) == 0;
}

/* "cenum fonts    [--json] [--family NAME] ...", wrapped, for `kind`;
 * `pad` aligns the kinds under each other. */
static void print_usage_line(FILE *out, const char *lead, const char *kind,
                             int pad) {
  int column = fprintf(out, "%scenum %-*s", lead, pad, kind);
  int indent = column;
  for (size_t i = 0; i < OPTION_COUNT; i++) {
    const option_spec *spec = &option_specs[i];
    char item[96];
    int len;
    if (!option_applies(spec, kind))
      continue;
    len = snprintf(item, sizeof item, " [%s%s%s]", spec->name,
                   spec->value ? " " : "", spec->value ? spec->value : "");
    if (column + len > 78) {
      column = fprintf(out, "\n%*s", indent, "") - 1;
    }
    column += fprintf(out, "%s", item);
  }
  fputc('\n', out);
}

/* The options of `kind` (NULL: every option), each with its help in a
 * column of its own (below a name too long for the first). */
static void print_options(FILE *out, const char *kind) {
  enum { HELP_COLUMN = 18 };
  for (size_t i = 0; i < OPTION_COUNT; i++) {
    const option_spec *spec = &option_specs[i];
    const char *help = spec->help;
    int len;
    if (kind != NULL && !option_applies(spec, kind))
      continue;
    len = fprintf(out, "  %s%s%s", spec->name, spec->value ? " " : "",
                  spec->value ? spec->value : "");
    if (len >= HELP_COLUMN) {
      fputc('\n', out);
      len = 0;
    }
    fprintf(out, "%*s", HELP_COLUMN - len, "");
    while (*help != '\0') {
      size_t line = strcspn(help, "\n");
      fprintf(out, "%.*s\n", (int)line, help);
      help += line;
      if (*help == '\n' && *++help != '\0')
        fprintf(out, "%*s", HELP_COLUMN, "");
    }
  }
}

static const char exit_text[] =
    "Exit status: 0 success (also when nothing is found), 1 error, 2 bad\n"
    "usage, 3 service unavailable, 4 timeout.\n";

static void print_help(FILE *out) {
  for (size_t k = 0; k < KIND_COUNT; k++)
    print_usage_line(out, k == 0 ? "usage: " : "       ", kinds[k].name, 8);
  fputs("       cenum watch fonts|printers|windows [--json] [options]\n"
        "       cenum fonts|printers|windows --help\n"
        "       cenum --help | --version\n"
        "\n"
        "Lists the installed fonts, the print queues or the top-level windows "
        "of\n"
        "this machine, as a table or, with --json, as JSON Lines (one object "
        "per\n"
        "record). An option's value may also follow it after '=', as in\n"
        "--timeout=500.\n"
        "\n",
        out);
  print_options(out, NULL);
  fprintf(out,
          "\n%s\n--version also lists the backends of this build and "
          "whether each can\nserve now.\n",
          exit_text);
}

static void print_kind_help(FILE *out, size_t k) {
  print_usage_line(out, "usage: ", kinds[k].name, 0);
  fprintf(out,
          "\nLists %s of this machine, as a table or, with --json,\n"
          "as JSON Lines. An option's value may also follow it after '=',\n"
          "as in --timeout=500.\n\n",
          kinds[k].what);
  print_options(out, kinds[k].name);
  fprintf(out, "\n%s", exit_text);
}

static int usage_error(const char *format, const char *argument) {
  fputs("cenum: ", stderr);
  fprintf(stderr, format, argument);
  fputs("\nTry 'cenum --help'.\n", stderr);
  return EXIT_USAGE;
}

/* Whether the command lists `kind`. */
static bool lists(const options *o, const char *kind) {
  return strcmp(o->kind, kind) == 0;
}

static int set_family(options *o, const char *value) {
  o->family = value;
  return EXIT_OK;
}

static int set_timeout(options *o, const char *text) {
  char *end;
  unsigned long value;
  errno = 0;
  value = strtoul(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || text[0] == '-' ||
      value == 0 || value > 3600000ul)
    return usage_error("--timeout takes milliseconds from 1 to 3600000, "
                       "not '%s'",
                       text);
  o->timeout_ms = (unsigned)value;
  return EXIT_OK;
}

/* The names --backend takes, in ce_windows_backend's order. */
static const char *const backend_names[] = {"auto", "x11", "wayland", "win32"};

static int set_backend(options *o, const char *text) {
  for (size_t i = 0; i < sizeof backend_names / sizeof backend_names[0]; i++)
    if (strcmp(text, backend_names[i]) == 0) {
      o->backend = (ce_windows_backend)i;
      return EXIT_OK;
    }
  return usage_error("--backend takes auto, x11, wayland or win32, not '%s'",
                     text);
}

/* The names --fields takes, each with its ce_window_query.fields bit. */
static const struct {
  const char *name;
  uint64_t bit;
} field_names[] = {{"title", CE_WINDOW_FIELD_TITLE},
                   {"class", CE_WINDOW_FIELD_CLASS},
                   {"pid", CE_WINDOW_FIELD_PID},
                   {"geometry", CE_WINDOW_FIELD_GEOMETRY},
                   {"desktop", CE_WINDOW_FIELD_DESKTOP},
                   {"visible", CE_WINDOW_FIELD_VISIBLE},
                   {"minimized", CE_WINDOW_FIELD_MINIMIZED},
                   {"managed", CE_WINDOW_FIELD_MANAGED},
                   {"transient_for", CE_WINDOW_FIELD_TRANSIENT_FOR},
                   {"focused", CE_WINDOW_FIELD_FOCUSED}};

static int set_fields(options *o, const char *text) {
  const char *p = text;
  o->fields = 0;
  while (*p != '\0') {
    size_t len = strcspn(p, ","), i;
    for (i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
      if (strlen(field_names[i].name) == len &&
          strncmp(p, field_names[i].name, len) == 0)
        break;
    if (i == sizeof field_names / sizeof field_names[0])
      return usage_error("--fields takes title, class, pid, geometry, "
                         "desktop, visible, minimized, managed, "
                         "transient_for and focused, not '%s'",
                         text);
    o->fields |= field_names[i].bit;
    p += len;
    if (*p == ',')
      p++;
  }
  if (o->fields == 0)
    return usage_error("--fields needs at least one field, not '%s'", text);
  return EXIT_OK;
}

/* The option `arg` names for this kind ("--family" or "--family=NAME"),
 * with `*inline_value` set to what follows its '=' (NULL when none). */
static const option_spec *find_option(const options *o, const char *arg,
                                      const char **inline_value) {
  size_t len = strcspn(arg, "=");
  *inline_value = arg[len] == '=' ? arg + len + 1 : NULL;
  for (size_t i = 0; i < OPTION_COUNT; i++)
    if (strlen(option_specs[i].name) == len &&
        strncmp(arg, option_specs[i].name, len) == 0 &&
        option_applies(&option_specs[i], o->kind))
      return &option_specs[i];
  return NULL;
}

/* EXIT_OK to list; EXIT_USAGE after the message; -1 after a kind's help. */
static int parse(int argc, char **argv, options *o) {
  size_t k = 0;
  memset(o, 0, sizeof *o);
  if (argc < 2)
    return usage_error("%s", "say what to list: fonts, printers or windows");
  o->kind = argv[1];
  while (k < KIND_COUNT && strcmp(o->kind, kinds[k].name) != 0)
    k++;
  if (k == KIND_COUNT)
    return usage_error("unknown command '%s'", o->kind);

  for (int i = 2; i < argc; i++) {
    const char *arg = argv[i], *value;
    const option_spec *spec;
    int status;
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      print_kind_help(stdout, k);
      return -1;
    }
    spec = find_option(o, arg, &value);
    if (spec == NULL) {
      fprintf(stderr, "cenum: %s: unknown option '%s'\n", o->kind, arg);
      fprintf(stderr, "Try 'cenum %s --help'.\n", o->kind);
      return EXIT_USAGE;
    }
    if (spec->take == NULL) {
      if (value != NULL)
        return usage_error("%s takes no value", spec->name);
      *(bool *)(void *)((char *)o + spec->flag) = true;
      continue;
    }
    if (value == NULL) {
      if (++i == argc)
        return usage_error("%s needs a value", spec->name);
      value = argv[i];
    }
    if ((status = spec->take(o, value)) != EXIT_OK)
      return status;
  }
  return EXIT_OK;
}

static void print_header(const options *o);

/* Stops the enumeration when stdout fails (a closed pipe, a full disk). */
static ce_next next_unless_write_failed(void) {
  return ferror(stdout) ? CE_STOP : CE_CONTINUE;
}

static ce_next print_font(const ce_font *f, void *ctx) {
  const options *o = ctx;
  print_header(o);
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_font_fields(&line, f);
    json_end(&line);
  } else {
    text_cell(stdout, f->family, 28);
    putchar(' ');
    text_cell(stdout, f->style, 22);
    putchar(' ');
    number_cell(stdout, f->weight, 6);
    printf(" %-7s %-4s ", record_slant_name(f->slant),
           f->monospace ? "mono" : "-");
    text_cell(stdout, f->path, 0);
    putchar('\n');
  }
  return next_unless_write_failed();
}

/* The queue's name, "office/draft" for one of its instances. */
static void name_cell(const ce_printer *p, size_t width) {
  const char *instance =
      CE_HAS_FIELD(p, ce_printer, instance) ? p->instance : "";
  size_t size = strlen(p->name) + strlen(instance) + 2;
  char *name = instance[0] != '\0' ? malloc(size) : NULL;
  if (name == NULL) {
    text_cell(stdout, p->name, width);
    return;
  }
  snprintf(name, size, "%s/%s", p->name, instance);
  text_cell(stdout, name, width);
  free(name);
}

static ce_next print_printer(const ce_printer *p, void *ctx) {
  const options *o = ctx;
  print_header(o);
  if (o->json) {
    json_line line;
    json_begin(&line, stdout);
    json_printer_fields(&line, p);
    json_end(&line);
  } else {
    putchar(p->is_default ? '*' : ' ');
    name_cell(p, 24);
    printf(" %-10s %-9s ", record_state_name(p->state),
           p->accepting ? "accepting" : "rejecting");
    text_cell(stdout, p->info, 30);
    putchar(' ');
    text_cell(stdout, p->location, 24);
    putchar(' ');
    text_cell(stdout, p->state_message, 0);
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
    json_window_fields(&line, w);
    json_end(&line);
  } else {
    char geometry[64];
    snprintf(geometry, sizeof geometry, "%dx%d%+d%+d", w->width, w->height,
             w->x, w->y);
    printf("0x%08llx ", (unsigned long long)w->id);
    number_cell(stdout, w->pid, 7);
    printf(" %-20s %c%c%c ", geometry, w->visible ? 'v' : '-',
           w->minimized ? 'm' : '-', w->managed ? 'w' : '-');
    text_cell(stdout, w->class_name, 16);
    putchar(' ');
    text_cell(stdout, w->title, 0);
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
  if (lists(o, "fonts"))
    printf("%-28s %-22s %6s %-7s %-4s %s\n", "FAMILY", "STYLE", "WEIGHT",
           "SLANT", "MONO", "PATH");
  else if (lists(o, "printers"))
    printf(" %-24s %-10s %-9s %-30s %-24s %s\n", "NAME", "STATE", "JOBS",
           "INFO", "LOCATION", "MESSAGE");
  else
    printf("%-10s %7s %-20s %-3s %-16s %s\n", "ID", "PID", "GEOMETRY", "VMW",
           "CLASS", "TITLE");
}

static int list(const options *o) {
  unsigned timeout = o->timeout_ms;
  if (lists(o, "fonts")) {
    ce_font_query q = CE_FONT_QUERY_INIT;
    q.timeout_ms = timeout;
    q.family = o->family;
    q.monospace_only = o->monospace;
    return ce_enum_fonts_ex(&q, print_font, (void *)o);
  }
  if (lists(o, "printers")) {
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
    q.fields = o->fields;
    return ce_enum_windows_ex(&q, print_window, (void *)o);
  }
}

/* One line of --version: "windows  x11      available", or why not. */
static ce_next print_backend(const ce_backend *b, void *ctx) {
  (void)ctx;
  printf("%-8s %-10s %s", b->kind, b->name,
         b->available ? "available" : "unavailable: ");
  if (!b->available)
    text_cell(stdout, b->detail, 0);
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
    print_help(stdout);
    return EXIT_OK;
  }
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("cenum %s\n", ce_version_string());
    ce_enum_backends(print_backend, NULL);
    return EXIT_OK;
  }
  status = parse(argc, argv, &o);
  if (status < 0)
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
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
    text_cell(stderr, detail, 0);
    fputc('\n', stderr);
    return exit_status_for(status);
  }
  return EXIT_OK;
}
