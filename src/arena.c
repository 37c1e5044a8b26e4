/* SPDX-License-Identifier: MIT */
/* The arena that holds the strings of one record while its callback runs. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Alignment for any object an arena hands out. C11 has max_align_t for
 * this, but MSVC's C library does not define it. */
typedef union ce__any_align {
  long double ld;
  long long ll;
  void *p;
  void (*f)(void);
} ce__any_align;

struct ce__arena_chunk {
  struct ce__arena_chunk *next;
  size_t capacity;
  size_t used;
  /* The bytes follow, aligned like the union below. */
  union {
    ce__any_align align;
    unsigned char bytes[1];
  } data;
};

enum { CHUNK_MIN = 4096 };

static size_t round_up(size_t n) {
  size_t a = sizeof(ce__any_align);
  return (n + a - 1) / a * a;
}

void *ce__arena_alloc(ce__arena *arena, size_t size) {
  struct ce__arena_chunk *head = arena->chunks, *chunk;
  size_t capacity;
  size = round_up(size ? size : 1);

  /* Only the newest chunk is tried, so an allocation costs the same however
   * many came before it in the record. */
  if (head != NULL && head->capacity - head->used >= size) {
    void *p = head->data.bytes + head->used;
    head->used += size;
    return p;
  }
  capacity = size > CHUNK_MIN ? size : CHUNK_MIN;
  if (capacity > SIZE_MAX - sizeof *chunk)
    return NULL;
  chunk = malloc(sizeof *chunk + capacity);
  if (chunk == NULL)
    return NULL;
  chunk->capacity = capacity;
  chunk->used = size;
  if (head != NULL && size >= CHUNK_MIN) {
    /* A large allocation fills a chunk of its own, placed behind the
     * newest one, whose room still serves the small ones. */
    chunk->next = head->next;
    head->next = chunk;
  } else {
    chunk->next = head;
    arena->chunks = chunk;
  }
  return chunk->data.bytes;
}

const char *ce__arena_utf8(ce__arena *arena, const char *src, size_t len,
                           size_t cap) {
  char *dst;
  size_t room;
  if (src == NULL || len == 0)
    return "";
  /* Never more room than the cap allows, however long the input. */
  room = len < cap ? CE__UTF8_REPAIR_SIZE(len) : cap + 1;
  if (room > cap + 1)
    room = cap + 1;
  dst = ce__arena_alloc(arena, room);
  if (dst == NULL)
    return NULL;
  ce__utf8_repair(dst, room, src, len);
  return dst;
}

const char *ce__arena_cstr(ce__arena *arena, const char *src, size_t cap) {
  /* Read no further than the cap could ever use: each input byte gives at
   * least one output byte. */
  return src == NULL ? "" : ce__arena_utf8(arena, src, strnlen(src, cap), cap);
}

const char *ce__arena_borrow(ce__arena *arena, const char *src, size_t cap) {
  size_t len;
  if (src == NULL)
    return "";
  len = strnlen(src, cap);
  if (len < cap && ce__utf8_valid(src, len))
    return src;
  return ce__arena_utf8(arena, src, len, cap);
}

void ce__arena_reset(ce__arena *arena) {
  /* Only the newest chunk would be tried again: it is kept, the others are
   * released, so one large record does not hold its memory for the rest. */
  struct ce__arena_chunk *head = arena->chunks;
  if (head == NULL)
    return;
  head->used = 0;
  arena->chunks = head->next;
  head->next = NULL;
  ce__arena_free(arena);
  arena->chunks = head;
}

void ce__arena_free(ce__arena *arena) {
  struct ce__arena_chunk *c = arena->chunks;
  while (c != NULL) {
    struct ce__arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  arena->chunks = NULL;
}
