/*
 * test_config.c - the configuration module: defaults, every key, repeatable
 * keys, every error with its FILE:LINE, the example file, command-line values,
 * origins, "~" expansion, fg_config_copy() and the search order of
 * fg_config_load().
 *
 * Each test runs in a process of its own (Criterion) with a fresh temporary
 * folder as $HOME and no XDG_* or FUNDGRUBE_CONFIG variables.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"

#ifndef FG_SOURCE_DIR
#error "FG_SOURCE_DIR must be defined by fg_add_test()"
#endif
#define EXAMPLE FG_SOURCE_DIR "/config/fundgrube.conf"

/* ------------------------------------------------------------- fixture */

static char tmpdir[256];
static char home[300];

/* Creates the temporary $HOME and clears the variables the module reads. */
static void setup(void) {
    snprintf(tmpdir, sizeof tmpdir, "%s/fgcfg.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(tmpdir));
    snprintf(home, sizeof home, "%s/home", tmpdir);
    cr_assert_eq(mkdir(home, 0700), 0);
    setenv("HOME", home, 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("FUNDGRUBE_CONFIG");
}

/* Removes one entry of the temporary tree (nftw callback). */
static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes the temporary folder. */
static void teardown(void) {
    if (tmpdir[0])
        nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(config, .init = setup, .fini = teardown);

/* ------------------------------------------------------------- helpers */

/* Returns tmpdir/name in one of a few rotating static buffers. */
static const char *tmp_path(const char *name) {
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
    return b;
}

/* Writes content to tmpdir/name (creating its folders) and returns its path. */
static const char *put(const char *name, const char *content) {
    const char *path = tmp_path(name);
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + strlen(tmpdir) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(content, f);
    fclose(f);
    return path;
}

/* Initialises c and loads content written to tmpdir/t.conf; returns the
 * status, with the message in err (ERRLEN bytes) and the path in *path. */
#define ERRLEN 1024
static fg_status_t load_text(fg_config_t *c, const char *content, char *err, const char **path) {
    cr_assert_eq(fg_config_init(c), FG_OK);
    const char *p = put("t.conf", content);
    if (path)
        *path = p;
    return fg_config_load_file(c, p, err, ERRLEN);
}

/* Loads content and asserts the load fails with FG_CONFIG and the message
 * "t.conf-path:line: expected". */
static void expect_error(const char *content, int line, const char *expected) {
    fg_config_t c;
    char err[ERRLEN], want[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c, content, err, &path), FG_CONFIG, "loaded: %s", content);
    snprintf(want, sizeof want, "%s:%d: %s", path, line, expected);
    cr_assert_str_eq(err, want);
    fg_config_free(&c);
}

/* One entry reported by fg_config_foreach(). */
typedef struct entry {
    char *section, *key, *value, *origin;
} entry_t;

typedef struct entries {
    entry_t e[64];
    size_t n;
} entries_t;

/* fg_config_foreach() callback: appends a copy of the entry. */
static void collect(void *ctx, const char *section, const char *key, const char *value,
                    const char *origin) {
    entries_t *es = ctx;
    cr_assert_lt(es->n, 64);
    entry_t *e = &es->e[es->n++];
    e->section = strdup(section);
    e->key = strdup(key);
    e->value = strdup(value);
    e->origin = strdup(origin);
}

/* Collects the entries of c into es. */
static void entries_of(const fg_config_t *c, entries_t *es) {
    es->n = 0;
    fg_config_foreach(c, collect, es);
}

/* Frees what entries_of() collected. */
static void entries_free(entries_t *es) {
    for (size_t i = 0; i < es->n; i++) {
        free(es->e[i].section);
        free(es->e[i].key);
        free(es->e[i].value);
        free(es->e[i].origin);
    }
    es->n = 0;
}

/* Returns the nth (from 0) entry of section.key, or fails the test. */
static const entry_t *entry(const entries_t *es, const char *section, const char *key, size_t nth) {
    for (size_t i = 0; i < es->n; i++)
        if (strcmp(es->e[i].section, section) == 0 && strcmp(es->e[i].key, key) == 0 && nth-- == 0)
            return &es->e[i];
    cr_assert_fail("no entry %s.%s", section, key);
    return NULL;
}

/* Asserts a string list holds exactly the n given items. */
static void expect_list(const fg_strlist_t *l, size_t n, const char *const *items) {
    cr_assert_eq(l->count, n, "list has %zu items, expected %zu", l->count, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(l->items[i], items[i]);
}
/* The default [watch] include globs: every supported type. */
#define DEFAULT_INCLUDE                                                                            \
    "*.txt", "*.md", "*.html", "*.htm", "*.xhtml", "*.pdf", "*.odt", "*.ods", "*.odp", "*.docx",   \
        "*.xlsx", "*.pptx", "*.epub", "*.rtf", "*.eml"

#define EXPECT_LIST(l, ...)                                                                        \
    do {                                                                                           \
        const char *const items_[] = {__VA_ARGS__};                                                \
        expect_list((l), sizeof items_ / sizeof items_[0], items_);                                \
    } while (0)

/* Asserts two configurations have equal values (not origins, not file). */
static void expect_same_values(const fg_config_t *a, const fg_config_t *b) {
    cr_assert_str_eq(a->index_path, b->index_path);
    expect_list(&a->watch_folders, b->watch_folders.count,
                (const char *const *)b->watch_folders.items);
    expect_list(&a->include, b->include.count, (const char *const *)b->include.items);
    expect_list(&a->exclude, b->exclude.count, (const char *const *)b->exclude.items);
    cr_assert_eq(a->max_file_size, b->max_file_size);
    cr_assert_eq(a->hidden, b->hidden);
    cr_assert_str_eq(a->analysis.language, b->analysis.language);
    cr_assert_eq(a->analysis.stemming, b->analysis.stemming);
    cr_assert_eq(a->analysis.stopwords, b->analysis.stopwords);
    if (a->analysis.stopwords == FG_STOPWORDS_FILE)
        cr_assert_str_eq(a->analysis.stopword_file, b->analysis.stopword_file);
    cr_assert_eq(a->analysis.decompound, b->analysis.decompound);
    cr_assert_str_eq(a->analysis.dictionary, b->analysis.dictionary);
    cr_assert_eq(a->analysis.min_part, b->analysis.min_part);
    cr_assert_eq(a->analysis.umlauts, b->analysis.umlauts);
    cr_assert_eq(a->analysis.gender, b->analysis.gender);
    cr_assert_eq(a->analysis.protected_words, b->analysis.protected_words);
    cr_assert_str_eq(a->analysis.protected_file, b->analysis.protected_file);
    cr_assert_eq(a->analysis.latin_plurals, b->analysis.latin_plurals);
    cr_assert_float_eq(a->bm25_k1, b->bm25_k1, 1e-12);
    cr_assert_float_eq(a->bm25_b, b->bm25_b, 1e-12);
    cr_assert(memcmp(&a->weights, &b->weights, sizeof a->weights) == 0, "ranking weights");
    cr_assert_eq(a->max_wildcard, b->max_wildcard);
    cr_assert_eq(a->threads, b->threads);
    cr_assert_eq(a->commit_interval_ms, b->commit_interval_ms);
    cr_assert_eq(a->commit_max_age_ms, b->commit_max_age_ms);
    cr_assert_eq(a->rescan_interval_s, b->rescan_interval_s);
    cr_assert_eq(a->extract_timeout_s, b->extract_timeout_s);
    cr_assert_eq(a->extract_memory_limit, b->extract_memory_limit);
    cr_assert_eq(a->extract_max_text, b->extract_max_text);
    cr_assert_eq(a->extract_max_inflate, b->extract_max_inflate);
    cr_assert_str_eq(a->web_listen, b->web_listen);
    cr_assert_eq(a->web_threads, b->web_threads);
    cr_assert_eq(a->web_max_connections, b->web_max_connections);
    cr_assert_eq(a->web_timeout_s, b->web_timeout_s);
    cr_assert_eq(a->web_max_query, b->web_max_query);
    cr_assert_eq(a->web_time_limit_ms, b->web_time_limit_ms);
    cr_assert_str_eq(a->web_token_file, b->web_token_file);
    cr_assert_eq(a->cluster_shards.count, b->cluster_shards.count);
    for (size_t i = 0; i < a->cluster_shards.count; i++)
        cr_assert_str_eq(a->cluster_shards.items[i], b->cluster_shards.items[i]);
    cr_assert_eq(a->cluster_timeout_ms, b->cluster_timeout_ms);
    cr_assert_eq(a->cluster_connect_timeout_ms, b->cluster_connect_timeout_ms);
    cr_assert_eq(a->cluster_retry_ms, b->cluster_retry_ms);
}

/* Sets one key from the command line and asserts success. */
static void set_ok(fg_config_t *c, const char *section, const char *key, const char *value) {
    char err[ERRLEN];
    fg_status_t st = fg_config_set(c, section, key, value, FG_CFG_COMMAND_LINE, err, sizeof err);
    cr_assert_eq(st, FG_OK, "%s.%s = '%s': %s", section, key, value, err);
}

/* Sets one key from the command line and asserts FG_CONFIG with message. */
static void set_fails(fg_config_t *c, const char *section, const char *key, const char *value,
                      const char *expected) {
    char err[ERRLEN];
    fg_status_t st = fg_config_set(c, section, key, value, FG_CFG_COMMAND_LINE, err, sizeof err);
    cr_assert_eq(st, FG_CONFIG, "%s.%s = '%s' accepted", section, key, value);
    if (expected)
        cr_assert_str_eq(err, expected);
}

/* ------------------------------------------------------------ defaults */

Test(config, defaults_with_home) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    char want[600];
    snprintf(want, sizeof want, "%s/.local/share/fundgrube/index", home);
    cr_assert_str_eq(c.index_path, want);
    snprintf(want, sizeof want, "%s/Fundgrube", home);
    EXPECT_LIST(&c.watch_folders, want);
    EXPECT_LIST(&c.include, DEFAULT_INCLUDE);
    cr_assert_eq(c.exclude.count, 0);
    cr_assert_eq(c.max_file_size, 64u * 1024 * 1024);
    cr_assert_not(c.hidden);
    fg_analysis_settings_t def;
    memset(&def, 0, sizeof def);
    fg_analysis_settings_default(&def);
    cr_assert_str_eq(c.analysis.language, def.language);
    cr_assert_eq(c.analysis.stemming, def.stemming);
    cr_assert_eq(c.analysis.stopwords, def.stopwords);
    cr_assert_str_eq(c.analysis.language, "german");
    cr_assert(c.analysis.stemming);
    cr_assert_eq(c.analysis.stopwords, FG_STOPWORDS_DEFAULT);
    cr_assert_float_eq(c.bm25_k1, 1.2, 1e-12);
    cr_assert_float_eq(c.bm25_b, 0.75, 1e-12);
    cr_assert_null(c.file);
    fg_config_free(&c);
}

Test(config, defaults_xdg_data_home) {
    setenv("XDG_DATA_HOME", "/srv/daten", 1);
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    cr_assert_str_eq(c.index_path, "/srv/daten/fundgrube/index");
    fg_config_free(&c);
}

Test(config, defaults_relative_xdg_data_home_ignored) {
    setenv("XDG_DATA_HOME", "daten", 1);
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    char want[600];
    snprintf(want, sizeof want, "%s/.local/share/fundgrube/index", home);
    cr_assert_str_eq(c.index_path, want);
    fg_config_free(&c);
}

Test(config, defaults_without_home) {
    unsetenv("HOME");
    setenv("XDG_DATA_HOME", "/srv/daten", 1);
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    cr_assert_str_eq(c.index_path, "/srv/daten/fundgrube/index");
    cr_assert_eq(c.watch_folders.count, 0);
    fg_config_free(&c);
    unsetenv("XDG_DATA_HOME");
    cr_assert_eq(fg_config_init(&c), FG_OK);
    cr_assert_str_eq(c.index_path, "");
    fg_config_free(&c);
}

Test(config, free_is_idempotent) {
    fg_config_t c;
    memset(&c, 0, sizeof c);
    fg_config_free(&c);
    cr_assert_eq(fg_config_init(&c), FG_OK);
    fg_config_free(&c);
    fg_config_free(&c);
    cr_assert_eq(fg_config_init(&c), FG_OK); /* initialised again after free */
    fg_config_free(&c);
}

Test(config, foreach_defaults) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    entries_t es;
    entries_of(&c, &es);
    char index[600], folder[600];
    snprintf(index, sizeof index, "%s/.local/share/fundgrube/index", home);
    snprintf(folder, sizeof folder, "%s/Fundgrube", home);
    const char *want[][3] = {
        {"index", "path", index},
        {"index", "threads", "0"},
        {"watch", "folder", folder},
        {"watch", "include", "*.txt"},
        {"watch", "include", "*.md"},
        {"watch", "include", "*.html"},
        {"watch", "include", "*.htm"},
        {"watch", "include", "*.xhtml"},
        {"watch", "include", "*.pdf"},
        {"watch", "include", "*.odt"},
        {"watch", "include", "*.ods"},
        {"watch", "include", "*.odp"},
        {"watch", "include", "*.docx"},
        {"watch", "include", "*.xlsx"},
        {"watch", "include", "*.pptx"},
        {"watch", "include", "*.epub"},
        {"watch", "include", "*.rtf"},
        {"watch", "include", "*.eml"},
        {"watch", "exclude", ""},
        {"watch", "max_file_size", "64M"},
        {"watch", "hidden", "no"},
        {"analysis", "language", "german"},
        {"analysis", "stemming", "yes"},
        {"analysis", "stopwords", "default"},
        {"analysis", "decompound", "yes"},
        {"analysis", "dictionary", "default"},
        {"analysis", "min_part", "3"},
        {"analysis", "umlauts", "yes"},
        {"analysis", "gender", "yes"},
        {"analysis", "protected_words", "yes"},
        {"analysis", "protected_file", ""},
        {"analysis", "latin_plurals", "yes"},
        {"ranking", "bm25_k1", "1.2"},
        {"ranking", "bm25_b", "0.75"},
        {"ranking", "exact_weight", "1"},
        {"ranking", "stem_weight", "1"},
        {"ranking", "title_weight", "0.5"},
        {"ranking", "lead_weight", "1"},
        {"ranking", "part_weight", "0.5"},
        {"ranking", "qpart_weight", "0.5"},
        {"ranking", "weak_weight", "0.3"},
        {"search", "max_wildcard", "1000"},
        {"daemon", "commit_interval", "25"},
        {"daemon", "commit_max_age", "1000"},
        {"daemon", "rescan_interval", "60"},
        {"extract", "timeout", "30"},
        {"extract", "memory_limit", "1G"},
        {"extract", "max_text", "32M"},
        {"extract", "max_inflate", "256M"},
        {"web", "listen", "127.0.0.1:8080"},
        {"web", "threads", "4"},
        {"web", "max_connections", "64"},
        {"web", "timeout", "10"},
        {"web", "max_query", "1024"},
        {"web", "time_limit", "2000"},
        {"web", "token_file", ""},
        {"cluster", "shards", ""},
        {"cluster", "timeout", "5000"},
        {"cluster", "connect_timeout", "2000"},
        {"cluster", "retry", "1000"},
    };
    cr_assert_eq(es.n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < es.n; i++) {
        cr_assert_str_eq(es.e[i].section, want[i][0]);
        cr_assert_str_eq(es.e[i].key, want[i][1]);
        cr_assert_str_eq(es.e[i].value, want[i][2], "%s.%s", want[i][0], want[i][1]);
        cr_assert_str_eq(es.e[i].origin, "default");
    }
    entries_free(&es);
    fg_config_free(&c);
}

/* ---------------------------------------------------------- every key */

Test(config, every_key_parsed) {
    put("stop.txt", "der\ndie\n");
    char text[2048];
    snprintf(text, sizeof text,
             "[index]\n"
             "path = /srv/index\n"
             "[watch]\n"
             "folder = /srv/a\n"
             "include = *.pdf\n"
             "exclude = *~\n"
             "max_file_size = 10M\n"
             "hidden = yes\n"
             "[analysis]\n"
             "language = english\n"
             "stemming = no\n"
             "stopwords = %s\n"
             "[ranking]\n"
             "bm25_k1 = 2.5\n"
             "bm25_b = 0.3\n",
             tmp_path("stop.txt"));
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c, text, err, &path), FG_OK, "%s", err);
    cr_assert_str_eq(c.index_path, "/srv/index");
    EXPECT_LIST(&c.watch_folders, "/srv/a");
    EXPECT_LIST(&c.include, "*.pdf");
    EXPECT_LIST(&c.exclude, "*~");
    cr_assert_eq(c.max_file_size, 10u << 20);
    cr_assert(c.hidden);
    cr_assert_str_eq(c.analysis.language, "english");
    cr_assert_not(c.analysis.stemming);
    cr_assert_eq(c.analysis.stopwords, FG_STOPWORDS_FILE);
    cr_assert_str_eq(c.analysis.stopword_file, tmp_path("stop.txt"));
    cr_assert_float_eq(c.bm25_k1, 2.5, 1e-12);
    cr_assert_float_eq(c.bm25_b, 0.3, 1e-12);
    cr_assert_str_eq(c.file, path);
    fg_config_free(&c);
}

