/* SPDX-License-Identifier: MIT */
/*
 * What libcups' own clients (lp, lpstat, print dialogs) decide on this
 * machine before they ask the server: the default destination, from the
 * environment and the lpoptions files, and the instances those files
 * define. Read once per enumeration: the files are small and the user's own.
 */
#include "ce_cups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The longest line read whole; the rest of a longer one is passed over. */
#define LINE_MAX_BYTES 4096

/*
 * Splits "queue[/instance]", the first `len` bytes of `text`, into `out`.
 * False when the queue is empty or a part does not fit: such a name names
 * no destination.
 */
static int split_name(const char *text, size_t len, ce__cups_dest_name *out) {
  const char *slash = memchr(text, '/', len);
  size_t queue_len = slash != NULL ? (size_t)(slash - text) : len;
  size_t instance_len = slash != NULL ? len - queue_len - 1 : 0;

  out->queue[0] = out->instance[0] = '\0';
  if (queue_len == 0 || queue_len >= sizeof out->queue ||
      instance_len >= sizeof out->instance)
    return 0;
  memcpy(out->queue, text, queue_len);
  out->queue[queue_len] = '\0';
  if (slash != NULL)
    memcpy(out->instance, slash + 1, instance_len);
  out->instance[instance_len] = '\0';
  return 1;
}

static int add_instance(ce__cups_local *local, const ce__cups_dest_name *name) {
  int status = ce__grow((void **)&local->instances, &local->instance_capacity,
                        local->instance_count + 1, sizeof *local->instances,
                        "CUPS", "instances");
  if (status == CE_OK)
    local->instances[local->instance_count++] = *name;
  return status;
}

/*
 * Reads one lpoptions file: each "Dest name[/instance] options" or
 * "Default name[/instance] options" line (the keyword in any case) names a
 * destination, an instance when it has one; the last Default line is the
 * file's default. A missing or unreadable file says nothing. CE_OK, or
 * CE_E_NOMEM with its detail.
 */
static int read_file(const char *path, ce__cups_local *local, int *has_default,
                     ce__cups_dest_name *default_dest) {
  char line[LINE_MAX_BYTES];
  int status = CE_OK;
  FILE *file = fopen(path, "re");

  if (file == NULL)
    return CE_OK;
  while (status == CE_OK && fgets(line, sizeof line, file) != NULL) {
    size_t keyword = strcspn(line, " \t\r\n");
    int is_default = keyword == 7 && strncasecmp(line, "Default", 7) == 0;
    int is_dest = keyword == 4 && strncasecmp(line, "Dest", 4) == 0;
    const char *name = line + keyword + strspn(line + keyword, " \t");
    ce__cups_dest_name dest;
    int named = (is_default || is_dest) &&
                split_name(name, strcspn(name, " \t\r\n"), &dest);

    if (strchr(line, '\n') == NULL) {
      /* Too long for the buffer: the rest is no line of its own. */
      int c;
      while ((c = fgetc(file)) != EOF && c != '\n')
        ;
    }
    if (is_default) {
      *has_default = 1;
      if (!named)
        dest.queue[0] = dest.instance[0] = '\0';
      *default_dest = dest;
    }
    if (named && dest.instance[0] != '\0')
      status = add_instance(local, &dest);
  }
  fclose(file);
  return status;
}

static int compare_names(const ce__cups_dest_name *a,
                         const ce__cups_dest_name *b) {
  int c = strcasecmp(a->queue, b->queue);
  return c != 0 ? c : strcasecmp(a->instance, b->instance);
}

static int by_name(const void *a, const void *b) { return compare_names(a, b); }

int ce__cups_local_read(ce__cups_local *local) {
  const char *env = getenv("LPDEST");
  const char *home = getenv("HOME");
  const char *server_root = getenv("CUPS_SERVERROOT");
  char path[4096];
  int status = CE_OK, system_default = 0, user_default = 0;
  ce__cups_dest_name system_dest, user_dest;
  size_t kept = 0;

  memset(local, 0, sizeof *local);
  /* The system's file, then the user's, whose default wins (libcups reads
   * them in that order). */
  if (server_root == NULL || server_root[0] == '\0')
    server_root = "/etc/cups";
  if ((size_t)snprintf(path, sizeof path, "%s/lpoptions", server_root) <
      sizeof path)
    status = read_file(path, local, &system_default, &system_dest);
  if (status == CE_OK && home != NULL && home[0] != '\0' &&
      (size_t)snprintf(path, sizeof path, "%s/.cups/lpoptions", home) <
          sizeof path)
    status = read_file(path, local, &user_default, &user_dest);
  if (status != CE_OK) {
    ce__cups_local_free(local);
    return status;
  }

  /* Each instance once, in lpstat -e's order. */
  if (local->instance_count > 0) {
    qsort(local->instances, local->instance_count, sizeof *local->instances,
          by_name);
    for (size_t i = 0; i < local->instance_count; i++)
      if (kept == 0 ||
          compare_names(&local->instances[kept - 1], &local->instances[i]) != 0)
        local->instances[kept++] = local->instances[i];
    local->instance_count = kept;
  }

  /* $LPDEST, set even to "", comes first; then $PRINTER unless it is "lp".
   * A name that is empty or fits no destination makes lp and lpstat -d
   * report a destination that does not exist: no default at all. */
  if (env == NULL && (env = getenv("PRINTER")) != NULL &&
      strcmp(env, "lp") == 0)
    env = NULL;
  if (env != NULL) {
    local->has_default = 1;
    split_name(env, strlen(env), &local->default_dest);
  } else if (user_default || system_default) {
    local->has_default = 1;
    local->default_dest = user_default ? user_dest : system_dest;
  }
  return CE_OK;
}

void ce__cups_local_free(ce__cups_local *local) {
  free(local->instances);
  local->instances = NULL;
  local->instance_count = local->instance_capacity = 0;
}

size_t ce__cups_instances_of(const ce__cups_local *local, const char *queue,
                             const ce__cups_dest_name **first) {
  size_t begin = 0, end = local->instance_count;
  /* Sorted by queue: the first of `queue`'s by bisection, then those that
   * follow it. */
  while (begin < end) {
    size_t middle = begin + (end - begin) / 2;
    if (strcasecmp(local->instances[middle].queue, queue) < 0)
      begin = middle + 1;
    else
      end = middle;
  }
  while (end < local->instance_count &&
         strcasecmp(local->instances[end].queue, queue) == 0)
    end++;
  *first = local->instances + begin;
  return end - begin;
}

int ce__cups_is_default(const ce__cups_local *local, const char *queue,
                        const char *instance) {
  const ce__cups_dest_name *first;
  size_t count;

  if (strcasecmp(local->default_dest.queue, queue) != 0)
    return 0;
  if (strcasecmp(local->default_dest.instance, instance) == 0)
    return 1;
  if (instance[0] != '\0')
    return 0;
  /* An instance no file defines is the queue with no options of its own,
   * which is what lp prints to: the queue is the default then. */
  count = ce__cups_instances_of(local, queue, &first);
  for (size_t i = 0; i < count; i++)
    if (strcasecmp(first[i].instance, local->default_dest.instance) == 0)
      return 0;
  return 1;
}
