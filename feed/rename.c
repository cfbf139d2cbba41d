/*
 * rename.c - documents follow their files to a new path (see
 * fg_feed_rename() in feed.h).
 */
#include "feed/feed-private.h"

#include "extract/format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The documents at or below the old path: url and data of each. */
typedef struct moving {
    char **urls;
    char **data;
    size_t *lens;
    size_t count, cap;
    bool nomem;
} moving_t;

/* Frees what m holds. */
static void moving_free(moving_t *m) {
    for (size_t i = 0; i < m->count; i++) {
        free(m->urls[i]);
        free(m->data[i]);
    }
    free(m->urls);
    free(m->data);
    free(m->lens);
}

/* fg_index_foreach() callback: keeps url and data of a document. */
static int collect(void *ctx, uint32_t docid, const char *data, size_t len) {
    (void)docid;
    moving_t *m = ctx;
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        char **u = realloc(m->urls, cap * sizeof *u);
        if (u)
            m->urls = u;
        char **d = realloc(m->data, cap * sizeof *d);
        if (d)
            m->data = d;
        size_t *l = realloc(m->lens, cap * sizeof *l);
        if (l)
            m->lens = l;
        if (!u || !d || !l) {
            m->nomem = true;
            return 1;
        }
        m->cap = cap;
    }
    char *url = NULL, *copy = malloc(len ? len : 1);
    if (!copy || fg_docdata_get(data, len, "url", &url) != FG_OK) {
        free(copy);
        m->nomem = true;
        return 1;
    }
    if (url[0] == '\0') {
        free(url);
        free(copy);
        return 0;
    }
    memcpy(copy, data, len);
    m->urls[m->count] = url;
    m->data[m->count] = copy;
    m->lens[m->count++] = len;
    return 0;
}

/* Reports an event to the callback, if any. */
static void report(fg_feed_t *f, fg_feed_event_t ev, const char *path, const char *reason) {
    if (f->fn)
        f->fn(f->ctx, ev, path, reason, &f->stats);
}

/* True when both paths are Maildir messages: their "extension" is the
 * flags (":2,S" -> ":2,RS" when a mail is answered), which change nothing
 * the document holds. */
static bool both_maildir(const char *old_path, const char *path) {
    return fg_doctype_path_maildir(old_path) && fg_doctype_path_maildir(path) &&
           fg_doctype_of_path(old_path) == FG_DOCTYPE_EML &&
           fg_doctype_of_path(path) == FG_DOCTYPE_EML;
}

/* True when the file at path (stat sb) is the one the document of old_path
 * was built from: same mtime, size and inode, and the same extension (or
 * both Maildir messages). */
static bool same_file(fg_feed_t *f, const char *old_path, const char *path, const struct stat *sb) {
    fg_doc_stamp_t stamp;
    if (fg_index_stamp(f->index, old_path, &stamp) != FG_OK)
        return false;
    char e1[16], e2[16];
    fg_extract_extension(old_path, e1, sizeof e1);
    fg_extract_extension(path, e2, sizeof e2);
    return stamp.inode != 0 && fg_stamp_matches(&stamp, sb) &&
           (strcmp(e1, e2) == 0 || both_maildir(old_path, path));
}

/* Moves one document from old_path to path, or indexes path afresh. */
static fg_status_t rename_one(fg_feed_t *f, const char *old_path, const char *path,
                              const char *data, size_t len) {
    struct stat sb;
    if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || !same_file(f, old_path, path, &sb)) {
        fg_status_t st = fg_feed_remove(f, old_path);
        if (st == FG_OK) {
            st = fg_feed_file(f, path, false);
            if (st == FG_SKIPPED || st == FG_IO)
                st = FG_OK; /* reported */
        }
        return st;
    }
    char *ndata = NULL;
    size_t nlen = 0;
    fg_status_t st = fg_docdata_set(data, len, "url", path, &ndata, &nlen);
    if (st != FG_OK)
        return st;
    st = fg_index_rename(f->index, old_path, path, ndata, nlen);
    free(ndata);
    if (st != FG_OK) {
        snprintf(f->err, sizeof f->err, "renaming %s to %s: %s", old_path, path,
                 fg_index_error(f->index));
        return st;
    }
    f->pending_docs++;
    report(f, FG_FEED_RENAMED, path, old_path);
    if (f->pending_docs >= f->batch_docs)
        return fg_feed_commit_live(f);
    return FG_OK;
}