Test(config, syntax_variants) {
    /* BOM, CRLF, inline comments, "key: value", case and blanks in names. */
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(load_text(&c,
                           "\xEF\xBB\xBF# comment\r\n"
                           "; another\r\n"
                           "[ Watch ]\r\n"
                           "  Hidden = YES ; inline comment\r\n"
                           "max_file_size: 1G\r\n"
                           "\r\n"
                           "[RANKING]\n"
                           "BM25_B=0\n",
                           err, NULL),
                 FG_OK, "%s", err);
    cr_assert(c.hidden);
    cr_assert_eq(c.max_file_size, 1u << 30);
    cr_assert_float_eq(c.bm25_b, 0.0, 1e-12);
    fg_config_free(&c);
}

Test(config, booleans) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    const char *yes[] = {"yes", "Yes", "on", "ON", "true", "True", "1"};
    const char *no[] = {"no", "NO", "off", "Off", "false", "FALSE", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        set_ok(&c, "watch", "hidden", yes[i]);
        cr_assert(c.hidden, "%s", yes[i]);
        set_ok(&c, "watch", "hidden", no[i]);
        cr_assert_not(c.hidden, "%s", no[i]);
        set_ok(&c, "analysis", "stemming", no[i]);
        cr_assert_not(c.analysis.stemming, "%s", no[i]);
        set_ok(&c, "analysis", "stemming", yes[i]);
        cr_assert(c.analysis.stemming, "%s", yes[i]);
    }
    set_fails(&c, "watch", "hidden", "ja", "bad value 'ja' for hidden (expected yes or no)");
    set_fails(&c, "watch", "hidden", "", NULL);
    set_fails(&c, "analysis", "stemming", "2", NULL);
    fg_config_free(&c);
}

