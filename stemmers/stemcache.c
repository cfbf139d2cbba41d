/*
 * stemcache.c - a bounded map folded word -> (stem, stop flag).
 *
 * German text repeats its words a lot, and a Snowball stem costs far more
 * than a hash lookup, so fg_analyze() asks this cache first.  It holds at most
 * max_entries words (FG_STEMCACHE_ENTRIES by default) in a fixed arena and is
 * simply emptied when it is full (or its arena is): no per-entry eviction, no
 * allocation after fg_stemcache_init().  Open addressing with linear probing
 * over at least twice as many slots as entries; each slot keeps the upper 32
 * bits of the word's hash, so a probe rarely touches the arena in vain.
 */
#include <stdlib.h>
#include <string.h>

#include "stemmers/internal.h"

#define ENTRY_HEAD 3u      /* key length, stem length, flags: one byte each */
#define ARENA_PER_ENTRY 32 /* arena bytes reserved per entry (average German word: ~22) */

/* Sets up the cache for max_entries words, 0 for a disabled cache.
 * Returns FG_OK or FG_NOMEM (the cache is then disabled but valid). */
fg_status_t fg_stemcache_init(fg_stemcache_t *c, size_t max_entries) {
    memset(c, 0, sizeof *c);
    if (max_entries == 0)
        return FG_OK;
    if (max_entries > (1u << 24))
        max_entries = 1u << 24;
    size_t nslots = 64;
    while (nslots < 2 * max_entries)
        nslots *= 2;
    c->slots = calloc(nslots, sizeof *c->slots);
    /* at least room for the largest entry: 3 + 64 + 1 + 255 + 1 bytes */
    c->arena_cap = max_entries * ARENA_PER_ENTRY < 1024 ? 1024 : max_entries * ARENA_PER_ENTRY;
    c->arena = malloc(c->arena_cap);
    if (!c->slots || !c->arena) {
        fg_stemcache_free(c);
        return FG_NOMEM;
    }
    c->mask = nslots - 1;
    c->max_entries = max_entries;
    return FG_OK;
}

/* Frees the cache's memory; the cache is disabled afterwards. */
void fg_stemcache_free(fg_stemcache_t *c) {
    free(c->slots);
    free(c->arena);
    memset(c, 0, sizeof *c);
}

/* Empties the cache (keeps its memory). */
static void clear(fg_stemcache_t *c) {
    memset(c->slots, 0, (c->mask + 1) * sizeof *c->slots);
    c->count = 0;
    c->arena_len = 0;
    c->clears++;
}

/* Looks key up (see internal.h).  Returns the cached stem or NULL. */
const char *fg_stemcache_get(fg_stemcache_t *c, const char *key, size_t key_len, uint64_t hash,
                             size_t *stem_len, unsigned *flags) {
    if (c->count == 0 || key_len > FG_STEMCACHE_KEY_MAX) {
        c->misses++;
        return NULL;
    }
    uint64_t tag = hash >> 32;
    for (size_t i = (size_t)hash & c->mask; c->slots[i]; i = (i + 1) & c->mask) {
        uint64_t s = c->slots[i];
        if ((s >> 32) != tag)
            continue;
        const unsigned char *e = (const unsigned char *)c->arena + ((s & 0xffffffffu) - 1);
        if (e[0] != key_len || memcmp(e + ENTRY_HEAD, key, key_len) != 0)
            continue;
        *stem_len = e[1];
        *flags = e[2];
        c->hits++;
        return (const char *)e + ENTRY_HEAD + key_len + 1;
    }
    c->misses++;
    return NULL;
}

/* Stores key -> (stem, flags) (see internal.h).  Returns the cache's copy of
 * the stem, or NULL when the word is not cached. */
const char *fg_stemcache_put(fg_stemcache_t *c, const char *key, size_t key_len, uint64_t hash,
                             const char *stem, size_t stem_len, unsigned flags) {
    if (c->max_entries == 0 || key_len > FG_STEMCACHE_KEY_MAX || stem_len > 255 || flags > 255)
        return NULL;
    size_t need = ENTRY_HEAD + key_len + 1 + stem_len + 1;
    if (c->count >= c->max_entries || c->arena_len + need > c->arena_cap)
        clear(c);
    unsigned char *e = (unsigned char *)c->arena + c->arena_len;
    e[0] = (unsigned char)key_len;
    e[1] = (unsigned char)stem_len;
    e[2] = (unsigned char)flags;
    memcpy(e + ENTRY_HEAD, key, key_len);
    e[ENTRY_HEAD + key_len] = '\0';
    memcpy(e + ENTRY_HEAD + key_len + 1, stem, stem_len);
    e[ENTRY_HEAD + key_len + 1 + stem_len] = '\0';

    size_t i = (size_t)hash & c->mask;
    while (c->slots[i])
        i = (i + 1) & c->mask;
    c->slots[i] = ((hash >> 32) << 32) | (uint64_t)(c->arena_len + 1);
    c->arena_len += need;
    c->count++;
    return (const char *)e + ENTRY_HEAD + key_len + 1;
}
