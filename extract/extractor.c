/*
 * extractor.c - the in-process path for text, the sandbox for every other
 * format (see extractor.h).
 */
#include "extract/extractor.h"
#include "extract/format.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fg_extractor {
    fg_sandbox_options_t opt;
    fg_sandbox_t *sandbox; /* NULL until the first file that needs it */
};

/* Creates an extractor (see extractor.h). */
fg_status_t fg_extractor_new(const fg_sandbox_options_t *opt, fg_extractor_t **out) {
    fg_extractor_t *x = calloc(1, sizeof *x);
    if (!x)
        return FG_NOMEM;
    if (opt)
        x->opt = *opt;
    *out = x;
    return FG_OK;
}

/* True when the first bytes are those of a format that is never plain text,
 * whatever the file is called. */
static bool binary_magic(const unsigned char *h, size_t n) {
    static const struct {
        const char *magic;
        size_t len;
    } known[] = {
        {"%PDF-", 5},                           /* PDF */
        {"PK\x03\x04", 4},                      /* zip: ODF, OOXML, EPUB */
        {"{\\rtf", 5},                          /* RTF */
        {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8} /* OLE: old Office */
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (n >= known[i].len && memcmp(h, known[i].magic, known[i].len) == 0)
            return true;
    return false;
}

/* True when path is read in process (see extractor.h): neither its name (a
 * document format's extension, a Maildir message) nor its first bytes say it
 * is a document format. */
bool fg_extractor_is_plain(const char *path, const unsigned char *head, size_t len) {
    return !fg_doctype_path_sandboxed(path) && !binary_magic(head, len);
}

/* Reads up to n first bytes of path into head; their count into *got.
 * Returns FG_OK, or FG_IO with reason set. */
static fg_status_t read_head(const char *path, unsigned char *head, size_t n, size_t *got,
                             char *reason, size_t reasonlen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        snprintf(reason, reasonlen, "%s: %s", path, strerror(errno));
        return FG_IO;
    }
    ssize_t r;
    do
        r = read(fd, head, n);
    while (r < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    if (r < 0) {
        snprintf(reason, reasonlen, "%s: %s", path, strerror(saved));
        return FG_IO;
    }
    *got = (size_t)r;
    return FG_OK;
}

/* Starts the sandbox on first use.  Returns FG_OK, or the start's failure
 * with reason set. */
static fg_status_t need_sandbox(fg_extractor_t *x, const char *path, char *reason,
                                size_t reasonlen) {
    if (x->sandbox)
        return FG_OK;
    char why[256];
    fg_status_t st = fg_sandbox_start(&x->opt, &x->sandbox, why, sizeof why);
    if (st != FG_OK)
        snprintf(reason, reasonlen, "%s: cannot start the extractor helper: %s", path, why);
    return st;
}

/* Extracts path through the sandbox. */
static fg_status_t run_sandboxed(fg_extractor_t *x, const char *path, uint64_t size,
                                 fg_extracted_t *out, fg_sandbox_failure_t *failure, char *reason,
                                 size_t reasonlen) {
    fg_status_t st = need_sandbox(x, path, reason, reasonlen);
    if (st != FG_OK) {
        *failure = FG_SANDBOX_HELPER;
        return st == FG_NOMEM ? st : FG_IO;
    }
    fg_format_doc_t doc;
    char why[512];
    st = fg_sandbox_extract(x->sandbox, path, &doc, failure, why, sizeof why);
    if (st != FG_OK) {
        if (strncmp(why, path, strlen(path)) == 0)
            snprintf(reason, reasonlen, "%s", why);
        else
            snprintf(reason, reasonlen, "%s: %s", path, why);
        return st;
    }
    st = fg_extract_adopt(path, &doc, size, out, reason, reasonlen);
    fg_sandbox_doc_free(&doc);
    return st;
}

/* Extracts the file at path (see extractor.h). */
fg_status_t fg_extractor_run(fg_extractor_t *x, const char *path, uint64_t max_size,
                             fg_extracted_t *out, fg_sandbox_failure_t *failure, char *reason,
                             size_t reasonlen) {
    fg_sandbox_failure_t none;
    failure = failure ? failure : &none;
    *failure = FG_SANDBOX_NONE;
    memset(out, 0, sizeof *out);
    unsigned char head[16];
    size_t got = 0;
    fg_status_t st = read_head(path, head, sizeof head, &got, reason, reasonlen);
    if (st != FG_OK)
        return st;
    if (fg_extractor_is_plain(path, head, got))
        return fg_extract_file(path, max_size, out, reason, reasonlen);
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        snprintf(reason, reasonlen, "%s: %s", path, strerror(errno));
        return FG_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(reason, reasonlen, "%s: not a regular file", path);
        return FG_SKIPPED;
    }
    if (sb.st_size == 0) {
        snprintf(reason, reasonlen, "%s: empty file", path);
        return FG_SKIPPED;
    }
    if (max_size && (uint64_t)sb.st_size > max_size) {
        snprintf(reason, reasonlen, "%s: larger than max_file_size (%lld > %llu bytes)", path,
                 (long long)sb.st_size, (unsigned long long)max_size);
        return FG_SKIPPED;
    }
    return run_sandboxed(x, path, (uint64_t)sb.st_size, out, failure, reason, reasonlen);
}

/* Stops the helper and frees x (see extractor.h). */
void fg_extractor_free(fg_extractor_t *x) {
    if (!x)
        return;
    fg_sandbox_stop(x->sandbox);
    free(x);
}
