/*
 * rank.cc - ranking a plain OR query term at a time.
 *
 * The plugin turns every query word into up to seven weighted terms (the
 * word, its stem, title, lead, compound-part and weak forms), so a query of
 * a man page's description is an OR of 20 to 110 terms, and the common ones
 * ("Beschreibung" heads every man page) have posting lists as long as the
 * index.  Xapian's matcher walks such an OR document at a time through a
 * tree of posting lists; on the x20 man-page index it spends about 40 ns a
 * posting, and its pruning by maximum weights rarely skips a list, since
 * the top weights are sums of many small parts.  Reading the same posting
 * lists one after the other and adding each posting's weight into an array
 * indexed by docid costs about 20 ns a posting, then one pass over the
 * array picks the page.  That is what this file does, for plain queries
 * (terms, OR, weight scaling and NOT; see fg_xquery) ranked by relevance,
 * collapsed by a value (one hit per content) or not.
 *
 * The weight of a posting is Xapian's BM25Weight formula with the same
 * parameters and statistics (document count, average length, term
 * frequency), computed in the same order of operations, so every hit's
 * weight is the one Xapian's matcher gives up to the rounding of the sum
 * (a test compares hits, weights and percentages with the matcher's).
 * Document lengths come from an array read once per revision of the
 * database (one pass over Xapian's length list), kept in the handle with
 * the length part of each document's BM25 denominator and, for collapsing,
 * each document's value as a number.
 */
#include "index/index-private.h"

#include <algorithm>
#include <math.h>
#include <unordered_map>
#include <vector>

/* Docids beyond this are ranked by Xapian's matcher (the arrays take 20
 * bytes a docid, 36 with collapse: up to 144 MB here). */
#define RANK_MAX_DOCID 4000000u

/* Leaves whose term is in more than this share of the documents are common
 * (their weights are added for the candidates only, see skip_common())... */
#define RANK_COMMON_SHARE 0.25

/* skip_common() gives up beyond this many candidates (skip_to() then costs
 * as much as reading the lists through). */
#define RANK_MAX_CANDIDATES 2048u

/* skip_common() counts the documents of common terms only among this many
 * of the documents the other terms do not match, spread evenly. */
#define RANK_SAMPLES 512u

/* ... and hold at least this many postings: shorter lists are read through
 * faster than skip_common() probes them (on the x1 man-page index, lists
 * of at most 1,345 postings, probing cost more than it saved; on the x20
 * index, from 6,725, it saves a quarter of the p99). */
#define RANK_LONG_LIST 4096u

/* BM25Weight's min_normlen as fg_index_query() constructs it. */
#define RANK_MIN_NORMLEN 0.5

/* Reads every document's length into idx->doclens unless they are those of
 * db's present generation and revision. */
static void read_doclens(fg_index_t *idx, Xapian::docid last) {
    Xapian::rev rev = idx->db.get_revision();
    if (idx->doclens_valid && idx->doclens_rev == rev && idx->doclens_gen == idx->gen &&
        idx->doclens.size() == size_t(last) + 1)
        return;
    idx->doclens_valid = false; /* until read whole */
    idx->doclens.assign(size_t(last) + 1, 0);
    for (Xapian::PostingIterator p = idx->db.postlist_begin(""); p != idx->db.postlist_end(""); ++p)
        idx->doclens[*p] = p.get_doclength();
    idx->doclens_rev = rev;
    idx->doclens_gen = idx->gen;
    idx->doclens_reads++;
    idx->doclens_valid = true;
}

/* Computes idx->lenparts for k1 and b from the lengths unless they are those
 * of this reading of them: BM25Weight::get_sumpart()'s
 * k1 * (normlen * b + (1 - b)), normlen = max(length / average length,
 * min_normlen), the same operations in the same order. */
static void compute_lenparts(fg_index_t *idx, double k1, double b) {
    if (idx->lenparts_read == idx->doclens_reads && idx->lenparts_k1 == k1 &&
        idx->lenparts_b == b && idx->lenparts.size() == idx->doclens.size())
        return;
    double len_factor = 0;
    if (b != 0 && k1 != 0) {
        len_factor = idx->db.get_avlength();
        if (len_factor != 0)
            len_factor = 1 / len_factor;
    }
    idx->lenparts.resize(idx->doclens.size());
    for (size_t d = 0; d < idx->doclens.size(); d++) {
        double normlen = std::max(idx->doclens[d] * len_factor, RANK_MIN_NORMLEN);
        idx->lenparts[d] = k1 * (normlen * b + (1 - b));
    }
    idx->lenparts_read = idx->doclens_reads;
    idx->lenparts_k1 = k1;
    idx->lenparts_b = b;
}

