/*
 * test_events.c - fundgrubed end to end: what happens in the watched folder
 * reaches the index (drop, modify, rename, moves, deletes, folders moved in,
 * slow writers, globs, the writer lock).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dtest.h"
#include "testutil.h"

static dtest_t t;

static void setup(void) {
    dt_init(&t);
}

static void teardown(void) {
    dt_fini(&t);
}

TestSuite(daemon_events, .init = setup, .fini = teardown, .timeout = 90);

#define DEADLINE 10.0

/* Starts the daemon with no extra arguments; asserts it came up. */
static void start(void) {
    cr_assert(dt_start(&t, NULL, NULL), "daemon did not start:\n%s", dt_log(&t));
}

/* Asserts a polled wait succeeded and prints how long it took. */
#define WAITED(what, secs)                                                                         \
    do {                                                                                           \
        double s_ = (secs);                                                                        \
        cr_assert(s_ >= 0, "%s: not within %.0f s; log:\n%s", what, DEADLINE, dt_log(&t));         \
        fprintf(stderr, "daemon: %s: %.1f ms\n", what, s_ * 1000);                                 \
    } while (0)

/* Joins the watched folder and rel into a malloc'ed path. */
static char *wpath(const char *rel) {
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", t.watch, rel) > 0);
    return p;
}

/*
 * Writes the file rel (watched folder) with the probe word and waits until
 * the word is searchable.  The daemon reads inotify events in order and its
 * queue is first in, first out, so once this file is in the index every
 * event before it has been handled: an effect of those events that is still
 * absent then is absent for good, not merely late.
 */
static void barrier(const char *rel, const char *word) {
    char *p = wpath(rel), text[96];
    snprintf(text, sizeof text, "%s Inhalt", word);
    dt_write(p, text);
    WAITED(rel, dt_wait_freq(&t, word, 1, DEADLINE));
    free(p);
}

/* Polls the daemon's status file (written within 200 ms of a change) until
 * it contains want; returns the seconds it took, or -1 after timeout_s. */
static double wait_status(const char *want, double timeout_s) {
    char *sp = NULL;
    cr_assert(asprintf(&sp, "%s/fundgrubed.status", t.index) > 0);
    double t0 = dt_now();
    double took = -1;
    while (dt_now() - t0 <= timeout_s) {
        char *s = tu_read(sp, NULL);
        bool seen = s && strstr(s, want);
        free(s);
        if (seen) {
            took = dt_now() - t0;
            break;
        }
        usleep(20 * 1000);
    }
    free(sp);
    return took;
}

Test(daemon_events, start_reconciles_existing_files) {
    char *a = wpath("a.txt"), *b = wpath("sub/b.md"), *c = wpath("c.bin");
    dt_write(a, "zqkstarta erste Datei");
    dt_write(b, "zqkstartb zweite Datei");
    dt_write(c, "zqkstartc not admitted");
    start();
    cr_assert_eq(dt_count(&t), 2, "both files indexed once the daemon watches: %ld\n%s",
                 dt_count(&t), dt_log(&t));
    cr_assert_eq(dt_freq(&t, "zqkstarta"), 1);
    cr_assert_eq(dt_freq(&t, "zqkstartc"), 0);
    free(a);
    free(b);
    free(c);
}

Test(daemon_events, drop_file_is_searchable) {
    start();
    char *p = wpath("neu.txt");
    double t0 = dt_now();
    dt_write(p, "zqkdrop Ein frisch abgelegter Text über Apfelkuchen");
    double got = dt_wait_freq(&t, "zqkdrop", 1, DEADLINE);
    WAITED("drop -> searchable", got >= 0 ? dt_now() - t0 : -1);
    cr_assert_eq(dt_freq(&t, "apfelkuchen"), 1);
    free(p);
}

Test(daemon_events, modify_replaces_content) {
    start();
    char *p = wpath("notiz.txt");
    dt_write(p, "zqkvorher alter Inhalt");
    WAITED("first version", dt_wait_freq(&t, "zqkvorher", 1, DEADLINE));
    dt_write(p, "zqknachher neuer Inhalt");
    WAITED("modified", dt_wait_freq(&t, "zqknachher", 1, DEADLINE));
    cr_assert_eq(dt_freq(&t, "zqkvorher"), 0, "the old text is gone");
    cr_assert_eq(dt_count(&t), 1);
    free(p);
}

