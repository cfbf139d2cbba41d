/*
 * test_docs.c - documents by unique id and path: replace, delete, stamp,
 * foreach, metadata, long ids, long terms, document data.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TestSuite(docs, .init = tdir_setup, .fini = tdir_teardown);

/* Document count of idx, asserting. */
static uint64_t count(fg_index_t *idx) {
    uint64_t n = 0;
    cr_assert_eq(fg_index_doc_count(idx, &n), FG_OK, "%s", fg_index_error(idx));
    return n;
}

/* Term frequency of term, asserting. */
static uint32_t tfreq(fg_index_t *idx, const char *term) {
    uint32_t n = 99;
    cr_assert_eq(fg_index_term_freq(idx, term, &n), FG_OK, "%s", fg_index_error(idx));
    return n;
}

/* Replacing by uid keeps one document; delete, commit and counts. */
Test(docs, replace_delete_commit_count) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/home/a/b.txt", "eins zwei");
    put_words(w, "/home/a/b.txt", "drei");
    cr_assert_eq(count(w), 1, "replacing by uid keeps one document");
    cr_assert_eq(tfreq(w, "eins"), 0, "the old document's terms are gone");
    cr_assert_eq(tfreq(w, "drei"), 1);
    cr_assert_eq(tfreq(w, "Q/home/a/b.txt"), 1);
    put_words(w, "/home/c.txt", "drei");
    cr_assert_eq(count(w), 2);
    cr_assert_eq(fg_index_commit(w), FG_OK);

    fg_index_t *r = open_reader(tdir);
    cr_assert_eq(count(r), 2);
    cr_assert_eq(fg_index_delete(w, "/home/a/b.txt"), FG_OK);
    cr_assert_eq(fg_index_delete(w, "/not/there"), FG_OK, "deleting nothing is fine");
    cr_assert_eq(count(w), 1);
    cr_assert_eq(fg_index_commit(w), FG_OK);
    cr_assert_eq(fg_index_reopen(r), FG_OK);
    cr_assert_eq(count(r), 1);
    cr_assert_eq(tfreq(r, "Q/home/a/b.txt"), 0);
    fg_index_close(r);
    fg_index_close(w);
}

/* Replace adds P terms for the path and every folder above it. */
Test(docs, path_terms_cover_every_ancestor) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/home/a/b.txt", "x");
    cr_assert_eq(tfreq(w, "P/home/a/b.txt"), 1);
    cr_assert_eq(tfreq(w, "P/home/a"), 1);
    cr_assert_eq(tfreq(w, "P/home"), 1);
    cr_assert_eq(tfreq(w, "P/"), 1);
    cr_assert_eq(tfreq(w, "P/home/a/"), 0);
    cr_assert_eq(tfreq(w, "Q/home/a/b.txt"), 1);
    fg_index_close(w);
}

/* Collects the uids foreach reports, "|"-separated. */
struct seen {
    char list[2048];
    int n;
    int stop_after;  /* 0: never stop */
    fg_index_t *del; /* if set, delete every document seen through this writer */
};

/* fg_doc_fn collecting into struct seen. */
static int collect(void *ctx, uint32_t docid, const char *data, size_t len) {
    struct seen *s = ctx;
    cr_assert_gt(docid, 0);
    cr_assert_eq(strlen(data), len);
    cr_assert(strncmp(data, "url=", 4) == 0);
    strcat(s->list, data + 4);
    strcat(s->list, "|");
    s->n++;
    if (s->del)
        cr_assert_eq(fg_index_delete(s->del, data + 4), FG_OK);
    return s->stop_after && s->n >= s->stop_after;
}

/* Runs foreach with prefix, returning the collection. */
static struct seen foreach (fg_index_t *idx, const char *prefix) {
    struct seen s;
    memset(&s, 0, sizeof s);
    cr_assert_eq(fg_index_foreach(idx, prefix, collect, &s), FG_OK, "%s", fg_index_error(idx));
    return s;
}