/* True when a ranks before b: greater weight, then smaller docid. */
static bool ranks_before(const fg_ranked &a, const fg_ranked &b) {
    return a.weight > b.weight || (a.weight == b.weight && a.docid < b.docid);
}

/* Reads every document's value of slot into idx->keys as numbers (equal
 * values, equal numbers; 0 for none) unless they are those of this reading
 * of the lengths. */
static void read_keys(fg_index_t *idx, int slot) {
    if (idx->keys_read == idx->doclens_reads && idx->keys_slot == slot &&
        idx->keys.size() == idx->doclens.size())
        return;
    idx->keys_read = 0;
    idx->keys.assign(idx->doclens.size(), 0);
    std::unordered_map<std::string, uint32_t> numbers;
    Xapian::valueno vslot = static_cast<Xapian::valueno>(slot);
    for (Xapian::ValueIterator v = idx->db.valuestream_begin(vslot);
         v != idx->db.valuestream_end(vslot); ++v) {
        Xapian::docid did = v.get_docid();
        const std::string value = *v;
        if (value.empty() || did >= idx->keys.size())
            continue;
        auto ins = numbers.emplace(value, static_cast<uint32_t>(numbers.size() + 1));
        idx->keys[did] = ins.first->second;
    }
    idx->key_seen.assign(numbers.size() + 1, 0);
    idx->key_hit.assign(numbers.size() + 1, 0);
    idx->keys_slot = slot;
    idx->keys_read = idx->doclens_reads;
}

/*
 * The page of a collapsed ranking (see fg_rank_plain()) from the weights in
 * acc (matched: > 0): the documents in ranking order, each whose value was
 * not seen before (or that has none) a hit, until offset + limit hits; then
 * one pass in docid order lists the other documents of the page's values.
 * info.matches becomes the number of collapsed results.
 */
static void collapse_page(fg_index_t *idx, const std::vector<double> &acc, Xapian::docid last,
                          const fg_rank_params &rp, std::vector<fg_ranked> &page,
                          fg_rank_info &info) {
    const uint32_t *keys = idx->keys.data();
    uint64_t query = ++idx->queries;
    struct scored {
        Xapian::docid docid;
        double weight;
    };
    std::vector<scored> all;
    uint64_t results = 0;
    for (Xapian::docid did = 1; did <= last; did++) {
        if (!(acc[did] > 0))
            continue;
        all.push_back(scored{did, acc[did]});
        uint32_t k = keys[did];
        if (k == 0 || idx->key_seen[k] != query) {
            results++;
            if (k)
                idx->key_seen[k] = query;
        }
    }
    info.matches = results;
    /* the ranking order, best first, through a heap (few are taken) */
    auto worse = [](const scored &a, const scored &b) {
        return b.weight > a.weight || (b.weight == a.weight && b.docid < a.docid);
    };
    std::make_heap(all.begin(), all.end(), worse);
    size_t want = size_t(rp.offset) + rp.limit, hits = 0;
    query = ++idx->queries;
    while (!all.empty() && hits < want) {
        std::pop_heap(all.begin(), all.end(), worse);
        fg_ranked r{all.back().docid, all.back().weight, {}};
        all.pop_back();
        uint32_t k = keys[r.docid];
        if (k && idx->key_seen[k] == query)
            continue; /* collapsed into a hit before it */
        bool on_page = hits++ >= rp.offset;
        if (k) {
            idx->key_seen[k] = query;
            idx->key_hit[k] = on_page ? static_cast<uint32_t>(page.size() + 1) : 0;
        }
        if (on_page)
            page.push_back(std::move(r));
    }
    if (rp.max_duplicates == 0)
        return;
    for (Xapian::docid did = 1; did <= last; did++) {
        uint32_t k = keys[did];
        if (!k || idx->key_seen[k] != query || idx->key_hit[k] == 0 || !(acc[did] > 0))
            continue;
        fg_ranked &hit = page[idx->key_hit[k] - 1];
        if (did != hit.docid && hit.duplicates.size() < rp.max_duplicates)
            hit.duplicates.push_back(did);
    }
}

/* How many leaves of q (with repeats) match document did: its termlist has
 * their term and their group does not exclude it (banned as in
 * fg_rank_plain(); empty when q has no groups). */
