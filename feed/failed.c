/*
 * failed.c - failure stubs of files the extractor could not read (see
 * failed.h).
 */
#include "feed/failed.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract/extractor.h"
#include "feed/docbuild.h"
#include "index/docdata.h"

/* True when the file at path would go to the sandbox: its name or first
 * bytes say it is a document format (fg_extractor_is_plain() false).  False
 * when it cannot be read now. */
static bool goes_to_sandbox(const char *path) {
    unsigned char head[16];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return false;
    ssize_t r = read(fd, head, sizeof head);
    close(fd);
    return r >= 0 && !fg_extractor_is_plain(path, head, (size_t)r);
}

/* True when a stub is to be recorded for this outcome (see failed.h). */
bool fg_failed_records(fg_status_t st, fg_sandbox_failure_t failure, const char *path,
                       const struct stat *sb, uint64_t max_size) {
    switch (failure) {
    case FG_SANDBOX_CRASHED:
    case FG_SANDBOX_TIMEOUT:
    case FG_SANDBOX_MEMORY: return true;
    case FG_SANDBOX_HELPER: return false; /* not the file's fault: retried next time */
    case FG_SANDBOX_NONE: break;
    }
    if (st != FG_SKIPPED && st != FG_CORRUPT)
        return false;
    /* the skips fg_extractor_run() decides before the sandbox runs */
    if (!S_ISREG(sb->st_mode) || sb->st_size == 0 || (max_size && (uint64_t)sb->st_size > max_size))
        return false;
    return goes_to_sandbox(path);
}

/* The reason without a leading "PATH: ". */
static const char *bare_reason(const char *path, const char *reason) {
    size_t plen = strlen(path);
    if (strncmp(reason, path, plen) == 0 && reason[plen] == ':' && reason[plen + 1] == ' ')
        return reason + plen + 2;
    return reason;
}

/* Builds the stub of a file (see failed.h). */
fg_status_t fg_failed_stub(const char *path, const struct stat *sb, const char *reason,
                           fg_doc_t **out) {
    *out = NULL;
    fg_doc_t *doc = NULL;
    fg_status_t st = fg_doc_new(&doc);
    if (st != FG_OK)
        return st;
    const char *why = bare_reason(path, reason ? reason : "");
    char *data = NULL;
    size_t len = 0, cap = 0;
    st = fg_doc_add_term(doc, FG_PREFIX_FAILED, strlen(FG_PREFIX_FAILED), 0);
    if (st == FG_OK)
        st = fg_docbuild_add_stamp(doc, sb);
    if (st == FG_OK)
        st = fg_docdata_add(&data, &len, &cap, FG_DATA_URL, path, strlen(path)) &&
                     fg_docdata_add(&data, &len, &cap, FG_DATA_FAILED, why, strlen(why))
                 ? fg_doc_set_data(doc, data, len)
                 : FG_NOMEM;
    free(data);
    if (st != FG_OK) {
        fg_doc_free(doc);
        return st;
    }
    *out = doc;
    return FG_OK;
}

/* What fg_failed_each() hands to its fg_index_foreach_term() callback. */
typedef struct each_ctx {
    const char *prefix; /* NULL: all */
    size_t plen;
    fg_failed_fn fn;
    void *ctx;
    fg_status_t status;
} each_ctx_t;

/* fg_index_foreach_term() callback: hands a stub below the prefix to the
 * caller's function. */
static int each_stub(void *ctx, uint32_t docid, const char *data, size_t len) {
    (void)docid;
    each_ctx_t *c = ctx;
    char *url = NULL, *why = NULL;
    if (fg_docdata_get(data, len, FG_DATA_URL, &url) != FG_OK ||
        fg_docdata_get(data, len, FG_DATA_FAILED, &why) != FG_OK) {
        free(url);
        c->status = FG_NOMEM;
        return 1;
    }
    int rc = 0;
    bool below = !c->prefix || (strncmp(url, c->prefix, c->plen) == 0 &&
                                (url[c->plen] == '\0' || url[c->plen] == '/' ||
                                 (c->plen > 0 && c->prefix[c->plen - 1] == '/')));
    if (url[0] && below)
        rc = c->fn(c->ctx, url, why);
    free(url);
    free(why);
    return rc;
}

/* Calls fn for the stubs at or below path_prefix (see failed.h). */
fg_status_t fg_failed_each(fg_index_t *idx, const char *path_prefix, fg_failed_fn fn, void *ctx) {
    each_ctx_t c = {.prefix = path_prefix, .fn = fn, .ctx = ctx, .status = FG_OK};
    if (path_prefix) {
        c.plen = strlen(path_prefix);
        while (c.plen > 1 && path_prefix[c.plen - 1] == '/')
            c.plen--;
    }
    fg_status_t st = fg_index_foreach_term(idx, FG_PREFIX_FAILED, each_stub, &c);
    return st != FG_OK ? st : c.status;
}

/* Counts the stubs (see failed.h). */
fg_status_t fg_failed_count(fg_index_t *idx, uint64_t *out) {
    uint32_t n = 0;
    fg_status_t st = fg_index_term_freq(idx, FG_PREFIX_FAILED, &n);
    *out = n;
    return st;
}