Test(daemon_events, rename_follows) {
    char *a = wpath("alt.txt"), *b = wpath("neu.txt");
    dt_write(a, "zqkumbenannt Inhalt");
    start();
    cr_assert_eq(dt_has_path(&t, a), 1);
    cr_assert_eq(rename(a, b), 0);
    WAITED("rename", dt_wait_path(&t, b, 1, DEADLINE));
    cr_assert_eq(dt_wait_path(&t, a, 0, DEADLINE) >= 0, 1, "old path gone");
    cr_assert_eq(dt_count(&t), 1);
    cr_assert_eq(dt_freq(&t, "zqkumbenannt"), 1);
    free(a);
    free(b);
}

Test(daemon_events, move_between_subfolders) {
    char *a = wpath("eins/datei.txt"), *b = wpath("zwei/tief/datei.txt");
    dt_write(a, "zqkwandert Inhalt");
    char *d2 = wpath("zwei/tief");
    char *d2p = wpath("zwei");
    mkdir(d2p, 0755);
    mkdir(d2, 0755);
    start();
    cr_assert_eq(rename(a, b), 0);
    WAITED("move between folders", dt_wait_path(&t, b, 1, DEADLINE));
    cr_assert(dt_wait_path(&t, a, 0, DEADLINE) >= 0);
    cr_assert_eq(dt_count(&t), 1);
    /* and the moved-into folder is watched: a new file there is seen */
    char *c = wpath("zwei/tief/noch.txt");
    dt_write(c, "zqknocheine Datei");
    WAITED("new file in subfolder", dt_wait_freq(&t, "zqknocheine", 1, DEADLINE));
    free(a);
    free(b);
    free(c);
    free(d2);
    free(d2p);
}

Test(daemon_events, delete_file) {
    char *a = wpath("weg.txt"), *b = wpath("bleibt.txt");
    dt_write(a, "zqkweg Inhalt");
    dt_write(b, "zqkbleibt Inhalt");
    start();
    cr_assert_eq(unlink(a), 0);
    WAITED("delete", dt_wait_freq(&t, "zqkweg", 0, DEADLINE));
    cr_assert_eq(dt_count(&t), 1);
    free(a);
    free(b);
}

Test(daemon_events, delete_folder) {
    char *files[4];
    for (int i = 0; i < 4; i++) {
        char rel[64], word[24], text[64];
        snprintf(rel, sizeof rel, "ordner/%s/f%d.txt", i < 2 ? "a" : "b/c", i);
        files[i] = wpath(rel);
        snprintf(text, sizeof text, "%s Inhalt", dt_word((unsigned)i, word));
        dt_write(files[i], text);
    }
    char *keep = wpath("keep.txt");
    dt_write(keep, "zqkkeep Inhalt");
    start();
    cr_assert_eq(dt_count(&t), 5);
    char *ordner = wpath("ordner");
    tu_rmtree(ordner);
    WAITED("folder deleted", dt_wait_count(&t, 1, DEADLINE));
    cr_assert_eq(dt_freq(&t, "zqkkeep"), 1);
    for (int i = 0; i < 4; i++)
        free(files[i]);
    free(keep);
    free(ordner);
}

Test(daemon_events, move_folder_within_tree) {
    char *a = wpath("quelle/x/eins.txt"), *b = wpath("quelle/zwei.txt");
    dt_write(a, "zqkordnereins Inhalt");
    dt_write(b, "zqkordnerzwei Inhalt");
    start();
    char *from = wpath("quelle"), *to = wpath("ziel");
    cr_assert_eq(rename(from, to), 0);
    char *na = wpath("ziel/x/eins.txt");
    WAITED("folder moved", dt_wait_path(&t, na, 1, DEADLINE));
    cr_assert(dt_wait_path(&t, a, 0, DEADLINE) >= 0, "old paths gone");
    cr_assert_eq(dt_count(&t), 2);
    /* the watches moved along: a change inside is seen under the new path */
    char *c = wpath("ziel/x/drei.txt");
    dt_write(c, "zqkordnerdrei Inhalt");
    WAITED("file in moved folder", dt_wait_path(&t, c, 1, DEADLINE));
    char why[512];
    cr_assert(dt_wait_tree(&t, DEADLINE, why, sizeof why) >= 0, "%s", why);
    free(a);
    free(b);
    free(from);
    free(to);
    free(na);
    free(c);
}