/* foreach visits the documents below a folder, on writer and reader. */
Test(docs, foreach_by_path_prefix) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/home/a/b.txt", "x");
    put_words(w, "/home/a/c/d.txt", "x");
    put_words(w, "/home/ab/x.txt", "x");
    put_words(w, "/etc/f", "x");
    cr_assert_eq(fg_index_commit(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    fg_index_t *both[] = {w, r};
    for (int i = 0; i < 2; i++) {
        struct seen s = foreach (both[i], "/home/a");
        cr_assert_str_eq(s.list, "/home/a/b.txt|/home/a/c/d.txt|", "not /home/ab");
        s = foreach (both[i], "/home/a/");
        cr_assert_eq(s.n, 2, "a trailing slash is ignored");
        cr_assert_eq(foreach (both[i], "/home/a/c/d.txt").n, 1, "a file is its own prefix");
        cr_assert_eq(foreach (both[i], "/").n, 4);
        cr_assert_eq(foreach (both[i], NULL).n, 4);
        cr_assert_eq(foreach (both[i], "").n, 4);
        cr_assert_eq(foreach (both[i], "/nowhere").n, 0);
        cr_assert_eq(foreach (both[i], "/home/a/b").n, 0, "prefixes are whole folder names");
    }
    /* Nonzero from the callback stops. */
    struct seen s;
    memset(&s, 0, sizeof s);
    s.stop_after = 1;
    cr_assert_eq(fg_index_foreach(r, "/home", collect, &s), FG_OK);
    cr_assert_eq(s.n, 1);
    /* The callback may delete through the writer while foreach runs. */
    memset(&s, 0, sizeof s);
    s.del = w;
    cr_assert_eq(fg_index_foreach(w, "/home", collect, &s), FG_OK);
    cr_assert_eq(s.n, 3);
    cr_assert_eq(count(w), 1);
    cr_assert_eq(fg_index_foreach(w, "/", NULL, NULL), FG_INVALID);
    fg_index_close(r);
    fg_index_close(w);
}

/* stamp decodes mtime, size and inode; a missing uid is FG_NOT_FOUND. */
Test(docs, stamp_reads_values) {
    fg_index_t *w = open_writer(tdir);
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    char buf[18];
    size_t n = fg_sortable_serialise(1700000000.0, buf);
    cr_assert_eq(fg_doc_set_value(doc, FG_VALUE_MTIME, buf, n), FG_OK);
    n = fg_sortable_serialise(12345.0, buf);
    cr_assert_eq(fg_doc_set_value(doc, FG_VALUE_SIZE, buf, n), FG_OK);
    cr_assert_eq(fg_index_replace(w, "/f1", doc), FG_OK);
    n = fg_sortable_serialise(987654321.0, buf);
    cr_assert_eq(fg_doc_set_value(doc, FG_VALUE_INODE, buf, n), FG_OK);
    cr_assert_eq(fg_index_replace(w, "/f2", doc), FG_OK);
    fg_doc_free(doc);

    fg_doc_stamp_t st;
    cr_assert_eq(fg_index_stamp(w, "/f1", &st), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(st.mtime, 1700000000.0);
    cr_assert_eq(st.size, 12345.0);
    cr_assert_eq(st.inode, 0.0, "absent inode reads 0");
    cr_assert_eq(fg_index_stamp(w, "/f2", &st), FG_OK);
    cr_assert_eq(st.inode, 987654321.0);
    cr_assert_eq(fg_index_stamp(w, "/f3", &st), FG_NOT_FOUND);
    cr_assert(strstr(fg_index_error(w), "/f3") != NULL, "%s", fg_index_error(w));
    cr_assert_eq(fg_index_commit(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    cr_assert_eq(fg_index_stamp(r, "/f2", &st), FG_OK);
    cr_assert_eq(st.size, 12345.0);
    fg_index_close(r);
    fg_index_close(w);
}

/* Metadata round-trips through a commit; unset keys read as "". */
Test(docs, metadata) {
    fg_index_t *w = open_writer(tdir);
    char *v = NULL;
    cr_assert_eq(fg_index_get_metadata(w, FG_META_ANALYSIS, &v), FG_OK);
    cr_assert_str_eq(v, "", "unset reads as empty");
    free(v);
    cr_assert_eq(fg_index_set_metadata(w, FG_META_ANALYSIS, "lang=de stem=german2"), FG_OK);
    cr_assert_eq(fg_index_get_metadata(w, FG_META_ANALYSIS, &v), FG_OK);
    cr_assert_str_eq(v, "lang=de stem=german2");
    free(v);
    cr_assert_eq(fg_index_set_metadata(w, "", "x"), FG_INVALID);
    cr_assert_eq(fg_index_get_metadata(w, "", &v), FG_INVALID);
    cr_assert_eq(fg_index_close(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    cr_assert_eq(fg_index_get_metadata(r, FG_META_ANALYSIS, &v), FG_OK);
    cr_assert_str_eq(v, "lang=de stem=german2");
    free(v);
    fg_index_close(r);
}

/* A uid of len bytes: "/long/" then 'a'..'z' repeated, then tail. */
static char *long_uid(size_t len, const char *tail) {
    char *s = malloc(len + 1);
    cr_assert_not_null(s);
    size_t tl = strlen(tail);
    memcpy(s, "/long/", 6);
    for (size_t i = 6; i < len - tl; i++)
        s[i] = (char)('a' + i % 26);
    memcpy(s + len - tl, tail, tl + 1);
    return s;
}

/* Uids over FG_TERM_MAX work, stay apart and hash the same each time. */
Test(docs, long_uid_is_hashed_deterministically) {
    char *u1 = long_uid(400, "/one.txt");
    char *u2 = long_uid(400, "/two.txt"); /* same first 392 bytes */
    fg_index_t *w = open_writer(tdir);
    put_words(w, u1, "eins");
    put_words(w, u1, "eins");
    put_words(w, u2, "zwei");
    cr_assert_eq(count(w), 2, "long uids sharing a prefix stay apart");
    cr_assert_eq(fg_index_close(w), FG_OK);

    /* Another handle (and process state) finds the same terms again. */
    w = open_writer(tdir);
    put_words(w, u1, "drei");
    cr_assert_eq(count(w), 2, "the hashed term is the same across opens");
    fg_doc_stamp_t st;
    cr_assert_eq(fg_index_stamp(w, u2, &st), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(fg_index_stamp(w, u1, &st), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(foreach (w, "/long").n, 2);
    cr_assert_eq(foreach (w, u1).n, 1, "the long path's own P term is hashed the same way");
    cr_assert_eq(fg_index_delete(w, u1), FG_OK);
    cr_assert_eq(count(w), 1);
    fg_index_close(w);
    free(u1);
    free(u2);
}

/* foreach over a folder whose P term had to be hashed. */
Test(docs, long_folder_prefix) {
    /* Two files in a folder whose name is 300 bytes long. */
    char *folder = long_uid(300, "");
    char f1[400], f2[400];
    snprintf(f1, sizeof f1, "%s/a.txt", folder);
    snprintf(f2, sizeof f2, "%s/b.txt", folder);
    fg_index_t *w = open_writer(tdir);
    put_words(w, f1, "x");
    put_words(w, f2, "x");
    put_words(w, "/long/other", "x");
    cr_assert_eq(foreach (w, folder).n, 2);
    cr_assert_eq(foreach (w, "/long").n, 3);
    fg_index_close(w);
    free(folder);
}

/* Terms over FG_TERM_MAX are refused with FG_TOO_LONG; FG_TERM_MAX fits. */
Test(docs, term_too_long) {
    char term[300];
    memset(term, 'x', sizeof term);
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    cr_assert_eq(fg_doc_add_posting(doc, term, FG_TERM_MAX + 1, 1), FG_TOO_LONG);
    cr_assert_eq(fg_doc_add_term(doc, term, 246, 1), FG_TOO_LONG);
    cr_assert_eq(fg_doc_add_term(doc, term, 0, 1), FG_INVALID);
    cr_assert_eq(fg_doc_add_posting(doc, term, FG_TERM_MAX, 1), FG_OK);
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(fg_index_replace(w, "/t", doc), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(fg_index_commit(w), FG_OK, "the 240-byte term is stored");
    term[FG_TERM_MAX] = '\0';
    cr_assert_eq(tfreq(w, term), 1);
    fg_doc_free(doc);
    fg_index_close(w);
}

/* Document data comes back byte-exact, NULs included, NUL-terminated. */
Test(docs, data_round_trips_with_nuls) {
    static const char data[] = "url=/bin\0ary\0\xff\x01end";
    const size_t len = sizeof data - 1;
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    cr_assert_eq(fg_doc_set_data(doc, data, len), FG_OK);
    cr_assert_eq(fg_doc_add_posting(doc, "binär", strlen("binär"), 1), FG_OK);
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(fg_index_replace(w, "/bin", doc), FG_OK);
    fg_doc_free(doc);
    cr_assert_eq(fg_index_close(w), FG_OK);

    fg_index_t *r = open_reader(tdir);
    fg_xquery_t *q = qterm("binär");
    fg_mset_t *m = search_all(r, q);
    cr_assert_eq(fg_mset_size(m), 1);
    const fg_mset_hit_t *h = fg_mset_hit(m, 0);
    cr_assert_eq(h->data_len, len);
    cr_assert(memcmp(h->data, data, len) == 0);
    cr_assert_eq(h->data[len], '\0', "NUL-terminated");
    cr_assert_null(fg_mset_hit(m, 1));
    fg_mset_free(m);
    fg_xquery_free(q);
    fg_index_close(r);
}

/* The sortable encoding round-trips and sorts like the numbers. */
Test(docs, sortable_serialise) {
    double nums[] = {-1e9, -1.5, 0, 0.25, 1, 2, 1e3, 1.7e9, 1e300};
    char prev[18], cur[18];
    size_t prevlen = 0;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
        size_t n = fg_sortable_serialise(nums[i], cur);
        cr_assert(n > 0 && n <= 18);
        cr_assert_eq(fg_sortable_unserialise(cur, n), nums[i]);
        if (i) {
            size_t m = n < prevlen ? n : prevlen;
            int c = memcmp(prev, cur, m);
            cr_assert(c < 0 || (c == 0 && prevlen < n), "byte order = numeric order at %zu", i);
        }
        memcpy(prev, cur, n);
        prevlen = n;
    }
}

/* One fg_doc_t replaced under two uids gives two separate documents. */
Test(docs, same_doc_under_two_uids) {
    /* Xapian::Document handles share their contents; replace must copy, or
     * the second uid's document would carry the first uid's Q and P terms. */
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    cr_assert_eq(fg_doc_add_posting(doc, "gemeinsam", 9, 1), FG_OK);
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(fg_index_replace(w, "/x/1", doc), FG_OK);
    cr_assert_eq(fg_index_replace(w, "/y/2", doc), FG_OK);
    fg_doc_free(doc);
    cr_assert_eq(count(w), 2);
    cr_assert_eq(tfreq(w, "Q/x/1"), 1);
    cr_assert_eq(tfreq(w, "P/x"), 1);
    cr_assert_eq(tfreq(w, "P/y"), 1);
    cr_assert_eq(tfreq(w, "gemeinsam"), 2);
    fg_index_close(w);
}

/* doc_data gives a document's data by docid; a deleted or unknown docid is
 * FG_NOT_FOUND. */
Test(docs, doc_data_by_docid) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/home/a/b.txt", "eins");
    put_words(w, "/home/a/c.txt", "zwei");
    cr_assert_eq(fg_index_commit(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    fg_xquery_t *q = qterm("zwei");
    fg_mset_t *m = search_all(r, q);
    cr_assert_eq(fg_mset_size(m), 1);
    uint32_t id = fg_mset_hit(m, 0)->docid;
    fg_mset_free(m);
    fg_xquery_free(q);
    char *data = NULL;
    size_t len = 0;
    cr_assert_eq(fg_index_doc_data(r, id, &data, &len), FG_OK, "%s", fg_index_error(r));
    cr_assert_str_eq(data, "url=/home/a/c.txt");
    cr_assert_eq(len, strlen(data));
    free(data);
    cr_assert_eq(fg_index_delete(w, "/home/a/c.txt"), FG_OK);
    cr_assert_eq(fg_index_commit(w), FG_OK);
    cr_assert_eq(fg_index_reopen(r), FG_OK);
    cr_assert_eq(fg_index_doc_data(r, id, &data, &len), FG_NOT_FOUND);
    cr_assert_null(data);
    cr_assert_eq(fg_index_doc_data(r, 999999, &data, &len), FG_NOT_FOUND);
    cr_assert_eq(fg_index_doc_data(r, 0, &data, &len), FG_NOT_FOUND, "docid 0 is no document");
    fg_index_close(r);
    fg_index_close(w);
}
