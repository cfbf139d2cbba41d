/*
 * test_cli.c - the `fundgrube` program end to end: index the sample, search
 * it (human, --json, --batch), analyze, config, status, exit codes.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static char *dir, *exe, *ixopt, *home_env, *cfg_env;

static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    exe = tu_build_path("cli/fundgrube");
    cr_assert(asprintf(&ixopt, "--index=%s/index", dir) > 0);
    cr_assert(asprintf(&home_env, "HOME=%s", dir) > 0);
    cr_assert(asprintf(&cfg_env, "FUNDGRUBE_CONFIG=") > 0);
}

static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
    free(exe);
    free(ixopt);
    free(home_env);
    free(cfg_env);
}

TestSuite(cli, .init = setup, .fini = teardown);

/* Runs fundgrube with up to 8 arguments in the test's HOME. */
static tu_run_t run(const char *a1, const char *a2, const char *a3, const char *a4, const char *a5,
                    const char *a6) {
    const char *argv[] = {exe, a1, a2, a3, a4, a5, a6, NULL};
    const char *env[] = {home_env, cfg_env, "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    return r;
}

/* Indexes the sample folder; asserts success. */
static void index_sample(void) {
    tu_run_t r = run("index", ixopt, FG_SHARED_DATA "/sample", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    cr_assert(strstr(r.out, "Indexed 1 file (") != NULL, "summary: %s", r.out);
    tu_run_free(&r);
}

Test(cli, index_and_search_the_sample) {
    index_sample();
    static const char *const words[] = {"Partnerschaften", "Präsident", "zentralasiatisch"};
    for (size_t i = 0; i < 3; i++) {
        tu_run_t r = run("search", ixopt, words[i], NULL, NULL, NULL);
        cr_assert_eq(r.status, 0, "%s: %s", words[i], r.err);
        cr_assert(strstr(r.out, "1. Im Zuge des Besuchs") != NULL, "%s: %s", words[i], r.out);
        cr_assert(strstr(r.out, "zentralasien-deutschland.txt") != NULL);
        cr_assert(strchr(r.out, '[') != NULL, "highlighted: %s", r.out);
        tu_run_free(&r);
    }
    /* a second run skips the unchanged file */
    tu_run_t r = run("index", ixopt, FG_SHARED_DATA "/sample", NULL, NULL, NULL);
    cr_assert(strstr(r.out, "Indexed 0 files") && strstr(r.out, "1 unchanged"), "%s", r.out);
    tu_run_free(&r);
}

Test(cli, json_output) {
    index_sample();
    tu_run_t r = run("search", ixopt, "--json", "Partnerschaft", NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_DISABLE_EOF_CHECK, &e);
    cr_assert(j, "JSON: %s in %s", e.text, r.out);
    cr_assert_eq(json_integer_value(json_object_get(j, "rank")), 1);
    cr_assert(strstr(json_string_value(json_object_get(j, "path")), "zentralasien") != NULL);
    cr_assert(json_real_value(json_object_get(j, "score")) > 0);
    cr_assert(json_integer_value(json_object_get(j, "percent")) > 0);
    cr_assert(strstr(json_string_value(json_object_get(j, "snippet")), "[Partnerschaft") != NULL);
    cr_assert(json_string_value(json_object_get(j, "title")) != NULL);
    json_decref(j);
    tu_run_free(&r);
}

/* The CLI hands [watch] max_file_size to the plugin: a file over it is not
 * re-read for its snippet, which then comes from the stored sample (the
 * body's first 300 bytes) and so cannot show a word near the file's end. */
Test(cli, max_file_size_reaches_the_plugin) {
    index_sample();
    tu_run_t r = run("search", ixopt, "Kooperationsformats", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[Kooperationsformats]") != NULL, "read from the file: %s", r.out);
    tu_run_free(&r);
    char *conf = tu_write_str(dir, "small.conf", "[watch]\nmax_file_size = 1K\n");
    cr_assert(conf);
    char *small_env = NULL;
    cr_assert(asprintf(&small_env, "FUNDGRUBE_CONFIG=%s", conf) > 0);
    const char *argv[] = {exe, "search", ixopt, "Kooperationsformats", NULL};
    const char *env[] = {home_env, small_env, "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    cr_assert(tu_run(argv, env, &r));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "zentralasien-deutschland.txt") != NULL, "found: %s", r.out);
    cr_assert(strstr(r.out, "[Kooperationsformats]") == NULL, "not re-read: %s", r.out);
    tu_run_free(&r);
    free(small_env);
    free(conf);
}

/* Documents made by real producers (tests/extract/fixtures): indexed through
 * the sandboxed extractor, found by a German word of their text, a part of a
 * compound and their author, each with its detected type; a PDF hit says on
 * which page it matched; the encrypted PDF is skipped with that reason. */
Test(cli, document_formats_end_to_end) {
    tu_run_t r = run("index", ixopt, FG_SOURCE_DIR "/tests/extract/fixtures", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    cr_assert(strstr(r.err, "encrypted-user.pdf: encrypted") != NULL, "%s", r.err);
    tu_run_free(&r);
    static const char *const types[] = {"pdf", "docx", "odt", "epub", "html",
                                        "rtf", "ods",  "odp", "xlsx", "pptx"};
    r = run("search", ixopt, "--json", "--limit=30", "--all-duplicates", "Müllabfuhr");
    cr_assert_eq(r.status, 0, "%s", r.err);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        char want[32];
        snprintf(want, sizeof want, "\"type\":\"%s\"", types[i]);
        cr_expect(strstr(r.out, want) != NULL, "a %s hit: %s", types[i], r.out);
    }
    cr_expect(strstr(r.out, "\"page\":1") != NULL, "a PDF hit's page: %s", r.out);
    cr_expect(strstr(r.out, "[Müllabfuhr]") != NULL, "snippets from the kept text: %s", r.out);
    tu_run_free(&r);
    r = run("search", ixopt, "--json", "--no-snippets", "type:docx Format", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "sample.docx") != NULL, "Partnerschaftsformat by Format: %s", r.out);
    cr_expect(strstr(r.out, "sample.odt") == NULL, "type:docx only: %s", r.out);
    tu_run_free(&r);
    r = run("search", ixopt, "--json", "--no-snippets", "autor:größmann type:pdf", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "sample-lo.pdf") != NULL, "by its author: %s", r.out);
    cr_expect(strstr(r.out, "\"author\":\"Jürgen Größmann\"") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "sample-chromium.pdf") == NULL, "names no author: %s", r.out);
    tu_run_free(&r);
}

Test(cli, batch_one_line_per_query) {
    index_sample();
    char *qf = tu_write_str(dir, "queries.txt", "Partnerschaften\nQuantenphysik\n\nBerlin\n");
    tu_run_t r = run("search", ixopt, "--batch", qf, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    int lines = 0;
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_error_t e;
        json_t *j = json_loads(l, 0, &e);
        cr_assert(j, "%s: %s", e.text, l);
        size_t hits = json_array_size(json_object_get(j, "hits"));
        cr_assert_eq(hits, lines == 1 ? 0u : 1u, "line %d: %s", lines, l);
        json_decref(j);
        lines++;
    }
    cr_assert_eq(lines, 3);
    tu_run_free(&r);
    free(qf);
}

Test(cli, analyze_shows_stems) {
    tu_run_t r = run("analyze", "Partnerschaften", "im", "Präsidenten-Format", NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "partnerschaften") && strstr(r.out, "partnerschaft"), "%s", r.out);
    cr_assert(strstr(r.out, "stop") != NULL, "'im' is a stop word: %s", r.out);
    cr_assert(strstr(r.out, "prasident") != NULL, "stem of Präsidenten: %s", r.out);
    cr_assert(strstr(r.out, "joined") != NULL, "%s", r.out);
    tu_run_free(&r);
    r = run("analyze", "--json", "Häuser", NULL, NULL, NULL);
    json_error_t e;
    json_t *j = json_loads(r.out, 0, &e);
    /* the word, then its weak spelling without umlauts (umlauts = yes) */
    cr_assert(j && json_array_size(j) == 2, "%s", r.out);
    json_t *t = json_array_get(j, 0);
    cr_assert_str_eq(json_string_value(json_object_get(t, "term")), "häuser");
    cr_assert_str_eq(json_string_value(json_object_get(t, "stem")), "haus");
    cr_assert(json_is_false(json_object_get(t, "variant")), "%s", r.out);
    t = json_array_get(j, 1);
    cr_assert_str_eq(json_string_value(json_object_get(t, "term")), "hauser");
    cr_assert(json_is_true(json_object_get(t, "variant")), "%s", r.out);
    cr_assert(json_is_true(json_object_get(t, "weak")), "%s", r.out);
    cr_assert(json_is_false(json_object_get(t, "compound_part")), "%s", r.out);
    json_decref(j);
    tu_run_free(&r);
}