/* Held paths below a folder (fg_held_each_below() collects them). */
typedef struct heldlist {
    char **paths;
    size_t n;
    bool nomem;
} heldlist_t;

/* fg_held_each_below() callback: appends a copy of path to the heldlist
 * ctx. */
static int collect_held(void *ctx, const char *path) {
    heldlist_t *l = ctx;
    char **p = realloc(l->paths, (l->n + 1) * sizeof *p);
    if (p)
        l->paths = p;
    if (!p || !(l->paths[l->n] = strdup(path))) {
        l->nomem = true;
        return 1;
    }
    l->n++;
    return 0;
}

/*
 * The held copies below from (collected in held, before the move) moved
 * with their files: they are superseded, as is whatever was held below to,
 * and each file is indexed afresh in its new place in the live index
 * (unless the live rename gave it an up-to-date document already).
 * Returns FG_OK or an error.
 */
static fg_status_t move_held(fg_feed_t *f, const heldlist_t *held, const char *from,
                             const char *to) {
    if (!fg_held_prefer_live(&f->held, from) || !fg_held_prefer_live(&f->held, to)) {
        snprintf(f->err, sizeof f->err, "renaming %s: out of memory", from);
        return FG_NOMEM;
    }
    size_t flen = strlen(from);
    fg_status_t st = FG_OK;
    for (size_t i = 0; st == FG_OK && i < held->n; i++) {
        char *path = NULL;
        if (asprintf(&path, "%s%s", to, held->paths[i] + flen) < 0)
            return FG_NOMEM;
        st = fg_feed_file(f, path, false);
        if (st == FG_SKIPPED || st == FG_IO)
            st = FG_OK;
        free(path);
    }
    return st;
}

/* Moves the documents at or below from to below to (see feed.h). */
fg_status_t fg_feed_rename(fg_feed_t *f, const char *from, const char *to) {
    moving_t m = {0};
    /* held documents on either side (or a bulk run that may make some):
     * the live index wins there, see move_held() */
    heldlist_t held = {0};
    fg_held_each_below(&f->held, from, collect_held, &held);
    bool superseding = held.n > 0 || f->in_run || fg_held_any_below(&f->held, to);
    fg_status_t st = held.nomem ? FG_NOMEM : FG_OK;
    if (st == FG_OK)
        st = fg_index_foreach(f->index, from, collect, &m);
    /* failure stubs have no P terms: all of them, those below from kept below */
    if (st == FG_OK && !m.nomem)
        st = fg_index_foreach_term(f->index, FG_PREFIX_FAILED, collect, &m);
    if (st != FG_OK) {
        snprintf(f->err, sizeof f->err, "listing %s: %s", from, fg_index_error(f->index));
    } else if (m.nomem) {
        st = FG_NOMEM;
    }
    size_t flen = strlen(from);
    for (size_t i = 0; st == FG_OK && i < m.count; i++) {
        const char *url = m.urls[i];
        if (strncmp(url, from, flen) != 0 || (url[flen] != '\0' && url[flen] != '/'))
            continue; /* a hashed P term or a stub elsewhere */
        char *path = NULL;
        if (asprintf(&path, "%s%s", to, url + flen) < 0) {
            st = FG_NOMEM;
            break;
        }
        st = rename_one(f, url, path, m.data[i], m.lens[i]);
        free(path);
    }
    moving_free(&m);
    if (st == FG_OK && superseding)
        st = move_held(f, &held, from, to);
    for (size_t i = 0; i < held.n; i++)
        free(held.paths[i]);
    free(held.paths);
    return st;
}
