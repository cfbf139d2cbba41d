/*
 * document.c - one document by its docid, its text with a query's matches
 * marked (a host's preview), and completions of a word from the index's
 * vocabulary (search-as-you-type); ABI 1.4 (see plugin-private.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "index/docdata.h"
#include "plugin/plugin-private.h"

#define MAX_WORDS 100       /* completions at most */
#define TERMS_LOOKED 200000 /* vocabulary words looked at for one prefix at most */

/* ------------------------------------------------------------ marking */

/* One match in the text. */
typedef struct mark {
    size_t offset, length;
} mark_t;

/* State of marking a text. */
typedef struct mark_ctx {
    const fg_termset_t *ts;
    mark_t *m;
    size_t n, cap;
    bool nomem;
} mark_ctx_t;

/* fg_analyze() callback: records a token that matches a query word (not
 * one overlapping the match before it). */
static int on_token(void *ctx, const fg_token_t *tok) {
    mark_ctx_t *c = ctx;
    if ((tok->flags & FG_TOKEN_JOINED) || !fg_termset_matches(c->ts, tok->term, tok->stem))
        return 0;
    if (c->n > 0 && tok->offset < c->m[c->n - 1].offset + c->m[c->n - 1].length)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        mark_t *m = realloc(c->m, cap * sizeof *m);
        if (!m) {
            c->nomem = true;
            return 1;
        }
        c->m = m;
        c->cap = cap;
    }
    c->m[c->n++] = (mark_t){tok->offset, tok->length};
    return 0;
}

/* A growable output string. */
typedef struct buf {
    char *s;
    size_t n, cap;
    bool nomem;
} buf_t;

/* Appends p[0..n) to b. */
static void put(buf_t *b, const char *p, size_t n) {
    if (b->nomem)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->nomem = true;
            return;
        }
        b->s = s;
        b->cap = cap;
    }
    memcpy(b->s + b->n, p, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* Appends p[0..n), HTML-escaped if html. */
static void put_text(buf_t *b, const char *p, size_t n, bool html) {
    if (!html) {
        put(b, p, n);
        return;
    }
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = p[i] == '<'    ? "&lt;"
                          : p[i] == '>'  ? "&gt;"
                          : p[i] == '&'  ? "&amp;"
                          : p[i] == '"'  ? "&quot;"
                          : p[i] == '\'' ? "&#39;"
                                         : NULL;
        if (!esc)
            continue;
        put(b, p + run, i - run);
        put(b, esc, strlen(esc));
        run = i + 1;
    }
    put(b, p + run, n - run);
}

/* Writes text[0..len) into d->text with the matches of the query words ts
 * between the markers of o.  Returns FG_OK or FG_NOMEM. */
static fg_status_t mark_text(fg_handle_t *h, const fg_termset_t *ts, const char *text, size_t len,
                             const fg_search_options_t *o, fg_document_t *d) {
    mark_ctx_t c = {.ts = ts};
    const char *hs = o->hl_start ? o->hl_start : "[", *he = o->hl_end ? o->hl_end : "]";
    bool html = (o->flags & FG_SEARCH_HTML) != 0;
    if (ts && (ts->n_words > 0) &&
        fg_analyze(h->analyzer, text, len, 1, on_token, &c, NULL) == FG_ANALYZE_NOMEM)
        c.nomem = true;
    buf_t b = {0};
    size_t p = 0;
    for (size_t i = 0; i < c.n && !c.nomem; i++) {
        put_text(&b, text + p, c.m[i].offset - p, html);
        put(&b, hs, strlen(hs));
        put_text(&b, text + c.m[i].offset, c.m[i].length, html);
        put(&b, he, strlen(he));
        p = c.m[i].offset + c.m[i].length;
    }
    put_text(&b, text + p, len - p, html);
    put(&b, "", 0);
    free(c.m);
    if (c.nomem || b.nomem) {
        free(b.s);
        return FG_NOMEM;
    }
    d->text = b.s;
    d->text_len = b.n;
    d->matches = (uint32_t)c.n;
    return FG_OK;
}

/* ------------------------------------------------------------ the document */

/* Frees a document (see document_free in fundgrube.h). */
void fg_plugin_document_free(fg_document_t *d) {
    if (!d)
        return;
    free((char *)d->path);
    free((char *)d->title);
    free((char *)d->type);
    free((char *)d->author);
    free((char *)d->date);
    free((char *)d->text);
    free(d);
}

/* The text of document d (data its document data) into *text (malloc'ed):
 * the copy the index keeps, else the file as it is now, else the sample. */
