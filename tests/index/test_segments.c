/*
 * test_segments.c - segments, their merge into a new generation, the stub,
 * crashes during a merge, readers across a swap, the old layout.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

TestSuite(segments, .init = tdir_setup, .fini = tdir_teardown);

/* Does the file exist? */
static bool exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Counts the entries of tdir whose name starts with prefix. */
static int count_entries(const char *prefix) {
    DIR *d = opendir(tdir);
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

/* A document whose body words are words, as put_words() makes them. */
static fg_doc_t *make_doc(const char *uid, const char *words) {
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", words);
    uint32_t pos = 1;
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save))
        cr_assert_eq(fg_doc_add_posting(doc, w, strlen(w), pos++), FG_OK);
    char data[512];
    int n = snprintf(data, sizeof data, "url=%s", uid);
    cr_assert_eq(fg_doc_set_data(doc, data, (size_t)n), FG_OK);
    return doc;
}

/* Creates a segment in tdir, asserting. */
static fg_segment_t *new_segment(void) {
    char err[512] = "";
    fg_segment_t *seg = NULL;
    cr_assert_eq(fg_segment_create(tdir, &seg, err, sizeof err), FG_OK, "%s", err);
    return seg;
}

/* Adds a document of words to seg, asserting. */
static void seg_put(fg_segment_t *seg, const char *uid, const char *words) {
    fg_doc_t *doc = make_doc(uid, words);
    cr_assert_eq(fg_segment_add(seg, uid, doc), FG_OK, "%s", fg_segment_error(seg));
    fg_doc_free(doc);
}

/* Finishes seg and copies its folder name into path (PATH_MAX). */
static void seg_done(fg_segment_t *seg, char *path) {
    cr_assert_eq(fg_segment_finish(seg), FG_OK, "%s", fg_segment_error(seg));
    snprintf(path, PATH_MAX, "%s", fg_segment_path(seg));
    fg_segment_free(seg, false);
}

/* Document count of idx. */
static uint64_t count_docs(fg_index_t *idx) {
    uint64_t n = 0;
    cr_assert_eq(fg_index_doc_count(idx, &n), FG_OK, "%s", fg_index_error(idx));
    return n;
}

/* Number of hits for a one-term query. */
static size_t hits_for(fg_index_t *idx, const char *term) {
    fg_xquery_t *q = qterm(term);
    fg_mset_t *m = search_all(idx, q);
    size_t n = fg_mset_size(m);
    fg_mset_free(m);
    fg_xquery_free(q);
    return n;
}

