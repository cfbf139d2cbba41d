/*
 * test_search.c - queries and searching: ranking, phrases, operators, value
 * ranges, sorting, wildcards, paging.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(search, .init = tdir_setup, .fini = tdir_teardown);

/* The uids of all hits, "|"-separated, in a static buffer. */
static const char *uids(const fg_mset_t *m) {
    static char buf[2048];
    buf[0] = '\0';
    for (size_t i = 0; i < fg_mset_size(m); i++) {
        strcat(buf, hit_uid(m, i));
        strcat(buf, "|");
    }
    return buf;
}

/* Searches q on idx and returns uids(); frees the result and q. */
static const char *run(fg_index_t *idx, fg_xquery_t *q) {
    fg_mset_t *m = search_all(idx, q);
    const char *s = uids(m);
    fg_mset_free(m);
    fg_xquery_free(q);
    return s;
}

/* BM25 ranks the document matching more query terms first; paging. */
Test(search, bm25_more_matching_terms_rank_first) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/one", "apfel kuchen backen rezept");
    put_words(w, "/two", "apfel birne kuchen backen");
    put_words(w, "/none", "kuchen backen rezept zucker");
    fg_xquery_t *a = qterm("apfel"), *b = qterm("birne");
    fg_xquery_t *q = qcombine(FG_XQ_OR, 0, a, b, NULL);
    fg_xquery_free(a);
    fg_xquery_free(b);
    fg_mset_t *m = search_all(w, q);
    cr_assert_str_eq(uids(m), "/two|/one|");
    const fg_mset_hit_t *h0 = fg_mset_hit(m, 0), *h1 = fg_mset_hit(m, 1);
    cr_assert_gt(h0->weight, h1->weight);
    cr_assert_eq(h0->rank, 0);
    cr_assert_eq(h1->rank, 1);
    cr_assert_eq(h0->percent, 100);
    cr_assert_lt(h1->percent, 100);
    cr_assert_eq(fg_mset_estimate(m), 2);
    fg_mset_free(m);

    /* Paging: offset 1, limit 1 gives the second hit with rank 1. */
    fg_search_params_t p;
    fg_search_params_default(&p);
    cr_assert_eq(p.limit, 10);
    cr_assert_eq(p.sort_value, -1);
    p.offset = 1;
    p.limit = 1;
    cr_assert_eq(fg_index_search(w, q, &p, &m), FG_OK);
    cr_assert_eq(fg_mset_size(m), 1);
    cr_assert_str_eq(hit_uid(m, 0), "/one");
    cr_assert_eq(fg_mset_hit(m, 0)->rank, 1);
    fg_mset_free(m);
    /* NULL parameters are the defaults. */
    cr_assert_eq(fg_index_search(w, q, NULL, &m), FG_OK);
    cr_assert_eq(fg_mset_size(m), 2);
    fg_mset_free(m);
    /* Bad BM25 parameters are refused. */
    fg_search_params_default(&p);
    p.bm25_b = 2;
    cr_assert_eq(fg_index_search(w, q, &p, &m), FG_INVALID);
    cr_assert_null(m);
    cr_assert_eq(fg_index_search(w, NULL, NULL, &m), FG_INVALID);
    fg_xquery_free(q);
    fg_index_close(w);
}

/* PHRASE needs order and adjacency; NEAR a window in any order. */
Test(search, phrase_over_positional_terms) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/in-order", "der rote apfel fiel");
    put_words(w, "/reversed", "der apfel rote fiel");
    put_words(w, "/apart", "der rote schöne apfel");
    fg_xquery_t *r = qterm("rote"), *a = qterm("apfel");
    cr_assert_str_eq(run(w, qcombine(FG_XQ_PHRASE, 0, r, a, NULL)), "/in-order|");
    /* NEAR within 2 words, any order. */
    cr_assert_str_eq(run(w, qcombine(FG_XQ_NEAR, 2, r, a, NULL)), "/in-order|/reversed|");
    cr_assert_str_eq(run(w, qcombine(FG_XQ_NEAR, 3, r, a, NULL)), "/in-order|/reversed|/apart|");
    fg_xquery_free(r);
    fg_xquery_free(a);
    fg_index_close(w);
}