Test(daemon_events, nested_tree_moved_in_at_once) {
    start();
    char *outside = NULL;
    cr_assert(asprintf(&outside, "%s/draussen", t.dir) > 0);
    int n = 0;
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            for (int f = 0; f < 4; f++) {
                char path[512], word[24], text[64];
                snprintf(path, sizeof path, "%s/baum/a%d/b%d/f%d.txt", outside, a, b, f);
                snprintf(text, sizeof text, "%s Inhalt", dt_word((unsigned)n++, word));
                dt_write(path, text);
            }
    char *from = NULL, *to = wpath("baum");
    cr_assert(asprintf(&from, "%s/baum", outside) > 0);
    double t0 = dt_now();
    cr_assert_eq(rename(from, to), 0);
    char why[512];
    double s = dt_wait_tree(&t, DEADLINE, why, sizeof why);
    cr_assert(s >= 0, "%s\n%s", why, dt_log(&t));
    fprintf(stderr, "daemon: %d files moved in at once: %.1f ms\n", n, (dt_now() - t0) * 1000);
    cr_assert_eq(dt_count(&t), n);
    /* the new folders are watched */
    char *late = wpath("baum/a2/b2/spaet.txt");
    dt_write(late, "zqkspaet Inhalt");
    WAITED("file in moved-in tree", dt_wait_freq(&t, "zqkspaet", 1, DEADLINE));
    free(outside);
    free(from);
    free(to);
    free(late);
}

/* A burst: a folder of 300 files moved in, then 150 more files written one
 * by one as fast as possible, an edit and a delete right after.  The burst
 * goes through held segments (merged into a new generation); in the end
 * every file is in the index once, with its latest text. */
Test(daemon_events, burst_then_edits_win) {
    start();
    char *outside = NULL, *from = NULL, *to = wpath("stapel");
    cr_assert(asprintf(&outside, "%s/draussen", t.dir) > 0);
    cr_assert(asprintf(&from, "%s/stapel", outside) > 0);
    int n = 0;
    for (; n < 300; n++) {
        char path[512], word[24], text[64];
        snprintf(path, sizeof path, "%s/d%d/f%03d.txt", from, n % 4, n);
        snprintf(text, sizeof text, "%s Inhalt", dt_word((unsigned)n, word));
        dt_write(path, text);
    }
    cr_assert_eq(rename(from, to), 0);
    for (; n < 450; n++) {
        char path[512], word[24], text[64];
        snprintf(path, sizeof path, "%s/e%d/f%03d.txt", to, n % 3, n);
        snprintf(text, sizeof text, "%s Inhalt", dt_word((unsigned)n, word));
        dt_write(path, text);
    }
    char *edited = wpath("stapel/d0/f000.txt"), *deleted = wpath("stapel/d1/f001.txt");
    dt_write(edited, "zqkneu ganz anderer Inhalt, und etwas länger");
    cr_assert_eq(unlink(deleted), 0);
    char why[512];
    double s = dt_wait_tree(&t, DEADLINE, why, sizeof why);
    cr_assert(s >= 0, "%s\n%s", why, dt_log(&t));
    cr_assert_eq(dt_count(&t), n - 1);
    cr_assert_eq(dt_freq(&t, "zqkneu"), 1);
    char word[24];
    cr_assert_eq(dt_freq(&t, dt_word(0, word)), 0, "the edit replaced the held text");
    cr_assert_eq(dt_freq(&t, dt_word(1, word)), 0, "the deleted file stays deleted");
    cr_assert_eq(dt_freq(&t, dt_word(449, word)), 1);
    /* the burst went through segments: merged into a new generation (single
     * files go into gen-1 itself) */
    char *stub = NULL;
    cr_assert(asprintf(&stub, "%s/XAPIANDB", t.index) > 0);
    FILE *fp = fopen(stub, "r");
    cr_assert(fp);
    char line[64] = "";
    cr_assert(fgets(line, sizeof line, fp));
    fclose(fp);
    cr_assert_str_neq(line, "glass gen-1\n", "no segments were merged:\n%s", dt_log(&t));
    free(stub);
    free(outside);
    free(from);
    free(to);
    free(edited);
    free(deleted);
}