/* The stub's text. */
static const char *stub_text(void) {
    static char buf[128];
    FILE *fp = fopen(tpath("XAPIANDB"), "r");
    cr_assert_not_null(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* Two segments and live documents merge into gen-2; the rest is gone. */
Test(segments, create_and_merge) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/live/a", "apfel birne");
    fg_segment_t *s1 = new_segment(), *s2 = new_segment();
    seg_put(s1, "/seg/b", "birne kirsche");
    seg_put(s1, "/seg/c", "kirsche");
    seg_put(s2, "/seg/d", "dattel");
    cr_assert_eq(fg_segment_doc_count(s1), 2);
    char p1[PATH_MAX], p2[PATH_MAX];
    seg_done(s1, p1);
    seg_done(s2, p2);
    cr_assert_eq(count_entries("seg-"), 2);
    const char *segs[] = {p1, p2};
    cr_assert_eq(fg_index_merge(w, segs, 2), FG_OK, "%s", fg_index_error(w));
    cr_assert_str_eq(stub_text(), "glass gen-2\n");
    cr_assert(exists(tpath("gen-2/iamglass")));
    cr_assert_not(exists(tpath("gen-1")));
    cr_assert_eq(count_entries("seg-"), 0);
    cr_assert_eq(count_docs(w), 4);
    cr_assert_eq(hits_for(w, "kirsche"), 2);

    /* The writer goes on writing in the new generation. */
    put_words(w, "/live/e", "kirsche");
    cr_assert_eq(fg_index_commit(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    cr_assert_eq(count_docs(r), 5);
    cr_assert_eq(hits_for(r, "kirsche"), 3);
    fg_doc_stamp_t st;
    cr_assert_eq(fg_index_stamp(r, "/seg/d", &st), FG_OK);
    fg_index_close(r);
    cr_assert_eq(fg_index_close(w), FG_OK);

    /* Reopened later, the writer finds gen-2. */
    w = open_writer(tdir);
    cr_assert_eq(count_docs(w), 5);
    cr_assert_eq(fg_index_merge(w, NULL, 0), FG_OK, "%s", fg_index_error(w));
    cr_assert_str_eq(stub_text(), "glass gen-3\n");
    cr_assert_eq(count_docs(w), 5);
    fg_index_close(w);
}

/* Xapian itself opens the folder through the stub (delve, quest). */
Test(segments, xapian_tools_open_the_folder) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/a", "apfel");
    fg_index_close(w);
    if (access("/usr/bin/xapian-delve", X_OK) != 0)
        return;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/xapian-delve %s >/dev/null 2>&1", tdir);
    cr_assert_eq(system(cmd), 0);
}

/* Metadata of the live index survives a merge. */
Test(segments, metadata_survives) {
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(fg_index_set_metadata(w, FG_META_ANALYSIS, "lang=de;decompound=1"), FG_OK);
    cr_assert_eq(fg_index_set_metadata(w, "other", "x"), FG_OK);
    fg_segment_t *s = new_segment();
    seg_put(s, "/a", "apfel");
    char p[PATH_MAX];
    seg_done(s, p);
    const char *segs[] = {p};
    cr_assert_eq(fg_index_merge(w, segs, 1), FG_OK, "%s", fg_index_error(w));
    fg_index_close(w);
    fg_index_t *r = open_reader(tdir);
    char *v = NULL;
    cr_assert_eq(fg_index_get_metadata(r, FG_META_ANALYSIS, &v), FG_OK);
    cr_assert_str_eq(v, "lang=de;decompound=1");
    free(v);
    cr_assert_eq(fg_index_get_metadata(r, FG_META_FORMAT, &v), FG_OK);
    cr_assert_str_eq(v, FG_INDEX_FORMAT);
    free(v);
    cr_assert_eq(fg_index_get_metadata(r, "other", &v), FG_OK);
    cr_assert_str_eq(v, "x");
    free(v);
    fg_index_close(r);
}

/* A document in a segment replaces the live one with its unique id; of two
 * segments the later wins; no duplicates. */
Test(segments, replaced_documents_are_not_duplicated) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/a", "alt");
    put_words(w, "/b", "bleibt");
    put_words(w, "/c", "alt");
    fg_segment_t *s1 = new_segment(), *s2 = new_segment();
    seg_put(s1, "/a", "neu eins");
    seg_put(s1, "/c", "neu eins");
    seg_put(s2, "/c", "neu zwei");
    char p1[PATH_MAX], p2[PATH_MAX];
    seg_done(s1, p1);
    seg_done(s2, p2);
    const char *segs[] = {p1, p2};
    cr_assert_eq(fg_index_merge(w, segs, 2), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(count_docs(w), 3);
    cr_assert_eq(hits_for(w, "alt"), 0);
    cr_assert_eq(hits_for(w, "neu"), 2);
    cr_assert_eq(hits_for(w, "zwei"), 1);
    cr_assert_eq(hits_for(w, "bleibt"), 1);
    uint32_t tf = 0;
    cr_assert_eq(fg_index_term_freq(w, "P/c", &tf), FG_OK);
    cr_assert_eq(tf, 1);
    fg_index_close(w);
}

/* Documents dropped from a segment (the live index's newer copies win) stay
 * as the live index has them after the merge; ids the segment lacks are
 * ignored; the others of the segment arrive. */
Test(segments, dropped_documents_keep_the_live_copy) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/a", "lebendig");
    fg_segment_t *s1 = new_segment();
    seg_put(s1, "/a", "gehalten");
    seg_put(s1, "/b", "gehalten");
    char p1[PATH_MAX];
    seg_done(s1, p1);
    const char *ids[] = {"/a", "/fehlt"};
    uint64_t dropped = 99;
    char err[512] = "";
    cr_assert_eq(fg_segment_drop(p1, ids, 2, &dropped, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(dropped, 1);
    const char *segs[] = {p1};
    cr_assert_eq(fg_index_absorb(w, segs, 1), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(count_docs(w), 2);
    cr_assert_eq(hits_for(w, "lebendig"), 1);
    cr_assert_eq(hits_for(w, "gehalten"), 1);
    cr_assert_eq(fg_segment_drop("/nonexistent/seg-x", ids, 1, NULL, err, sizeof err) != FG_OK,
                 true, "a missing segment is an error");
    fg_index_close(w);
}

/* Unmerged segments and stray generations are removed by the next writable
 * open; a reader does not remove anything. */
Test(segments, leftovers_removed_at_writable_open) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/a", "apfel");
    fg_segment_t *s = new_segment();
    seg_put(s, "/b", "birne");
    char p[PATH_MAX];
    seg_done(s, p);
    fg_index_close(w);
    cr_assert_eq(mkdir(tpath("gen-7"), 0755), 0);
    fg_index_t *r = open_reader(tdir);
    fg_index_close(r);
    cr_assert_eq(count_entries("seg-"), 1);
    w = open_writer(tdir);
    cr_assert_eq(count_entries("seg-"), 0);
    cr_assert_not(exists(tpath("gen-7")));
    cr_assert_eq(count_docs(w), 1);
    fg_index_close(w);
}

/* An index of the old layout (glass files in the folder) is read and written
 * in place, and moves to a generation at its first merge. */
Test(segments, old_layout_migrates_at_first_merge) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/a", "apfel");
    fg_index_close(w);
    /* make it an old-layout index: gen-1's files into the folder, no stub */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mv %s/gen-1/* %s/ && rmdir %s/gen-1 && rm %s/XAPIANDB", tdir, tdir,
             tdir, tdir);
    cr_assert_eq(system(cmd), 0);
    cr_assert(exists(tpath("iamglass")));
    fg_index_t *r = open_reader(tdir);
    cr_assert_eq(count_docs(r), 1);

    w = open_writer(tdir);
    put_words(w, "/b", "birne");
    fg_segment_t *s = new_segment();
    seg_put(s, "/c", "apfel");
    char p[PATH_MAX];
    seg_done(s, p);
    const char *segs[] = {p};
    cr_assert_eq(fg_index_merge(w, segs, 1), FG_OK, "%s", fg_index_error(w));
    cr_assert_str_eq(stub_text(), "glass gen-1\n");
    cr_assert_not(exists(tpath("iamglass")));
    cr_assert_not(exists(tpath("postlist.glass")));
    cr_assert_eq(count_docs(w), 3);
    fg_index_close(w);

    /* the old reader still reads its snapshot, and moves on when reopened */
    cr_assert_eq(count_docs(r), 1);
    cr_assert_eq(fg_index_reopen(r), FG_OK, "%s", fg_index_error(r));
    cr_assert_eq(count_docs(r), 3);
    cr_assert_eq(hits_for(r, "apfel"), 2);
    fg_index_close(r);
}

/* Bad arguments. */
Test(segments, bad_arguments) {
    char err[256];
    fg_segment_t *seg = NULL;
    cr_assert_eq(fg_segment_create("", &seg, err, sizeof err), FG_INVALID);
    cr_assert_eq(fg_segment_create(tpath("missing/folder"), &seg, err, sizeof err), FG_IO);
    cr_assert_null(seg);
    fg_index_t *w = open_writer(tdir);
    const char *segs[] = {""};
    cr_assert_eq(fg_index_merge(w, segs, 1), FG_INVALID);
    const char *missing[] = {tpath("seg-nothere")};
    cr_assert_neq(fg_index_merge(w, missing, 1), FG_OK);
    cr_assert_eq(count_docs(w), 0, "a failed merge leaves the index usable");
    fg_index_close(w);
    fg_index_t *r = open_reader(tdir);
    cr_assert_eq(fg_index_merge(r, NULL, 0), FG_INVALID);
    fg_index_close(r);
    fg_segment_free(NULL, true);
}

/* Child of the crash test: adds live documents, builds two segments and
 * merges, with FUNDGRUBE_TEST_KILL_AT set by the parent; exits 0 if it was
 * not killed. */
static void crash_child(void) {
    char err[512];
    fg_index_t *w = NULL;
    if (fg_index_open_writable(tdir, FG_INDEX_CREATE, &w, err, sizeof err) != FG_OK)
        _exit(2);
    fg_segment_t *s1 = NULL, *s2 = NULL;
    if (fg_segment_create(tdir, &s1, err, sizeof err) != FG_OK ||
        fg_segment_create(tdir, &s2, err, sizeof err) != FG_OK)
        _exit(3);
    for (int i = 0; i < 20; i++) {
        char uid[64];
        snprintf(uid, sizeof uid, "/doc/%02d", i);
        fg_doc_t *doc = make_doc(uid, i % 2 ? "neu ungerade" : "neu gerade");
        if (fg_segment_add(i < 10 ? s1 : s2, uid, doc) != FG_OK)
            _exit(4);
        fg_doc_free(doc);
    }
    char p1[PATH_MAX], p2[PATH_MAX];
    if (fg_segment_finish(s1) != FG_OK || fg_segment_finish(s2) != FG_OK)
        _exit(5);
    snprintf(p1, sizeof p1, "%s", fg_segment_path(s1));
    snprintf(p2, sizeof p2, "%s", fg_segment_path(s2));
    fg_segment_free(s1, false);
    fg_segment_free(s2, false);
    const char *segs[] = {p1, p2};
    if (fg_index_merge(w, segs, 2) != FG_OK)
        _exit(6);
    fg_index_close(w);
    _exit(0);
}

/* Killed at every point of a merge, the index opens with either the old or
 * the merged documents, never a mixture or duplicates; leftovers go at the
 * next writable open, and merging again completes. */
Test(segments, crash_during_merge) {
#ifndef FG_TEST_HOOKS
    cr_skip_test("needs a build with -DFG_TEST_HOOKS=ON");
#endif
    static const char *points[] = {"merge-start", "merge-compacted", "merge-deduped", "merge-stub",
                                   "merge-done"};
    for (size_t k = 0; k < sizeof points / sizeof *points; k++) {
        rm_tree(tdir);
        cr_assert_eq(mkdir(tdir, 0700), 0);
        /* five old documents, three of which the segments replace */
        fg_index_t *w = open_writer(tdir);
        for (int i = 0; i < 5; i++) {
            char uid[64];
            snprintf(uid, sizeof uid, "/doc/%02d", i * 4);
            put_words(w, uid, "alt");
        }
        put_words(w, "/other", "alt");
        fg_index_close(w);

        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0) {
            setenv("FUNDGRUBE_TEST_KILL_AT", points[k], 1);
            crash_child();
        }
        int ws = 0;
        cr_assert_eq(waitpid(pid, &ws, 0), pid);
        cr_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL, "%s: status 0x%x", points[k], ws);

        fg_index_t *r = open_reader(tdir);
        uint64_t n = count_docs(r);
        size_t alt = hits_for(r, "alt"), neu = hits_for(r, "neu");
        bool before = n == 6 && alt == 6 && neu == 0;
        bool after = n == 21 && alt == 1 && neu == 20;
        cr_assert(before || after, "%s: %lu docs, %zu alt, %zu neu", points[k], (unsigned long)n,
                  alt, neu);
        bool merged = strcmp(points[k], "merge-stub") == 0 || strcmp(points[k], "merge-done") == 0;
        cr_assert_eq(after, merged, "%s", points[k]);
        fg_index_close(r);

        /* the writable open cleans up; redoing the work completes it */
        pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0)
            crash_child();
        cr_assert_eq(waitpid(pid, &ws, 0), pid);
        cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "%s: rerun status 0x%x", points[k], ws);
        r = open_reader(tdir);
        cr_assert_eq(count_docs(r), 21, "%s", points[k]);
        cr_assert_eq(hits_for(r, "neu"), 20);
        cr_assert_eq(hits_for(r, "alt"), 1);
        fg_index_close(r);
        cr_assert_eq(count_entries("seg-"), 0);
        cr_assert_eq(count_entries("gen-"), 1);
    }
}