Test(config, sizes) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    struct {
        const char *text;
        uint64_t value;
    } good[] = {
        {"1", 1},           {"4096", 4096},    {"10K", 10240},
        {"10k", 10240},     {"3m", 3u << 20},  {"2G", 2ull << 30},
        {"5 MB", 5u << 20}, {"7KiB", 7 << 10}, {"1gb", 1ull << 30},
        {"64M", 64u << 20},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        set_ok(&c, "watch", "max_file_size", good[i].text);
        cr_assert_eq(c.max_file_size, good[i].value, "%s", good[i].text);
    }
    const char *bad[] = {"0",
                         "-1",
                         "12X",
                         "1.5G",
                         "",
                         "M",
                         "10 K B",
                         "1T",
                         "K1",
                         "18446744073709551616",
                         "17179869184G",
                         " 5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char want[ERRLEN];
        snprintf(want, sizeof want,
                 "bad value '%s' for max_file_size (expected a positive size in bytes with "
                 "optional K, M or G suffix, e.g. 64M)",
                 bad[i]);
        set_fails(&c, "watch", "max_file_size", bad[i], want);
    }
    cr_assert_eq(c.max_file_size, 64u << 20, "a bad value changed the size");
    fg_config_free(&c);
}

Test(config, size_formatting) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    const char *cases[][2] = {
        {"1536", "1536"}, {"2048", "2K"}, {"1024K", "1M"}, {"3072M", "3G"}, {"1000", "1000"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        set_ok(&c, "watch", "max_file_size", cases[i][0]);
        entries_t es;
        entries_of(&c, &es);
        cr_assert_str_eq(entry(&es, "watch", "max_file_size", 0)->value, cases[i][1]);
        entries_free(&es);
    }
    fg_config_free(&c);
}

Test(config, numbers) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    set_ok(&c, "ranking", "bm25_b", "0,5");
    cr_assert_float_eq(c.bm25_b, 0.5, 1e-12);
    set_ok(&c, "ranking", "bm25_b", "1");
    cr_assert_float_eq(c.bm25_b, 1.0, 1e-12);
    set_ok(&c, "ranking", "bm25_b", ".25");
    cr_assert_float_eq(c.bm25_b, 0.25, 1e-12);
    set_ok(&c, "ranking", "bm25_k1", "0");
    cr_assert_float_eq(c.bm25_k1, 0.0, 1e-12);
    set_ok(&c, "ranking", "bm25_k1", "12.75");
    cr_assert_float_eq(c.bm25_k1, 12.75, 1e-12);
    set_ok(&c, "ranking", "bm25_k1", "3.");
    cr_assert_float_eq(c.bm25_k1, 3.0, 1e-12);
    const char *bad_b[] = {"x", "1.01", "2", "-0.5", "", "1e-1", "nan", "inf", "0.5.1", ".", "0x1"};
    for (size_t i = 0; i < sizeof bad_b / sizeof bad_b[0]; i++) {
        char want[ERRLEN];
        snprintf(want, sizeof want, "bad value '%s' for bm25_b (expected a number from 0 to 1)",
                 bad_b[i]);
        set_fails(&c, "ranking", "bm25_b", bad_b[i], want);
    }
    set_fails(&c, "ranking", "bm25_k1", "-1",
              "bad value '-1' for bm25_k1 (expected a number of 0 or more)");
    set_fails(&c, "ranking", "bm25_k1", "viel", NULL);
    cr_assert_float_eq(c.bm25_k1, 3.0, 1e-12);
    cr_assert_float_eq(c.bm25_b, 0.25, 1e-12);
    fg_config_free(&c);
}

Test(config, numbers_ignore_german_locale) {
    if (!setlocale(LC_ALL, "de_DE.UTF-8") && !setlocale(LC_ALL, "de_DE.utf8")) {
        teardown(); /* a skipped test does not run .fini */
        cr_skip_test("no German locale installed");
    }
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    set_ok(&c, "ranking", "bm25_b", "0.5");
    cr_assert_float_eq(c.bm25_b, 0.5, 1e-12);
    entries_t es;
    entries_of(&c, &es);
    cr_assert_str_eq(entry(&es, "ranking", "bm25_b", 0)->value, "0.5");
    cr_assert_str_eq(entry(&es, "ranking", "bm25_k1", 0)->value, "1.2");
    entries_free(&es);
    fg_config_free(&c);
}

Test(config, language) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    set_ok(&c, "analysis", "language", "English");
    cr_assert_str_eq(c.analysis.language, "english");
    set_ok(&c, "analysis", "language", "german");
    cr_assert_str_eq(c.analysis.language, "german");
    char err[ERRLEN];
    cr_assert_eq(
        fg_config_set(&c, "analysis", "language", "klingon", FG_CFG_COMMAND_LINE, err, sizeof err),
        FG_CONFIG);
    const char *prefix = "unknown language 'klingon' (Snowball offers: ";
    cr_assert_eq(strncmp(err, prefix, strlen(prefix)), 0, "%s", err);
    cr_assert_not_null(strstr(err, "german"), "%s", err);
    set_fails(&c, "analysis", "language", "", NULL);
    set_fails(&c, "analysis", "language", "a-very-long-language-name-beyond-the-limit", NULL);
    cr_assert_str_eq(c.analysis.language, "german");
    fg_config_free(&c);
}

Test(config, stopwords) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    const char *off[] = {"off", "OFF", "no", "false", "none", "None"};
    for (size_t i = 0; i < sizeof off / sizeof off[0]; i++) {
        set_ok(&c, "analysis", "stopwords", "default");
        cr_assert_eq(c.analysis.stopwords, FG_STOPWORDS_DEFAULT);
        set_ok(&c, "analysis", "stopwords", off[i]);
        cr_assert_eq(c.analysis.stopwords, FG_STOPWORDS_OFF, "%s", off[i]);
    }
    set_ok(&c, "analysis", "stopwords", "yes");
    cr_assert_eq(c.analysis.stopwords, FG_STOPWORDS_DEFAULT);

    put("home/stopp.txt", "und\n");
    set_ok(&c, "analysis", "stopwords", "~/stopp.txt");
    cr_assert_eq(c.analysis.stopwords, FG_STOPWORDS_FILE);
    char want[600];
    snprintf(want, sizeof want, "%s/stopp.txt", home);
    cr_assert_str_eq(c.analysis.stopword_file, want);
    entries_t es;
    entries_of(&c, &es);
    cr_assert_str_eq(entry(&es, "analysis", "stopwords", 0)->value, want);
    entries_free(&es);

    set_fails(&c, "analysis", "stopwords", "/nonexistent/stopp.txt",
              "cannot read stop-word file '/nonexistent/stopp.txt': No such file or directory");
    snprintf(want, sizeof want, "stop-word file '%s' is a folder", home);
    set_fails(&c, "analysis", "stopwords", home, want);
    set_fails(&c, "analysis", "stopwords", "",
              "bad value '' for stopwords (expected default, off or a file path)");
    cr_assert_eq(c.analysis.stopwords, FG_STOPWORDS_FILE, "a bad value changed the mode");
    fg_config_free(&c);
}

