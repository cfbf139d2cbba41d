/*
 * query.cc - fg_xquery_t: thin wrappers that build a Xapian::Query.
 *
 * A query is a heap-allocated C++ object behind the opaque C struct; combining
 * copies the subqueries' handles (Xapian::Query is reference-counted), so the
 * caller frees every query it made, in any order.
 */
#include "index/index-private.h"

#include <algorithm>
#include <math.h>
#include <new>
#include <stdlib.h>
#include <string.h>
#include <vector>

/* Wraps q in a new fg_xquery_t (not plain). */
static fg_status_t wrap(const Xapian::Query &q, fg_xquery_t **out) {
    *out = new fg_xquery_t{q, false, {}, {}};
    return FG_OK;
}

/* Wraps q in a new plain fg_xquery_t with leaves and exclusion groups (see
 * fg_xquery). */
static fg_status_t wrap_plain(const Xapian::Query &q, std::vector<fg_wleaf> leaves,
                              std::vector<std::vector<std::string>> excluded, fg_xquery_t **out) {
    fg_xquery_t *x = new fg_xquery_t{q, true, std::move(leaves), std::move(excluded)};
    *out = x;
    return FG_OK;
}

/* Wraps q, the OR of subs[0..n), as a plain query when they all are: their
 * leaves, each group numbered after those of the subqueries before. */
static fg_status_t wrap_or(const Xapian::Query &q, fg_xquery_t *const *subs, size_t n,
                           fg_xquery_t **out) {
    std::vector<fg_wleaf> leaves;
    std::vector<std::vector<std::string>> excluded;
    for (size_t i = 0; i < n; i++) {
        if (!subs[i]->plain)
            return wrap(q, out);
        int base = static_cast<int>(excluded.size());
        for (fg_wleaf l : subs[i]->leaves) {
            if (l.group >= 0)
                l.group += base;
            leaves.push_back(std::move(l));
        }
        excluded.insert(excluded.end(), subs[i]->excluded.begin(), subs[i]->excluded.end());
    }
    return wrap_plain(q, std::move(leaves), std::move(excluded), out);
}

/* Wraps q, subs[0] AND_NOT the OR of subs[1..n), as a plain query when they
 * all are and the right side excludes nothing itself: subs[0]'s leaves, none
 * of which weighs or matches a document of a right side's term. */
static fg_status_t wrap_and_not(const Xapian::Query &q, fg_xquery_t *const *subs, size_t n,
                                fg_xquery_t **out) {
    std::vector<std::string> banned;
    for (size_t i = 1; i < n; i++) {
        if (!subs[i]->plain || !subs[i]->excluded.empty())
            return wrap(q, out);
        for (const fg_wleaf &l : subs[i]->leaves)
            banned.push_back(l.term);
    }
    if (!subs[0]->plain)
        return wrap(q, out);
    std::sort(banned.begin(), banned.end());
    banned.erase(std::unique(banned.begin(), banned.end()), banned.end());
    std::vector<fg_wleaf> leaves = subs[0]->leaves;
    std::vector<std::vector<std::string>> excluded = subs[0]->excluded;
    for (std::vector<std::string> &g : excluded)
        g.insert(g.end(), banned.begin(), banned.end());
    int fresh = static_cast<int>(excluded.size());
    excluded.push_back(banned);
    for (fg_wleaf &l : leaves)
        if (l.group < 0)
            l.group = fresh;
    return wrap_plain(q, std::move(leaves), std::move(excluded), out);
}

/* A query for one term with within-query frequency wqf.  The empty term is
 * refused (Xapian would read it as "match everything"). */
extern "C" fg_status_t fg_xquery_term(const char *term, size_t len, uint32_t wqf,
                                      fg_xquery_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!term || len == 0)
        return FG_INVALID;
    try {
        std::string t(term, len);
        if (wqf == 0)
            return wrap(Xapian::Query(t, wqf), out); /* matches without weight */
        return wrap_plain(Xapian::Query(t, wqf), {fg_wleaf{t, 1.0, wqf, -1}}, {}, out);
    }
    FG_PLAIN_CATCH
}

/*
 * Combines n >= 1 subqueries with op:
 *   AND, OR, SYNONYM, AND_MAYBE (first, weighted up by the rest), FILTER
 *   (first, restricted to all of the rest, weight from the first only) map
 *   directly to Xapian's n-ary operators;
 *   AND_NOT is first AND_NOT (OR of the rest);
 *   PHRASE and NEAR take window (0: Xapian's default, the number of
 *   subqueries, which for PHRASE means an exact phrase).
 */
