/*
 * test_keys.c - the key table (config/keys.h) against the example file
 * config/fundgrube.conf, which must document exactly the table's keys, and
 * the table's accessors, flags and defaults.
 *
 * The example file's convention: "[section]" headers, then for every key an
 * active "key = value" line with its default; comment lines of the form
 * "#   key = value" show further examples of a key of the current section.
 * Both kinds count as documenting the key.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/config.h"

#ifndef FG_SOURCE_DIR
#error "FG_SOURCE_DIR must be defined by fg_add_test()"
#endif
#define EXAMPLE FG_SOURCE_DIR "/config/fundgrube.conf"

/* A fixed $HOME for the "~" paths of the example (nothing is created). */
static void setup(void) {
    setenv("HOME", "/home/fundgrube-test", 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("FUNDGRUBE_CONFIG");
}

TestSuite(keys, .init = setup);

/* One key line of the example file. */
typedef struct doc_key {
    char section[64];
    char key[64];
    bool active; /* a "key = value" line, not a "#   key = value" example */
    int line;
} doc_key_t;

/* The key lines of the example file. */
typedef struct doc_keys {
    doc_key_t k[256];
    size_t n;
} doc_keys_t;

/*
 * If s (after the comment character, when commented) is "name = ..." with a
 * name of letters, digits and '_', copies the name into key and returns true.
 */
static bool key_line(const char *s, char *key, size_t len) {
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_')
        n++;
    const char *p = s + n;
    while (*p == ' ' || *p == '\t')
        p++;
    if (n == 0 || n >= len || *p != '=')
        return false;
    memcpy(key, s, n);
    key[n] = '\0';
    return true;
}

/* Reads the sections and key lines of the example file into d. */
static void read_example(doc_keys_t *d) {
    FILE *fp = fopen(EXAMPLE, "r");
    cr_assert_not_null(fp, "cannot open %s", EXAMPLE);
    char line[512], section[64] = "";
    int no = 0;
    d->n = 0;
    while (fgets(line, sizeof line, fp)) {
        no++;
        line[strcspn(line, "\r\n")] = '\0';
        char key[64];
        if (line[0] == '[') {
            char *end = strchr(line, ']');
            cr_assert_not_null(end, "line %d: a section header without ']'", no);
            *end = '\0';
            snprintf(section, sizeof section, "%.63s", line + 1);
            continue;
        }
        bool commented = line[0] == '#' || line[0] == ';';
        if (!key_line(commented ? line + 1 : line, key, sizeof key))
            continue;
        if (!section[0]) {
            cr_assert(commented, "line %d: key '%s' before any section", no, key);
            continue; /* the syntax notes at the top */
        }
        cr_assert_lt(d->n, sizeof d->k / sizeof d->k[0]);
        doc_key_t *k = &d->k[d->n++];
        snprintf(k->section, sizeof k->section, "%s", section);
        snprintf(k->key, sizeof k->key, "%s", key);
        k->active = !commented;
        k->line = no;
    }
    fclose(fp);
}

Test(keys, example_documents_exactly_the_table_keys) {
    doc_keys_t d;
    read_example(&d);
    cr_assert_gt(d.n, 0);
    /* no extra: every documented key is a key of the table, in its section */
    for (size_t i = 0; i < d.n; i++) {
        const fg_config_key_t *k = fg_config_key_find(d.k[i].section, d.k[i].key);
        cr_expect_not_null(k, "%s:%d: [%s] %s is not a key of the table", EXAMPLE, d.k[i].line,
                           d.k[i].section, d.k[i].key);
    }
    /* no missing: every key of the table has its active line, once unless a list */
    for (size_t t = 0; t < fg_config_key_count(); t++) {
        const fg_config_key_t *k = fg_config_key(t);
        size_t active = 0;
        for (size_t i = 0; i < d.n; i++)
            if (d.k[i].active && strcasecmp(d.k[i].section, k->section) == 0 &&
                strcasecmp(d.k[i].key, k->name) == 0)
                active++;
        cr_expect_geq(active, 1, "[%s] %s is not documented in %s", k->section, k->name, EXAMPLE);
        if (!k->repeatable)
            cr_expect_leq(active, 1, "[%s] %s is set more than once", k->section, k->name);
    }
}

Test(keys, example_loads_without_error) {
    fg_config_t c;
    char err[1024];
    cr_assert_eq(fg_config_init(&c), FG_OK);
    cr_assert_eq(fg_config_load_file(&c, EXAMPLE, err, sizeof err), FG_OK, "%s", err);
    fg_config_free(&c);
}

Test(keys, accessors) {
    size_t n = fg_config_key_count();
    cr_assert_gt(n, 0);
    cr_expect_null(fg_config_key(n));
    for (size_t i = 0; i < n; i++) {
        const fg_config_key_t *k = fg_config_key(i);
        cr_assert_not_null(k);
        cr_expect(k->section && *k->section && k->name && *k->name);
        cr_expect(k->doc && *k->doc, "[%s] %s has no doc line", k->section, k->name);
        cr_expect_eq(fg_config_key_find(k->section, k->name), k, "%s.%s", k->section, k->name);
    }
    cr_expect_eq(fg_config_key_find("WATCH", "Include"), fg_config_key_find("watch", "include"));
    cr_expect_null(fg_config_key_find("watch", "nope"));
    cr_expect_null(fg_config_key_find("index", "max_file_size"));
    cr_expect_null(fg_config_key_find(NULL, "path"));
    cr_expect_null(fg_config_key_find("index", NULL));
}

Test(keys, flags) {
    for (size_t i = 0; i < fg_config_key_count(); i++) {
        const fg_config_key_t *k = fg_config_key(i);
        bool list = (strcmp(k->section, "watch") == 0 &&
                     (strcmp(k->name, "folder") == 0 || strcmp(k->name, "include") == 0 ||
                      strcmp(k->name, "exclude") == 0)) ||
                    (strcmp(k->section, "cluster") == 0 && strcmp(k->name, "shards") == 0);
        cr_expect_eq(k->repeatable, list, "%s.%s repeatable", k->section, k->name);
        /* the settings the CLI hands the plugin: [ranking], [search], the
         * size limit the plugin re-reads files for snippets with and the
         * shards it searches ([cluster]) */
        bool search = strcmp(k->section, "ranking") == 0 || strcmp(k->section, "search") == 0 ||
                      strcmp(k->section, "cluster") == 0 ||
                      (strcmp(k->section, "watch") == 0 && strcmp(k->name, "max_file_size") == 0);
        cr_expect_eq(k->search, search, "%s.%s search", k->section, k->name);
    }
}

/* fg_config_foreach() callback: appends section.key to the list in ctx
 * unless it is the last one there (a list reports a key once per item). */
static void collect(void *ctx, const char *section, const char *key, const char *value,
                    const char *origin) {
    char(*names)[128] = ctx;
    (void)value, (void)origin;
    char name[128];
    snprintf(name, sizeof name, "%s.%s", section, key);
    size_t n = 0;
    while (names[n][0])
        n++;
    if (n == 0 || strcmp(names[n - 1], name) != 0)
        snprintf(names[n], sizeof names[n], "%s", name);
}

Test(keys, foreach_follows_the_table) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    static char names[256][128];
    memset(names, 0, sizeof names);
    fg_config_foreach(&c, collect, names);
    size_t n = fg_config_key_count();
    for (size_t i = 0; i < n; i++) {
        char want[128];
        snprintf(want, sizeof want, "%s.%s", fg_config_key(i)->section, fg_config_key(i)->name);
        cr_expect_str_eq(names[i], want);
    }
    cr_expect_eq(names[n][0], '\0');
    fg_config_free(&c);
}

