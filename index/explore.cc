/*
 * explore.cc - the index seen from the search side beyond a ranked list:
 * walking the vocabulary (spelling suggestions), path filters, searches that
 * sort, collapse duplicates and count values (facets), and "more like this"
 * through Xapian's relevance feedback (see the end of index.h).
 *
 * Like search.cc, every result is copied into plain C memory before the call
 * returns, and the whole read is rerun after a DatabaseModifiedError.
 */
#include "index/index-private.h"

#include <algorithm>
#include <float.h>
#include <memory>
#include <new>
#include <stdlib.h>
#include <string.h>
#include <string>
#include <vector>

/* ------------------------------------------------------------ helpers */

/* A malloc'ed NUL-terminated copy of s; throws std::bad_alloc. */
static char *cstr_copy(const std::string &s) {
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
    return p;
}

/* ------------------------------------------------------------ vocabulary */

/* Walks the terms starting with prefix (see index.h).  After a
 * DatabaseModifiedError the walk starts again, so fn may see a term twice. */
extern "C" fg_status_t fg_index_terms(fg_index_t *idx, const char *prefix, fg_term_fn fn,
                                      void *ctx) {
    if (!idx || !fn)
        return FG_INVALID;
    std::string pre = prefix ? prefix : "";
    try {
        return fg_with_retry(idx, [&]() {
            for (Xapian::TermIterator t = idx->db.allterms_begin(pre);
                 t != idx->db.allterms_end(pre); ++t) {
                const std::string term = *t;
                if (fn(ctx, term.c_str(), term.size(), t.get_termfreq()))
                    break;
            }
            return FG_OK;
        });
    }
    FG_INDEX_CATCH(idx)
}

/* The P-term query of a path; trailing slashes are ignored ("/" stays). */
extern "C" fg_status_t fg_xquery_path(const char *path, fg_xquery_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!path || !*path)
        return FG_INVALID;
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;
    try {
        *out = new fg_xquery_t{Xapian::Query(fg_path_term(path, len)), false, {}, {}};
        return FG_OK;
    }
    FG_PLAIN_CATCH
}

/* ------------------------------------------------------------ searching */

/* Offset 0, limit 10, BM25 k1 1.2 and b 0.75, by relevance, nothing else. */
extern "C" void fg_query_params_default(fg_query_params_t *p) {
    if (!p)
        return;
    memset(p, 0, sizeof *p);
    p->limit = 10;
    p->bm25_k1 = 1.2;
    p->bm25_b = 0.75;
    p->sort_value = -1;
    p->collapse_value = -1;
    p->max_duplicates = 100;
}

/* A hit as read from Xapian, before it is copied into C memory. */
struct qhit_copy {
    Xapian::docid docid;
    Xapian::doccount rank;
    double weight;
    int percent;
    std::string data;
    std::string key;     /* the collapse value */
    std::string content; /* the FG_VALUE_CHECKSUM value */
    Xapian::doccount collapsed;
    std::vector<std::pair<Xapian::docid, std::string>> dups;
};

/* A facet's counts as read from Xapian. */
struct facet_copy {
    unsigned slot;
    std::vector<std::pair<std::string, uint64_t>> values;
};

/* Frees a result (see index.h). */
extern "C" void fg_qresult_free(fg_qresult_t *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        fg_qhit_t *h = &r->hits[i];
        free(h->data);
        for (uint32_t k = 0; k < h->n_duplicates; k++)
            free(h->duplicate_data[k]);
        free(h->duplicates);
        free(h->duplicate_data);
    }
    free(r->hits);
    for (size_t f = 0; f < r->n_facets; f++) {
        for (size_t k = 0; k < r->facets[f].n; k++)
            free(r->facets[f].values[k].value);
        free(r->facets[f].values);
    }
    free(r->facets);
    free(r);
}