Test(daemon_events, slow_writer_indexed_when_closed) {
    start();
    char *p = wpath("langsam.txt");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert(fd >= 0);
    const char *chunks[] = {"zqkanfang erster Teil ", "zqkmitte zweiter Teil ",
                            "zqkschluss letzter Teil\n"};
    for (int i = 0; i < 3; i++) {
        cr_assert(write(fd, chunks[i], strlen(chunks[i])) > 0);
        char rel[32], word[32];
        snprintf(rel, sizeof rel, "marke%d.txt", i);
        snprintf(word, sizeof word, "zqkmarke%c", 'a' + i);
        barrier(rel, word); /* the write and the create before it are handled */
        cr_assert_eq(dt_has_path(&t, p), 0, "not indexed while still open (chunk %d)", i);
    }
    cr_assert_eq(close(fd), 0);
    WAITED("slow file after close", dt_wait_freq(&t, "zqkschluss", 1, DEADLINE));
    cr_assert_eq(dt_freq(&t, "zqkanfang"), 1, "the whole final content");
    cr_assert_eq(dt_freq(&t, "zqkmitte"), 1);
    free(p);
}

Test(daemon_events, temp_name_then_rename) {
    start();
    char *tmp = wpath(".entwurf.txt.tmp"), *fin = wpath("entwurf.txt");
    dt_write(tmp, "zqkeditor gespeichert");
    barrier("marke.txt", "zqkmarke"); /* the temporary file's events are handled */
    cr_assert_eq(dt_freq(&t, "zqkeditor"), 0, "hidden temporary file not indexed");
    cr_assert_eq(rename(tmp, fin), 0);
    WAITED("renamed into place", dt_wait_path(&t, fin, 1, DEADLINE));
    cr_assert_eq(dt_freq(&t, "zqkeditor"), 1);
    free(tmp);
    free(fin);
}