Test(config, german_analysis_keys) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    put("home/words.txt", "Haus\nTür\n");
    put("home/protect.txt", "# mine\nwahl\n");
    cr_assert_eq(load_text(&c,
                           "[analysis]\n"
                           "decompound = no\n"
                           "dictionary = ~/words.txt\n"
                           "min_part = 4\n"
                           "umlauts = off\n"
                           "gender = false\n"
                           "protected_words = 0\n"
                           "protected_file = ~/protect.txt\n"
                           "latin_plurals = no\n",
                           err, &path),
                 FG_OK, "%s", err);
    const fg_analysis_settings_t *a = &c.analysis;
    cr_assert(!a->decompound && !a->umlauts && !a->gender && !a->protected_words &&
              !a->latin_plurals);
    cr_assert_eq(a->min_part, 4);
    char want[600];
    snprintf(want, sizeof want, "%s/words.txt", home);
    cr_assert_str_eq(a->dictionary, want);
    snprintf(want, sizeof want, "%s/protect.txt", home);
    cr_assert_str_eq(a->protected_file, want);

    entries_t es;
    entries_of(&c, &es);
    static const char *const keys[] = {"decompound",     "dictionary",   "min_part",
                                       "umlauts",        "gender",       "protected_words",
                                       "protected_file", "latin_plurals"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const entry_t *e = entry(&es, "analysis", keys[i], 0);
        char origin[700];
        snprintf(origin, sizeof origin, "%s:%zu", path, i + 2);
        cr_assert_str_eq(e->origin, origin, "%s", keys[i]);
    }
    cr_assert_str_eq(entry(&es, "analysis", "min_part", 0)->value, "4");
    cr_assert_str_eq(entry(&es, "analysis", "decompound", 0)->value, "no");
    cr_assert_str_eq(entry(&es, "analysis", "protected_file", 0)->value, want);
    entries_free(&es);

    /* back to the defaults from the command line */
    set_ok(&c, "analysis", "dictionary", "default");
    cr_assert_str_eq(c.analysis.dictionary, "");
    set_ok(&c, "analysis", "protected_file", "");
    cr_assert_str_eq(c.analysis.protected_file, "");
    set_ok(&c, "analysis", "protected_file", "none");
    set_ok(&c, "analysis", "min_part", "10");
    set_ok(&c, "analysis", "min_part", "2");
    cr_assert_eq(c.analysis.min_part, 2);
    set_ok(&c, "analysis", "umlauts", "yes");
    cr_assert(c.analysis.umlauts);
    entries_of(&c, &es);
    cr_assert_str_eq(entry(&es, "analysis", "dictionary", 0)->value, "default");
    cr_assert_str_eq(entry(&es, "analysis", "umlauts", 0)->origin, "command line");
    entries_free(&es);

    /* bad values name the key and change nothing */
    set_fails(&c, "analysis", "min_part", "1",
              "bad value '1' for min_part (expected a whole number from 2 to 10)");
    set_fails(&c, "analysis", "min_part", "11", NULL);
    set_fails(&c, "analysis", "min_part", "3x", NULL);
    set_fails(&c, "analysis", "min_part", "", NULL);
    set_fails(&c, "analysis", "min_part", "-3", NULL);
    cr_assert_eq(c.analysis.min_part, 2);
    set_fails(&c, "analysis", "gender", "maybe",
              "bad value 'maybe' for gender (expected yes or no)");
    set_fails(&c, "analysis", "dictionary", "", NULL);
    set_fails(&c, "analysis", "dictionary", "/nonexistent/words",
              "cannot read dictionary '/nonexistent/words': No such file or directory");
    snprintf(want, sizeof want, "protected-words file '%s' is a folder", home);
    set_fails(&c, "analysis", "protected_file", home, want);
    cr_assert_str_eq(c.analysis.protected_file, "");
    fg_config_free(&c);
}

Test(config, error_german_analysis_keys) {
    expect_error("[analysis]\nlanguage = german\nmin_part = 0\n", 3,
                 "bad value '0' for min_part (expected a whole number from 2 to 10)");
    expect_error("[analysis]\numlauts = ja\n", 2,
                 "bad value 'ja' for umlauts (expected yes or no)");
    expect_error("[analysis]\n\nprotected_file = /nonexistent/p.txt\n", 3,
                 "cannot read protected-words file '/nonexistent/p.txt': No such file or "
                 "directory");
    expect_error("[analysis]\ngender = yes\ngender = no\n", 3,
                 "key 'gender' given twice in section [analysis] (first on line 2)");
}

/* ------------------------------------------------------------ [search] */

Test(config, search_max_wildcard) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c, "[search]\nmax_wildcard = 250\n", err, &path), FG_OK, "%s", err);
    cr_assert_eq(c.max_wildcard, 250);
    entries_t es;
    entries_of(&c, &es);
    const entry_t *e = entry(&es, "search", "max_wildcard", 0);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->value, "250");
    char where[ERRLEN];
    snprintf(where, sizeof where, "%s:2", path);
    cr_assert_str_eq(e->origin, where);
    entries_free(&es);
    set_ok(&c, "search", "max_wildcard", "1");
    set_ok(&c, "search", "max_wildcard", "1000000");
    cr_assert_eq(c.max_wildcard, 1000000);
    set_fails(&c, "search", "max_wildcard", "0",
              "bad value '0' for max_wildcard (expected a whole number from 1 to 1000000)");
    set_fails(&c, "search", "max_wildcard", "1000001", NULL);
    set_fails(&c, "search", "max_wildcard", "-5", NULL);
    set_fails(&c, "search", "max_wildcard", "12x", NULL);
    set_fails(&c, "search", "max_wildcard", "", NULL);
    cr_assert_eq(c.max_wildcard, 1000000);
    fg_config_free(&c);
}

Test(config, error_search_max_wildcard) {
    expect_error("[search]\n\nmax_wildcard = lots\n", 3,
                 "bad value 'lots' for max_wildcard (expected a whole number from 1 to 1000000)");
    expect_error("[search]\nmax_wildcard = 10\nmax_wildcard = 20\n", 3,
                 "key 'max_wildcard' given twice in section [search] (first on line 2)");
    expect_error("[ranking]\nmax_wildcard = 10\n", 2,
                 "unknown key 'max_wildcard' in section [ranking]");
}

/* ------------------------------------------------ [index] threads, [daemon] */

Test(config, threads_and_daemon_timings) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c,
                           "[index]\nthreads = 3\n"
                           "[daemon]\ncommit_interval = 0\ncommit_max_age = 86400000\n"
                           "rescan_interval = 5\n",
                           err, &path),
                 FG_OK, "%s", err);
    cr_assert_eq(c.threads, 3);
    cr_assert_eq(c.commit_interval_ms, 0);
    cr_assert_eq(c.commit_max_age_ms, 86400000);
    cr_assert_eq(c.rescan_interval_s, 5);
    entries_t es;
    entries_of(&c, &es);
    const entry_t *e = entry(&es, "daemon", "rescan_interval", 0);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->value, "5");
    char where[ERRLEN];
    snprintf(where, sizeof where, "%s:6", path);
    cr_assert_str_eq(e->origin, where);
    entries_free(&es);
    set_ok(&c, "daemon", "commit_interval", "40"); /* fundgrubed's --commit-interval */
    cr_assert_eq(c.commit_interval_ms, 40);
    set_fails(&c, "index", "threads", "65",
              "bad value '65' for threads (expected a whole number from 0 (one per core) to 64)");
    set_fails(&c, "daemon", "commit_max_age", "0",
              "bad value '0' for commit_max_age (expected milliseconds from 1 to 86400000 (a "
              "day))");
    set_fails(&c, "daemon", "commit_interval", "86400001", NULL);
    set_fails(&c, "daemon", "rescan_interval", "0",
              "bad value '0' for rescan_interval (expected seconds from 1 to 86400)");
    set_fails(&c, "daemon", "rescan_interval", "1m", NULL);
    cr_assert_eq(c.threads, 3);
    cr_assert_eq(c.rescan_interval_s, 5);
    fg_config_free(&c);
}

Test(config, error_daemon_keys) {
    expect_error("[daemon]\n\ncommit_interval = soon\n", 3,
                 "bad value 'soon' for commit_interval (expected milliseconds from 0 to "
                 "86400000 (a day))");
    expect_error("[index]\nthreads = -1\n", 2,
                 "bad value '-1' for threads (expected a whole number from 0 (one per core) to "
                 "64)");
    expect_error("[watch]\nrescan_interval = 10\n", 2,
                 "unknown key 'rescan_interval' in section [watch]");
}

/* ------------------------------------------------------- repeatable keys */

Test(config, repeatable_keys_replace_defaults_then_append) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c,
                           "[watch]\n"
                           "include = *.pdf\n"
                           "include = *.odt\n"
                           "folder = /srv/a\n"
                           "exclude = *.bak\n"
                           "folder = /srv/b\n",
                           err, &path),
                 FG_OK, "%s", err);
    EXPECT_LIST(&c.include, "*.pdf", "*.odt");
    EXPECT_LIST(&c.watch_folders, "/srv/a", "/srv/b");
    EXPECT_LIST(&c.exclude, "*.bak");
    entries_t es;
    entries_of(&c, &es);
    char want[600];
    snprintf(want, sizeof want, "%s:3", path);
    cr_assert_str_eq(entry(&es, "watch", "include", 1)->value, "*.odt");
    cr_assert_str_eq(entry(&es, "watch", "include", 1)->origin, want);
    snprintf(want, sizeof want, "%s:6", path);
    cr_assert_str_eq(entry(&es, "watch", "folder", 1)->origin, want);
    entries_free(&es);

    /* A second file replaces the lists the first one set. */
    const char *second = put("second.conf", "[watch]\ninclude = *.html\n");
    cr_assert_eq(fg_config_load_file(&c, second, err, sizeof err), FG_OK, "%s", err);
    EXPECT_LIST(&c.include, "*.html");
    EXPECT_LIST(&c.watch_folders, "/srv/a", "/srv/b");
    cr_assert_str_eq(c.file, second);
    fg_config_free(&c);
}

