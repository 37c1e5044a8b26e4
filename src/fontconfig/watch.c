/* SPDX-License-Identifier: MIT */
/*
 * The fontconfig watch: inotify on every font directory of the
 * configuration (fontconfig lists the subdirectories it scanned too) and on
 * the directories of its configuration files; on a change, a configuration
 * of the watch's own, loaded afresh. The process's current configuration is
 * never touched, and nothing polls: with no change there is no wake-up.
 *
 * fontconfig trusts a directory's cache while the directory's mtime is
 * unchanged, but writing a file's contents does not change it: a font copied
 * in (created, then written) could be cached as a file that is not a font
 * yet, and never be seen. So the cache of each font directory a file event
 * named is removed (FcDirCacheUnlink, as fc-cache would rewrite it) before
 * the configuration is loaded again, which scans that directory afresh and
 * writes its cache anew. (FcDirCacheRescan would not do: it rescans only the
 * subdirectories and keeps the old cache's fonts.) A cache the user cannot
 * write (a system directory's, in /var/cache) stays as it is.
 */
#include "ce_fontconfig.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* What the watch needs of libfontconfig beyond the enumeration's table. */
#define CE__FCW_FUNCTIONS(XX, t)                                               \
  XX(t, FcInitLoadConfigAndFonts)                                              \
  XX(t, FcConfigGetFontDirs)                                                   \
  XX(t, FcConfigGetConfigFiles)                                                \
  XX(t, FcStrListNext)                                                         \
  XX(t, FcStrListDone)                                                         \
  XX(t, FcDirCacheUnlink)

static CE__LIBRARY_STRUCT(ce__fcw, CE__FCW_FUNCTIONS) ce__fcw;
CE__LIBRARY_SYMBOLS(ce__fcw, CE__FCW_FUNCTIONS);
static const char *const sonames[] = {"libfontconfig.so.1", NULL};
static ce__library library =
    CE__LIBRARY("fontconfig", sonames, ce__fcw_symbols);

/* The events that may change the faces: a file written, moved in or out,
 * deleted; a directory made, moved or deleted. A file's creation alone is
 * not one: it is followed by its IN_CLOSE_WRITE once written. */
#define FILE_EVENTS                                                            \
  (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |      \
   IN_ATTRIB)
#define SELF_EVENTS (IN_DELETE_SELF | IN_MOVE_SELF)

typedef struct watched {
  int wd;
  int font_dir; /* a font directory (else a configuration directory) */
  int dirty;    /* a file event named it since the last load */
  char *path;
} watched;

typedef struct source {
  int fd;           /* inotify */
  FcConfig *config; /* the watch's own, as last loaded */
  int stale;        /* `config` must be loaded again before listing */
  int started;      /* the first list was taken */
  watched *items;
  size_t count, capacity;
} source;

static watched *find_path(source *s, const char *path) {
  for (size_t i = 0; i < s->count; i++)
    if (strcmp(s->items[i].path, path) == 0)
      return &s->items[i];
  return NULL;
}

static watched *find_wd(source *s, int wd) {
  for (size_t i = 0; i < s->count; i++)
    if (s->items[i].wd == wd)
      return &s->items[i];
  return NULL;
}

/* Watches `path` unless it is already; *added tells whether it was new. A
 * directory that cannot be watched (gone, or no permission) is left out:
 * fontconfig cannot list fonts from it either. */
static int watch_path(source *s, const char *path, int font_dir, int *added) {
  watched *known = find_path(s, path);
  size_t n;
  int wd;

  if (known != NULL) {
    known->font_dir |= font_dir;
    return CE_OK;
  }
  wd = inotify_add_watch(s->fd, path, FILE_EVENTS | SELF_EVENTS | IN_ONLYDIR);
  if (wd < 0)
    return errno == ENOSPC
               ? ce__fail(CE_E_UNAVAILABLE,
                          "fontconfig: too many inotify watches (see "
                          "fs.inotify.max_user_watches)")
               : CE_OK;
  if (ce__grow((void **)&s->items, &s->capacity, s->count + 1, sizeof *s->items,
               "fontconfig", "watched directories") != CE_OK)
    return CE_E_NOMEM;
  n = strlen(path) + 1;
  if ((s->items[s->count].path = malloc(n)) == NULL)
    return ce__fail(CE_E_NOMEM, "fontconfig: out of memory");
  memcpy(s->items[s->count].path, path, n);
  s->items[s->count].wd = wd;
  s->items[s->count].font_dir = font_dir;
  s->items[s->count].dirty = 0;
  s->count++;
  *added = 1;
  return CE_OK;
}

/* Watches what the current configuration reads: each font directory, and
 * the directory of each configuration file (an editor replaces a file; a
 * new file in conf.d counts too). *added when something new is watched. */
