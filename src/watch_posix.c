/* SPDX-License-Identifier: MIT */
/*
 * The watch's platform part on Linux: its handle is an epoll descriptor
 * holding an eventfd of the watch's own and the backend's descriptor. The
 * eventfd is written when something is pending without the backend's
 * descriptor saying so (the first list, changes a callback left
 * undelivered) and when ce_watch_close must wake a dispatch blocked on
 * another thread. The dispatch state is guarded by a pthread mutex.
 */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct ce__watch_os {
  int wake_fd, epoll_fd;
  pthread_mutex_t lock;
  pthread_cond_t idle;
  pthread_t dispatcher; /* guarded by lock */
  int closing;          /* set under lock; read atomically elsewhere */
};

static int add_fd(int epoll_fd, int fd) {
  struct epoll_event event;
  memset(&event, 0, sizeof event);
  event.events = EPOLLIN;
  event.data.fd = fd;
  return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int ce__watch_os_open(ce__watch_os **out) {
  ce__watch_os *os = calloc(1, sizeof *os);
  *out = NULL;
  if (os == NULL)
    return ce__fail(CE_E_NOMEM, "watch: out of memory");
  pthread_mutex_init(&os->lock, NULL);
  pthread_cond_init(&os->idle, NULL);
  os->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  os->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  if (os->wake_fd < 0 || os->epoll_fd < 0 ||
      add_fd(os->epoll_fd, os->wake_fd)) {
    int status = ce__fail(CE_E_UNAVAILABLE, "watch: cannot make its handle: %s",
                          strerror(errno));
    ce__watch_os_close(os);
    return status;
  }
  *out = os;
  return CE_OK;
}

void ce__watch_os_close(ce__watch_os *os) {
  if (os == NULL)
    return;
  if (os->epoll_fd >= 0)
    close(os->epoll_fd);
  if (os->wake_fd >= 0)
    close(os->wake_fd);
  pthread_cond_destroy(&os->idle);
  pthread_mutex_destroy(&os->lock);
  free(os);
}

intptr_t ce__watch_os_handle(const ce__watch_os *os) {
  return (intptr_t)os->epoll_fd;
}

int ce__watch_os_add(ce__watch_os *os, int fd, const char *backend) {
  if (add_fd(os->epoll_fd, fd) != 0)
    return ce__fail(CE_E_UNAVAILABLE, "watch: cannot poll the %s source: %s",
                    backend, strerror(errno));
  return CE_OK;
}

/* The eventfd counts writes, so one more never fails short of 2^64. */
void ce__watch_os_wake(ce__watch_os *os) {
  uint64_t one = 1;
  while (write(os->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
    ;
}

void ce__watch_os_unwake(ce__watch_os *os) {
  uint64_t count;
  while (read(os->wake_fd, &count, sizeof count) < 0 && errno == EINTR)
    ;
}

int ce__watch_os_wait(ce__watch_os *os, unsigned timeout_ms) {
  uint64_t until = ce__now_ms() + timeout_ms;
  for (;;) {
    struct epoll_event events[2];
    uint64_t now = ce__now_ms();
    int left = now >= until                        ? 0
               : until - now > (uint64_t)INT32_MAX ? INT32_MAX
                                                   : (int)(until - now);
    int n = epoll_wait(os->epoll_fd, events, 2, left);
    if (n >= 0)
      return n > 0;
    if (errno != EINTR)
      return ce__fail(CE_E_BACKEND, "watch: epoll_wait failed: %s",
                      strerror(errno));
  }
}

void ce__watch_os_lock(ce__watch_os *os) { pthread_mutex_lock(&os->lock); }

void ce__watch_os_unlock(ce__watch_os *os) { pthread_mutex_unlock(&os->lock); }

void ce__watch_os_sleep_idle(ce__watch_os *os) {
  pthread_cond_wait(&os->idle, &os->lock);
}

void ce__watch_os_wake_idle(ce__watch_os *os) {
  pthread_cond_broadcast(&os->idle);
}

void ce__watch_os_set_dispatcher(ce__watch_os *os) {
  os->dispatcher = pthread_self();
}

int ce__watch_os_is_dispatcher(const ce__watch_os *os) {
  return pthread_equal(os->dispatcher, pthread_self());
}

void ce__watch_os_set_closing(ce__watch_os *os) {
  __atomic_store_n(&os->closing, 1, __ATOMIC_RELEASE);
}

int ce__watch_os_closing(const ce__watch_os *os) {
  return __atomic_load_n(&os->closing, __ATOMIC_ACQUIRE);
}