/* A reader searching in a loop while another process merges segment after
 * segment never fails, and never sees fewer documents than before. */
Test(segments, reader_across_swaps, .timeout = 120) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/doc/start", "wort");
    fg_index_close(w);
    const int merges = 25;
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        char err[512];
        fg_index_t *cw = NULL;
        if (fg_index_open_writable(tdir, 0, &cw, err, sizeof err) != FG_OK)
            _exit(2);
        for (int i = 0; i < merges; i++) {
            fg_segment_t *s = NULL;
            if (fg_segment_create(tdir, &s, err, sizeof err) != FG_OK)
                _exit(3);
            for (int j = 0; j < 4; j++) {
                char uid[64];
                snprintf(uid, sizeof uid, "/doc/%d/%d", i, j);
                fg_doc_t *doc = make_doc(uid, "wort und mehr");
                if (fg_segment_add(s, uid, doc) != FG_OK)
                    _exit(4);
                fg_doc_free(doc);
            }
            char p[PATH_MAX];
            if (fg_segment_finish(s) != FG_OK)
                _exit(5);
            snprintf(p, sizeof p, "%s", fg_segment_path(s));
            fg_segment_free(s, false);
            const char *segs[] = {p};
            if (fg_index_merge(cw, segs, 1) != FG_OK)
                _exit(6);
            /* also a plain commit on the new generation now and then */
            put_words(cw, "/doc/start", "wort");
            if (fg_index_commit(cw) != FG_OK)
                _exit(7);
        }
        fg_index_close(cw);
        _exit(0);
    }
    fg_index_t *r = open_reader(tdir);
    size_t last = 0;
    int loops = 0;
    for (;;) {
        int ws = 0;
        pid_t done = waitpid(pid, &ws, WNOHANG);
        cr_assert_eq(fg_index_reopen(r), FG_OK, "reopen: %s", fg_index_error(r));
        fg_xquery_t *q = qterm("wort");
        fg_mset_t *m = NULL;
        fg_search_params_t p;
        fg_search_params_default(&p);
        p.limit = 1000;
        cr_assert_eq(fg_index_search(r, q, &p, &m), FG_OK, "search: %s", fg_index_error(r));
        size_t n = fg_mset_size(m);
        for (size_t i = 0; i < n; i++)
            cr_assert_not_null(fg_mset_hit(m, i)->data);
        fg_mset_free(m);
        fg_xquery_free(q);
        cr_assert_geq(n, last, "hits went from %zu down to %zu", last, n);
        last = n;
        loops++;
        if (done == pid) {
            cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "writer status 0x%x", ws);
            break;
        }
    }
    cr_assert_eq(fg_index_reopen(r), FG_OK);
    cr_assert_eq(count_docs(r), 1 + 4 * merges);
    cr_assert_gt(loops, 1);
    fg_index_close(r);
}

