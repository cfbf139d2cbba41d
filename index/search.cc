/*
 * search.cc - fg_index_search() and its result, fg_mset_t.
 *
 * The result is plain C memory: one array of hits and one block holding
 * every hit's document data, each NUL-terminated.  Nothing of Xapian
 * outlives the call, so a result stays valid after the index moves on,
 * is reopened or closed.
 */
#include "index/index-private.h"

#include <math.h>
#include <new>
#include <stdlib.h>
#include <string.h>
#include <vector>

struct fg_mset {
    size_t n;
    uint64_t estimate;
    fg_mset_hit_t *hits; /* n hits; NULL when n is 0 */
    char *blob;          /* the hits' data, each followed by a NUL */
};

/* Offset 0, limit 10, BM25 k1 1.2 and b 0.75, by relevance. */
extern "C" void fg_search_params_default(fg_search_params_t *p) {
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    p->offset = 0;
    p->limit = 10;
    p->bm25_k1 = 1.2;
    p->bm25_b = 0.75;
    p->sort_value = -1;
    p->sort_reverse = false;
}

/* One hit as read from Xapian, before it is copied into C memory. */
struct hit_copy {
    Xapian::docid docid;
    Xapian::doccount rank;
    double weight;
    int percent;
    std::string data;
};

/* Builds the C result from the copied hits; NULL when memory ran out. */
static fg_mset_t *make_mset(const std::vector<hit_copy> &hits, uint64_t estimate) {
    fg_mset_t *m = static_cast<fg_mset_t *>(calloc(1, sizeof *m));
    if (!m)
        return NULL;
    m->estimate = estimate;
    size_t total = 1;
    for (const hit_copy &h : hits)
        total += h.data.size() + 1;
    m->blob = static_cast<char *>(malloc(total));
    if (hits.size())
        m->hits = static_cast<fg_mset_hit_t *>(calloc(hits.size(), sizeof *m->hits));
    if (!m->blob || (hits.size() && !m->hits)) {
        fg_mset_free(m);
        return NULL;
    }
    char *at = m->blob;
    for (const hit_copy &h : hits) {
        fg_mset_hit_t *out = &m->hits[m->n++];
        out->docid = h.docid;
        out->rank = h.rank;
        out->weight = h.weight;
        out->percent = h.percent;
        memcpy(at, h.data.data(), h.data.size());
        at[h.data.size()] = '\0';
        out->data = at;
        out->data_len = h.data.size();
        at += h.data.size() + 1;
    }
    return m;
}

/*
 * Runs q with BM25Weight(k1, k2 0, k3 1, b, min_normlen 0.5), ties in docid
 * order, or sorted by a value slot (then by relevance).  The whole search,
 * the reading of every hit's data included, is rerun after a reopen when the
 * reader's revision was discarded (DatabaseModifiedError), up to
 * FG_INDEX_RETRIES times.  A wildcard over its limit is FG_QUERY (Xapian's
 * WildcardError, whose message names the limit).
 */
extern "C" fg_status_t fg_index_search(fg_index_t *idx, const fg_xquery_t *q,
                                       const fg_search_params_t *p, fg_mset_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!idx)
        return FG_INVALID;
    fg_search_params_t defaults;
    if (!p) {
        fg_search_params_default(&defaults);
        p = &defaults;
    }
    if (!q)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "search: no query");
    if (!(p->bm25_k1 >= 0) || !isfinite(p->bm25_k1) || !(p->bm25_b >= 0 && p->bm25_b <= 1))
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID,
                            "search: BM25 k1 must be >= 0 and b within [0, 1]");
    try {
        std::vector<hit_copy> hits;
        uint64_t estimate = 0;
        fg_status_t st = fg_with_retry(idx, [&]() {
            hits.clear();
            Xapian::Enquire enq(idx->db);
            enq.set_query(q->q);
            enq.set_weighting_scheme(Xapian::BM25Weight(p->bm25_k1, 0, 1, p->bm25_b, 0.5));
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
            if (p->sort_value >= 0)
                enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(p->sort_value),
                                                     p->sort_reverse);
            Xapian::MSet mset = enq.get_mset(p->offset, p->limit);
            estimate = mset.get_matches_estimated();
            hits.reserve(mset.size());
            for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it)
                hits.push_back(hit_copy{*it, it.get_rank(), it.get_weight(), it.get_percent(),
                                        it.get_document().get_data()});
            return FG_OK;
        });
        if (st != FG_OK)
            return st;
        *out = make_mset(hits, estimate);
        if (!*out)
            return fg_set_error(idx->error, sizeof idx->error, FG_NOMEM, "out of memory");
        return FG_OK;
    }
    FG_INDEX_CATCH(idx)
}

/* Hits in this page. */
extern "C" size_t fg_mset_size(const fg_mset_t *m) {
    return m ? m->n : 0;
}

/* Xapian's estimate of all matches. */
extern "C" uint64_t fg_mset_estimate(const fg_mset_t *m) {
    return m ? m->estimate : 0;
}

/* Hit i, or NULL when i is out of range. */
extern "C" const fg_mset_hit_t *fg_mset_hit(const fg_mset_t *m, size_t i) {
    return m && i < m->n ? &m->hits[i] : NULL;
}

/* Frees a result; NULL is allowed. */
extern "C" void fg_mset_free(fg_mset_t *m) {
    if (!m)
        return;
    free(m->hits);
    free(m->blob);
    free(m);
}
