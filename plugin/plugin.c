/*
 * plugin.c - libfundgrube's one entry point and its function table
 * (see include/fundgrube/fundgrube.h).
 */
#include "fundgrube/fundgrube.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config/config.h"
#include "extract/extract.h"
#include "index/docdata.h"
#include "index/index.h"
#include "index/schema.h"
#include "plugin/query.h"
#include "plugin/snippet.h"
#include "stemmers/analysis.h"

#define FG_API __attribute__((visibility("default")))
#define MAX_LIMIT 10000
#define ERRLEN 1024
#define SIMILAR_TERMS 25 /* terms of a "more like this" query */

struct fg_handle {
    fg_index_t *index;
    fg_analyzer_t *analyzer;
    double bm25_k1, bm25_b;
    fg_rank_weights_t weights;
    uint32_t max_wildcard; /* [search] max_wildcard: the default of the option */
    uint64_t max_file_size;
    char err[ERRLEN];
};

/* Sets the handle's error text, printf-style; returns status. */
static int set_error(fg_handle_t *h, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->err, sizeof h->err, fmt, ap);
    va_end(ap);
    return status;
}

/* ------------------------------------------------------------ open/close */

/* The plugin's version text. */
static const char *plugin_version(void) {
    return PROJECT_VERSION;
}

/* Closes a handle (see fundgrube.h). */
static void plugin_close(fg_handle_t *h) {
    if (!h)
        return;
    fg_index_close(h->index);
    fg_analyzer_free(h->analyzer);
    free(h);
}

/*
 * The search settings of a handle: the built-in defaults with the host's
 * settings ("section.key=value", see open_with in fundgrube.h) over them,
 * checked by the configuration's own parser.  Never reads a file.
 */
static fg_status_t apply_settings(fg_handle_t *h, const char *const *settings, char *err,
                                  size_t errlen) {
    fg_config_t cfg;
    fg_status_t st = fg_config_init(&cfg);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_status_str(st));
        return st;
    }
    for (size_t i = 0; settings && settings[i] && st == FG_OK; i++) {
        const char *s = settings[i], *dot = strchr(s, '.'), *eq = strchr(s, '=');
        char section[64], key[64], why[512];
        if (!dot || !eq || dot > eq || (size_t)(dot - s) >= sizeof section ||
            (size_t)(eq - dot - 1) >= sizeof key) {
            snprintf(err, errlen, "setting \"%s\": expected section.key=value", s);
            st = FG_INVALID;
            break;
        }
        snprintf(section, sizeof section, "%.*s", (int)(dot - s), s);
        snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);
        st = fg_config_set(&cfg, section, key, eq + 1, FG_CFG_COMMAND_LINE, why, sizeof why);
        if (st != FG_OK)
            snprintf(err, errlen, "setting \"%s\": %s", s, why);
    }
    if (st == FG_OK) {
        h->weights = cfg.weights;
        h->bm25_k1 = cfg.bm25_k1;
        h->bm25_b = cfg.bm25_b;
        h->max_file_size = cfg.max_file_size;
        h->max_wildcard = cfg.max_wildcard;
    }
    fg_config_free(&cfg);
    return st;
}

/*
 * Opens an index read-only with the analysis settings recorded in it and the
 * host's search settings over the defaults (see open_with in fundgrube.h).
 */