Test(config, continuation_lines_add_items) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c,
                           "[watch]\n"
                           "include = *.txt\n"
                           "          *.md\n"
                           "    *.rst ; reStructuredText\n"
                           "hidden = no\n",
                           err, &path),
                 FG_OK, "%s", err);
    EXPECT_LIST(&c.include, "*.txt", "*.md", "*.rst");
    entries_t es;
    entries_of(&c, &es);
    char want[600];
    snprintf(want, sizeof want, "%s:4", path);
    cr_assert_str_eq(entry(&es, "watch", "include", 2)->origin, want);
    entries_free(&es);
    fg_config_free(&c);
}

Test(config, empty_value_empties_list) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c, "[watch]\ninclude =\nfolder = /a\nfolder =\n", err, &path), FG_OK,
                 "%s", err);
    cr_assert_eq(c.include.count, 0);
    cr_assert_eq(c.watch_folders.count, 0);
    entries_t es;
    entries_of(&c, &es);
    char want[600];
    snprintf(want, sizeof want, "%s:2", path);
    cr_assert_str_eq(entry(&es, "watch", "include", 0)->value, "");
    cr_assert_str_eq(entry(&es, "watch", "include", 0)->origin, want);
    snprintf(want, sizeof want, "%s:4", path);
    cr_assert_str_eq(entry(&es, "watch", "folder", 0)->origin, want);
    entries_free(&es);
    fg_config_free(&c);
}

Test(config, set_appends_to_repeatable_keys) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c, "[watch]\ninclude = *.pdf\n", err, &path), FG_OK, "%s", err);
    set_ok(&c, "watch", "include", "*.odt");
    set_ok(&c, "watch", "exclude", "*.tmp");
    EXPECT_LIST(&c.include, "*.pdf", "*.odt");
    EXPECT_LIST(&c.exclude, "*.tmp");
    entries_t es;
    entries_of(&c, &es);
    char want[600];
    snprintf(want, sizeof want, "%s:2", path);
    cr_assert_str_eq(entry(&es, "watch", "include", 0)->origin, want);
    cr_assert_str_eq(entry(&es, "watch", "include", 1)->origin, "command line");
    cr_assert_str_eq(entry(&es, "watch", "exclude", 0)->origin, "command line");
    entries_free(&es);
    set_ok(&c, "watch", "include", "");
    cr_assert_eq(c.include.count, 0);
    fg_config_free(&c);
}

/* ---------------------------------------------------------------- errors */

Test(config, error_unknown_key) {
    expect_error("[watch]\nhidden = no\nfoo = 1\n", 3, "unknown key 'foo' in section [watch]");
}

Test(config, error_unknown_section) {
    expect_error("[index]\npath = /x\n\n[bar]\nx = 1\n", 4, "unknown section [bar]");
    expect_error("[watch]\nhidden = no\n[bar]\n", 3, "unknown section [bar]");
}

Test(config, error_bad_numbers) {
    expect_error("[ranking]\nbm25_k1 = 1\nbm25_b = x\n", 3,
                 "bad value 'x' for bm25_b (expected a number from 0 to 1)");
    expect_error("[ranking]\nbm25_b = 1.5\n", 2,
                 "bad value '1.5' for bm25_b (expected a number from 0 to 1)");
    expect_error("[ranking]\nbm25_k1 = -2\n", 2,
                 "bad value '-2' for bm25_k1 (expected a number of 0 or more)");
}

Test(config, error_bad_size) {
    expect_error("# sizes\n[watch]\nmax_file_size = 12X\n", 3,
                 "bad value '12X' for max_file_size (expected a positive size in bytes with "
                 "optional K, M or G suffix, e.g. 64M)");
}

Test(config, error_bad_bool) {
    expect_error("[watch]\nhidden = vielleicht\n", 2,
                 "bad value 'vielleicht' for hidden (expected yes or no)");
    expect_error("[analysis]\n\nstemming = nein\n", 3,
                 "bad value 'nein' for stemming (expected yes or no)");
}

Test(config, error_unknown_language) {
    fg_config_t c;
    char err[ERRLEN], want[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c, "[analysis]\nstemming = yes\nlanguage = klingon\n", err, &path),
                 FG_CONFIG);
    snprintf(want, sizeof want, "%s:3: unknown language 'klingon' (Snowball offers: ", path);
    cr_assert_eq(strncmp(err, want, strlen(want)), 0, "%s", err);
    cr_assert_not_null(strstr(err, "german"));
    fg_config_free(&c);
}

Test(config, error_syntax) {
    expect_error("[watch]\nhidden = no\n[analysis\n", 3, "missing ']' after the section name");
    expect_error("[watch]\nhidden\n", 2, "expected 'key = value', a [section] or a comment");
    expect_error("[watch]\nhidden ; = no\n", 2, "expected 'key = value', a [section] or a comment");
}

Test(config, error_key_outside_section) {
    expect_error("# no section yet\npath = /x\n[index]\n", 2, "key 'path' outside any section");
}

Test(config, error_key_given_twice) {
    expect_error("[index]\npath = /a\npath = /b\n", 3,
                 "key 'path' given twice in section [index] (first on line 2)");
    expect_error("[watch]\nhidden = no\n[index]\npath=/a\n[watch]\nHIDDEN = yes\n", 6,
                 "key 'HIDDEN' given twice in section [watch] (first on line 2)");
}

Test(config, error_continuation_of_single_value) {
    expect_error("[index]\npath = /a\n   /b\n", 3,
                 "indented line continues 'path', which takes a single value");
}

Test(config, error_stopword_file_missing) {
    expect_error("[analysis]\nstopwords = /nonexistent/stopp.txt\n", 2,
                 "cannot read stop-word file '/nonexistent/stopp.txt': No such file or "
                 "directory");
}

Test(config, error_line_too_long) {
    char text[600];
    char value[300];
    memset(value, 'a', 250);
    value[250] = '\0';
    snprintf(text, sizeof text, "[index]\n\npath = /%s\n", value);
    expect_error(text, 3, "line too long (more than 197 characters)");
    /* The longest line that fits. */
    memset(value, 'a', 197 - 8);
    value[197 - 8] = '\0';
    snprintf(text, sizeof text, "[index]\npath = /%s\n", value);
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(load_text(&c, text, err, NULL), FG_OK, "%s", err);
    cr_assert_eq(strlen(c.index_path), 197 - 7);
    fg_config_free(&c);
}

Test(config, error_tilde_without_home) {
    unsetenv("HOME");
    expect_error("[index]\npath = ~/ix\n", 2,
                 "bad value '~/ix' for path (HOME is not set to expand '~')");
}

Test(config, error_empty_index_path) {
    expect_error("[index]\npath =\n", 2, "bad value '' for path (expected a folder path)");
}

Test(config, failed_load_changes_nothing) {
    fg_config_t c;
    char err[ERRLEN];
    const char *first;
    cr_assert_eq(load_text(&c, "[index]\npath = /erst\n", err, &first), FG_OK, "%s", err);
    const char *bad =
        put("bad.conf", "[index]\npath = /zweit\n[watch]\ninclude = *.x\nhidden = ja\n");
    cr_assert_eq(fg_config_load_file(&c, bad, err, sizeof err), FG_CONFIG);
    cr_assert_str_eq(c.index_path, "/erst");
    EXPECT_LIST(&c.include, DEFAULT_INCLUDE);
    cr_assert_str_eq(c.file, first);
    entries_t es;
    entries_of(&c, &es);
    char want[600];
    snprintf(want, sizeof want, "%s:2", first);
    cr_assert_str_eq(entry(&es, "index", "path", 0)->origin, want);
    cr_assert_str_eq(entry(&es, "watch", "include", 0)->origin, "default");
    entries_free(&es);
    fg_config_free(&c);
}

Test(config, error_cannot_read) {
    fg_config_t c;
    char err[ERRLEN], want[ERRLEN];
    cr_assert_eq(fg_config_init(&c), FG_OK);
    const char *missing = tmp_path("fehlt.conf");
    cr_assert_eq(fg_config_load_file(&c, missing, err, sizeof err), FG_IO);
    snprintf(want, sizeof want, "cannot read %s: No such file or directory", missing);
    cr_assert_str_eq(err, want);
    cr_assert_eq(fg_config_load_file(&c, home, err, sizeof err), FG_IO);
    snprintf(want, sizeof want, "cannot read %s: Is a directory", home);
    cr_assert_str_eq(err, want);
    fg_config_free(&c);
}

Test(config, set_errors) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    set_fails(&c, "bar", "x", "1", "unknown section [bar]");
    set_fails(&c, "watch", "foo", "1", "unknown key 'foo' in section [watch]");
    set_fails(&c, "ranking", "bm25_b", "x",
              "bad value 'x' for bm25_b (expected a number from 0 to 1)");
    set_fails(&c, "index", "bm25_b", "0.5", "unknown key 'bm25_b' in section [index]");
    char err[ERRLEN];
    cr_assert_eq(fg_config_set(&c, "index", "path", NULL, FG_CFG_COMMAND_LINE, err, sizeof err),
                 FG_INVALID);
    fg_config_free(&c);
}