/* Phrases over Z (stem) terms work with the positions we give them. */
Test(search, phrase_over_stem_terms) {
    /* Z terms get positions from us, so phrases over stems work. */
    fg_index_t *w = open_writer(tdir);
    /* Each stem shares its word's position, as the analyser adds them. */
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    const char *words[] = {"die", "roten", "äpfel"}, *stems[] = {"Zdie", "Zrot", "Zapfel"};
    for (uint32_t i = 0; i < 3; i++) {
        cr_assert_eq(fg_doc_add_posting(doc, words[i], strlen(words[i]), i + 1), FG_OK);
        cr_assert_eq(fg_doc_add_posting(doc, stems[i], strlen(stems[i]), i + 1), FG_OK);
    }
    cr_assert_eq(fg_doc_set_data(doc, "url=/b", 6), FG_OK);
    cr_assert_eq(fg_index_replace(w, "/b", doc), FG_OK);
    fg_doc_free(doc);
    put_words(w, "/c", "Zapfel Zrot");
    fg_xquery_t *r = qterm("Zrot"), *a = qterm("Zapfel");
    cr_assert_str_eq(run(w, qcombine(FG_XQ_PHRASE, 0, r, a, NULL)), "/b|");
    fg_xquery_free(r);
    fg_xquery_free(a);
    fg_index_close(w);
}

/* AND_NOT, AND, OR, SYNONYM, FILTER, AND_MAYBE, scale, match-all. */
Test(search, and_not_filter_and_maybe_synonym) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/1", "katze hund");
    put_words(w, "/2", "katze maus");
    put_words(w, "/3", "katze");
    put_words(w, "/4", "hund maus");
    fg_xquery_t *k = qterm("katze"), *h = qterm("hund"), *m = qterm("maus");
    /* AND_NOT: first, not (OR of the rest). */
    cr_assert_str_eq(run(w, qcombine(FG_XQ_AND_NOT, 0, k, h, m)), "/3|");
    /* (BM25 ranks the shorter /3 above /2.) */
    cr_assert_str_eq(run(w, qcombine(FG_XQ_AND_NOT, 0, k, h, NULL)), "/3|/2|");
    cr_assert_str_eq(run(w, qcombine(FG_XQ_AND, 0, k, h, NULL)), "/1|");
    cr_assert_str_eq(run(w, qcombine(FG_XQ_OR, 0, h, m, NULL)), "/4|/1|/2|");
    cr_assert_str_eq(run(w, qcombine(FG_XQ_SYNONYM, 0, h, m, NULL)), "/4|/1|/2|");

    /* FILTER: restricted to the rest, weighted by the first only. */
    fg_xquery_t *f = qcombine(FG_XQ_FILTER, 0, k, h, NULL);
    fg_mset_t *ms = search_all(w, f);
    cr_assert_str_eq(uids(ms), "/1|");
    double wf = fg_mset_hit(ms, 0)->weight;
    fg_mset_free(ms);
    fg_xquery_free(f);
    fg_xquery_t *kh = qcombine(FG_XQ_AND, 0, k, h, NULL);
    ms = search_all(w, kh);
    cr_assert_gt(fg_mset_hit(ms, 0)->weight, wf, "AND weighs both, FILTER only the first");
    fg_mset_free(ms);
    fg_xquery_free(kh);

    /* AND_MAYBE: all of the first, those with the rest ranked up. */
    cr_assert_str_eq(run(w, qcombine(FG_XQ_AND_MAYBE, 0, k, m, NULL)), "/2|/3|/1|");

    /* Scaling by 0 keeps the matches but drops the weight. */
    fg_xquery_t *z = NULL;
    cr_assert_eq(fg_xquery_scale(k, 0, &z), FG_OK);
    ms = search_all(w, z);
    cr_assert_eq(fg_mset_size(ms), 3);
    cr_assert_eq(fg_mset_hit(ms, 0)->weight, 0);
    fg_mset_free(ms);
    fg_xquery_free(z);
    cr_assert_eq(fg_xquery_scale(k, -1, &z), FG_INVALID);

    fg_xquery_t *all = NULL;
    cr_assert_eq(fg_xquery_match_all(&all), FG_OK);
    cr_assert_str_eq(run(w, all), "/1|/2|/3|/4|");

    fg_xquery_free(k);
    fg_xquery_free(h);
    fg_xquery_free(m);
    fg_index_close(w);
}

