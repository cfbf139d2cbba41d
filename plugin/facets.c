/*
 * facets.c - the hits counted by type, year and top folder (see
 * plugin-private.h and the README's "Facets").
 */
#include <stdlib.h>
#include <string.h>

#include "plugin/plugin-private.h"

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

/* Builds the four facets of r from the value counts of qr (see
 * plugin-private.h). */
fg_status_t fg_plugin_make_facets(const fg_qresult_t *qr, fg_results_t *r) {
    static const char *const names[4] = {"type", "year", "folder", "author"};
    fg_facet_t *facets = calloc(4, sizeof *facets);
    if (!facets)
        return FG_NOMEM;
    r->facets = facets;
    for (size_t k = 0; k < 4 && k < qr->n_facets; k++) {
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