/* ------------------------------------------------------- the example file */

Test(config, example_loads_and_equals_defaults) {
    fg_config_t def, c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_init(&def), FG_OK);
    cr_assert_eq(fg_config_init(&c), FG_OK);
    cr_assert_eq(fg_config_load_file(&c, EXAMPLE, err, sizeof err), FG_OK, "%s", err);
    expect_same_values(&c, &def);
    cr_assert_str_eq(c.file, EXAMPLE);
    fg_config_free(&c);
    fg_config_free(&def);
}

Test(config, example_sets_every_key_in_foreach_order) {
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_init(&c), FG_OK);
    cr_assert_eq(fg_config_load_file(&c, EXAMPLE, err, sizeof err), FG_OK, "%s", err);
    entries_t es;
    entries_of(&c, &es);
    cr_assert_eq(es.n, 60);
    size_t plen = strlen(EXAMPLE);
    long last = 0;
    for (size_t i = 0; i < es.n; i++) {
        const entry_t *e = &es.e[i];
        cr_assert_eq(strncmp(e->origin, EXAMPLE ":", plen + 1), 0, "%s.%s comes from %s",
                     e->section, e->key, e->origin);
        long line = strtol(e->origin + plen + 1, NULL, 10);
        cr_assert_gt(line, last, "%s.%s out of order", e->section, e->key);
        last = line;
    }
    entries_free(&es);
    fg_config_free(&c);
}

Test(config, example_loads_with_xdg_set) {
    setenv("XDG_DATA_HOME", "/srv/daten", 1);
    setenv("FUNDGRUBE_CONFIG", EXAMPLE, 1);
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(c.file, EXAMPLE);
    fg_config_free(&c);
}

/* ------------------------------------------------------------- origins */

Test(config, origins) {
    fg_config_t c;
    char err[ERRLEN];
    const char *path;
    cr_assert_eq(load_text(&c,
                           "# Fundgrube\n"
                           "[watch]\n"
                           "hidden = yes\n"
                           "\n"
                           "[ranking]\n"
                           "bm25_b = 0.5\n",
                           err, &path),
                 FG_OK, "%s", err);
    set_ok(&c, "ranking", "bm25_k1", "1.5");
    set_ok(&c, "watch", "hidden", "no");
    cr_assert_eq(fg_config_set(&c, "analysis", "stemming", "no", FG_CFG_FILE, err, sizeof err),
                 FG_OK);
    cr_assert_eq(
        fg_config_set(&c, "analysis", "language", "dutch", FG_CFG_DEFAULT, err, sizeof err), FG_OK);
    entries_t es;
    entries_of(&c, &es);
    char want[600];
    snprintf(want, sizeof want, "%s:6", path);
    cr_assert_str_eq(entry(&es, "ranking", "bm25_b", 0)->origin, want);
    cr_assert_str_eq(entry(&es, "ranking", "bm25_b", 0)->value, "0.5");
    cr_assert_str_eq(entry(&es, "ranking", "bm25_k1", 0)->origin, "command line");
    cr_assert_str_eq(entry(&es, "ranking", "bm25_k1", 0)->value, "1.5");
    cr_assert_str_eq(entry(&es, "watch", "hidden", 0)->origin, "command line");
    cr_assert_str_eq(entry(&es, "watch", "hidden", 0)->value, "no");
    cr_assert_str_eq(entry(&es, "analysis", "stemming", 0)->origin, path);
    cr_assert_str_eq(entry(&es, "analysis", "language", 0)->origin, "default");
    cr_assert_str_eq(entry(&es, "analysis", "language", 0)->value, "dutch");
    cr_assert_str_eq(entry(&es, "index", "path", 0)->origin, "default");
    cr_assert_str_eq(entry(&es, "watch", "max_file_size", 0)->origin, "default");
    entries_free(&es);
    fg_config_free(&c);
}

/* ------------------------------------------------------------ ~ expansion */

Test(config, expand_path) {
    char buf[600], want[600];
    cr_assert_eq(fg_config_expand_path("~/Dokumente", buf, sizeof buf), FG_OK);
    snprintf(want, sizeof want, "%s/Dokumente", home);
    cr_assert_str_eq(buf, want);
    cr_assert_eq(fg_config_expand_path("~", buf, sizeof buf), FG_OK);
    cr_assert_str_eq(buf, home);
    cr_assert_eq(fg_config_expand_path("/abs/pfad", buf, sizeof buf), FG_OK);
    cr_assert_str_eq(buf, "/abs/pfad");
    cr_assert_eq(fg_config_expand_path("relativ/~/x", buf, sizeof buf), FG_OK);
    cr_assert_str_eq(buf, "relativ/~/x");
    cr_assert_eq(fg_config_expand_path("~anna/x", buf, sizeof buf), FG_OK);
    cr_assert_str_eq(buf, "~anna/x");

    setenv("HOME", "/home/anna/", 1);
    cr_assert_eq(fg_config_expand_path("~/x", buf, sizeof buf), FG_OK);
    cr_assert_str_eq(buf, "/home/anna/x");
    cr_assert_eq(fg_config_expand_path("~/x", buf, 13), FG_OK);
    cr_assert_eq(fg_config_expand_path("~/x", buf, 12), FG_INVALID);
    cr_assert_str_eq(buf, "");
    setenv("HOME", "/", 1);
    cr_assert_eq(fg_config_expand_path("~/x", buf, sizeof buf), FG_OK);
    cr_assert_str_eq(buf, "/x");

    cr_assert_eq(fg_config_expand_path("/abcdef", buf, 4), FG_INVALID);
    cr_assert_eq(fg_config_expand_path("/abc", buf, 5), FG_OK);
    cr_assert_eq(fg_config_expand_path("/abc", buf, 0), FG_INVALID);
    cr_assert_eq(fg_config_expand_path(NULL, buf, sizeof buf), FG_INVALID);
    unsetenv("HOME");
    cr_assert_eq(fg_config_expand_path("~/x", buf, sizeof buf), FG_INVALID);
    cr_assert_eq(fg_config_expand_path("/x", buf, sizeof buf), FG_OK);
    setenv("HOME", "", 1);
    cr_assert_eq(fg_config_expand_path("~/x", buf, sizeof buf), FG_INVALID);
}

Test(config, tilde_in_values) {
    fg_config_t c;
    char err[ERRLEN], want[600];
    cr_assert_eq(load_text(&c,
                           "[index]\npath = ~/ix\n"
                           "[watch]\nfolder = ~/Dokumente\nexclude = ~/Dokumente/Archiv\n"
                           "include = ~*.txt\n",
                           err, NULL),
                 FG_OK, "%s", err);
    snprintf(want, sizeof want, "%s/ix", home);
    cr_assert_str_eq(c.index_path, want);
    snprintf(want, sizeof want, "%s/Dokumente", home);
    EXPECT_LIST(&c.watch_folders, want);
    snprintf(want, sizeof want, "%s/Dokumente/Archiv", home);
    EXPECT_LIST(&c.exclude, want);
    EXPECT_LIST(&c.include, "~*.txt");
    set_ok(&c, "index", "path", "~/anderswo");
    snprintf(want, sizeof want, "%s/anderswo", home);
    cr_assert_str_eq(c.index_path, want);
    fg_config_free(&c);
}

/* ---------------------------------------------------------- search order */

Test(config, load_explicit_path_wins) {
    const char *explicit = put("explicit.conf", "[ranking]\nbm25_b = 0.1\n");
    const char *env = put("env.conf", "[ranking]\nbm25_b = 0.2\n");
    put("xdg/fundgrube/fundgrube.conf", "[ranking]\nbm25_b = 0.3\n");
    setenv("FUNDGRUBE_CONFIG", env, 1);
    setenv("XDG_CONFIG_HOME", tmp_path("xdg"), 1);
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_load(&c, explicit, err, sizeof err), FG_OK, "%s", err);
    cr_assert_float_eq(c.bm25_b, 0.1, 1e-12);
    cr_assert_str_eq(c.file, explicit);
    fg_config_free(&c);
}

Test(config, load_env_var_before_xdg) {
    const char *env = put("env.conf", "[ranking]\nbm25_b = 0.2\n");
    put("xdg/fundgrube/fundgrube.conf", "[ranking]\nbm25_b = 0.3\n");
    setenv("FUNDGRUBE_CONFIG", env, 1);
    setenv("XDG_CONFIG_HOME", tmp_path("xdg"), 1);
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_OK, "%s", err);
    cr_assert_float_eq(c.bm25_b, 0.2, 1e-12);
    cr_assert_str_eq(c.file, env);
    fg_config_free(&c);
}