static int plugin_open_with(const char *index_path, const char *const *host_settings,
                            fg_handle_t **out, char *err, size_t errlen) {
    char dummy[1];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    *out = NULL;
    if (!index_path) {
        snprintf(err, errlen, "no index path given");
        return FG_INVALID;
    }
    fg_handle_t *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "%s", fg_status_str(FG_NOMEM));
        return FG_NOMEM;
    }
    fg_status_t st = apply_settings(h, host_settings, err, errlen);
    if (st != FG_OK) {
        free(h);
        return st;
    }

    char *settings_text = NULL;
    fg_analysis_settings_t settings;
    st = fg_index_open_readonly(index_path, &h->index, err, errlen);
    if (st != FG_OK)
        goto fail;
    st = fg_index_get_metadata(h->index, FG_META_ANALYSIS, &settings_text);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_index_error(h->index));
        goto fail;
    }
    if (settings_text[0] == '\0')
        fg_analysis_settings_default(&settings);
    else if ((st = fg_analysis_settings_parse(settings_text, &settings, err, errlen)) != FG_OK)
        goto fail;
    st = fg_analyzer_new(&settings, &h->analyzer, err, errlen);
    if (st != FG_OK)
        goto fail;
    uint64_t docs = 0; /* the index can be read */
    st = fg_index_doc_count(h->index, &docs);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_index_error(h->index));
        goto fail;
    }
    free(settings_text);
    *out = h;
    return FG_OK;
fail:
    free(settings_text);
    plugin_close(h);
    return st;
}

/* Opens an index with the default search settings (see fundgrube.h). */
static int plugin_open(const char *index_path, fg_handle_t **out, char *err, size_t errlen) {
    return plugin_open_with(index_path, NULL, out, err, errlen);
}

/* Text of the last failure on h. */
static const char *plugin_last_error(const fg_handle_t *h) {
    return h ? h->err : "";
}

/* Number of documents (see fundgrube.h). */
static int plugin_doc_count(fg_handle_t *h, uint64_t *out) {
    uint64_t docs = 0;
    fg_status_t st = fg_index_reopen(h->index);
    if (st == FG_OK)
        st = fg_index_doc_count(h->index, &docs);
    if (st != FG_OK)
        return set_error(h, st, "%s", fg_index_error(h->index));
    *out = docs;
    return FG_OK;
}

/* ------------------------------------------------------------ results */

/* Frees results (see fundgrube.h). */
static void plugin_results_free(fg_results_t *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        fg_hit_t *hit = (fg_hit_t *)FG_RESULTS_HIT(r, i);
        free((char *)hit->path);
        free((char *)hit->title);
        free((char *)hit->snippet);
        free((char *)hit->date);
        for (size_t k = 0; k < hit->n_duplicates; k++)
            free((char *)hit->duplicates[k]);
        free((void *)hit->duplicates);
    }
    for (size_t f = 0; f < r->n_facets; f++) {
        for (size_t k = 0; k < r->facets[f].count; k++)
            free((char *)r->facets[f].values[k].value);
        free((void *)r->facets[f].values);
    }
    free((void *)r->facets);
    free((char *)r->suggestion);
    free((void *)r->hits);
    free(r);
}

#define SNIPPET_CACHE 4              /* texts whose snippets a page of results remembers */
#define SNIPPET_CACHE_TEXT (4 << 20) /* longer texts are remembered by content key only */

/* The snippets made for the hits of one page, by body text and by content
 * key: a text seen again (a copy of a file) gets its snippet without the
 * work, and a file known unchanged since indexing whose indexed content is
 * that of an earlier hit without even being read. */
typedef struct snippet_cache {
    struct {
        fg_extracted_t ex; /* the text (owned; text NULL when too long to keep) */
        char key[48];      /* content key (see content_key()), "" for none */
        char *snippet;     /* its snippet (owned) */
    } e[SNIPPET_CACHE];
    size_t n, next; /* entries used; the one to replace next */
} snippet_cache_t;

/* Frees what the cache holds. */
static void snippet_cache_free(snippet_cache_t *c) {
    for (size_t i = 0; i < c->n; i++) {
        fg_extracted_free(&c->e[i].ex);
        free(c->e[i].snippet);
    }
    c->n = c->next = 0;
}

/* The remembered snippet of the body text of ex, or NULL. */
static const char *snippet_cache_find(const snippet_cache_t *c, const fg_extracted_t *ex) {
    size_t len = ex->text_len - ex->body_offset;
    for (size_t i = 0; i < c->n; i++) {
        const fg_extracted_t *x = &c->e[i].ex;
        if (x->text && x->content_hash == ex->content_hash && x->text_len - x->body_offset == len &&
            memcmp(x->text + x->body_offset, ex->text + ex->body_offset, len) == 0)
            return c->e[i].snippet;
    }
    return NULL;
}