/* Copies what was read into a new C result (*out); taat is 0 for Xapian's
 * matcher, else 1 for rank.cc, + 2 for an exact count, + 4 when it skipped
 * common terms; + 8 when the time limit ended the match (either way).  Throws std::bad_alloc,
 * freeing what it made. */
static void make_qresult(const std::vector<qhit_copy> &hits, const std::vector<facet_copy> &facets,
                         uint64_t estimate, int taat, fg_qresult_t **out) {
    fg_qresult_t *r = static_cast<fg_qresult_t *>(calloc(1, sizeof *r));
    if (!r)
        throw std::bad_alloc();
    try {
        r->estimate = estimate;
        r->term_at_a_time = (taat & 1) != 0;
        r->timed_out = (taat & 8) != 0;
        r->estimate_exact = (taat & 2) != 0;
        r->common_skipped = (taat & 4) != 0;
        if (!hits.empty()) {
            r->hits = static_cast<fg_qhit_t *>(calloc(hits.size(), sizeof *r->hits));
            if (!r->hits)
                throw std::bad_alloc();
        }
        for (const qhit_copy &h : hits) {
            fg_qhit_t *o = &r->hits[r->n++];
            o->docid = h.docid;
            o->rank = h.rank;
            o->weight = h.weight;
            o->percent = h.percent;
            o->data = cstr_copy(h.data);
            o->data_len = h.data.size();
            if (h.content.size() < sizeof o->content)
                memcpy(o->content, h.content.c_str(), h.content.size() + 1);
            if (!h.dups.empty()) {
                o->duplicates = static_cast<uint32_t *>(calloc(h.dups.size(), sizeof(uint32_t)));
                o->duplicate_data = static_cast<char **>(calloc(h.dups.size(), sizeof(char *)));
                if (!o->duplicates || !o->duplicate_data)
                    throw std::bad_alloc();
                for (const auto &d : h.dups) {
                    o->duplicate_data[o->n_duplicates] = cstr_copy(d.second);
                    o->duplicates[o->n_duplicates++] = d.first;
                }
            }
        }
        if (!facets.empty()) {
            r->facets = static_cast<decltype(r->facets)>(calloc(facets.size(), sizeof *r->facets));
            if (!r->facets)
                throw std::bad_alloc();
        }
        for (const facet_copy &f : facets) {
            auto *o = &r->facets[r->n_facets++];
            o->slot = f.slot;
            if (!f.values.empty()) {
                o->values = static_cast<fg_value_count_t *>(
                    calloc(f.values.size(), sizeof(fg_value_count_t)));
                if (!o->values)
                    throw std::bad_alloc();
            }
            for (const auto &v : f.values) {
                o->values[o->n].value = cstr_copy(v.first);
                o->values[o->n++].count = v.second;
            }
        }
    } catch (...) {
        fg_qresult_free(r);
        throw;
    }
    *out = r;
}

/* Finds, among the documents matching q, the others of each collapsed hit's
 * value, by ascending docid: a boolean search per value (there is one per
 * hit at most, and each stops after max_duplicates + 1), through the
 * FG_PREFIX_HASH terms when collapsing by FG_VALUE_CHECKSUM in an index that has
 * them (fast: short posting lists), else through a value range (a scan of
 * the value slot).  (One search for all values, stopping after their total,
 * could leave out the copies of a later value when an earlier one had more
 * than max_duplicates.) */
static void find_duplicates(fg_index_t *idx, const Xapian::Query &q, const fg_query_params_t *p,
                            std::vector<qhit_copy> &hits) {
    if (p->max_duplicates == 0)
        return;
    Xapian::valueno slot = static_cast<Xapian::valueno>(p->collapse_value);
    int use_terms = -1; /* unknown yet */
    for (qhit_copy &h : hits) {
        if (h.collapsed == 0 || h.key.empty())
            continue;
        std::string term = FG_PREFIX_HASH + h.key;
        if (use_terms < 0)
            use_terms = slot == FG_VALUE_CHECKSUM && idx->db.term_exists(term);
        Xapian::Query key = use_terms
                                ? Xapian::Query(term)
                                : Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, h.key, h.key);
        Xapian::Enquire enq(idx->db);
        enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, key));
        enq.set_weighting_scheme(Xapian::BoolWeight());
        enq.set_docid_order(Xapian::Enquire::ASCENDING);
        Xapian::MSet m = enq.get_mset(0, p->max_duplicates + 1);
        for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
            if (*it != h.docid && h.dups.size() < p->max_duplicates)
                h.dups.emplace_back(*it, it.get_document().get_data());
    }
}

