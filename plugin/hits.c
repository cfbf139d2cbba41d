/*
 * hits.c - one hit of a page of results from an entry of the index's result:
 * path, title, date, duplicates and snippet (see plugin-private.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extract/extract.h"
#include "index/docdata.h"
#include "index/schema.h"
#include "index/textstore.h"
#include "plugin/plugin-private.h"
#include "plugin/snippet.h"
#include "plugin/snippet_cache.h"

/*
 * The content key of a hit into key (size keylen): its indexed content hash
 * and its extension, when the file at path is still the one indexed (a
 * regular file of the indexed size and modification time, the test indexing
 * itself trusts), else "".  Two hits of one key hold the same text now.
 */
static void content_key(const char *path, const char *content, long long mtime,
                        unsigned long long size, char *key, size_t keylen) {
    struct stat sb;
    char ext[16];
    key[0] = '\0';
    if (!content[0] || lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (unsigned long long)sb.st_size != size || (long long)sb.st_mtim.tv_sec != mtime)
        return;
    fg_extract_extension(path, ext, sizeof ext);
    snprintf(key, keylen, "%s.%s", content, ext);
}

/* The text of a document format the index keeps (FG_VALUE_TEXT) into *text
 * (NULL when it keeps none: the file is then read again; see
 * plugin-private.h). */
fg_status_t fg_plugin_stored_text(fg_handle_t *h, uint32_t docid, char **text, size_t *len) {
    char *packed = NULL;
    size_t plen = 0;
    *text = NULL;
    *len = 0;
    fg_status_t st = fg_index_doc_value(h->index, docid, FG_VALUE_TEXT, &packed, &plen);
    if (st == FG_NOT_FOUND)
        return FG_OK;
    if (st != FG_OK || !packed)
        return st;
    st = fg_text_unpack(packed, plen, text, len);
    free(packed);
    return st == FG_CORRUPT ? FG_OK : st; /* a damaged copy: the sample serves */
}

/* The 1-based page of pages ("0,1234,...", FG_DATA_PAGES) holding byte at
 * of the body; 0 when there are no pages or nothing matched. */
static uint32_t page_of(const char *pages, size_t at) {
    if (!pages[0] || at == SIZE_MAX)
        return 0;
    uint32_t page = 0;
    for (const char *p = pages; *p;) {
        char *end;
        unsigned long long start = strtoull(p, &end, 10);
        if (end == p || start > at)
            break;
        page++;
        p = *end == ',' ? end + 1 : end;
    }
    return page;
}

/* The snippet of one hit: from the text the index keeps of a document
 * format, else from the file as it is now (extracted as at indexing), else
 * from the sample stored in the index.  A text in cache (another copy of the
 * file among the hits) reuses its snippet.  *match_at: the body offset of
 * the snippet's first match (SIZE_MAX unknown). */
static fg_status_t hit_snippet(fg_handle_t *h, const fg_termset_t *ts, const fg_qhit_t *qh,
                               const char *path, const char *sample, const char *key,
                               const fg_search_options_t *o, snippet_cache_t *cache, char **out,
                               size_t *match_at) {
    fg_extracted_t ex;
    char err[ERRLEN];
    size_t length = o->snippet_length ? o->snippet_length : 200;
    const char *hs = o->hl_start ? o->hl_start : "[";
    const char *he = o->hl_end ? o->hl_end : "]";
    bool html = (o->flags & FG_SEARCH_HTML) != 0;
    *match_at = SIZE_MAX;
    const char *known = key[0] ? fg_snippet_cache_find_key(cache, key) : NULL;
    if (known) {
        *out = strdup(known);
        return *out ? FG_OK : FG_NOMEM;
    }
    char *text = NULL;
    size_t text_len = 0;
    fg_status_t st = fg_plugin_stored_text(h, qh->docid, &text, &text_len);
    if (st != FG_OK)
        return st;
    if (text) {
        st = fg_snippet_make_at(h->analyzer, ts, text, text_len, length, hs, he, html, out,
                                match_at);
        free(text);
        return st;
    }
    st = fg_extract_file(path, h->max_file_size, &ex, err, sizeof err);
    if (st == FG_NOMEM)
        return st;
    if (st == FG_OK) {
        const char *seen = fg_snippet_cache_find(cache, &ex);
        if (seen) {
            *out = strdup(seen);
            st = *out ? FG_OK : FG_NOMEM;
        } else {
            st = fg_snippet_make_at(h->analyzer, ts, ex.text + ex.body_offset,
                                    ex.text_len - ex.body_offset, length, hs, he, html, out,
                                    match_at);
            if (st == FG_OK)
                fg_snippet_cache_add(cache, &ex, key, *out);
        }
        fg_extracted_free(&ex);
        return st;
    }
    return fg_snippet_make(h->analyzer, ts, sample, strlen(sample), length, hs, he, html, out);
}