/* The remembered snippet of the content key key (not ""), or NULL. */
static const char *snippet_cache_find_key(const snippet_cache_t *c, const char *key) {
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].key[0] && strcmp(c->e[i].key, key) == 0)
            return c->e[i].snippet;
    return NULL;
}

/* Remembers ex (taken over: emptied; its text only up to SNIPPET_CACHE_TEXT
 * bytes) with the content key key ("" for none) and a copy of its snippet;
 * forgets the oldest entry when full.  Nothing is remembered when memory runs
 * out. */
static void snippet_cache_add(snippet_cache_t *c, fg_extracted_t *ex, const char *key,
                              const char *snippet) {
    char *copy = strdup(snippet);
    if (!copy)
        return;
    size_t i;
    if (c->n < SNIPPET_CACHE) {
        i = c->n++;
    } else {
        i = c->next; /* the oldest */
        fg_extracted_free(&c->e[i].ex);
        free(c->e[i].snippet);
    }
    c->next = (i + 1) % SNIPPET_CACHE;
    c->e[i].ex = *ex;
    if (ex->text_len > SNIPPET_CACHE_TEXT)
        fg_extracted_free(&c->e[i].ex);
    snprintf(c->e[i].key, sizeof c->e[i].key, "%s", key);
    c->e[i].snippet = copy;
    memset(ex, 0, sizeof *ex);
}

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

/* The snippet of one hit: from the file as it is now (extracted as at
 * indexing), else from the sample stored in the index.  A text in cache
 * (another copy of the file among the hits) reuses its snippet. */
static fg_status_t hit_snippet(fg_handle_t *h, const fg_termset_t *ts, const char *path,
                               const char *sample, const char *key, const fg_search_options_t *o,
                               snippet_cache_t *cache, char **out) {
    fg_extracted_t ex;
    char err[ERRLEN];
    size_t length = o->snippet_length ? o->snippet_length : 200;
    const char *hs = o->hl_start ? o->hl_start : "[";
    const char *he = o->hl_end ? o->hl_end : "]";
    bool html = (o->flags & FG_SEARCH_HTML) != 0;
    const char *known = key[0] ? snippet_cache_find_key(cache, key) : NULL;
    if (known) {
        *out = strdup(known);
        return *out ? FG_OK : FG_NOMEM;
    }
    fg_status_t st = fg_extract_file(path, h->max_file_size, &ex, err, sizeof err);
    if (st == FG_NOMEM)
        return st;
    if (st == FG_OK) {
        const char *seen = snippet_cache_find(cache, &ex);
        if (seen) {
            *out = strdup(seen);
            st = *out ? FG_OK : FG_NOMEM;
        } else {
            st = fg_snippet_make(h->analyzer, ts, ex.text + ex.body_offset,
                                 ex.text_len - ex.body_offset, length, hs, he, html, out);
            if (st == FG_OK)
                snippet_cache_add(cache, &ex, key, *out);
        }
        fg_extracted_free(&ex);
        return st;
    }
    return fg_snippet_make(h->analyzer, ts, sample, strlen(sample), length, hs, he, html, out);
}

/* The hit's date as "YYYY-MM-DD" / "YYYY-MM": the document's own date, else
 * its modification time's (UTC). */
