/*
 * compound_internal.h - what the compound dictionary (compound_dict.c) and
 * the splitter (compound.c) share: the layout of a dictionary entry, the
 * lookups (inline, as the splitter calls them in its inner loop) and the
 * word classes that say what may be a compound modifier or head.
 * Not part of any API; include only from stemmers/compound*.c.
 */
#ifndef FG_STEMMERS_COMPOUND_INTERNAL_H
#define FG_STEMMERS_COMPOUND_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "stemmers/compound.h"
#include "stemmers/internal.h"

#define ENTRY_HEAD 6u /* bytes before an entry's folded word (see compound_dict.c) */

#define F_CAP 0x1u   /* seen capitalised in the list */
#define F_LOWER 0x2u /* seen in lower case in the list */
#define F_NOUN 0x4u  /* capitalised itself or in an inflected form */

#ifndef NELEM
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* A dictionary: views of the compiled blob (see compound_dict.c), and who owns it. */
struct fg_compound_dict {
    const uint32_t *slots;
    uint32_t mask;
    uint32_t nwords;
    const unsigned char *pool;
    size_t pool_len;
    void *map; /* mmap'ed file, or NULL */
    size_t map_len;
    unsigned char *mem; /* malloc'ed blob, or NULL */
    size_t mem_len;
    bool shared; /* the process-wide built-in copy: never freed by callers */
};

/* ------------------------------------------------------------ lookups */

/* Reads a little u16 field of an entry. */
static inline unsigned fg_cdict_get16(const unsigned char *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* Finds the entry of w[0..len) given its FNV-1a hash; NULL when absent. */
static inline const unsigned char *fg_cdict_find_h(const fg_compound_dict_t *d, const char *w,
                                                   size_t len, uint64_t h) {
    if (len == 0 || len > 255)
        return NULL;
    for (uint32_t i = (uint32_t)h & d->mask; d->slots[i]; i = (i + 1) & d->mask) {
        const unsigned char *e = d->pool + (d->slots[i] - 1);
        if (e[0] == len && memcmp(e + ENTRY_HEAD, w, len) == 0)
            return e;
    }
    return NULL;
}

/* Finds the entry of w[0..len); NULL when absent. */
static inline const unsigned char *fg_cdict_find(const fg_compound_dict_t *d, const char *w,
                                                 size_t len) {
    return fg_cdict_find_h(d, w, len, fg_fnv1a64(FG_FNV64_OFFSET, w, len));
}

/* Finds the entry of w[0..len) followed by the string suffix; NULL when absent. */
static inline const unsigned char *fg_cdict_find_plus(const fg_compound_dict_t *d, const char *w,
                                                      size_t len, const char *suffix) {
    size_t sl = strlen(suffix);
    uint64_t h = fg_fnv1a64(fg_fnv1a64(FG_FNV64_OFFSET, w, len), suffix, sl);
    if (len + sl == 0 || len + sl > 255)
        return NULL;
    for (uint32_t i = (uint32_t)h & d->mask; d->slots[i]; i = (i + 1) & d->mask) {
        const unsigned char *e = d->pool + (d->slots[i] - 1);
        if (e[0] == len + sl && memcmp(e + ENTRY_HEAD, w, len) == 0 &&
            memcmp(e + ENTRY_HEAD + len, suffix, sl) == 0)
            return e;
    }
    return NULL;
}

/* Number of UTF-8 characters in s[0..n). */
static inline size_t fg_cdict_nchars(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* ------------------------------------------------------------ word classes */

/* A modifier's lemma: its entry and how the span maps onto it. */
typedef struct fg_cdict_lemma {
    const unsigned char *e; /* dictionary entry, NULL when the span is no modifier */
    size_t used;            /* bytes of the span in the lemma */
    bool fuge, add_e;
} fg_cdict_lemma_t;

/* True when w may be a compound head at all (no bound suffix, no particle). */
bool fg_cdict_head_ok(const char *w, size_t len);

/*
 * Finds the lemma of a modifier span s[0..len) of at least min_chars
 * characters (see compound_dict.c); e is NULL when the span is no modifier.
 * The entry points into d.
 */
fg_cdict_lemma_t fg_cdict_modifier_lemma(const fg_compound_dict_t *d, const char *s, size_t len,
                                         size_t min_chars, bool by_count);

#endif