static size_t leaves_matching(fg_index_t *idx, const fg_xquery_t *q, Xapian::docid did,
                              const std::vector<uint32_t> &banned) {
    std::vector<const fg_wleaf *> sorted;
    for (const fg_wleaf &l : q->leaves)
        if (l.group < 0 || !(banned[did] & (uint32_t(1) << l.group)))
            sorted.push_back(&l);
    std::sort(sorted.begin(), sorted.end(),
              [](const fg_wleaf *a, const fg_wleaf *b) { return a->term < b->term; });
    size_t matched = 0;
    Xapian::Document doc = idx->db.get_document(did);
    Xapian::TermIterator t = doc.termlist_begin();
    for (const fg_wleaf *l : sorted) {
        t.skip_to(l->term);
        if (t == doc.termlist_end())
            break;
        if (*t == l->term)
            matched++;
    }
    return matched;
}

/* A leaf of a plain query with its term frequency and BM25 term weight. */
struct weighed {
    const fg_wleaf *leaf;
    Xapian::doccount tf;
    double termweight;
};

/* The leaves of q whose term is in the index, each with BM25Weight::init()'s
 * term weight (the same operations in the same order). */
static std::vector<weighed> weigh_leaves(fg_index_t *idx, const fg_xquery_t *q, double k1) {
    std::vector<weighed> out;
    double n = idx->db.get_doccount();
    const double k3 = 1;
    for (const fg_wleaf &leaf : q->leaves) {
        Xapian::doccount tf = idx->db.get_termfreq(leaf.term);
        if (tf == 0)
            continue;
        double tw = (n - tf + 0.5) / (tf + 0.5);
        if (tw < 2)
            tw = tw * 0.5 + 1;
        double termweight = log(tw) * leaf.factor;
        double wqf = leaf.wqf;
        termweight *= (k3 + 1) * wqf / (k3 + wqf);
        termweight *= (k1 + 1);
        out.push_back(weighed{&leaf, tf, termweight});
    }
    return out;
}

/* Postings add_postings() reads between two looks at the clock. */
#define RANK_CLOCK_EVERY 16384u

/* Adds the BM25Weight::get_sumpart() of every posting of w's term into acc
 * (by docid), but not for documents its group excludes (banned as in
 * fg_rank_plain()); stops early when the deadline dl (NULL: none) passes.
 * False for a posting without weight (wdf 0), which would match unseen. */
static bool add_postings(fg_index_t *idx, const weighed &w, std::vector<double> &acc,
                         const std::vector<uint32_t> &banned, Xapian::docid last, fg_deadline *dl) {
    unsigned n = 0;
    const double *lenpart = idx->lenparts.data();
    double *sum = acc.data();
    const uint32_t *ban = banned.empty() ? nullptr : banned.data();
    uint32_t mask = w.leaf->group >= 0 ? uint32_t(1) << w.leaf->group : 0;
    double termweight = w.termweight;
    const std::string &term = w.leaf->term;
    Xapian::PostingIterator end = idx->db.postlist_end(term);
    for (Xapian::PostingIterator p = idx->db.postlist_begin(term); p != end; ++p) {
        Xapian::docid did = *p;
        Xapian::termcount wdf = p.get_wdf();
        if (wdf == 0 || did > last)
            return false;
        if (dl && ++n % RANK_CLOCK_EVERY == 0 && fg_deadline_passed(*dl))
            return true;
        if (mask && (ban[did] & mask))
            continue;
        double wdf_double(wdf);
        double denom = lenpart[did] + wdf_double;
        sum[did] += termweight * (wdf_double / denom);
    }
    return true;
}

/* Puts into best the want best documents of acc (ranks_before order) and
 * counts the matches (weight > 0) and the greatest weight into info. */
static void best_of(const std::vector<double> &acc, Xapian::docid last, size_t want,
                    std::vector<fg_ranked> &best, fg_rank_info &info) {
    best.clear();
    best.reserve(std::min(want, size_t(1024))); /* an offset may be far beyond the matches */
    for (Xapian::docid did = 1; did <= last; did++) {
        double w = acc[did];
        if (!(w > 0))
            continue;
        info.matches++;
        if (w > info.greatest) {
            info.greatest = w;
            info.best = did;
        }
        if (want == 0)
            continue;
        fg_ranked r{did, w, {}};
        if (best.size() < want) {
            best.push_back(r);
            std::push_heap(best.begin(), best.end(), ranks_before);
        } else if (ranks_before(r, best.front())) {
            std::pop_heap(best.begin(), best.end(), ranks_before);
            best.back() = r;
            std::push_heap(best.begin(), best.end(), ranks_before);
        }
    }
    std::sort_heap(best.begin(), best.end(), ranks_before);
}