static char *hit_date(const char *date, int64_t mtime) {
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

/* Fills one hit from a result entry. */
static fg_status_t fill_hit(fg_handle_t *h, const fg_termset_t *ts, const fg_qhit_t *qh,
                            const fg_search_options_t *o, snippet_cache_t *cache, fg_hit_t *hit) {
    char *mtime = NULL, *size = NULL, *sample = NULL, *date = NULL;
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
    if (st == FG_OK) {
        hit->mtime = strtoll(mtime, NULL, 10);
        hit->size = strtoull(size, NULL, 10);
        hit->score = qh->weight;
        hit->percent = qh->percent;
        hit->rank = qh->rank + 1;
        hit->docid = qh->docid;
        hit->date = hit_date(date, hit->mtime);
        st = hit->date ? hit_duplicates(qh, hit) : FG_NOMEM;
    }
    if (st == FG_OK) {
        char key[48];
        if (o->flags & FG_SEARCH_NO_SNIPPETS) {
            hit->snippet = strdup(""), st = hit->snippet ? FG_OK : FG_NOMEM;
        } else {
            content_key(hit->path, qh->content, (long long)hit->mtime,
                        (unsigned long long)hit->size, key, sizeof key);
            st = hit_snippet(h, ts, hit->path, sample, key, o, cache, (char **)&hit->snippet);
        }
    }
    free(mtime);
    free(size);
    free(sample);
    free(date);
    return st;
}

/* ------------------------------------------------------------ facets */

#define FACET_CHECK 10000 /* matches looked at for facets: exact below this */

/* A facet under construction: distinct values with their counts. */
typedef struct facet_acc {
    fg_facet_value_t *v;
    size_t n, cap;
} facet_acc_t;

/* Adds count to the value s[0..len) of a facet; false when memory ran out. */
static bool facet_add(facet_acc_t *f, const char *s, size_t len, uint64_t count) {
    for (size_t i = 0; i < f->n; i++)
        if (strlen(f->v[i].value) == len && memcmp(f->v[i].value, s, len) == 0) {
            f->v[i].count += count;
            return true;
        }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        fg_facet_value_t *nv = realloc(f->v, cap * sizeof *nv);
        if (!nv)
            return false;
        f->v = nv;
        f->cap = cap;
    }
    char *copy = strndup(s, len);
    if (!copy)
        return false;
    f->v[f->n++] = (fg_facet_value_t){copy, count};
    return true;
}

/* Most frequent first, then by value. */
static int by_count(const void *a, const void *b) {
    const fg_facet_value_t *x = a, *y = b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* Newest year first. */
static int by_value_desc(const void *a, const void *b) {
    return strcmp(((const fg_facet_value_t *)b)->value, ((const fg_facet_value_t *)a)->value);
}

/* Length of the folder both paths lie in ("/a/b" and "/a/bc" share "/a"). */
static size_t common_folder(const char *a, size_t alen, const char *b) {
    size_t n = 0, blen = strlen(b);
    while (n < alen && n < blen && a[n] == b[n])
        n++;
    if (n == alen && (n == blen || b[n] == '/'))
        return n;
    if (n == blen && a[n] == '/')
        return n;
    while (n > 0 && a[n] != '/')
        n--;
    return n == 0 && a[0] == '/' ? 1 : n;
}

/*
 * The folder facet: the hits' folders (values of FG_VALUE_FOLDER) counted by
 * the first folder below the folder they all share (the shared folder itself
 * for files directly in it).
 */
static bool folder_facet(const fg_qresult_t *qr, size_t slot_i, facet_acc_t *f) {
    size_t n = qr->facets[slot_i].n;
    const fg_value_count_t *v = qr->facets[slot_i].values;
    if (n == 0)
        return true;
    const char *root = v[0].value;
    size_t rlen = strlen(root);
    for (size_t i = 1; i < n; i++)
        rlen = common_folder(root, rlen, v[i].value);
    for (size_t i = 0; i < n; i++) {
        const char *p = v[i].value;
        size_t len = strlen(p);
        if (len > rlen) {
            size_t e = rlen + (rlen > 1 || p[0] != '/' ? 1 : 0);
            if (rlen == 1)
                e = 1;
            while (e < len && p[e] != '/')
                e++;
            len = e;
        } else {
            len = rlen;
        }
        if (!facet_add(f, p, len, v[i].count))
            return false;
    }
    return true;
}

/* Builds the three facets of r from the value counts of qr (slots: ext,
 * date, folder). */
static fg_status_t make_facets(const fg_qresult_t *qr, fg_results_t *r) {
    static const char *const names[3] = {"type", "year", "folder"};
    fg_facet_t *facets = calloc(3, sizeof *facets);
    if (!facets)
        return FG_NOMEM;
    r->facets = facets;
    for (size_t k = 0; k < 3 && k < qr->n_facets; k++) {
        facet_acc_t f = {0};
        bool ok = true;
        if (k == 2) {
            ok = folder_facet(qr, k, &f);
        } else {
            for (size_t i = 0; ok && i < qr->facets[k].n; i++) {
                const fg_value_count_t *v = &qr->facets[k].values[i];
                size_t len = strlen(v->value);
                ok = facet_add(&f, v->value, k == 1 && len > 4 ? 4 : len, v->count);
            }
        }
        facets[k].name = names[k];
        facets[k].values = f.v;
        facets[k].count = f.n;
        r->n_facets = k + 1;
        if (!ok)
            return FG_NOMEM;
        if (f.n)
            qsort(f.v, f.n, sizeof *f.v, k == 1 ? by_value_desc : by_count);
    }
    return FG_OK;
}

/* ------------------------------------------------------------ suggestions */

#define MAX_CP 64 /* words longer than this (code points) get no suggestion */

/* Decodes UTF-8 s[0..len) into at most max code points; returns how many
 * (max + 1 when there are more). */
static size_t utf8_decode(const char *s, size_t len, uint32_t *cp, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t v;
        size_t k;
        if (c < 0x80)
            v = c, k = 1;
        else if ((c & 0xE0) == 0xC0)
            v = c & 0x1F, k = 2;
        else if ((c & 0xF0) == 0xE0)
            v = c & 0x0F, k = 3;
        else
            v = c & 0x07, k = 4;
        for (size_t j = 1; j < k && i + j < len; j++)
            v = (v << 6) | ((unsigned char)s[i + j] & 0x3F);
        if (n == max)
            return max + 1;
        cp[n++] = v;
        i += k;
    }
    return n;
}