static fg_status_t doc_text(fg_handle_t *h, const fg_document_t *d, const char *data, size_t dlen,
                            char **text, size_t *len) {
    fg_status_t st = fg_plugin_stored_text(h, d->docid, text, len);
    if (st != FG_OK || *text)
        return st;
    fg_extracted_t ex;
    char err[ERRLEN];
    st = fg_extract_file(d->path, h->max_file_size, &ex, err, sizeof err);
    if (st == FG_NOMEM)
        return st;
    if (st == FG_OK) {
        *text = ex.text;
        *len = ex.text_len;
        ex.text = NULL;
        fg_extracted_free(&ex);
        return FG_OK;
    }
    st = fg_docdata_get(data, dlen, FG_DATA_SAMPLE, text);
    if (st == FG_OK)
        *len = strlen(*text);
    return st;
}

/* Fills the metadata of d from its document data. */
static fg_status_t doc_meta(fg_document_t *d, const char *data, size_t len) {
    char *mtime = NULL, *size = NULL, *date = NULL, *format = NULL;
    fg_status_t st = fg_docdata_get(data, len, FG_DATA_URL, (char **)&d->path);
    if (st == FG_OK)
        st = fg_docdata_get(data, len, FG_DATA_CAPTION, (char **)&d->title);
    if (st == FG_OK)
        st = fg_docdata_get(data, len, FG_DATA_AUTHOR, (char **)&d->author);
    if (st == FG_OK)
        st = fg_docdata_get(data, len, FG_DATA_MODTIME, &mtime);
    if (st == FG_OK)
        st = fg_docdata_get(data, len, FG_DATA_SIZE, &size);
    if (st == FG_OK)
        st = fg_docdata_get(data, len, FG_DATA_DATE, &date);
    if (st == FG_OK)
        st = fg_docdata_get(data, len, FG_DATA_FORMAT, &format);
    if (st == FG_OK) {
        d->mtime = strtoll(mtime, NULL, 10);
        d->size = strtoull(size, NULL, 10);
        d->type = fg_plugin_hit_type(format, d->path);
        d->date = fg_plugin_hit_date(date, d->mtime);
        if (!d->type || !d->date)
            st = FG_NOMEM;
    }
    free(mtime);
    free(size);
    free(date);
    free(format);
    return st;
}

/* True when the document data is that of a failure stub. */
static bool is_stub(const char *data, size_t len) {
    char *failed = NULL;
    bool stub = fg_docdata_get(data, len, FG_DATA_FAILED, &failed) == FG_OK && failed[0];
    free(failed);
    return stub;
}

/* The query's words into ts (nothing for an empty query). */
static fg_status_t query_words(fg_handle_t *h, const char *query, const fg_search_options_t *o,
                               fg_termset_t *ts) {
    if (!query || !query[0])
        return FG_OK;
    char *text = NULL, msg[ERRLEN];
    size_t text_len = 0;
    fg_xquery_t *q = NULL;
    fg_query_opts_t qo = {.max_wildcard = o->max_wildcard ? o->max_wildcard : h->max_wildcard};
    fg_status_t st = fg_text_decode(query, strlen(query), &text, &text_len, NULL);
    if (st == FG_OK) {
        st = fg_query_parse(h->analyzer, &h->weights, &qo, text, &q, ts, msg, sizeof msg);
        if (st != FG_OK)
            fg_plugin_set_error(h, st, "%s", msg);
    }
    fg_xquery_free(q);
    free(text);
    return st;
}

/* One document with its text (see document in fundgrube.h). */
int fg_plugin_document(fg_handle_t *h, uint32_t docid, const char *query,
                       const fg_search_options_t *opts, fg_document_t **out) {
    *out = NULL;
    h->err[0] = '\0';
    fg_search_options_t o = {0};
    if (opts)
        memcpy(&o, opts, opts->struct_size < sizeof o ? opts->struct_size : sizeof o);
    fg_document_t *d = calloc(1, sizeof *d);
    if (!d)
        return fg_plugin_set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
    d->struct_size = sizeof *d;
    d->docid = docid;
    char *data = NULL, *text = NULL;
    size_t dlen = 0, tlen = 0;
    fg_termset_t ts = {0};
    fg_status_t st = fg_index_reopen(h->index);
    if (st == FG_OK)
        st = fg_index_doc_data(h->index, docid, &data, &dlen); /* by docid, never a path */
    if (st == FG_OK && is_stub(data, dlen))
        st = FG_NOT_FOUND;
    if (st == FG_NOT_FOUND) {
        fg_plugin_set_error(h, st, "no document %u in the index", docid);
        goto fail;
    }
    if (st != FG_OK) {
        fg_plugin_set_error(h, st, "%s", fg_index_error(h->index));
        goto fail;
    }
    if ((st = doc_meta(d, data, dlen)) != FG_OK ||
        (st = doc_text(h, d, data, dlen, &text, &tlen)) != FG_OK) {
        fg_plugin_set_error(h, st, "document %u: %s", docid, fg_status_str(st));
        goto fail;
    }
    if (tlen > FG_DOCUMENT_TEXT_MAX) {
        tlen = FG_DOCUMENT_TEXT_MAX;
        while (tlen > 0 && ((unsigned char)text[tlen] & 0xC0) == 0x80)
            tlen--;
        d->truncated = 1;
    }
    if ((st = query_words(h, query, &o, &ts)) != FG_OK)
        goto fail;
    if ((st = mark_text(h, &ts, text, tlen, &o, d)) != FG_OK) {
        fg_plugin_set_error(h, st, "%s", fg_status_str(st));
        goto fail;
    }
    free(data);
    free(text);
    fg_termset_free(&ts);
    *out = d;
    return FG_OK;
fail:
    free(data);
    free(text);
    fg_termset_free(&ts);
    fg_plugin_document_free(d);
    return st;
}