/*
 * The percentages of hits ranked by rank.cc, as Xapian's matcher gives them
 * (it gives them in fg_index_search()), with the same arithmetic: weight /
 * greatest weight * (subqueries matching the document of the greatest
 * weight / all weighted subqueries), where the subqueries of a plain query
 * are its leaves.
 */
static void percents_of(const fg_rank_info &info, size_t leaves, std::vector<qhit_copy> &hits) {
    if (hits.empty() || leaves == 0 || info.best == 0 || !(info.greatest > 0))
        return;
    double scale = info.best_leaves / double(leaves);
    scale /= info.greatest;
    double factor = scale * 100.0;
    for (qhit_copy &h : hits) {
        int pcent = static_cast<int>(h.weight * factor + 100.0 * DBL_EPSILON);
        if (pcent > 100)
            pcent = 100;
        else if (pcent < 0)
            pcent = 0;
        else if (pcent == 0 && h.weight > 0)
            pcent = 1;
        h.percent = pcent;
    }
}

/* The hits of xq ranked term at a time by rank.cc, for a search by relevance
 * without facets; false (nothing done) when that does not apply.  The
 * estimate is then the exact number of matches (collapsed). */
static bool run_plain(fg_index_t *idx, const fg_xquery_t *xq, const fg_query_params_t *p,
                      fg_deadline &dl, std::vector<qhit_copy> &hits, uint64_t &estimate, int &how) {
    if (p->sort_value >= 0 || p->n_facet_slots > 0)
        return false;
    fg_rank_params rp{p->bm25_k1,        p->bm25_b,         p->offset,      p->limit,
                      p->collapse_value, p->max_duplicates, p->common_skip, &dl};
    std::vector<fg_ranked> page;
    fg_rank_info info;
    if (!fg_rank_plain(idx, xq, rp, page, info))
        return false;
    estimate = info.matches;
    how = 1 | (info.exact ? 2 : 0) | (info.skipped ? 4 : 0) | (info.timed_out ? 8 : 0);
    hits.reserve(page.size());
    for (size_t i = 0; i < page.size(); i++) {
        Xapian::Document doc = idx->db.get_document(page[i].docid);
        qhit_copy h{page[i].docid,
                    static_cast<Xapian::doccount>(p->offset + i),
                    page[i].weight,
                    0,
                    doc.get_data(),
                    std::string(),
                    p->content ? doc.get_value(FG_VALUE_CHECKSUM) : std::string(),
                    0,
                    {}};
        for (Xapian::docid d : page[i].duplicates)
            h.dups.emplace_back(d, idx->db.get_document(d).get_data());
        hits.push_back(std::move(h));
    }
    percents_of(info, xq->leaves.size(), hits);
    return true;
}

/* One search as fg_index_query() describes, ended at dl's deadline; fills
 * hits, facets, estimate; returns how it was ranked (see make_qresult()). */