static int watch_config(source *s, int *added) {
  FcStrList *dirs = ce__fcw.FcConfigGetFontDirs(s->config);
  FcStrList *files = ce__fcw.FcConfigGetConfigFiles(s->config);
  FcChar8 *item;
  int status = CE_OK;

  while (status == CE_OK && dirs != NULL &&
         (item = ce__fcw.FcStrListNext(dirs)) != NULL)
    status = watch_path(s, (const char *)item, 1, added);
  while (status == CE_OK && files != NULL &&
         (item = ce__fcw.FcStrListNext(files)) != NULL) {
    char dir[PATH_MAX];
    const char *slash = strrchr((const char *)item, '/');
    size_t len = slash ? (size_t)(slash - (const char *)item) : 0;
    if (len == 0 || len >= sizeof dir)
      continue;
    memcpy(dir, item, len);
    dir[len] = '\0';
    status = watch_path(s, dir, 0, added);
  }
  if (dirs != NULL)
    ce__fcw.FcStrListDone(dirs);
  if (files != NULL)
    ce__fcw.FcStrListDone(files);
  return status;
}

/* Loads the configuration afresh (the default files, FONTCONFIG_FILE
 * honoured), after rescanning the font directories files changed in. */
static int load(source *s) {
  FcConfig *config;
  int status;

  for (size_t i = 0; s->config != NULL && i < s->count; i++)
    if (s->items[i].dirty && s->items[i].font_dir)
      ce__fcw.FcDirCacheUnlink((const FcChar8 *)s->items[i].path, s->config);
  config = ce__fcw.FcInitLoadConfigAndFonts();
  if (config == NULL)
    return ce__fail(CE_E_UNAVAILABLE,
                    "fontconfig: cannot load its configuration");
  if ((status = ce__fc_check_loaded(config)) != CE_OK) {
    ce__fc.FcConfigDestroy(config);
    return status;
  }
  for (size_t i = 0; i < s->count; i++)
    s->items[i].dirty = 0;
  if (s->config != NULL)
    ce__fc.FcConfigDestroy(s->config);
  s->config = config;
  s->stale = 0;
  return CE_OK;
}

static void source_close(void *opaque) {
  source *s = opaque;
  for (size_t i = 0; i < s->count; i++)
    free(s->items[i].path);
  free(s->items);
  if (s->config != NULL)
    ce__fc.FcConfigDestroy(s->config);
  if (s->fd >= 0)
    close(s->fd);
  free(s);
}

static int source_open(const void *query, void **out, int *fd) {
  source *s;
  int status, added = 0;
  (void)query;

  if ((status = ce__fc_load()) != CE_OK ||
      (status = ce__library_load(&library)) != CE_OK)
    return status;
  if ((s = calloc(1, sizeof *s)) == NULL)
    return ce__fail(CE_E_NOMEM, "fontconfig: out of memory");
  s->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (s->fd < 0)
    status = ce__fail(CE_E_UNAVAILABLE, "fontconfig: inotify_init1: %s",
                      strerror(errno));
  else
    status = load(s);
  /* Watching starts before the first list, so no change is lost between. */
  if (status == CE_OK)
    status = watch_config(s, &added);
  if (status != CE_OK) {
    source_close(s);
    return status;
  }
  *out = s;
  *fd = s->fd;
  return CE_OK;
}

/* Whether an event's file is one of fontconfig's own caches, which it
 * writes while loading: never a reason to load again. */
static int is_cache_file(const struct inotify_event *event) {
  return event->len > 0 && strstr(event->name, ".cache-") != NULL;
}

static int source_drain(void *opaque, int *resync) {
  source *s = opaque;
  char buffer[16384]
      __attribute__((aligned(__alignof__(struct inotify_event))));

  for (;;) {
    ssize_t got = read(s->fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break; /* EAGAIN: all read */
    for (char *at = buffer; at < buffer + got;) {
      const struct inotify_event *event = (const void *)at;
      watched *w = find_wd(s, event->wd);
      at += sizeof *event + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        /* Events were lost: rescan everything. */
        for (size_t i = 0; i < s->count; i++)
          s->items[i].dirty = 1;
        *resync = s->stale = 1;
        continue;
      }
      if (w == NULL || is_cache_file(event))
        continue;
      if (event->mask & IN_IGNORED) {
        /* The directory is gone (or moved): watch it again if the next
         * configuration still has it. */
        free(w->path);
        *w = s->items[--s->count];
        *resync = s->stale = 1;
        continue;
      }
      if ((event->mask & IN_CREATE) && !(event->mask & IN_ISDIR))
        continue;
      if (event->mask & (FILE_EVENTS | SELF_EVENTS)) {
        w->dirty = 1;
        *resync = s->stale = 1;
      }
    }
  }
  return CE_OK;
}

static int source_list(void *opaque, const void *query, ce__record_fn fn,
                       void *ctx) {
  source *s = opaque;
  int status = CE_OK;
  if (s->stale)
    status = load(s);
  s->started = 1;
  return status != CE_OK ? status : ce__fc_list(s->config, query, fn.font, ctx);
}

/* A directory that appeared since the last load (a new font folder) is
 * watched now; what was copied into it before must be seen too, so it is
 * rescanned and the list taken again. */
static int source_settle(void *opaque, int *again) {
  source *s = opaque;
  size_t before = s->count;
  int added = 0, status = watch_config(s, &added);
  if (status == CE_OK && added && s->started) {
    for (size_t i = before; i < s->count; i++)
      s->items[i].dirty = 1;
    s->stale = 1;
    *again = 1;
  }
  return status;
}

const ce__watch_backend ce__fontconfig_watch = {
    "fontconfig", source_open,   source_drain, source_list,
    NULL,         source_settle, source_close};