/* The type of a hit: the detected one its data records (FG_DATA_FORMAT),
 * else (an index from before 1.3) the path's extension (see
 * plugin-private.h). */
char *fg_plugin_hit_type(const char *format, const char *path) {
    char ext[16];
    if (format[0])
        return strdup(format);
    fg_extract_extension(path, ext, sizeof ext);
    return strdup(ext);
}

/* The hit's date as "YYYY-MM-DD" / "YYYY-MM": the document's own date, else
 * its modification time's (UTC; see plugin-private.h). */
char *fg_plugin_hit_date(const char *date, int64_t mtime) {
    char d[9], buf[16];
    if (!fg_docdata_date(date, mtime, d))
        return strdup("");
    if (strcmp(d + 6, "00") == 0)
        snprintf(buf, sizeof buf, "%.4s-%.2s", d, d + 4);
    else
        snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s", d, d + 4, d + 6);
    return strdup(buf);
}

/* The paths of a hit's duplicates (their document data's url lines). */
static fg_status_t hit_duplicates(const fg_qhit_t *qh, fg_hit_t *hit) {
    if (qh->n_duplicates == 0)
        return FG_OK;
    char **paths = calloc(qh->n_duplicates, sizeof *paths);
    if (!paths)
        return FG_NOMEM;
    hit->duplicates = (const char *const *)paths;
    for (uint32_t k = 0; k < qh->n_duplicates; k++) {
        const char *d = qh->duplicate_data[k];
        fg_status_t st = fg_docdata_get(d, strlen(d), FG_DATA_URL, &paths[k]);
        if (st != FG_OK)
            return st;
        hit->n_duplicates = k + 1;
    }
    return FG_OK;
}

/* The name of the attachment of a mail's page (FG_DATA_PARTS: page 2 is its
 * first line), malloc'ed; "" for page 1, no page or a missing line. */
static char *attachment_of(const char *parts, uint32_t page) {
    const char *p = parts;
    for (uint32_t k = 2; p && k < page; k++) {
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    if (page < 2 || !p || !*p)
        return strdup("");
    size_t n = strcspn(p, "\n");
    return strndup(p, n);
}

/* Fills one hit from a result entry (see plugin-private.h). */
fg_status_t fg_plugin_fill_hit(fg_handle_t *h, const fg_termset_t *ts, const fg_qhit_t *qh,
                               const fg_search_options_t *o, snippet_cache_t *cache,
                               fg_hit_t *hit) {
    char *mtime = NULL, *size = NULL, *sample = NULL, *date = NULL, *format = NULL, *pages = NULL,
         *parts = NULL;
    fg_status_t st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_URL, (char **)&hit->path);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_CAPTION, (char **)&hit->title);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_MODTIME, &mtime);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_SIZE, &size);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_SAMPLE, &sample);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_DATE, &date);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_FORMAT, &format);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_PAGES, &pages);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_AUTHOR, (char **)&hit->author);
    if (st == FG_OK)
        st = fg_docdata_get(qh->data, qh->data_len, FG_DATA_PARTS, &parts);
    if (st == FG_OK) {
        hit->type = fg_plugin_hit_type(format, hit->path);
        st = hit->type ? FG_OK : FG_NOMEM;
    }
    if (st == FG_OK) {
        hit->mtime = strtoll(mtime, NULL, 10);
        hit->size = strtoull(size, NULL, 10);
        hit->score = qh->weight;
        hit->percent = qh->percent;
        hit->rank = qh->rank + 1;
        hit->docid = qh->docid;
        hit->date = fg_plugin_hit_date(date, hit->mtime);
        st = hit->date ? hit_duplicates(qh, hit) : FG_NOMEM;
    }
    if (st == FG_OK) {
        char key[48];
        if (o->flags & FG_SEARCH_NO_SNIPPETS) {
            hit->snippet = strdup(""), st = hit->snippet ? FG_OK : FG_NOMEM;
        } else {
            content_key(hit->path, qh->content, (long long)hit->mtime,
                        (unsigned long long)hit->size, key, sizeof key);
            size_t at = SIZE_MAX;
            st = hit_snippet(h, ts, qh, hit->path, sample, key, o, cache, (char **)&hit->snippet,
                             &at);
            hit->page = page_of(pages, at);
        }
    }
    if (st == FG_OK && strcmp(hit->type, "eml") == 0) { /* a mail's pages are its parts */
        hit->attachment = attachment_of(parts, hit->page);
        hit->page = 0;
    } else if (st == FG_OK) {
        hit->attachment = strdup("");
    }
    if (st == FG_OK && !hit->attachment)
        st = FG_NOMEM;
    free(mtime);
    free(size);
    free(sample);
    free(date);
    free(format);
    free(pages);
    free(parts);
    return st;
}
