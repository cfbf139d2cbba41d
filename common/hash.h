/*
 * hash.h - the one hash function of the project: 64-bit FNV-1a.
 *
 * Used for hash tables (stemmers/, daemon/queue.c), for the content checksum
 * of a file (extract/, FG_VALUE_CHECKSUM) and for terms too long for Xapian
 * (index/terms.cc).  Not a cryptographic hash.
 */
#ifndef FG_COMMON_HASH_H
#define FG_COMMON_HASH_H

#include <stddef.h>
#include <stdint.h>

#define FG_FNV64_OFFSET 0xcbf29ce484222325ULL
#define FG_FNV64_PRIME 0x100000001b3ULL

/* FNV-1a 64 of n bytes, continuing from h (start with FG_FNV64_OFFSET). */
static inline uint64_t fg_fnv1a64(uint64_t h, const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FG_FNV64_PRIME;
    }
    return h;
}

#endif