/*
 * Common-term skipping.  acc holds the weights of the query without its
 * common leaves; each common leaf adds at most its term weight to a
 * document (get_sumpart()'s wdf / (length part + wdf) is below 1), so at most
 * slack, their sum.  The want-th best document by acc weighs at least its
 * acc weight w by the whole query, and so do the want-1 before it; a
 * document below w - slack in acc weighs less than w in all and cannot be a
 * hit (nor can one of common terms only, when w > slack).  So only the
 * documents from w - slack need the common terms, which skip_to() finds in
 * their long posting lists without reading them through (about 0.4 ms
 * instead of 2-3 on the x20 index).
 *
 * The matches are those of acc and the documents of common terms only,
 * which are counted among RANK_SAMPLES documents spread evenly over those
 * acc does not match (exactly when there are no more), in the same pass.
 * Fills page and info and returns true; false, with acc unchanged, when it
 * does not apply (too few matches, more than RANK_MAX_CANDIDATES
 * candidates, a posting without weight).
 */
static bool skip_common(fg_index_t *idx, const std::vector<const weighed *> &common,
                        std::vector<double> &acc, const std::vector<uint32_t> &banned,
                        Xapian::docid last, const fg_rank_params &rp, std::vector<fg_ranked> &page,
                        fg_rank_info &info) {
    size_t want = size_t(rp.offset) + rp.limit;
    double slack = 0;
    for (const weighed *w : common)
        slack += w->termweight;
    slack = slack * (1 + 1e-9) + 1e-12; /* sums in another order round otherwise */
    std::vector<fg_ranked> best;
    fg_rank_info rare;
    best_of(acc, last, want, best, rare);
    if (best.size() < want || !(best.back().weight > slack))
        return false;
    double least = best.back().weight - slack;
    /* the candidates, and the documents acc does not match (to sample) */
    std::vector<fg_ranked> cand;
    uint64_t unmatched = 0;
    for (Xapian::docid did = 1; did <= last; did++) {
        if (acc[did] > 0 && acc[did] >= least) {
            if (cand.size() == RANK_MAX_CANDIDATES)
                return false;
            cand.push_back(fg_ranked{did, acc[did], {}});
        } else if (!(acc[did] > 0) && idx->doclens[did] > 0) {
            unmatched++;
        }
    }
    /* probes in docid order: a candidate (its index) or a sample (-1) */
    struct probe {
        Xapian::docid docid;
        long cand;
        bool hit;
    };
    std::vector<probe> probes;
    uint64_t stride = unmatched > RANK_SAMPLES ? unmatched / RANK_SAMPLES : 1, seen = 0;
    size_t next = 0;
    for (Xapian::docid did = 1; did <= last; did++) {
        if (next < cand.size() && cand[next].docid == did) {
            probes.push_back(probe{did, long(next++), false});
        } else if (!(acc[did] > 0) && idx->doclens[did] > 0) {
            if (seen++ % stride == 0)
                probes.push_back(probe{did, -1, false});
        }
    }
    /* the common leaves' weights of the candidates, in leaf order */
    const double *lenpart = idx->lenparts.data();
    for (const weighed *w : common) {
        uint32_t mask = w->leaf->group >= 0 ? uint32_t(1) << w->leaf->group : 0;
        Xapian::PostingIterator p = idx->db.postlist_begin(w->leaf->term);
        Xapian::PostingIterator end = idx->db.postlist_end(w->leaf->term);
        for (probe &pr : probes) {
            p.skip_to(pr.docid);
            if (p == end)
                break;
            if (*p != pr.docid || (mask && (banned[pr.docid] & mask)))
                continue;
            Xapian::termcount wdf = p.get_wdf();
            if (wdf == 0)
                return false;
            pr.hit = true;
            if (pr.cand < 0)
                continue;
            fg_ranked &c = cand[size_t(pr.cand)];
            double wdf_double(wdf);
            double denom = lenpart[c.docid] + wdf_double;
            c.weight += w->termweight * (wdf_double / denom);
        }
    }
    uint64_t samples = 0, sample_hits = 0;
    for (const probe &pr : probes)
        if (pr.cand < 0) {
            samples++;
            sample_hits += pr.hit;
        }
    std::sort(cand.begin(), cand.end(), ranks_before);
    info.best = cand[0].docid;
    info.greatest = cand[0].weight;
    info.exact = samples == unmatched;
    info.skipped = true;
    info.matches =
        rare.matches + (info.exact
                            ? sample_hits
                            : static_cast<uint64_t>(
                                  double(unmatched) * double(sample_hits) / double(samples) + 0.5));
    if (cand.size() > rp.offset)
        page.assign(cand.begin() + rp.offset, cand.begin() + std::min(cand.size(), want));
    return true;
}

