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
 * (terms, OR and weight scaling; see fg_xquery) ranked by relevance.
 *
 * The weight of a posting is Xapian's BM25Weight formula with the same
 * parameters and statistics (document count, average length, term
 * frequency), computed in the same order of operations, so every hit's
 * weight is the one Xapian's matcher gives up to the rounding of the sum
 * (a test compares hits, weights and percentages with the matcher's).
 * Document lengths come from an array read once per revision of the
 * database (one pass over Xapian's length list), kept in the handle with
 * the length part of each document's BM25 denominator.
 */
#include "index/index-private.h"

#include <algorithm>
#include <math.h>
#include <vector>

/* Docids beyond this are ranked by Xapian's matcher (the arrays would take
 * 20 bytes a docid). */
#define RANK_MAX_DOCID 4000000u

/* BM25Weight's min_normlen as fg_index_query() constructs it. */
#define RANK_MIN_NORMLEN 0.5

/* Reads every document's length into idx->doclens unless they are those of
 * db's present generation and revision. */
static void read_doclens(fg_index_t *idx, Xapian::docid last)
{
    Xapian::rev rev = idx->db.get_revision();
    if (idx->doclens_valid && idx->doclens_rev == rev && idx->doclens_gen == idx->gen &&
        idx->doclens.size() == size_t(last) + 1)
        return;
    idx->doclens_valid = false; /* until read whole */
    idx->doclens.assign(size_t(last) + 1, 0);
    for (Xapian::PostingIterator p = idx->db.postlist_begin(""); p != idx->db.postlist_end("");
         ++p)
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
static void compute_lenparts(fg_index_t *idx, double k1, double b)
{
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

/* How many leaves of q (with repeats) match document did: its termlist has
 * their term and their group does not exclude it (banned as in
 * fg_rank_plain(); empty when q has no groups). */
static size_t leaves_matching(fg_index_t *idx, const fg_xquery_t *q, Xapian::docid did,
                              const std::vector<uint32_t> &banned)
{
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

/* True when a ranks before b: greater weight, then smaller docid. */
static bool ranks_before(const fg_ranked &a, const fg_ranked &b)
{
    return a.weight > b.weight || (a.weight == b.weight && a.docid < b.docid);
}

/* Ranks a plain query term at a time (see index-private.h). */
bool fg_rank_plain(fg_index_t *idx, const fg_xquery_t *q, double k1, double b, uint32_t offset,
                   uint32_t limit, std::vector<fg_ranked> &page, fg_rank_info &info)
{
    page.clear();
    info = fg_rank_info{0, 0, 0.0, 0};
    if (!q->plain || q->leaves.empty() || idx->writable)
        return false;
    Xapian::docid last = idx->db.get_lastdocid();
    if (last > RANK_MAX_DOCID)
        return false;
    if (q->excluded.size() > 32)
        return false;
    read_doclens(idx, last);
    compute_lenparts(idx, k1, b);
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

    /* BM25Weight::init() and get_sumpart(), term by term */
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
        const double *lenpart = idx->lenparts.data();
        double *sum = acc.data();
        const uint32_t *ban = banned.empty() ? nullptr : banned.data();
        uint32_t mask = leaf.group >= 0 ? uint32_t(1) << leaf.group : 0;
        Xapian::PostingIterator end = idx->db.postlist_end(leaf.term);
        for (Xapian::PostingIterator p = idx->db.postlist_begin(leaf.term); p != end; ++p) {
            Xapian::docid did = *p;
            Xapian::termcount wdf = p.get_wdf();
            if (wdf == 0 || did > last)
                return false; /* a posting without weight would match unseen */
            if (mask && (ban[did] & mask))
                continue;
            double wdf_double(wdf);
            double denom = lenpart[did] + wdf_double;
            sum[did] += termweight * (wdf_double / denom);
        }
    }

    /* the page: a heap of the best offset + limit, its worst on top */
    size_t want = size_t(offset) + limit;
    std::vector<fg_ranked> best;
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
        fg_ranked r{did, w};
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
    if (best.size() > offset)
        page.assign(best.begin() + offset, best.end());
    if (info.best)
        info.best_leaves = leaves_matching(idx, q, info.best, banned);
    return true;
}