/* Edit distance (insert, delete, substitute, swap of neighbours) of a and b,
 * or limit + 1 when it is above limit. */
static unsigned edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                              unsigned limit) {
    unsigned d[MAX_CP + 1][MAX_CP + 1];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned row_min = limit + 1;
        for (size_t j = 1; j <= nb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > limit)
            return limit + 1;
    }
    return d[na][nb];
}

/* State of the search for the closest word of the index. */
typedef struct closest {
    uint32_t target[MAX_CP];
    size_t n_target;
    char *best; /* the best term so far (malloc'ed) */
    unsigned best_dist;
    uint32_t best_freq;
    bool nomem;
} closest_t;

/* fg_index_terms() callback: keeps the closest term (distance 1 or 2; ties
 * by more documents). */
static int on_term(void *ctx, const char *term, size_t len, uint32_t freq) {
    closest_t *c = ctx;
    uint32_t cp[MAX_CP];
    size_t n = utf8_decode(term, len, cp, MAX_CP);
    if (n > MAX_CP || n + 2 < c->n_target || n > c->n_target + 2)
        return 0;
    unsigned d = edit_distance(c->target, c->n_target, cp, n, 2);
    if (d == 0 || d > 2)
        return 0;
    if (c->best && (d > c->best_dist || (d == c->best_dist && freq <= c->best_freq)))
        return 0;
    char *copy = strndup(term, len);
    if (!copy) {
        c->nomem = true;
        return 1;
    }
    free(c->best);
    c->best = copy;
    c->best_dist = d;
    c->best_freq = freq;
    return 0;
}

/* Sets *found when some document has the term prefix + word (never when it
 * cannot be a term).  Returns FG_OK or the index's error. */
static fg_status_t term_exists(fg_handle_t *h, const char *prefix, const char *word,
                               bool *found) {
    char buf[FG_TERM_MAX + 8];
    uint32_t n = 0;
    int len = snprintf(buf, sizeof buf, "%s%s", prefix, word);
    if (len < 0 || (size_t)len >= sizeof buf)
        return FG_OK;
    fg_status_t st = fg_index_term_freq(h->index, buf, &n);
    *found = n > 0;
    return st;
}

