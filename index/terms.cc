/*
 * terms.cc - the terms fg_index_replace() adds itself: Q<uid> and P<path>.
 *
 * Xapian refuses terms over 245 bytes (at replace time, for the whole
 * document), so a Q or P term longer than FG_TERM_MAX is cut to
 *     prefix + the first bytes of the body + 16 hex digits of a hash
 * of the whole term, exactly FG_TERM_MAX bytes.  The hash is 64-bit FNV-1a:
 * fixed, platform-independent and not seeded, so the same uid gives the same
 * term in every process and every version.  Two long ids collide only if
 * they share their first 223 bytes and their hash.
 */
#include "index/index-private.h"

#include <string.h>

#include "common/hash.h"

/* prefix + body, hashed down to FG_TERM_MAX bytes when longer. */
std::string fg_bounded_term(const char *prefix, const char *body, size_t len) {
    std::string term(prefix);
    term.append(body, len);
    if (term.size() <= FG_TERM_MAX)
        return term;
    static const char hex[] = "0123456789abcdef";
    uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, term.data(), term.size());
    term.resize(FG_TERM_MAX - 16);
    for (int shift = 60; shift >= 0; shift -= 4)
        term.push_back(hex[(h >> shift) & 0xf]);
    return term;
}

/* The unique-id term of uid. */
std::string fg_uid_term(const char *uid) {
    return fg_bounded_term(FG_PREFIX_UID, uid, strlen(uid));
}

/* The path term of the first len bytes of path. */
std::string fg_path_term(const char *path, size_t len) {
    return fg_bounded_term(FG_PREFIX_PATH, path, len);
}