Test(cli, analyze_shows_variants) {
    tu_run_t r = run("analyze", "Bürger*innen", "Müller", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "bürgerinnen") && strstr(r.out, "variant"), "%s", r.out);
    cr_assert(strstr(r.out, "muller") && strstr(r.out, "weak"), "%s", r.out);
    tu_run_free(&r);
    /* --config tries other settings: no weak spelling, no gender merge */
    char *conf =
        tu_write_str(dir, "g.conf", "[analysis]\numlauts = no\ngender = no\ndecompound = no\n");
    char *opt = NULL;
    cr_assert(asprintf(&opt, "--config=%s", conf) > 0);
    r = run("analyze", opt, "--json", "Bürger*innen", "Müller", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_error_t e;
    json_t *j = json_loads(r.out, 0, &e);
    cr_assert(j && json_array_size(j) == 3, "bürger, innen, müller: %s", r.out);
    json_decref(j);
    tu_run_free(&r);
    free(opt);
    free(conf);
}

Test(cli, config_shows_origins) {
    char *conf = tu_write_str(dir, "f.conf", "[ranking]\nbm25_k1 = 0.9\n");
    char *opt = NULL;
    cr_assert(asprintf(&opt, "--config=%s", conf) > 0);
    tu_run_t r = run("config", opt, NULL, NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "[ranking]") && strstr(r.out, "0.9"), "%s", r.out);
    cr_assert(strstr(r.out, "f.conf:2") != NULL, "origin FILE:LINE: %s", r.out);
    cr_assert(strstr(r.out, "default") != NULL);
    tu_run_free(&r);
    free(opt);
    free(conf);
}