/* ------------------------------------------------------------ completions */

/* State of collecting the most frequent words of a prefix. */
typedef struct words_ctx {
    char **words;
    uint64_t *counts;
    size_t n, max, looked;
    bool nomem;
} words_ctx_t;

/* fg_index_terms() callback: keeps the term among the max most frequent. */
static int on_word(void *ctx, const char *term, size_t len, uint32_t freq) {
    words_ctx_t *w = ctx;
    if (++w->looked > TERMS_LOOKED)
        return 1;
    if (w->n == w->max && freq <= w->counts[w->n - 1])
        return 0;
    size_t at = w->n < w->max ? w->n : w->n - 1;
    char *copy = strndup(term, len);
    if (!copy) {
        w->nomem = true;
        return 1;
    }
    if (w->n == w->max)
        free(w->words[at]);
    else
        w->n++;
    while (at > 0 && w->counts[at - 1] < freq) {
        w->words[at] = w->words[at - 1];
        w->counts[at] = w->counts[at - 1];
        at--;
    }
    w->words[at] = copy;
    w->counts[at] = freq;
    return 0;
}

/* fg_analyze() callback: keeps the folded form of the last plain token. */
static int on_prefix_token(void *ctx, const fg_token_t *tok) {
    char *folded = ctx;
    if (tok->flags & (FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT | FG_TOKEN_WEAK | FG_TOKEN_JOINED))
        return 0;
    snprintf(folded, FG_TERM_MAX, "%s", tok->term);
    return 0;
}

/* Frees words (see words_free in fundgrube.h). */
void fg_plugin_words_free(fg_words_t *w) {
    if (!w)
        return;
    for (size_t i = 0; i < w->count; i++)
        free((char *)w->words[i]);
    free((void *)w->words);
    free((void *)w->doc_counts);
    free(w);
}

/* Words of the vocabulary starting with prefix (see complete in
 * fundgrube.h). */
int fg_plugin_complete(fg_handle_t *h, const char *prefix, uint32_t max, fg_words_t **out) {
    *out = NULL;
    h->err[0] = '\0';
    if (max == 0 || max > MAX_WORDS)
        max = MAX_WORDS;
    fg_words_t *r = calloc(1, sizeof *r);
    words_ctx_t w = {.max = max};
    w.words = calloc(max, sizeof *w.words);
    w.counts = calloc(max, sizeof *w.counts);
    char *text = NULL, folded[FG_TERM_MAX] = "";
    size_t text_len = 0;
    fg_status_t st = r && w.words && w.counts ? FG_OK : FG_NOMEM;
    if (st == FG_OK && prefix)
        st = fg_text_decode(prefix, strlen(prefix), &text, &text_len, NULL);
    if (st == FG_OK && text &&
        fg_analyze(h->analyzer, text, text_len, 1, on_prefix_token, folded, NULL) ==
            FG_ANALYZE_NOMEM)
        st = FG_NOMEM;
    if (st == FG_OK)
        st = fg_index_reopen(h->index);
    if (st == FG_OK && strlen(folded) >= 2) {
        st = fg_index_terms(h->index, folded, on_word, &w);
        if (w.nomem)
            st = FG_NOMEM;
    }
    free(text);
    if (st != FG_OK) {
        for (size_t i = 0; i < w.n; i++)
            free(w.words[i]);
        free(w.words);
        free(w.counts);
        free(r);
        return fg_plugin_set_error(h, st, "%s",
                                   st == FG_NOMEM ? fg_status_str(st) : fg_index_error(h->index));
    }
    r->struct_size = sizeof *r;
    r->count = w.n;
    r->words = (const char *const *)w.words;
    r->doc_counts = w.counts;
    *out = r;
    return FG_OK;
}