Test(config, load_xdg_config_home) {
    const char *xdg = put("xdg/fundgrube/fundgrube.conf", "[ranking]\nbm25_b = 0.3\n");
    put("home/.config/fundgrube/fundgrube.conf", "[ranking]\nbm25_b = 0.4\n");
    setenv("FUNDGRUBE_CONFIG", "", 1); /* empty: ignored */
    setenv("XDG_CONFIG_HOME", tmp_path("xdg"), 1);
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_OK, "%s", err);
    cr_assert_float_eq(c.bm25_b, 0.3, 1e-12);
    cr_assert_str_eq(c.file, xdg);
    fg_config_free(&c);
}

Test(config, load_home_config_fallback) {
    const char *dot = put("home/.config/fundgrube/fundgrube.conf", "[ranking]\nbm25_b = 0.4\n");
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_OK, "%s", err);
    cr_assert_float_eq(c.bm25_b, 0.4, 1e-12);
    cr_assert_str_eq(c.file, dot);
    fg_config_free(&c);
}

Test(config, load_xdg_set_without_file_gives_defaults) {
    put("home/.config/fundgrube/fundgrube.conf", "[ranking]\nbm25_b = 0.4\n");
    setenv("XDG_CONFIG_HOME", tmp_path("xdg"), 1);
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_OK, "%s", err);
    cr_assert_float_eq(c.bm25_b, 0.75, 1e-12);
    cr_assert_null(c.file);
    fg_config_free(&c);
}

Test(config, load_no_file_gives_defaults) {
    fg_config_t c, def;
    char err[ERRLEN];
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_config_init(&def), FG_OK);
    expect_same_values(&c, &def);
    cr_assert_null(c.file);
    fg_config_free(&def);
    fg_config_free(&c);
}

Test(config, load_missing_explicit_or_env_file_fails) {
    fg_config_t c;
    char err[ERRLEN], want[ERRLEN];
    const char *missing = tmp_path("fehlt.conf");
    cr_assert_eq(fg_config_load(&c, missing, err, sizeof err), FG_IO);
    snprintf(want, sizeof want, "cannot read %s: No such file or directory", missing);
    cr_assert_str_eq(err, want);
    fg_config_free(&c); /* harmless after a failure */

    setenv("FUNDGRUBE_CONFIG", missing, 1);
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_IO);
    cr_assert_str_eq(err, want);
    fg_config_free(&c);
}

Test(config, load_reports_file_errors) {
    const char *bad = put("home/.config/fundgrube/fundgrube.conf", "[watch]\nfoo = 1\n");
    fg_config_t c;
    char err[ERRLEN], want[ERRLEN];
    cr_assert_eq(fg_config_load(&c, NULL, err, sizeof err), FG_CONFIG);
    snprintf(want, sizeof want, "%s:2: unknown key 'foo' in section [watch]", bad);
    cr_assert_str_eq(err, want);
    fg_config_free(&c);
}

Test(config, ranking_weights) {
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_init(&c), FG_OK);
    fg_rank_weights_t def;
    fg_rank_weights_default(&def);
    cr_assert(memcmp(&c.weights, &def, sizeof def) == 0, "defaults");
    cr_assert_float_eq(c.weights.lead, 1.0, 1e-12);
    cr_assert_eq(
        fg_config_set(&c, "ranking", "lead_weight", "0", FG_CFG_COMMAND_LINE, err, sizeof err),
        FG_OK, "%s", err);
    cr_assert_float_eq(c.weights.lead, 0.0, 1e-12);
    cr_assert_eq(
        fg_config_set(&c, "ranking", "weak_weight", "0,25", FG_CFG_COMMAND_LINE, err, sizeof err),
        FG_OK, "%s", err);
    cr_assert_float_eq(c.weights.weak, 0.25, 1e-12);
    cr_assert_eq(
        fg_config_set(&c, "ranking", "part_weight", "-1", FG_CFG_COMMAND_LINE, err, sizeof err),
        FG_CONFIG);
    cr_assert(strstr(err, "part_weight") != NULL, "%s", err);
    cr_assert_float_eq(c.weights.part, def.part, 1e-12, "a bad value changes nothing");
    fg_config_free(&c);
}

/* ---------------------------------------------------------------- copy */

/* A file that sets every key to a value other than its default (lists with
 * more than one item); %s is the stop-word file, %s the dictionary, %s the
 * protected-words file. */
static const char every_key_text[] = "[index]\n"
                                     "path = /srv/copy/index\n"
                                     "threads = 3\n"
                                     "[watch]\n"
                                     "folder = /srv/copy/a\n"
                                     "folder = /srv/copy/b\n"
                                     "include = *.tex\n"
                                     "include = *.rst\n"
                                     "exclude = *~\n"
                                     "exclude = .git\n"
                                     "max_file_size = 10M\n"
                                     "hidden = yes\n"
                                     "[analysis]\n"
                                     "language = english\n"
                                     "stemming = no\n"
                                     "stopwords = %s\n"
                                     "decompound = no\n"
                                     "dictionary = %s\n"
                                     "min_part = 5\n"
                                     "umlauts = no\n"
                                     "gender = no\n"
                                     "protected_words = no\n"
                                     "protected_file = %s\n"
                                     "latin_plurals = no\n"
                                     "[ranking]\n"
                                     "bm25_k1 = 2.5\n"
                                     "bm25_b = 0.3\n"
                                     "exact_weight = 2\n"
                                     "stem_weight = 3\n"
                                     "title_weight = 4\n"
                                     "lead_weight = 5\n"
                                     "part_weight = 6\n"
                                     "qpart_weight = 7\n"
                                     "weak_weight = 8\n"
                                     "[search]\n"
                                     "max_wildcard = 77\n"
                                     "[daemon]\n"
                                     "commit_interval = 40\n"
                                     "commit_max_age = 5000\n"
                                     "rescan_interval = 7\n"
                                     "[extract]\n"
                                     "timeout = 9\n"
                                     "memory_limit = 300M\n"
                                     "max_text = 1M\n"
                                     "max_inflate = 20M\n"
                                     "[web]\n"
                                     "listen = 127.0.0.1:9999\n"
                                     "threads = 3\n"
                                     "max_connections = 9\n"
                                     "timeout = 4\n"
                                     "max_query = 500\n"
                                     "time_limit = 750\n"
                                     "token_file = /tmp/fg-token\n"
                                     "[cluster]\n"
                                     "shards = /srv/a\n"
                                     "  remote:host:33333\n"
                                     "timeout = 300\n"
                                     "connect_timeout = 200\n"
                                     "retry = 0\n";

/* Initialises c and loads every_key_text from tmpdir/every.conf. */
static void load_every_key(fg_config_t *c) {
    char text[4096], err[ERRLEN];
    const char *stop = put("stop.txt", "the\nand\n");
    const char *dict = put("dict.txt", "Haus\nTür\n");
    const char *prot = put("prot.txt", "wahl\n");
    snprintf(text, sizeof text, every_key_text, stop, dict, prot);
    cr_assert_eq(fg_config_init(c), FG_OK);
    const char *path = put("every.conf", text);
    cr_assert_eq(fg_config_load_file(c, path, err, sizeof err), FG_OK, "%s", err);
}

/* Expects two string lists to hold equal items (what names the list). */
static void expect_same_list(const fg_strlist_t *a, const fg_strlist_t *b, const char *what) {
    cr_expect_eq(a->count, b->count, "%s: %zu items, expected %zu", what, a->count, b->count);
    for (size_t i = 0; i < a->count && i < b->count; i++)
        cr_expect_str_eq(a->items[i], b->items[i], "%s[%zu]", what, i);
}

/* Expects every field of a and b to be equal, origins included (through
 * fg_config_foreach()); unlike expect_same_values() it reports every
 * difference, not the first. */