Test(cli, config_prints_one_key) {
    char *conf =
        tu_write_str(dir, "k.conf", "[ranking]\nbm25_k1 = 0.9\n[watch]\ninclude = *.md\n  *.org\n");
    char *opt = NULL;
    cr_assert(asprintf(&opt, "--config=%s", conf) > 0);
    tu_run_t r = run("config", opt, "RANKING.bm25_k1", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "0.9\n");
    tu_run_free(&r);
    r = run("config", opt, "watch.include", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "*.md\n*.org\n", "one line per item: %s", r.out);
    tu_run_free(&r);
    r = run("config", opt, "ranking.bm25_q", NULL, NULL, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "unknown key 'ranking.bm25_q'") != NULL, "%s", r.err);
    tu_run_free(&r);
    r = run("config", opt, "nodot", NULL, NULL, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "SECTION.KEY") != NULL, "%s", r.err);
    tu_run_free(&r);
    free(opt);
    free(conf);
}

Test(cli, bad_config_names_file_and_line) {
    char *conf = tu_write_str(dir, "bad.conf", "[index]\n\n[ranking]\nbm25_q = 1\n");
    char *opt = NULL;
    cr_assert(asprintf(&opt, "--config=%s", conf) > 0);
    tu_run_t r = run("search", opt, ixopt, "x", NULL, NULL);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "bad.conf:4") != NULL, "%s", r.err);
    tu_run_free(&r);
    free(opt);
    free(conf);
}

