/*
 * status.h - the one status type every Fundgrube module returns.
 *
 * Every function that can fail returns an fg_status_t: FG_OK (0) on success,
 * a positive code otherwise.  Functions that produce an object do so through
 * an out-parameter, never as a bare pointer or bool, so that every failure
 * (including a C++ exception caught at the index boundary) can be reported.
 * Longer, situation-specific text (which file, which line, which byte) travels
 * beside the code in the module's own error buffer or handle.
 */
#ifndef FUNDGRUBE_STATUS_H
#define FUNDGRUBE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, message): one line per status; generates the enum and the texts. */
#define FG_STATUS_MAP(X)                                                                           \
    X(OK, "success")                                                                               \
    X(NOMEM, "out of memory")                                                                      \
    X(INVALID, "invalid argument")                                                                 \
    X(IO, "input/output error")                                                                    \
    X(NOT_FOUND, "not found")                                                                      \
    X(LOCKED, "index is locked by another writer")                                                 \
    X(SETTINGS, "index was built with different analysis settings")                                \
    X(CORRUPT, "index is damaged or of an unknown format")                                         \
    X(XAPIAN, "Xapian error")                                                                      \
    X(VERSION, "incompatible version")                                                             \
    X(QUERY, "malformed query")                                                                    \
    X(SKIPPED, "input skipped")                                                                    \
    X(TOO_LONG, "term too long")                                                                   \
    X(CONFIG, "configuration error")                                                               \
    X(CANCELLED, "cancelled")                                                                      \
    X(NO_SPACE, "no space left on the disk")

typedef enum fg_status {
#define FG_STATUS_ENUM_(name, msg) FG_##name,
    FG_STATUS_MAP(FG_STATUS_ENUM_)
#undef FG_STATUS_ENUM_
        FG_STATUS_LAST_
} fg_status_t;

/* Returns a static, human-readable text for a status; never NULL. */
const char *fg_status_str(int status);

#ifdef __cplusplus
}
#endif
#endif
