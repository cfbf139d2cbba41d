/*
 * error.cc - how a Xapian exception becomes an fg_status_t and a message.
 */
#include "index/index-private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * Maps a Xapian exception to a status:
 *   DatabaseLockError                           FG_LOCKED
 *   DatabaseNotFoundError                       FG_NOT_FOUND
 *   DatabaseVersionError                        FG_VERSION
 *   DatabaseOpeningError, DatabaseCorruptError  FG_CORRUPT
 *   DatabaseError "EOF reading block N"         FG_CORRUPT (a table file cut short)
 *   WildcardError                               FG_QUERY (an expansion limit was hit)
 *   any error whose errno (or message) is       FG_NO_SPACE (the disk or quota is full)
 *   ENOSPC or EDQUOT
 *   anything else                               FG_XAPIAN
 * Xapian::Error has no virtual functions, so dynamic_cast cannot tell the
 * subclasses apart; get_type() names the most derived class, which is
 * exactly what is needed.
 */
fg_status_t fg_status_of(const Xapian::Error &e) {
    static const struct {
        const char *type;
        fg_status_t status;
    } map[] = {
        {"DatabaseLockError", FG_LOCKED},     {"DatabaseNotFoundError", FG_NOT_FOUND},
        {"DatabaseVersionError", FG_VERSION}, {"DatabaseOpeningError", FG_CORRUPT},
        {"DatabaseCorruptError", FG_CORRUPT}, {"WildcardError", FG_QUERY},
    };
    const char *type = e.get_type();
    const char *why = NULL; /* strerror() of the errno, or NULL */
    try {
        why = e.get_error_string(); /* may allocate */
    } catch (...) {
        why = NULL;
    }
    if (why && (strcmp(why, strerror(ENOSPC)) == 0 || strcmp(why, strerror(EDQUOT)) == 0))
        return FG_NO_SPACE;
    /* a failed commit wraps the write error into its message */
    const std::string &msg = e.get_msg();
    if (msg.find(strerror(ENOSPC)) != std::string::npos ||
        msg.find(strerror(EDQUOT)) != std::string::npos)
        return FG_NO_SPACE;
    if (strcmp(type, "DatabaseError") == 0 && e.get_msg().compare(0, 18, "EOF reading block ") == 0)
        return FG_CORRUPT; /* glass reads a block past the end of a truncated table */
    for (const auto &m : map) {
        if (strcmp(type, m.type) == 0)
            return m.status;
    }
    return FG_XAPIAN;
}

/*
 * Writes "Xapian <type>: <message> (<errno text>) [<context>]" into buf
 * and returns the status.  Never throws: it runs inside catch blocks.
 */
fg_status_t fg_xapian_error(char *buf, size_t len, const Xapian::Error &e) {
    const char *errstr = NULL;
    try {
        errstr = e.get_error_string(); /* may allocate (strerror into a string) */
    } catch (...) {
        errstr = NULL;
    }
    const std::string &ctx = e.get_context();
    return fg_set_error(buf, len, fg_status_of(e), "Xapian %s: %s%s%s%s%s%s", e.get_type(),
                        e.get_msg().c_str(), errstr ? " (" : "", errstr ? errstr : "",
                        errstr ? ")" : "", ctx.empty() ? "" : " in ", ctx.c_str());
}

/*
 * Formats a message into buf (cut to len; nothing when buf is NULL or len
 * is 0) and returns status, so that a failure reads "return fg_set_error(...)".
 */
extern "C" fg_status_t fg_set_error(char *buf, size_t len, fg_status_t status, const char *fmt,
                                    ...) {
    if (buf && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, len, fmt, ap);
        va_end(ap);
    }
    return status;
}