static int run_query(fg_index_t *idx, const fg_xquery_t *xq, const fg_query_params_t *p,
                     fg_deadline &dl, std::vector<qhit_copy> &hits, std::vector<facet_copy> &facets,
                     uint64_t &estimate) {
    hits.clear();
    facets.clear();
    int how = 0;
    if (run_plain(idx, xq, p, dl, hits, estimate, how))
        return how;
    /* a remote server cannot run our posting source: Xapian's time limit only */
    const Xapian::Query q = idx->remote ? xq->q : fg_deadline_query(xq->q, dl);
    Xapian::BM25Weight weight(p->bm25_k1, 0, 1, p->bm25_b, 0.5);
    Xapian::Enquire enq(idx->db);
    enq.set_query(q);
    enq.set_weighting_scheme(weight);
    enq.set_docid_order(Xapian::Enquire::ASCENDING);
    if (p->sort_value >= 0)
        enq.set_sort_by_value_then_relevance(static_cast<Xapian::valueno>(p->sort_value),
                                             p->sort_reverse);
    if (p->collapse_value >= 0)
        enq.set_collapse_key(static_cast<Xapian::valueno>(p->collapse_value));
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (size_t i = 0; i < p->n_facet_slots; i++) {
        spies.emplace_back(new Xapian::ValueCountMatchSpy(p->facet_slots[i]));
        enq.add_matchspy(spies.back().get());
    }
    if (p->time_limit_ms)
        enq.set_time_limit(p->time_limit_ms / 1e3); /* check_at_least given up too */
    /* a plain query over a shard list counts every match, as rank.cc does
     * for one index: the same totals either way (each server weighs all of
     * its matches, as rank.cc reads all postings) */
    Xapian::doccount check = p->check_at_least;
    if (idx->shards && xq->plain && p->sort_value < 0 && p->n_facet_slots == 0 &&
        check < idx->db.get_doccount())
        check = idx->db.get_doccount();
    Xapian::MSet mset = enq.get_mset(p->offset, p->limit, check);
    if (dl.passed)
        how |= 8;
    estimate = mset.get_matches_estimated();
    hits.reserve(mset.size());
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        Xapian::Document doc = it.get_document();
        qhit_copy h{*it,
                    it.get_rank(),
                    it.get_weight(),
                    it.get_percent(),
                    doc.get_data(),
                    std::string(),
                    p->content ? doc.get_value(FG_VALUE_CHECKSUM) : std::string(),
                    0,
                    {}};
        if (p->collapse_value >= 0) {
            h.key = it.get_collapse_key();
            h.collapsed = it.get_collapse_count();
        }
        hits.push_back(std::move(h));
    }
    if (p->collapse_value >= 0)
        find_duplicates(idx, q, p, hits);
    for (size_t i = 0; i < spies.size(); i++) {
        facet_copy f{p->facet_slots[i], {}};
        for (Xapian::TermIterator v = spies[i]->values_begin(); v != spies[i]->values_end(); ++v)
            f.values.emplace_back(*v, v.get_termfreq());
        std::stable_sort(
            f.values.begin(), f.values.end(),
            [](const std::pair<std::string, uint64_t> &a,
               const std::pair<std::string, uint64_t> &b) { return a.second > b.second; });
        facets.push_back(std::move(f));
    }
    return how;
}

/* Runs a search with sorting, collapsing and facets (see index.h). */
extern "C" fg_status_t fg_index_query(fg_index_t *idx, const fg_xquery_t *q,
                                      const fg_query_params_t *p, fg_qresult_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!idx || !p)
        return FG_INVALID;
    if (!q)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "search: no query");
    if (!(p->bm25_k1 >= 0) || !(p->bm25_k1 < 1e300) || !(p->bm25_b >= 0 && p->bm25_b <= 1))
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID,
                            "search: BM25 k1 must be >= 0 and b within [0, 1]");
    try {
        std::vector<qhit_copy> hits;
        std::vector<facet_copy> facets;
        uint64_t estimate = 0;
        int taat = 0;
        fg_deadline dl;
        if (p->time_limit_ms)
            dl.at_ms = fg_now_ms() + p->time_limit_ms;
        fg_status_t st = fg_with_retry(idx, [&]() {
            taat = run_query(idx, q, p, dl, hits, facets, estimate);
            return FG_OK;
        });
        if (st == FG_OK)
            make_qresult(hits, facets, estimate, taat, out);
        return st;
    }
    FG_INDEX_CATCH(idx)
}

/* ------------------------------------------------------------ more like this */