/* Segments combined into one: inputs removed, the later copy of a unique id
 * wins, and the result merges like any segment. */
Test(segments, combine_segments) {
    fg_index_t *w = open_writer(tdir);
    fg_segment_t *s1 = new_segment(), *s2 = new_segment(), *s3 = new_segment();
    seg_put(s1, "/a", "eins");
    seg_put(s2, "/b", "zwei");
    seg_put(s3, "/a", "drei");
    char p1[PATH_MAX], p2[PATH_MAX], p3[PATH_MAX];
    seg_done(s1, p1);
    seg_done(s2, p2);
    seg_done(s3, p3);
    const char *segs[] = {p1, p2, p3};
    char err[512] = "", *out = NULL;
    cr_assert_eq(fg_segment_combine(tdir, segs, 3, &out, err, sizeof err), FG_OK, "%s", err);
    cr_assert_not_null(out);
    cr_assert_eq(count_entries("seg-"), 1);
    cr_assert(exists(out));
    const char *one[] = {out};
    cr_assert_eq(fg_index_merge(w, one, 1), FG_OK, "%s", fg_index_error(w));
    free(out);
    cr_assert_eq(count_entries("seg-"), 0);
    cr_assert_eq(count_docs(w), 2);
    cr_assert_eq(hits_for(w, "eins"), 0);
    cr_assert_eq(hits_for(w, "drei"), 1);
    cr_assert_eq(fg_segment_combine(tdir, NULL, 1, &out, err, sizeof err), FG_INVALID);
    fg_index_close(w);
}