Test(daemon_events, globs_and_hidden) {
    char *cfg = NULL;
    cr_assert(asprintf(&cfg, "%s/test.conf", t.dir) > 0);
    dt_write(cfg, "[watch]\ninclude = *.txt\nexclude = *.skip.txt\nexclude = build\n");
    const char *args[] = {"--config", cfg, NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    const char *names[] = {"x.skip.txt", ".versteckt.txt", "build/y.txt",
                           ".dir/z.txt", "n.md",           "ok.txt"};
    const char *words[] = {"zqkskip", "zqkhidden", "zqkbuild", "zqkhdir", "zqkmd", "zqkok"};
    for (int i = 0; i < 6; i++) {
        char *p = wpath(names[i]), text[64];
        snprintf(text, sizeof text, "%s Inhalt", words[i]);
        dt_write(p, text);
        free(p);
    }
    /* ok.txt, written last, is searchable: the events of the others are handled */
    WAITED("admitted file", dt_wait_freq(&t, "zqkok", 1, DEADLINE));
    for (int i = 0; i < 5; i++)
        cr_assert_eq(dt_freq(&t, words[i]), 0, "%s must not be indexed", names[i]);
    cr_assert_eq(dt_count(&t), 1);
    free(cfg);
}

Test(daemon_events, second_daemon_refused) {
    start();
    pid_t p2 = dt_spawn(&t, NULL, NULL);
    int st = dt_wait_exit(p2, 20);
    cr_assert(st != 0 && st != -1, "second daemon exits non-zero (got %d)", st);
    const char *log = dt_log(&t);
    char want[64];
    snprintf(want, sizeof want, "locked by pid %ld", (long)t.pid);
    cr_assert(strstr(log, want), "message names the first daemon:\n%s", log);
    /* the first one still works */
    char *p = wpath("danach.txt");
    dt_write(p, "zqkdanach Inhalt");
    WAITED("first daemon still indexing", dt_wait_freq(&t, "zqkdanach", 1, DEADLINE));
    free(p);
}

Test(daemon_events, sigterm_commits_and_exits_0) {
    /* no commits while running (huge interval and age): only the exit commits */
    const char *args[] = {"--commit-interval", "86400000", "--commit-max-age", "86400000", NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    /* the first change after start commits at once; the next waits */
    char *w = wpath("vorher.txt");
    dt_write(w, "zqkvorher Inhalt");
    WAITED("first change", dt_wait_freq(&t, "zqkvorher", 1, DEADLINE));
    free(w);
    char *p = wpath("ende.txt");
    dt_write(p, "zqkende Inhalt");
    /* the writer has indexed it (the status counts it) but not committed it */
    WAITED("second change indexed", wait_status("\"indexed\": 2,", DEADLINE));
    cr_assert_eq(dt_freq(&t, "zqkende"), 0, "not committed yet");
    cr_assert_eq(dt_stop(&t), 0, "exit code 0; log:\n%s", dt_log(&t));
    cr_assert_eq(dt_freq(&t, "zqkende"), 1, "committed at exit");
    char *s = NULL, *sp = NULL;
    cr_assert(asprintf(&sp, "%s/fundgrubed.status", t.index) > 0);
    s = tu_read(sp, NULL);
    cr_assert(s && strstr(s, "\"state\": \"stopped\""), "%s", s ? s : "(no status)");
    free(s);
    free(sp);
    free(p);
}

Test(daemon_events, moves_keep_documents_without_reextracting) {
    char *a = wpath("mappe/brief.txt"), *b = wpath("mappe/sub/notiz.md");
    dt_write(a, "zqkbrief Inhalt des Briefes");
    dt_write(b, "zqknotiz Inhalt der Notiz");
    const char *args[] = {"--verbose", NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    /* a file renamed, then its folder moved */
    char *a2 = wpath("mappe/antwort.txt");
    cr_assert_eq(rename(a, a2), 0);
    WAITED("file renamed", dt_wait_path(&t, a2, 1, DEADLINE));
    char *from = wpath("mappe"), *to = wpath("archiv");
    cr_assert_eq(rename(from, to), 0);
    char *a3 = wpath("archiv/antwort.txt"), *b3 = wpath("archiv/sub/notiz.md");
    WAITED("folder moved", dt_wait_path(&t, b3, 1, DEADLINE));
    cr_assert(dt_wait_path(&t, a3, 1, DEADLINE) >= 0);
    cr_assert_eq(dt_count(&t), 2);
    cr_assert_eq(dt_freq(&t, "zqkbrief"), 1, "the terms moved along");
    cr_assert_eq(dt_freq(&t, "zqknotiz"), 1);
    char why[512];
    cr_assert(dt_matches_tree(&t, why, sizeof why), "%s", why);
    /* the daemon renamed the documents instead of extracting the files again */
    const char *log = dt_log(&t);
    char want[1024];
    snprintf(want, sizeof want, "renamed %s -> %s", a, a2);
    cr_assert(strstr(log, want), "%s\n%s", want, log);
    snprintf(want, sizeof want, "renamed %s -> %s", a2, a3);
    cr_assert(strstr(log, want), "%s\n%s", want, log);
    snprintf(want, sizeof want, "indexed %s", b3);
    cr_assert(!strstr(log, want), "not extracted again:\n%s", log);
    free(a);
    free(b);
    free(a2);
    free(a3);
    free(b3);
    free(from);
    free(to);
}

/* Runs `fundgrube status --index INDEX` in the test's home; returns stdout
 * (malloc'ed). */
static char *cli_status(void) {
    char *exe = tu_build_path("cli/fundgrube"), *ix = NULL, *home = NULL;
    cr_assert(asprintf(&ix, "--index=%s", t.index) > 0);
    cr_assert(asprintf(&home, "HOME=%s", t.dir) > 0);
    const char *argv[] = {exe, "status", ix, NULL};
    const char *env[] = {home, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *out = strdup(r.out);
    tu_run_free(&r);
    free(exe);
    free(ix);
    free(home);
    return out;
}

Test(daemon_events, cli_status_shows_the_daemon) {
    umask(022); /* the usual one: the daemon makes its files private anyway */
    char *p = wpath("kaputt.txt");
    dt_write(p, "zqkok\n");
    cr_assert_eq(chmod(p, 0), 0);
    start();
    /* the status file is written a few times a second, a moment after start */
    WAITED("status: watching", wait_status("\"state\": \"watching\"", DEADLINE));
    WAITED("status: queue empty", wait_status("\"queue\": 0,", DEADLINE));
    /* what the daemon created is private, whatever the umask it was given */
    struct stat sb;
    cr_assert_eq(stat(t.index, &sb), 0);
    cr_assert_eq(sb.st_mode & 077, 0, "index folder mode %04o", (unsigned)(sb.st_mode & 07777));
    char *sf = NULL;
    cr_assert(asprintf(&sf, "%s/fundgrubed.status", t.index) > 0);
    cr_assert_eq(stat(sf, &sb), 0);
    cr_assert_eq(sb.st_mode & 077, 0, "status file mode %04o", (unsigned)(sb.st_mode & 07777));
    free(sf);
    char *out = cli_status();
    char want[256];
    snprintf(want, sizeof want, "daemon:     running (pid %ld", (long)t.pid);
    cr_assert(strstr(out, want), "%s", out);
    snprintf(want, sizeof want, "watched:    %s", t.watch);
    cr_assert(strstr(out, want), "%s", out);
    cr_assert(strstr(out, "state:      watching"), "%s", out);
    cr_assert(strstr(out, "queue:      0"), "%s", out);
    cr_assert(strstr(out, "single changes waiting: 0"), "%s", out);
    cr_assert(strstr(out, "burst:      none"), "%s", out);
    if (geteuid() != 0) /* root reads the file anyway */
        cr_assert(strstr(out, "failed:") && strstr(out, "kaputt.txt"), "%s", out);
    free(out);
    cr_assert_eq(dt_stop(&t), 0);
    out = cli_status();
    cr_assert(strstr(out, "daemon:     not running"), "%s", out);
    free(out);
    free(p);
}

/* The start-up rescan of many files shows as progress in `fundgrube status`:
 * files done of the total walked, MB indexed and a rate, never more done
 * than walked, and no progress line once the daemon is watching. */
Test(daemon_events, cli_status_shows_scan_progress) {
    enum {
        FILES = 8000
    }; /* enough that the scan outlasts a few status polls (1,500 took 0.27 s) */
    char rel[64], word[24], text[1024];
    for (unsigned i = 0; i < FILES; i++) {
        snprintf(rel, sizeof rel, "stapel/%02u/d%05u.txt", i % 20, i);
        snprintf(text, sizeof text,
                 "%s Einladung zur Bürgerversammlung im Rathaus. Der Gemeinderat lädt zur "
                 "Sitzung ein; Themen sind die Sanierung der Grundschule, der Ausbau des "
                 "Radwegenetzes und die neue Satzung über die Müllabfuhr.\n",
                 dt_word(i, word));
        char *p = wpath(rel);
        dt_write(p, text);
        free(p);
    }
    t.pid = dt_spawn(&t, NULL, NULL);
    cr_assert(t.pid > 0);
    char *sp = NULL;
    cr_assert(asprintf(&sp, "%s/fundgrubed.status", t.index) > 0);
    bool seen = false;
    double t0 = dt_now();
    while (!seen && dt_now() - t0 < 60) {
        char *s = tu_read(sp, NULL);
        bool scanning = s && strstr(s, "\"state\": \"reconciling\"");
        bool watching = s && strstr(s, "\"state\": \"watching\"");
        free(s);
        cr_assert(!watching, "the rescan ended before any progress was seen; log:\n%s", dt_log(&t));
        if (!scanning) {
            usleep(10000);
            continue;
        }
        char *out = cli_status();
        const char *line = strstr(out, "progress:   ");
        long long done = -1, total = -1;
        double mb = -1, rate = -1;
        if (line && sscanf(line, "progress:   %lld of %lld files, %lf MB indexed, %lf MB/s", &done,
                           &total, &mb, &rate) == 4) {
            cr_assert(total > 0 && total <= FILES, "total %lld: %s", total, out);
            cr_assert(done >= 0 && done <= total, "done %lld of %lld: %s", done, total, out);
            cr_assert(mb >= 0 && rate >= 0, "%s", out);
            cr_assert(strstr(out, "state:      reconciling"), "%s", out);
            seen = done > 0 && done < total;
            if (seen)
                cr_assert(strstr(line, "s left"), "an estimate while running: %s", out);
        }
        free(out);
    }
    cr_assert(seen, "no progress line with 0 < done < total within 60 s; log:\n%s", dt_log(&t));
    WAITED("status: watching", wait_status("\"state\": \"watching\"", 120));
    char *out = cli_status();
    cr_assert(strstr(out, "progress:") == NULL, "progress after the rescan: %s", out);
    free(out);
    free(sp);
}

Test(daemon_events, hard_link_is_indexed) {
    start();
    char *outside = NULL, *in = wpath("verknuepft.txt");
    cr_assert(asprintf(&outside, "%s/quelle.txt", t.dir) > 0);
    dt_write(outside, "zqkhartlink Inhalt");
    cr_assert_eq(link(outside, in), 0);
    WAITED("hard link", dt_wait_freq(&t, "zqkhartlink", 1, DEADLINE));
    free(outside);
    free(in);
}

Test(daemon_events, watched_root_deleted_and_recreated) {
    char *a = wpath("x/a.txt");
    dt_write(a, "zqkwurzel Inhalt");
    const char *args[] = {"--rescan-interval", "1", "--verbose", NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    cr_assert_eq(dt_count(&t), 1);
    tu_rmtree(t.watch);
    WAITED("root deleted: documents gone", dt_wait_count(&t, 0, DEADLINE));
    dt_write(a, "zqkwieder Inhalt");
    WAITED("root back (periodic look)", dt_wait_freq(&t, "zqkwieder", 1, DEADLINE));
    /* and watched again */
    char *b = wpath("b.txt");
    dt_write(b, "zqkneuewurzel Inhalt");
    WAITED("file in the recreated root", dt_wait_freq(&t, "zqkneuewurzel", 1, DEADLINE));
    free(a);
    free(b);
}

Test(daemon_events, index_inside_the_watched_folder_is_left_alone) {
    /* every file admitted, and the index (and its rebuild folder) below the
     * watched folder: the daemon must not index or watch its own files */
    char *cfg = NULL, *ix = wpath("Index");
    cr_assert(asprintf(&cfg, "%s/test.conf", t.dir) > 0);
    dt_write(cfg, "[watch]\ninclude = *\n");
    free(t.index);
    t.index = strdup(ix);
    const char *args[] = {"--config", cfg, "--index", ix, NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    char *p = wpath("notiz");
    dt_write(p, "zqkohneendung Inhalt");
    WAITED("file without extension", dt_wait_freq(&t, "zqkohneendung", 1, DEADLINE));
    /* the commit of the note wrote index files; their events are handled */
    barrier("zweite", "zqkzweite");
    cr_assert_eq(dt_count(&t), 2, "only the two notes, none of the index's files:\n%s", dt_log(&t));
    free(cfg);
    free(ix);
    free(p);
}

Test(daemon_events, symlinks_not_followed) {
    char *outside = NULL, *ofile = NULL;
    cr_assert(asprintf(&outside, "%s/draussen", t.dir) > 0);
    cr_assert(asprintf(&ofile, "%s/draussen/fremd.txt", t.dir) > 0);
    dt_write(ofile, "zqkfremd Inhalt");
    char *ldir = wpath("link-ordner"), *lfile = wpath("link.txt"), *real = wpath("echt.txt");
    cr_assert_eq(symlink(outside, ldir), 0);
    start();
    cr_assert_eq(symlink(ofile, lfile), 0);
    dt_write(real, "zqkecht Inhalt");
    WAITED("real file", dt_wait_freq(&t, "zqkecht", 1, DEADLINE));
    char *via = wpath("link-ordner/neu.txt");
    dt_write(via, "zqkueberlink Inhalt"); /* written through the link: outside the tree */
    barrier("danach.txt", "zqkdanach");   /* the events of that write, if any, are handled */
    cr_assert_eq(dt_freq(&t, "zqkfremd"), 0, "neither the linked folder nor the linked file");
    cr_assert_eq(dt_freq(&t, "zqkueberlink"), 0);
    cr_assert_eq(dt_count(&t), 2);
    free(outside);
    free(ofile);
    free(ldir);
    free(lfile);
    free(real);
    free(via);
}
