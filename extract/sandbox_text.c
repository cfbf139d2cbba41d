/*
 * sandbox_text.c - a stand-in for the document parsers (format.h) used only
 * while the fg_formats target does not exist: it knows one format, plain
 * text, so the sandbox can be built and tested on its own.  extract/
 * CMakeLists.txt links the real parsers instead as soon as fg_formats is
 * defined before it.
 *
 * A file whose first 4 KiB hold no NUL byte is text (type TEXT); its bytes
 * up to the first NUL, at most max_text of them, are the text.  Anything
 * else is skipped as "not a supported format".
 */
#include "extract/format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads plain text from fd (see the file comment and format.h). */
fg_status_t fg_format_extract(int fd, const char *name, const fg_format_limits_t *lim,
                              fg_format_doc_t *out, char *err, size_t errlen) {
    (void)name;
    memset(out, 0, sizeof *out);
    size_t cap = (size_t)lim->max_text, len = 0;
    char *text = malloc(cap + 1);
    if (!text)
        return FG_NOMEM;
    int more = 0; /* bytes exist past what is kept */
    while (len < cap) {
        ssize_t n = pread(fd, text + len, cap - len, (off_t)len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "read: %s", strerror(errno));
            free(text);
            return FG_IO;
        }
        if (n == 0)
            break;
        char *nul = memchr(text + len, '\0', (size_t)n);
        if (nul) {
            if (nul - text < 4096) {
                snprintf(err, errlen, "not a supported format");
                free(text);
                return FG_SKIPPED;
            }
            len = (size_t)(nul - text);
            more = 1;
            break;
        }
        len += (size_t)n;
    }
    char probe;
    if (!more && len == cap && pread(fd, &probe, 1, (off_t)len) == 1)
        more = 1;
    text[len] = '\0';
    out->type = FG_DOCTYPE_TEXT;
    out->text = text;
    out->text_len = len;
    out->title = calloc(1, 1);
    out->author = calloc(1, 1);
    out->truncated = more;
    if (!out->title || !out->author) {
        fg_format_doc_free(out);
        return FG_NOMEM;
    }
    return FG_OK;
}