/* Sets *found when the word w matches some document one way or another
 * (folded, weak variant, stem, compound part; looked up in that order until
 * one matches); a word found nowhere asks for a suggestion. */
static fg_status_t word_matches(fg_handle_t *h, const fg_qword_t *w, bool *found) {
    *found = false;
    fg_status_t st = term_exists(h, FG_PREFIX_EXACT, w->term, found);
    if (st == FG_OK && !*found)
        st = term_exists(h, FG_PREFIX_WEAK, w->term, found);
    if (st == FG_OK && !*found && w->stem)
        st = term_exists(h, FG_PREFIX_STEM, w->stem, found);
    if (st == FG_OK && !*found && w->stem)
        st = term_exists(h, FG_PREFIX_PART, w->stem, found);
    return st;
}

/* Appends s[0..n) to a growing string; false when memory ran out. */
static bool sb_put(char **buf, size_t *len, const char *s, size_t n) {
    char *p = realloc(*buf, *len + n + 1);
    if (!p)
        return false;
    memcpy(p + *len, s, n);
    *len += n;
    p[*len] = '\0';
    *buf = p;
    return true;
}

/* Appends the suggested word, with a capital first letter when the query
 * word had one (ASCII letters and ä ö ü). */
static bool put_word(char **buf, size_t *len, const char *orig, const char *word) {
    char first[3] = {0};
    size_t skip = 0;
    unsigned char o0 = (unsigned char)orig[0], o1 = (unsigned char)orig[1];
    bool upper =
        (o0 >= 'A' && o0 <= 'Z') || (o0 == 0xC3 && (o1 == 0x84 || o1 == 0x96 || o1 == 0x9C));
    unsigned char w0 = (unsigned char)word[0], w1 = (unsigned char)word[1];
    if (upper && w0 >= 'a' && w0 <= 'z') {
        first[0] = (char)(w0 - 'a' + 'A');
        skip = 1;
    } else if (upper && w0 == 0xC3 && (w1 == 0xA4 || w1 == 0xB6 || w1 == 0xBC)) {
        first[0] = (char)0xC3;
        first[1] = (char)(w1 - 0x20);
        skip = 2;
    }
    return sb_put(buf, len, first, skip) && sb_put(buf, len, word + skip, strlen(word + skip));
}

/*
 * The query text with every plain word that matches nothing in the index
 * replaced by the closest word of the index (edit distance at most 2, same
 * first letter, the most frequent among equally close ones); *out NULL when
 * no word was replaced.
 */
static fg_status_t suggest(fg_handle_t *h, const char *text, const fg_termset_t *ts, char **out) {
    *out = NULL;
    char *buf = NULL;
    size_t len = 0, done = 0;
    bool changed = false;
    for (size_t i = 0; i < ts->n_words; i++) {
        const fg_qword_t *w = &ts->words[i];
        bool found = false;
        fg_status_t mst = word_matches(h, w, &found);
        if (mst != FG_OK) {
            free(buf);
            return mst;
        }
        if (found)
            continue;
        closest_t c = {0};
        c.n_target = utf8_decode(w->term, strlen(w->term), c.target, MAX_CP);
        if (c.n_target < 3 || c.n_target > MAX_CP)
            continue;
        char first[5] = {0};
        size_t fl = 1;
        unsigned char b0 = (unsigned char)w->term[0];
        if (b0 >= 0xC0)
            fl = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
        memcpy(first, w->term, fl);
        fg_status_t st = fg_index_terms(h->index, first, on_term, &c);
        if (c.nomem)
            st = FG_NOMEM;
        if (st == FG_OK && c.best) {
            if (!sb_put(&buf, &len, text + done, w->offset - done) ||
                !put_word(&buf, &len, text + w->offset, c.best))
                st = FG_NOMEM;
            done = w->offset + w->length;
            changed = true;
        }
        free(c.best);
        if (st != FG_OK) {
            free(buf);
            return st;
        }
    }
    if (!changed)
        return FG_OK;
    if (!sb_put(&buf, &len, text + done, strlen(text + done))) {
        free(buf);
        return FG_NOMEM;
    }
    *out = buf;
    return FG_OK;
}

