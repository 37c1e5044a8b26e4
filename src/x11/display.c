/* SPDX-License-Identifier: MIT */
/* Opening a display within the caller's deadline. */
#include "ce_x11_xcb.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * XOpenDisplay has no timeout: a server grabbed by another client does not
 * answer the connection setup until the grab ends, and a TCP host that
 * accepts and stays silent never does. So it runs on a thread of its own,
 * and the caller waits for it no longer than its deadline. A thread given up
 * on closes the display itself if it ever opens it, where blocking harms
 * nobody. The caller and the thread share this record; the last one out
 * frees it.
 */
typedef struct opening {
  pthread_mutex_t lock;
  pthread_cond_t finished;
  int refs; /* guarded by lock, as are the three below */
  int done, abandoned;
  Display *display;
  char name[]; /* the display name, copied */
} opening;

/* Drops one reference, with the lock held; unlocks. */
static void opening_release(opening *o) {
  int last = --o->refs == 0;
  pthread_mutex_unlock(&o->lock);
  if (last) {
    pthread_cond_destroy(&o->finished);
    pthread_mutex_destroy(&o->lock);
    free(o);
  }
}

static void *open_display_thread(void *data) {
  opening *o = data;
  Display *display = ce__x11_xlib.XOpenDisplay(o->name);
  int abandoned;
  pthread_mutex_lock(&o->lock);
  o->display = display;
  o->done = 1;
  abandoned = o->abandoned;
  pthread_cond_signal(&o->finished);
  opening_release(o);
  if (abandoned && display != NULL)
    ce__x11_xlib.XCloseDisplay(display);
  return NULL;
}

/* The deadline as an absolute CLOCK_MONOTONIC time, at most `slice_ms`
 * from now. */
static struct timespec wake_time(const ce__deadline *deadline,
                                 unsigned slice_ms) {
  unsigned left = ce__deadline_left_ms(deadline);
  unsigned ms = left < slice_ms ? left : slice_ms;
  struct timespec at;
  clock_gettime(CLOCK_MONOTONIC, &at);
  at.tv_sec += ms / 1000u;
  at.tv_nsec += (long)(ms % 1000u) * 1000000L;
  if (at.tv_nsec >= 1000000000L) {
    at.tv_sec++;
    at.tv_nsec -= 1000000000L;
  }
  return at;
}

int ce__x11_open_display(const char *name, const ce__deadline *deadline,
                         Display **out) {
  size_t size = strlen(name) + 1;
  opening *o = malloc(sizeof *o + size);
  pthread_condattr_t monotonic;
  pthread_attr_t detached;
  pthread_t thread;
  int started, status = CE_OK;

  *out = NULL;
  if (o == NULL)
    return ce__fail(CE_E_NOMEM, "X11: out of memory opening the display");
  memcpy(o->name, name, size);
  o->refs = 2;
  o->done = o->abandoned = 0;
  o->display = NULL;
  pthread_mutex_init(&o->lock, NULL);
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_init(&o->finished, &monotonic);
  pthread_condattr_destroy(&monotonic);
  pthread_attr_init(&detached);
  pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
  started = pthread_create(&thread, &detached, open_display_thread, o) == 0;
  pthread_attr_destroy(&detached);

  pthread_mutex_lock(&o->lock);
  if (!started) {
    /* No thread to spare: open it here, without the bound. */
    o->refs = 1;
    o->display = ce__x11_xlib.XOpenDisplay(name);
    o->done = 1;
  }
  while (!o->done && (status = ce__deadline_check(deadline, "X11")) == CE_OK) {
    struct timespec at = wake_time(deadline, CE__X11_POLL_SLICE_MS);
    pthread_cond_timedwait(&o->finished, &o->lock, &at);
  }
  if (o->done) {
    *out = o->display;
    status = CE_OK;
  } else {
    o->abandoned = 1;
    if (status == CE_E_TIMEOUT)
      ce__fail(status,
               "X11: display \"%s\" did not answer the connection within the "
               "timeout (is the server grabbed?)",
               name);
  }
  opening_release(o);
  return status;
}