Test(cli, exit_codes) {
    tu_run_t r = run("search", NULL, NULL, NULL, NULL, NULL);
    cr_assert_eq(r.status, 2, "no query: usage error");
    tu_run_free(&r);
    r = run("frobnicate", NULL, NULL, NULL, NULL, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "unknown command") != NULL);
    tu_run_free(&r);
    r = run("search", "--limit=abc", "x", NULL, NULL, NULL);
    cr_assert_eq(r.status, 2);
    tu_run_free(&r);
    r = run("search", ixopt, "x", NULL, NULL, NULL);
    cr_assert_eq(r.status, 1, "no index yet");
    cr_assert(strstr(r.err, "index") != NULL, "%s", r.err);
    tu_run_free(&r);
    index_sample();
    r = run("search", ixopt, "Quantenchromodynamik", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "no hits is success");
    cr_assert(strstr(r.out, "No documents found") != NULL);
    tu_run_free(&r);
    r = run("index", ixopt, "/nonexistent/path", NULL, NULL, NULL);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "/nonexistent/path") != NULL);
    tu_run_free(&r);
    r = run("--help", NULL, NULL, NULL, NULL, NULL);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "Usage: fundgrube") != NULL);
    tu_run_free(&r);
}

Test(cli, status_reports_documents) {
    index_sample();
    tu_run_t r = run("status", ixopt, NULL, NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "documents:  1") != NULL, "%s", r.out);
    cr_assert(strstr(r.out, "language=german") != NULL, "%s", r.out);
    tu_run_free(&r);
}

/* A file whose name and text hold terminal controls (a title-setting OSC,
 * a clear-screen CSI, a colour, a newline, a bidi override): the human
 * output shows them escaped and holds no control byte; JSON escapes them by
 * its rules and gives the name back exactly. */
Test(cli, terminal_controls_are_escaped) {
    char *docs = NULL, *path = NULL;
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    cr_assert_eq(mkdir(docs, 0700), 0);
    const char *name = "\x1b[31mrot\nzeile.txt";
    cr_assert(asprintf(&path, "%s/%s", docs, name) > 0);
    FILE *fp = fopen(path, "w");
    cr_assert(fp);
    fputs("Zqkterminal \x1b]0;gekapert\x07 und \x1b[2J weiter \xe2\x80\xae"
          "gnuhcsuat\n\nZqkterminal noch einmal im Text.\n",
          fp);
    fclose(fp);
    tu_run_t r = run("index", ixopt, docs, NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    tu_run_free(&r);

    r = run("search", ixopt, "zqkterminal", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strchr(r.out, '\x1b'), "an ESC reached the terminal:\n%s", r.out);
    cr_assert_null(strchr(r.out, '\x07'), "a BEL reached the terminal:\n%s", r.out);
    cr_assert_null(strstr(r.out, "\xe2\x80\xae"), "a bidi override reached it:\n%s", r.out);
    cr_assert(strstr(r.out, "\\e]0;gekapert\\x07"), "the title shown escaped:\n%s", r.out);
    cr_assert(strstr(r.out, "\\e[31mrot\\nzeile.txt"), "the name shown escaped:\n%s", r.out);
    cr_assert(strstr(r.out, "\\u{202E}gnuhcsuat"), "%s", r.out);
    tu_run_free(&r);

    r = run("search", ixopt, "--json", "zqkterminal", NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_null(strchr(r.out, '\x1b'), "JSON escapes control characters:\n%s", r.out);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_DISABLE_EOF_CHECK, &e);
    cr_assert(j, "JSON: %s in %s", e.text, r.out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "path")), path);
    json_decref(j);
    tu_run_free(&r);
    free(path);
    free(docs);
}

/* Fails the test when path or anything below it is open to group or others
 * (the index holds the text of private files). */
static void assert_private(const char *path) {
    struct stat sb;
    cr_assert_eq(lstat(path, &sb), 0, "%s", path);
    cr_assert_eq(sb.st_mode & 077, 0, "%s has mode %04o", path, (unsigned)(sb.st_mode & 07777));
    if (!S_ISDIR(sb.st_mode))
        return;
    DIR *d = opendir(path);
    cr_assert(d, "%s", path);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *sub = NULL;
        cr_assert(asprintf(&sub, "%s/%s", path, de->d_name) > 0);
        assert_private(sub);
        free(sub);
    }
    closedir(d);
}