static void expect_same_config(const fg_config_t *a, const fg_config_t *b) {
    cr_expect_str_eq(a->index_path, b->index_path, "index_path");
    expect_same_list(&a->watch_folders, &b->watch_folders, "watch_folders");
    expect_same_list(&a->include, &b->include, "include");
    expect_same_list(&a->exclude, &b->exclude, "exclude");
    cr_expect_eq(a->max_file_size, b->max_file_size, "max_file_size");
    cr_expect_eq(a->hidden, b->hidden, "hidden");
    const fg_analysis_settings_t *x = &a->analysis, *y = &b->analysis;
    cr_expect_str_eq(x->language, y->language, "analysis.language");
    cr_expect_eq(x->stemming, y->stemming, "analysis.stemming");
    cr_expect_eq(x->stopwords, y->stopwords, "analysis.stopwords");
    cr_expect_str_eq(x->stopword_file, y->stopword_file, "analysis.stopword_file");
    cr_expect_eq(x->decompound, y->decompound, "analysis.decompound");
    cr_expect_str_eq(x->dictionary, y->dictionary, "analysis.dictionary");
    cr_expect_eq(x->min_part, y->min_part, "analysis.min_part");
    cr_expect_eq(x->umlauts, y->umlauts, "analysis.umlauts");
    cr_expect_eq(x->gender, y->gender, "analysis.gender");
    cr_expect_eq(x->protected_words, y->protected_words, "analysis.protected_words");
    cr_expect_str_eq(x->protected_file, y->protected_file, "analysis.protected_file");
    cr_expect_eq(x->latin_plurals, y->latin_plurals, "analysis.latin_plurals");
    cr_expect_float_eq(a->bm25_k1, b->bm25_k1, 1e-12, "bm25_k1");
    cr_expect_float_eq(a->bm25_b, b->bm25_b, 1e-12, "bm25_b");
    cr_expect_float_eq(a->weights.exact, b->weights.exact, 1e-12, "weights.exact");
    cr_expect_float_eq(a->weights.stem, b->weights.stem, 1e-12, "weights.stem");
    cr_expect_float_eq(a->weights.title, b->weights.title, 1e-12, "weights.title");
    cr_expect_float_eq(a->weights.lead, b->weights.lead, 1e-12, "weights.lead");
    cr_expect_float_eq(a->weights.part, b->weights.part, 1e-12, "weights.part");
    cr_expect_float_eq(a->weights.qpart, b->weights.qpart, 1e-12, "weights.qpart");
    cr_expect_float_eq(a->weights.weak, b->weights.weak, 1e-12, "weights.weak");
    cr_expect_eq(a->max_wildcard, b->max_wildcard, "max_wildcard");
    cr_expect_eq(a->threads, b->threads, "threads");
    cr_expect_eq(a->commit_interval_ms, b->commit_interval_ms, "commit_interval_ms");
    cr_expect_eq(a->commit_max_age_ms, b->commit_max_age_ms, "commit_max_age_ms");
    cr_expect_eq(a->rescan_interval_s, b->rescan_interval_s, "rescan_interval_s");
    cr_expect_eq(a->extract_timeout_s, b->extract_timeout_s, "extract_timeout_s");
    cr_expect_eq(a->extract_memory_limit, b->extract_memory_limit, "extract_memory_limit");
    cr_expect_eq(a->extract_max_text, b->extract_max_text, "extract_max_text");
    cr_expect_eq(a->extract_max_inflate, b->extract_max_inflate, "extract_max_inflate");
    cr_expect_str_eq(a->web_listen, b->web_listen, "web_listen");
    cr_expect_eq(a->web_threads, b->web_threads, "web_threads");
    cr_expect_eq(a->web_max_connections, b->web_max_connections, "web_max_connections");
    cr_expect_eq(a->web_timeout_s, b->web_timeout_s, "web_timeout_s");
    cr_expect_eq(a->web_max_query, b->web_max_query, "web_max_query");
    cr_expect_eq(a->web_time_limit_ms, b->web_time_limit_ms, "web_time_limit_ms");
    cr_expect_str_eq(a->web_token_file, b->web_token_file, "web_token_file");
    expect_same_list(&a->cluster_shards, &b->cluster_shards, "cluster_shards");
    cr_expect_eq(a->cluster_timeout_ms, b->cluster_timeout_ms, "cluster_timeout_ms");
    cr_expect_eq(a->cluster_connect_timeout_ms, b->cluster_connect_timeout_ms,
                 "cluster_connect_timeout_ms");
    cr_expect_eq(a->cluster_retry_ms, b->cluster_retry_ms, "cluster_retry_ms");
    cr_expect(a->file && b->file, "file: %s, %s", a->file ? a->file : "(null)",
              b->file ? b->file : "(null)");
    if (a->file && b->file)
        cr_expect_str_eq(a->file, b->file, "file");
    cr_expect_eq(a->n_origins, b->n_origins, "n_origins");
    entries_t ea, eb;
    entries_of(a, &ea);
    entries_of(b, &eb);
    cr_expect_eq(ea.n, eb.n, "entries: %zu, expected %zu", ea.n, eb.n);
    for (size_t i = 0; i < ea.n && i < eb.n; i++) {
        cr_expect_str_eq(ea.e[i].section, eb.e[i].section, "entry %zu", i);
        cr_expect_str_eq(ea.e[i].key, eb.e[i].key, "entry %zu", i);
        cr_expect_str_eq(ea.e[i].value, eb.e[i].value, "%s.%s", ea.e[i].section, ea.e[i].key);
        cr_expect_str_eq(ea.e[i].origin, eb.e[i].origin, "origin of %s.%s", ea.e[i].section,
                         ea.e[i].key);
    }
    entries_free(&ea);
    entries_free(&eb);
}

/* Expects no owned pointer of the copy to be shared with the original. */
static void expect_owns_own_memory(const fg_config_t *a, const fg_config_t *b) {
    const fg_strlist_t *la[] = {&a->watch_folders, &a->include, &a->exclude};
    const fg_strlist_t *lb[] = {&b->watch_folders, &b->include, &b->exclude};
    for (size_t l = 0; l < 3; l++) {
        if (la[l]->count)
            cr_expect_neq(la[l]->items, lb[l]->items, "list %zu shared", l);
        for (size_t i = 0; i < la[l]->count && i < lb[l]->count; i++)
            cr_expect_neq(la[l]->items[i], lb[l]->items[i], "list %zu item %zu shared", l, i);
    }
    if (a->file)
        cr_expect_neq(a->file, b->file, "file shared");
    if (a->origins)
        cr_expect_neq(a->origins, b->origins, "origins shared");
}

Test(config, every_key_differs_from_its_default) {
    /* Guards the copy test below: every key must come from the file, with a
     * value other than the default, or a dropped field could go unnoticed. */
    fg_config_t c, def;
    load_every_key(&c);
    cr_assert_eq(fg_config_init(&def), FG_OK);
    entries_t ec, ed;
    entries_of(&c, &ec);
    entries_of(&def, &ed);
    for (size_t i = 0; i < ec.n; i++) {
        cr_expect(strncmp(ec.e[i].origin, c.file, strlen(c.file)) == 0,
                  "%s.%s not set by the file (%s)", ec.e[i].section, ec.e[i].key, ec.e[i].origin);
        for (size_t j = 0; j < ed.n; j++)
            if (strcmp(ec.e[i].section, ed.e[j].section) == 0 &&
                strcmp(ec.e[i].key, ed.e[j].key) == 0)
                cr_expect_str_neq(ec.e[i].value, ed.e[j].value, "%s.%s has its default",
                                  ec.e[i].section, ec.e[i].key);
    }
    /* the fields whose defaults are not told apart by their text above */
    cr_expect_gt(c.watch_folders.count, 1);
    cr_expect_gt(c.include.count, 1);
    cr_expect_gt(c.exclude.count, 1);
    cr_expect_eq(c.cluster_shards.count, 2);
    cr_expect_eq(c.analysis.stopwords, FG_STOPWORDS_FILE);
    entries_free(&ec);
    entries_free(&ed);
    fg_config_free(&def);
    fg_config_free(&c);
}

Test(config, copy_keeps_every_field) {
    fg_config_t c, copy, again;
    load_every_key(&c);
    cr_assert_eq(fg_config_copy(&copy, &c), FG_OK);
    expect_same_config(&copy, &c);
    expect_owns_own_memory(&c, &copy);
    /* the copy lives on without the original, and equals a reload of the file */
    char file[512];
    snprintf(file, sizeof file, "%s", c.file);
    fg_config_free(&c);
    cr_assert_eq(fg_config_init(&again), FG_OK);
    char err[ERRLEN];
    cr_assert_eq(fg_config_load_file(&again, file, err, sizeof err), FG_OK, "%s", err);
    expect_same_config(&copy, &again);
    /* a copy of the copy, after a command-line value, is still the same */
    set_ok(&copy, "daemon", "commit_interval", "41");
    fg_config_t copy2;
    cr_assert_eq(fg_config_copy(&copy2, &copy), FG_OK);
    expect_same_config(&copy2, &copy);
    fg_config_free(&copy2);
    fg_config_free(&again);
    fg_config_free(&copy);
}

/* [web] listen takes HOST:PORT with an IP address or localhost, or
 * unix:PATH; anything else names the key. */
Test(config, web_listen) {
    fg_config_t c;
    char err[ERRLEN];
    cr_assert_eq(fg_config_init(&c), FG_OK);
    cr_assert_str_eq(c.web_listen, "127.0.0.1:8080");
    static const char *const good[] = {"127.0.0.1:0", "localhost:8080", "[::1]:9000",
                                       "0.0.0.0:65535", "unix:/tmp/fg.sock"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        cr_expect_eq(
            fg_config_set(&c, "web", "listen", good[i], FG_CFG_COMMAND_LINE, err, sizeof err),
            FG_OK, "%s: %s", good[i], err);
        cr_expect_str_eq(c.web_listen, good[i]);
    }
    static const char *const bad[] = {
        "8080",     "example.com:80", "127.0.0.1:",  "127.0.0.1:99999",
        "1.2.3:80", "unix:",          "127.0.0.1:8o"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_expect_eq(
            fg_config_set(&c, "web", "listen", bad[i], FG_CFG_COMMAND_LINE, err, sizeof err),
            FG_CONFIG, "%s accepted", bad[i]);
        cr_expect(strstr(err, "listen"), "%s: %s", bad[i], err);
    }
    fg_config_free(&c);
}