/* True when the leaf w is weighed for the candidates only (see
 * skip_common()), in an index of n documents. */
static bool is_common(const weighed &w, const fg_rank_params &rp, double n) {
    if (rp.collapse_slot >= 0 || size_t(rp.offset) + rp.limit == 0 || rp.common_skip < 0)
        return false;
    return w.tf > RANK_COMMON_SHARE * n && (w.tf >= RANK_LONG_LIST || rp.common_skip > 0);
}

/* Ranks a plain query term at a time (see index-private.h). */
bool fg_rank_plain(fg_index_t *idx, const fg_xquery_t *q, const fg_rank_params &rp,
                   std::vector<fg_ranked> &page, fg_rank_info &info) {
    page.clear();
    info = fg_rank_info();
    if (!q->plain || q->leaves.empty() || idx->writable || idx->shards)
        return false; /* a shard list: Xapian's matcher (on each server for remote ones) */
    Xapian::docid last = idx->db.get_lastdocid();
    if (last > RANK_MAX_DOCID || q->excluded.size() > 32)
        return false;
    read_doclens(idx, last);
    compute_lenparts(idx, rp.k1, rp.b);
    if (rp.collapse_slot >= 0)
        read_keys(idx, rp.collapse_slot);
    std::vector<double> &acc = idx->scratch;
    acc.assign(size_t(last) + 1, 0.0);

    /* bit g of banned[docid]: exclusion group g excludes the document */
    std::vector<uint32_t> banned;
    if (!q->excluded.empty()) {
        banned.assign(size_t(last) + 1, 0);
        for (size_t g = 0; g < q->excluded.size(); g++)
            for (const std::string &term : q->excluded[g]) {
                Xapian::PostingIterator end = idx->db.postlist_end(term);
                for (Xapian::PostingIterator p = idx->db.postlist_begin(term); p != end; ++p)
                    if (*p <= last)
                        banned[*p] |= uint32_t(1) << g;
            }
    }

    /* the rare leaves first; the common ones (for a page without collapse)
     * only for the candidates when that applies, else like the rest */
    std::vector<weighed> leaves = weigh_leaves(idx, q, rp.k1);
    double n = idx->db.get_doccount();
    size_t want = size_t(rp.offset) + rp.limit;
    std::vector<const weighed *> rare, common;
    for (const weighed &w : leaves)
        (is_common(w, rp, n) ? common : rare).push_back(&w);
    if (rare.empty())
        rare.swap(common);
    fg_deadline *dl = rp.deadline; /* looked at from the second list on */
    for (const weighed *w : rare) {
        if (dl && w != rare.front() && fg_deadline_passed(*dl))
            break;
        if (!add_postings(idx, *w, acc, banned, last, dl))
            return false;
    }
    if (dl && dl->passed) {
        info.timed_out = true;
        common.clear(); /* rank what was read */
    }
    if (common.empty() || !skip_common(idx, common, acc, banned, last, rp, page, info)) {
        for (const weighed *w : common) {
            if (dl && fg_deadline_passed(*dl))
                break;
            if (!add_postings(idx, *w, acc, banned, last, dl))
                return false;
        }
        if (dl && dl->passed)
            info.timed_out = true;
        std::vector<fg_ranked> best;
        if (rp.collapse_slot >= 0) {
            best_of(acc, last, 0, best, info); /* the greatest (collapse_page() counts) */
            collapse_page(idx, acc, last, rp, page, info);
        } else {
            best_of(acc, last, want, best, info);
            if (best.size() > rp.offset)
                page.assign(best.begin() + rp.offset, best.end());
        }
    }
    if (info.timed_out)
        info.exact = false;
    if (info.best)
        info.best_leaves = leaves_matching(idx, q, info.best, banned);
    return true;
}