/* Value ranges with open ends, and sorting by a value slot. */
Test(search, value_range_and_sort) {
    fg_index_t *w = open_writer(tdir);
    put_words_value(w, "/small", "datei", FG_VALUE_SIZE, 10);
    put_words_value(w, "/big", "datei", FG_VALUE_SIZE, 5000);
    put_words_value(w, "/mid", "datei", FG_VALUE_SIZE, 300);
    put_words(w, "/nosize", "datei");
    char lo[18], hi[18];
    lo[fg_sortable_serialise(100, lo)] = '\0';
    hi[fg_sortable_serialise(1000, hi)] = '\0';
    fg_xquery_t *q = NULL;
    cr_assert_eq(fg_xquery_value_range(FG_VALUE_SIZE, lo, hi, &q), FG_OK);
    cr_assert_str_eq(run(w, q), "/mid|");
    cr_assert_eq(fg_xquery_value_range(FG_VALUE_SIZE, lo, NULL, &q), FG_OK);
    cr_assert_str_eq(run(w, q), "/big|/mid|");
    cr_assert_eq(fg_xquery_value_range(FG_VALUE_SIZE, NULL, hi, &q), FG_OK);
    cr_assert_str_eq(run(w, q), "/small|/mid|");
    /* Both ends open: every document that has the value (not /nosize; plain
     * Xapian would make OP_VALUE_GE "" match all documents). */
    cr_assert_eq(fg_xquery_value_range(FG_VALUE_SIZE, NULL, NULL, &q), FG_OK);
    cr_assert_str_eq(run(w, q), "/small|/big|/mid|");

    /* Sorting by value, ascending and descending (no value sorts first
     * ascending). */
    fg_xquery_t *d = qterm("datei");
    fg_search_params_t p;
    fg_search_params_default(&p);
    p.sort_value = FG_VALUE_SIZE;
    fg_mset_t *m = NULL;
    cr_assert_eq(fg_index_search(w, d, &p, &m), FG_OK);
    cr_assert_str_eq(uids(m), "/nosize|/small|/mid|/big|");
    fg_mset_free(m);
    p.sort_reverse = true;
    cr_assert_eq(fg_index_search(w, d, &p, &m), FG_OK);
    cr_assert_str_eq(uids(m), "/big|/mid|/small|/nosize|");
    fg_mset_free(m);
    fg_xquery_free(d);
    fg_index_close(w);
}

/* Wildcards expand to a SYNONYM; over the limit is FG_QUERY. */
Test(search, wildcard_expansion_and_limit) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/1", "apfel");
    put_words(w, "/2", "apfelsaft");
    put_words(w, "/3", "apfelkuchen apfelmus");
    put_words(w, "/4", "birne");
    fg_xquery_t *q = NULL;
    /* One SYNONYM: /3, with two of the terms, weighs most. */
    cr_assert_eq(fg_xquery_wildcard("apfel", 10, &q), FG_OK);
    cr_assert_str_eq(run(w, q), "/3|/1|/2|");
    cr_assert_eq(fg_xquery_wildcard("apfel", 0, &q), FG_OK); /* 0: no limit */
    cr_assert_str_eq(run(w, q), "/3|/1|/2|");

    /* Four terms start with "apfel"; a limit of 3 is an error at search time. */
    cr_assert_eq(fg_xquery_wildcard("apfel", 3, &q), FG_OK);
    fg_mset_t *m = (fg_mset_t *)1;
    cr_assert_eq(fg_index_search(w, q, NULL, &m), FG_QUERY);
    cr_assert_null(m);
    cr_assert(strstr(fg_index_error(w), "more than 3") != NULL, "%s", fg_index_error(w));
    fg_xquery_free(q);
    cr_assert_eq(fg_xquery_wildcard("", 3, &q), FG_INVALID);
    fg_index_close(w);
}

/* Query descriptions, bad arguments, and freeing in any order. */
Test(search, describe_and_bad_arguments) {
    fg_xquery_t *a = qterm("rote"), *b = qterm("apfel");
    fg_xquery_t *p = qcombine(FG_XQ_PHRASE, 0, a, b, NULL);
    char *s = NULL;
    cr_assert_eq(fg_xquery_describe(p, &s), FG_OK);
    cr_assert_str_eq(s, "Query((rote PHRASE 2 apfel))");
    free(s);
    fg_xquery_t *out = (fg_xquery_t *)1;
    cr_assert_eq(fg_xquery_combine(FG_XQ_AND, NULL, 0, 0, &out), FG_INVALID);
    cr_assert_null(out);
    fg_xquery_t *subs[] = {a, NULL};
    cr_assert_eq(fg_xquery_combine(FG_XQ_AND, subs, 2, 0, &out), FG_INVALID);
    cr_assert_eq(fg_xquery_combine(FG_XQ_MAX, subs, 1, 0, &out), FG_INVALID);
    cr_assert_eq(fg_xquery_term("", 0, 1, &out), FG_INVALID);
    /* Subqueries stay usable after their parent is freed, and vice versa. */
    fg_xquery_free(a);
    cr_assert_eq(fg_xquery_describe(p, &s), FG_OK);
    free(s);
    fg_xquery_free(p);
    cr_assert_eq(fg_xquery_describe(b, &s), FG_OK);
    cr_assert_str_eq(s, "Query(apfel)");
    free(s);
    fg_xquery_free(b);
    fg_xquery_free(NULL);
    fg_mset_free(NULL);
    cr_assert_eq(fg_mset_size(NULL), 0);
}