Test(keys, table_defaults_agree_with_the_analysis_and_weights) {
    fg_config_t c;
    cr_assert_eq(fg_config_init(&c), FG_OK);
    fg_analysis_settings_t a;
    fg_analysis_settings_default(&a);
    const fg_analysis_settings_t *x = &c.analysis;
    cr_expect_str_eq(x->language, a.language);
    cr_expect_eq(x->stemming, a.stemming);
    cr_expect_eq(x->stopwords, a.stopwords);
    cr_expect_eq(x->decompound, a.decompound);
    cr_expect_str_eq(x->dictionary, a.dictionary);
    cr_expect_eq(x->min_part, a.min_part);
    cr_expect_eq(x->umlauts, a.umlauts);
    cr_expect_eq(x->gender, a.gender);
    cr_expect_eq(x->protected_words, a.protected_words);
    cr_expect_str_eq(x->protected_file, a.protected_file);
    cr_expect_eq(x->latin_plurals, a.latin_plurals);
    fg_rank_weights_t w;
    fg_rank_weights_default(&w);
    cr_expect_eq(w.exact, 1.0);
    cr_expect_eq(w.stem, 1.0);
    cr_expect_eq(w.title, 0.5);
    cr_expect_eq(w.lead, 1.0);
    cr_expect_eq(w.part, 0.5);
    cr_expect_eq(w.qpart, 0.5);
    cr_expect_eq(w.weak, 0.3);
    cr_expect_eq(memcmp(&w, &c.weights, sizeof w), 0);
    fg_config_free(&c);
}