/* ------------------------------------------------------------ search */

/* The options as this plugin knows them, from what the host passed (unset
 * ones take the defaults, max_wildcard the configuration's). */
static fg_search_options_t options_of(const fg_handle_t *h, const fg_search_options_t *opts) {
    fg_search_options_t o = {0};
    if (opts) {
        size_t n = opts->struct_size < sizeof o ? opts->struct_size : sizeof o;
        memcpy(&o, opts, n);
    }
    o.struct_size = sizeof o;
    if (o.limit == 0)
        o.limit = 10;
    if (o.limit > MAX_LIMIT)
        o.limit = MAX_LIMIT;
    if (o.max_wildcard == 0)
        o.max_wildcard = h->max_wildcard;
    return o;
}

/* A new, empty page of results (NULL when memory ran out). */
static fg_results_t *results_new(void) {
    fg_results_t *r = calloc(1, sizeof *r);
    if (r) {
        r->struct_size = sizeof *r;
        r->hit_size = sizeof(fg_hit_t);
    }
    return r;
}

/* Runs q with the options o and fills r (hits, facets). */
static int run(fg_handle_t *h, const fg_xquery_t *q, const fg_termset_t *ts,
               const fg_search_options_t *o, fg_results_t *r) {
    static const unsigned facet_slots[3] = {FG_VALUE_EXT, FG_VALUE_DATE, FG_VALUE_FOLDER};
    fg_query_params_t qp;
    fg_query_params_default(&qp);
    qp.offset = o->offset;
    qp.limit = o->limit;
    qp.bm25_k1 = h->bm25_k1;
    qp.bm25_b = h->bm25_b;
    if (o->sort == FG_SORT_DATE) {
        qp.sort_value = FG_VALUE_DATE;
        qp.sort_reverse = true;
    }
    if (o->flags & FG_SEARCH_COLLAPSE)
        qp.collapse_value = FG_VALUE_CHECKSUM;
    if (o->flags & FG_SEARCH_FACETS) {
        qp.facet_slots = facet_slots;
        qp.n_facet_slots = 3;
        qp.check_at_least = FACET_CHECK;
    }
    qp.content = !(o->flags & FG_SEARCH_NO_SNIPPETS); /* content keys for the snippet cache */
    fg_qresult_t *qr = NULL;
    fg_status_t st = fg_index_query(h->index, q, &qp, &qr);
    if (st == FG_QUERY)
        return set_error(h, st,
                         "a wildcard matches more than %u words: make its prefix longer (%s)",
                         o->max_wildcard, fg_index_error(h->index));
    if (st != FG_OK)
        return set_error(h, st, "%s", fg_index_error(h->index));
    r->total_estimate = qr->estimate;
    fg_hit_t *hits = calloc(qr->n ? qr->n : 1, sizeof *hits);
    if (!hits) {
        fg_qresult_free(qr);
        return set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
    }
    r->hits = hits;
    snippet_cache_t cache = {0};
    for (size_t i = 0; i < qr->n; i++) {
        st = fill_hit(h, ts, &qr->hits[i], o, &cache, &hits[i]);
        r->count = i + 1; /* so results_free frees what fill_hit made */
        if (st != FG_OK) {
            snippet_cache_free(&cache);
            fg_qresult_free(qr);
            return set_error(h, st, "reading hit %zu: %s", i + 1, fg_status_str(st));
        }
    }
    snippet_cache_free(&cache);
    if (o->flags & FG_SEARCH_FACETS)
        st = make_facets(qr, r);
    fg_qresult_free(qr);
    if (st != FG_OK)
        return set_error(h, st, "%s", fg_status_str(st));
    return FG_OK;
}