/* Under the usual umask 022, everything `fundgrube index` creates (the
 * index folder, its parents it made, Xapian's tables, the lock) is private;
 * an index that is open to others gets a warning that says how to fix it. */
Test(cli, index_is_private_whatever_the_umask) {
    mode_t old = umask(022);
    char *ix = NULL, *opt = NULL;
    cr_assert(asprintf(&ix, "%s/neu/tief/index", dir) > 0);
    cr_assert(asprintf(&opt, "--index=%s", ix) > 0);
    tu_run_t r = run("index", opt, FG_SHARED_DATA "/sample", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    tu_run_free(&r);
    char *made = NULL;
    cr_assert(asprintf(&made, "%s/neu", dir) > 0);
    assert_private(made);
    /* opened to others by hand: a warning naming the fix */
    cr_assert_eq(chmod(ix, 0755), 0);
    r = run("index", opt, FG_SHARED_DATA "/sample", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    cr_assert(strstr(r.err, "open to other users") && strstr(r.err, "chmod"), "%s", r.err);
    tu_run_free(&r);
    umask(old);
    free(made);
    free(opt);
    free(ix);
}

/* Names that are not UTF-8, names of 255 bytes and a path 200 folders
 * deep: indexed and found; the human output shows the bad bytes escaped,
 * JSON gives U+FFFD for them (JSON is UTF-8) and never drops the hit. */
Test(cli, odd_names_and_deep_paths) {
    char *docs = NULL, *p = NULL;
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    cr_assert_eq(mkdir(docs, 0700), 0);
    cr_assert(asprintf(&p,
                       "%s/\xff\xfe"
                       "bad.txt",
                       docs) > 0);
    FILE *fp = fopen(p, "w");
    cr_assert(fp);
    fputs("zqkungueltig Name\n", fp);
    fclose(fp);
    free(p);
    char longname[256];
    memset(longname, 'n', 251);
    strcpy(longname + 251, ".txt");
    cr_assert(asprintf(&p, "%s/%s", docs, longname) > 0);
    fp = fopen(p, "w");
    cr_assert(fp, "%s", p);
    fputs("zqklangername\n", fp);
    fclose(fp);
    free(p);
    size_t cap = strlen(docs) + 200 * 9 + 32;
    char *deep = malloc(cap);
    strcpy(deep, docs);
    for (int i = 0; i < 200; i++) {
        snprintf(deep + strlen(deep), cap - strlen(deep), "/tief%03d", i);
        cr_assert_eq(mkdir(deep, 0700), 0, "%s", deep);
    }
    strcat(deep, "/unten.txt");
    fp = fopen(deep, "w");
    cr_assert(fp);
    fputs("zqkganztief\n", fp);
    fclose(fp);
    free(deep);

    tu_run_t r = run("index", ixopt, docs, NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    cr_assert(strstr(r.out, "Indexed 3 files"), "%s", r.out);
    tu_run_free(&r);
    static const char *const words[] = {"zqklangername", "zqkganztief"};
    for (int i = 0; i < 2; i++) {
        r = run("search", ixopt, words[i], NULL, NULL, NULL);
        cr_assert(strstr(r.out, "1 document found"), "%s: %s", words[i], r.out);
        tu_run_free(&r);
    }
    r = run("search", ixopt, "zqkungueltig", NULL, NULL, NULL);
    cr_assert(strstr(r.out, "/\\xFF\\xFEbad.txt"), "%s", r.out);
    tu_run_free(&r);
    r = run("search", ixopt, "--json", "zqkungueltig", NULL, NULL);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_DISABLE_EOF_CHECK, &e);
    cr_assert(j, "the hit is there as JSON: %s in '%s'", e.text, r.out);
    cr_assert(strstr(json_string_value(json_object_get(j, "path")), "/\xef\xbf\xbd\xef\xbf\xbd"
                                                                    "bad.txt"),
              "%s", json_string_value(json_object_get(j, "path")));
    json_decref(j);
    tu_run_free(&r);
    free(docs);
}