/* Accepts the terms of one prefix: prefix followed by something that does not
 * continue an upper-case prefix ("Z" takes "Zhaus", not "ZShaus"). */
struct prefix_decider : public Xapian::ExpandDecider {
    std::string prefix;
    explicit prefix_decider(const std::string &p) : prefix(p) {
    }
    /* True for a term of the prefix. */
    bool operator()(const std::string &term) const override {
        if (term.size() <= prefix.size() || term.compare(0, prefix.size(), prefix) != 0)
            return false;
        char c = term[prefix.size()];
        return !(c >= 'A' && c <= 'Z');
    }
};

/* The best terms of document docid (see index.h). */
static fg_status_t similar(fg_index_t *idx, uint32_t docid, const std::string &prefix,
                           uint32_t nterms, Xapian::Query &query, std::vector<std::string> &terms) {
    terms.clear();
    Xapian::Document doc = idx->db.get_document(docid);
    Xapian::RSet rset;
    rset.add_document(docid);
    Xapian::Enquire enq(idx->db);
    enq.set_query(Xapian::Query::MatchAll);
    prefix_decider decider(prefix);
    Xapian::ESet eset = enq.get_eset(nterms, rset, &decider);
    std::vector<Xapian::Query> subs;
    for (Xapian::ESetIterator e = eset.begin(); e != eset.end(); ++e) {
        subs.emplace_back(*e);
        terms.push_back((*e).substr(prefix.size()));
    }
    if (subs.empty())
        return FG_NOT_FOUND;
    query = Xapian::Query(Xapian::Query::OP_OR, subs.begin(), subs.end());
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(FG_PREFIX_UID);
    if (t != doc.termlist_end() && !(*t).empty() && (*t)[0] == 'Q')
        query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(*t));
    return FG_OK;
}

/* "More like this" (see index.h). */
extern "C" fg_status_t fg_index_similar(fg_index_t *idx, uint32_t docid, const char *prefix,
                                        uint32_t nterms, fg_xquery_t **out, char ***terms,
                                        size_t *n_terms) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (terms)
        *terms = NULL;
    if (n_terms)
        *n_terms = 0;
    if (!idx || docid == 0 || nterms == 0)
        return FG_INVALID;
    std::string pre = prefix ? prefix : "";
    try {
        Xapian::Query query;
        std::vector<std::string> chosen;
        fg_status_t st =
            fg_with_retry(idx, [&]() { return similar(idx, docid, pre, nterms, query, chosen); });
        if (st == FG_NOT_FOUND)
            return fg_set_error(idx->error, sizeof idx->error, FG_NOT_FOUND,
                                "document %u has no terms to compare", docid);
        if (st != FG_OK)
            return st;
        char **list = NULL;
        if (terms && !chosen.empty()) {
            list = static_cast<char **>(calloc(chosen.size(), sizeof *list));
            for (size_t i = 0; list && i < chosen.size(); i++) {
                list[i] = static_cast<char *>(malloc(chosen[i].size() + 1));
                if (!list[i]) {
                    for (size_t k = 0; k < i; k++)
                        free(list[k]);
                    free(list);
                    list = NULL;
                    break;
                }
                memcpy(list[i], chosen[i].c_str(), chosen[i].size() + 1);
            }
            if (!list)
                return fg_set_error(idx->error, sizeof idx->error, FG_NOMEM, "out of memory");
        }
        try {
            *out = new fg_xquery_t{query, false, {}, {}};
        } catch (...) {
            for (size_t i = 0; list && i < chosen.size(); i++)
                free(list[i]);
            free(list);
            throw;
        }
        if (terms) {
            *terms = list;
            *n_terms = chosen.size();
        }
        return FG_OK;
    } catch (const Xapian::DocNotFoundError &) {
        return fg_set_error(idx->error, sizeof idx->error, FG_NOT_FOUND,
                            "no document %u in the index", docid);
    }
    FG_INDEX_CATCH(idx)
}