extern "C" fg_status_t fg_xquery_combine(fg_xquery_op_t op, fg_xquery_t *const *subs, size_t n,
                                         uint32_t window, fg_xquery_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!subs || n == 0)
        return FG_INVALID;
    for (size_t i = 0; i < n; i++) {
        if (!subs[i])
            return FG_INVALID;
    }
    try {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            v.push_back(subs[i]->q);
        switch (op) {
        case FG_XQ_AND: return wrap(Xapian::Query(Xapian::Query::OP_AND, v.begin(), v.end()), out);
        case FG_XQ_OR:
            return wrap_or(Xapian::Query(Xapian::Query::OP_OR, v.begin(), v.end()), subs, n, out);
        case FG_XQ_SYNONYM:
            return wrap(Xapian::Query(Xapian::Query::OP_SYNONYM, v.begin(), v.end()), out);
        case FG_XQ_AND_MAYBE:
            return wrap(Xapian::Query(Xapian::Query::OP_AND_MAYBE, v.begin(), v.end()), out);
        case FG_XQ_FILTER:
            return wrap(Xapian::Query(Xapian::Query::OP_FILTER, v.begin(), v.end()), out);
        case FG_XQ_AND_NOT:
            if (n == 1)
                return wrap_or(v[0], subs, 1, out);
            return wrap_and_not(
                Xapian::Query(Xapian::Query::OP_AND_NOT, v[0],
                              Xapian::Query(Xapian::Query::OP_OR, v.begin() + 1, v.end())),
                subs, n, out);
        case FG_XQ_PHRASE:
            return wrap(Xapian::Query(Xapian::Query::OP_PHRASE, v.begin(), v.end(), window), out);
        case FG_XQ_NEAR:
            return wrap(Xapian::Query(Xapian::Query::OP_NEAR, v.begin(), v.end(), window), out);
        case FG_XQ_MAX: break;
        }
        return FG_INVALID;
    }
    FG_PLAIN_CATCH
}

/* q with its weight multiplied by factor (finite, >= 0). */
extern "C" fg_status_t fg_xquery_scale(const fg_xquery_t *q, double factor, fg_xquery_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!q || !(factor >= 0) || !isfinite(factor))
        return FG_INVALID;
    try {
        Xapian::Query scaled(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor);
        if (!q->plain || !(factor > 0))
            return wrap(scaled, out); /* factor 0 matches without weight */
        std::vector<fg_wleaf> leaves = q->leaves;
        for (fg_wleaf &l : leaves)
            l.factor *= factor;
        return wrap_plain(scaled, std::move(leaves), q->excluded, out);
    }
    FG_PLAIN_CATCH
}

/* Every document but the failure stubs (FG_PREFIX_FAILED: files that could
 * not be read are no search result), weight 0. */
extern "C" fg_status_t fg_xquery_match_all(fg_xquery_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    try {
        return wrap(Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll,
                                  Xapian::Query(FG_PREFIX_FAILED)),
                    out);
    }
    FG_PLAIN_CATCH
}

/*
 * Documents whose value in slot lies in [lo, hi] (byte order); NULL or ""
 * leaves that end open.  Both open: every document that has a value in slot.
 * (Xapian turns OP_VALUE_GE with "" into "all documents", those without a
 * value included, so that case uses the bound "\0" instead: every non-empty
 * value is >= "\0", and an unset value is empty.)
 */
extern "C" fg_status_t fg_xquery_value_range(unsigned slot, const char *lo, const char *hi,
                                             fg_xquery_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (slot == Xapian::BAD_VALUENO)
        return FG_INVALID;
    bool has_lo = lo && *lo, has_hi = hi && *hi;
    try {
        if (has_lo && has_hi)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi), out);
        if (has_hi)
            return wrap(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi), out);
        return wrap(Xapian::Query(Xapian::Query::OP_VALUE_GE, slot,
                                  has_lo ? std::string(lo) : std::string(1, '\0')),
                    out);
    }
    FG_PLAIN_CATCH
}

/* All terms starting with prefix as one SYNONYM; more than max_expansion
 * (0: no limit) makes fg_index_search() fail with FG_QUERY. */
extern "C" fg_status_t fg_xquery_wildcard(const char *prefix, uint32_t max_expansion,
                                          fg_xquery_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!prefix || !*prefix)
        return FG_INVALID;
    try {
        return wrap(Xapian::Query(Xapian::Query::OP_WILDCARD, prefix, max_expansion,
                                  Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_SYNONYM),
                    out);
    }
    FG_PLAIN_CATCH
}

/* Frees a query; NULL is allowed. */
extern "C" void fg_xquery_free(fg_xquery_t *q) {
    delete q; /* dropping a Xapian::Query reference does not throw */
}

/* Xapian's description of q, malloc'ed. */
extern "C" fg_status_t fg_xquery_describe(const fg_xquery_t *q, char **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!q)
        return FG_INVALID;
    try {
        std::string s = q->q.get_description();
        *out = static_cast<char *>(malloc(s.size() + 1));
        if (!*out)
            return FG_NOMEM;
        memcpy(*out, s.c_str(), s.size() + 1);
        return FG_OK;
    }
    FG_PLAIN_CATCH
}
