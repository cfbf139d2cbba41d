/*
 * deadline.cc - the time limit of a search (fg_query_params_t.time_limit_ms).
 *
 * Xapian's matcher cannot be stopped from outside (Enquire::set_time_limit()
 * only gives up check_at_least, and a MatchSpy is called for the few
 * documents that pass the weight threshold only), so a search with a time
 * limit is ended from inside: it is filtered (OP_FILTER, no weight) by a
 * posting source that matches every document until the deadline and then
 * reports its end, which ends the AND and so the match.  What was ranked
 * until then is the result, flagged as timed out.
 *
 * The price: Xapian counts the source as a matching subquery of every
 * document (ExternalPostList::count_matching_subqs() is 1) but not in the
 * query's total, so the percentages of such a search come out higher than
 * without the filter (weights, order and counts are the same).  rank.cc's
 * term-at-a-time ranker, which most searches take, asks fg_deadline_passed()
 * between its posting lists instead and keeps Xapian's percentages.
 */
#include "index/index-private.h"

#include <time.h>

/* Milliseconds of the monotonic clock. */
double fg_now_ms() {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

/* True once d's deadline has passed (and from then on); false without one. */
bool fg_deadline_passed(fg_deadline &d) {
    if (d.at_ms <= 0)
        return false;
    if (!d.passed && fg_now_ms() >= d.at_ms)
        d.passed = true;
    return d.passed;
}

namespace {

/* Every document up to the database's last docid, until the deadline. */
class deadline_source : public Xapian::PostingSource {
    fg_deadline *deadline; /* shared with the caller, who reads .passed */
    Xapian::docid did = 0, last = 0;
    unsigned calls = 0; /* the clock is read every CHECK_EVERY calls */
    bool ended = false;
    enum { CHECK_EVERY = 64 };

    /* Ends the list when the deadline has passed (read every CHECK_EVERY calls). */
    void look() {
        if (++calls % CHECK_EVERY == 0 && fg_deadline_passed(*deadline))
            ended = true;
        if (did > last)
            ended = true;
    }

  public:
    explicit deadline_source(fg_deadline *d) : deadline(d) {
    }

    /* A copy for another (sub-)database, sharing the deadline. */
    deadline_source *clone() const override {
        return new deadline_source(deadline);
    }

    /* Starts before the first document of db. */
    void init(const Xapian::Database &db) override {
        did = 0;
        last = db.get_lastdocid();
        calls = 0;
        ended = last == 0; /* even past the deadline, the first CHECK_EVERY documents */
        set_maxweight(0);
        termfreq_min = 0;
        termfreq_est = db.get_doccount();
        termfreq_max = db.get_doccount();
    }

    Xapian::doccount get_termfreq_min() const override {
        return termfreq_min;
    }
    Xapian::doccount get_termfreq_est() const override {
        return termfreq_est;
    }
    Xapian::doccount get_termfreq_max() const override {
        return termfreq_max;
    }

    /* The next document, or the end after the deadline. */
    void next(double) override {
        did++;
        look();
    }

    /* The first document from target on, or the end after the deadline. */
    void skip_to(Xapian::docid target, double) override {
        if (target > did)
            did = target;
        look();
    }

    /* Every document matches until the deadline. */
    bool check(Xapian::docid target, double) override {
        skip_to(target, 0);
        return true;
    }

    bool at_end() const override {
        return ended;
    }

    Xapian::docid get_docid() const override {
        return did;
    }

    std::string get_description() const override {
        return "fundgrube deadline";
    }

  private:
    Xapian::doccount termfreq_min = 0, termfreq_est = 0, termfreq_max = 0;
};

} // namespace

/* q filtered so that its match ends at d's deadline (q itself without one);
 * the source is owned by the returned query. */
Xapian::Query fg_deadline_query(const Xapian::Query &q, fg_deadline &d) {
    if (d.at_ms <= 0)
        return q;
    Xapian::PostingSource *src = new deadline_source(&d);
    return Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(src->release()));
}
