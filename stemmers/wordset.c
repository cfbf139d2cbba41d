/*
 * wordset.c - an open-addressing hash set of words (the stop-word lists).
 *
 * Words live back to back in a pool (uint32 length, bytes, NUL); the slot
 * table holds 1 + the entry's offset, 0 for an empty slot.  Linear probing,
 * at most half full, FNV-1a 64 hashes.
 */
#include <stdlib.h>
#include <string.h>

#include "stemmers/internal.h"

/* Returns the word stored at pool offset off and its length in *len. */
static const char *entry_word(const fg_wordset_t *set, uint32_t off, uint32_t *len) {
    memcpy(len, set->pool.p + off, sizeof *len);
    return set->pool.p + off + sizeof *len;
}

/* Puts the entry at pool offset off into the first free slot of its probe
 * sequence in slots (mask + 1 of them). */
static void place(const fg_wordset_t *set, uint32_t *slots, size_t mask, uint32_t off) {
    uint32_t len;
    const char *w = entry_word(set, off, &len);
    size_t i = (size_t)fg_fnv1a64(FG_FNV64_OFFSET, w, len) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = off + 1;
}

/* Doubles the slot table (or creates one of 64) and re-places every entry.
 * Returns FG_OK or FG_NOMEM. */
static fg_status_t rehash(fg_wordset_t *set) {
    size_t n = set->mask ? (set->mask + 1) * 2 : 64;
    uint32_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return FG_NOMEM;
    for (size_t i = 0; set->mask && i <= set->mask; i++)
        if (set->slots[i])
            place(set, slots, n - 1, set->slots[i] - 1);
    free(set->slots);
    set->slots = slots;
    set->mask = n - 1;
    return FG_OK;
}

/* True when the word (of the given FNV-1a 64 hash) is in the set. */
bool fg_wordset_has(const fg_wordset_t *set, const char *w, size_t len, uint64_t hash) {
    if (set->count == 0)
        return false;
    for (size_t i = (size_t)hash & set->mask; set->slots[i]; i = (i + 1) & set->mask) {
        uint32_t elen;
        const char *e = entry_word(set, set->slots[i] - 1, &elen);
        if (elen == len && memcmp(e, w, len) == 0)
            return true;
    }
    return false;
}

/* Adds a copy of the word unless it is present.  Returns FG_OK or FG_NOMEM
 * (also for a pool beyond 4 GiB, which a stop list never reaches). */
fg_status_t fg_wordset_add(fg_wordset_t *set, const char *w, size_t len) {
    uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, w, len);
    if (fg_wordset_has(set, w, len, h))
        return FG_OK;
    if ((set->count + 1) * 2 > set->mask + 1 && rehash(set) != FG_OK)
        return FG_NOMEM;
    size_t need = sizeof(uint32_t) + len + 1;
    if (len > UINT32_MAX || set->pool.len + need >= UINT32_MAX)
        return FG_NOMEM;
    if (fg_buf_reserve(&set->pool, need) != FG_OK)
        return FG_NOMEM;
    uint32_t off = (uint32_t)set->pool.len;
    uint32_t len32 = (uint32_t)len;
    memcpy(set->pool.p + off, &len32, sizeof len32);
    if (len)
        memcpy(set->pool.p + off + sizeof len32, w, len);
    set->pool.p[off + sizeof len32 + len] = '\0';
    set->pool.len += need;
    place(set, set->slots, set->mask, off);
    set->count++;
    return FG_OK;
}

/* Frees the set's memory; the set is empty (and reusable) afterwards. */
void fg_wordset_free(fg_wordset_t *set) {
    free(set->slots);
    set->slots = NULL;
    set->mask = 0;
    set->count = 0;
    fg_buf_free(&set->pool);
}
