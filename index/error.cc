/*
 * error.cc - how a Xapian exception becomes an fg_status_t and a message.
 */
#include "index/index-private.h"

#include <stdio.h>
#include <string.h>

/*
 * Maps a Xapian exception to a status:
 *   DatabaseLockError                           FG_LOCKED
 *   DatabaseNotFoundError                       FG_NOT_FOUND
 *   DatabaseVersionError                        FG_VERSION
 *   DatabaseOpeningError, DatabaseCorruptError  FG_CORRUPT
 *   WildcardError                               FG_QUERY (an expansion limit was hit)
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