/* Runs a ranked search (see fundgrube.h). */
static int plugin_search(fg_handle_t *h, const char *query, const fg_search_options_t *opts,
                         fg_results_t **out) {
    *out = NULL;
    h->err[0] = '\0';
    fg_search_options_t o = options_of(h, opts);
    if (!query)
        return set_error(h, FG_INVALID, "no query given");

    fg_results_t *r = results_new();
    if (!r)
        return set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));

    char *text = NULL;
    size_t text_len = 0;
    fg_xquery_t *q = NULL;
    fg_termset_t ts = {0};
    char msg[ERRLEN];
    fg_query_opts_t qo = {.max_wildcard = o.max_wildcard};
    fg_status_t st = fg_text_decode(query, strlen(query), &text, &text_len, NULL);
    if (st != FG_OK) {
        set_error(h, st, "decoding the query: %s", fg_status_str(st));
        goto fail;
    }
    st = fg_query_parse(h->analyzer, &h->weights, &qo, text, &q, &ts, msg, sizeof msg);
    if (st != FG_OK) {
        set_error(h, st, "%s", msg);
        goto fail;
    }
    st = fg_index_reopen(h->index);
    if (st != FG_OK) {
        set_error(h, st, "%s", fg_index_error(h->index));
        goto fail;
    }
    if (q && (st = run(h, q, &ts, &o, r)) != FG_OK)
        goto fail;
    if (o.flags & FG_SEARCH_SUGGEST) {
        st = suggest(h, text, &ts, (char **)&r->suggestion);
        if (st != FG_OK) {
            set_error(h, st, "spelling suggestion: %s",
                      st == FG_NOMEM ? fg_status_str(st) : fg_index_error(h->index));
            goto fail;
        }
    }
    if (msg[0])
        snprintf(h->err, sizeof h->err, "warning: %.*s", (int)sizeof h->err - 16, msg);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    free(text);
    *out = r;
    return FG_OK;
fail:
    fg_xquery_free(q);
    fg_termset_free(&ts);
    free(text);
    plugin_results_free(r);
    return st;
}

/* "More like this" (see fundgrube.h). */
static int plugin_similar(fg_handle_t *h, uint32_t docid, const fg_search_options_t *opts,
                          fg_results_t **out) {
    *out = NULL;
    h->err[0] = '\0';
    fg_search_options_t o = options_of(h, opts);
    fg_xquery_t *q = NULL;
    fg_termset_t ts = {0};
    char **terms = NULL;
    size_t n_terms = 0;
    fg_results_t *r = results_new();
    if (!r)
        return set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
    fg_status_t st = fg_index_reopen(h->index);
    if (st == FG_OK)
        st = fg_index_similar(h->index, docid, FG_PREFIX_STEM, SIMILAR_TERMS, &q, &terms, &n_terms);
    if (st != FG_OK) {
        set_error(h, st, "%s", fg_index_error(h->index));
        goto fail;
    }
    for (size_t i = 0; i < n_terms; i++)
        if (!fg_termset_add_stem(&ts, terms[i])) {
            st = set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
            goto fail;
        }
    if ((st = run(h, q, &ts, &o, r)) != FG_OK)
        goto fail;
    *out = r;
    r = NULL;
fail:
    for (size_t i = 0; i < n_terms; i++)
        free(terms[i]);
    free(terms);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    plugin_results_free(r);
    return st;
}

/* ------------------------------------------------------------ entry point */

static const fg_plugin_api_t api = {
    .abi_major = FG_PLUGIN_ABI_MAJOR,
    .abi_minor = FG_PLUGIN_ABI_MINOR,
    .struct_size = sizeof(fg_plugin_api_t),
    .version = plugin_version,
    .status_str = fg_status_str,
    .open = plugin_open,
    .search = plugin_search,
    .results_free = plugin_results_free,
    .last_error = plugin_last_error,
    .close = plugin_close,
    .doc_count = plugin_doc_count,
    .similar = plugin_similar,
    .open_with = plugin_open_with,
};

/* The one exported symbol (see fundgrube.h). */
FG_API const fg_plugin_api_t *fundgrube_plugin_entry(uint32_t host_abi_major) {
    return host_abi_major == FG_PLUGIN_ABI_MAJOR ? &api : NULL;
}
