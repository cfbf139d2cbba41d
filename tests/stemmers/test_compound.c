/*
 * test_compound.c - German compound splitting (stemmers/compound.c,
 * compound_dict.c and the part tokens of fg_analyze()): the gold list
 * tests/stemmers/compounds-gold.tsv (precision and recall >= 0.95), the
 * examples of the issue, offsets, the settings that turn splitting off,
 * dictionary files, and the dictionary's size (its speed:
 * bench/compound-speed).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "stemmers/compound.h"
#include "stemmers/internal.h"

/* Opens the built-in dictionary, asserting success. */
static fg_compound_dict_t *builtin(void) {
    fg_compound_dict_t *d = NULL;
    char err[512] = "";
    fg_status_t st = fg_compound_dict_builtin(&d, err, sizeof err);
    cr_assert_eq(st, FG_OK, "built-in dictionary: %s", err);
    return d;
}

/* Writes the split of the folded word w as "a+b+c" (lemmas) into out;
 * returns the number of parts. */
static size_t split_str(const fg_compound_dict_t *d, const char *w, size_t len, char *out,
                        size_t outlen) {
    fg_compound_part_t p[FG_COMPOUND_MAX_PARTS];
    size_t k = fg_compound_split(d, w, len, 3, p);
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        int n = snprintf(out + o, outlen - o, "%s%.*s%s", i ? "+" : "", (int)p[i].used,
                         w + p[i].off, p[i].add_e ? "e" : "");
        cr_assert(n > 0 && (size_t)n < outlen - o);
        o += (size_t)n;
        cr_assert_eq(p[i].end, i + 1 < k ? p[i + 1].off : len);
        cr_assert_leq(p[i].used, p[i].end - p[i].off);
    }
    return k;
}

/* The gold list: every compound split exactly as listed, no non-compound
 * split; precision = correct splits / splits made, recall = correct splits /
 * compounds. */
Test(compound, gold_list_precision_recall) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/stemmers/compounds-gold.tsv", FG_SOURCE_DIR);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "cannot open %s", path);
    fg_compound_dict_t *d = builtin();
    fg_buf_t word = {0}, gold = {0};
    char line[512], got[512];
    size_t compounds = 0, others = 0, correct = 0, splits = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        cr_assert_eq(fg_fold_string(&word, line, strlen(line)), FG_OK);
        cr_assert_eq(fg_fold_string(&gold, tab + 1, strlen(tab + 1)), FG_OK);
        size_t k = split_str(d, word.p, word.len, got, sizeof got);
        if (gold.len)
            compounds++;
        else
            others++;
        if (k) {
            splits++;
            if (gold.len && strcmp(got, gold.p) == 0)
                correct++;
            else
                cr_log_info("wrong split: %s -> %s (gold: %s)", word.p, got,
                            gold.len ? gold.p : "whole");
        } else if (gold.len) {
            cr_log_info("not split: %s (gold: %s)", word.p, gold.p);
        }
    }
    fclose(f);
    fg_buf_free(&word);
    fg_buf_free(&gold);
    fg_compound_dict_free(d);
    double precision = splits ? (double)correct / (double)splits : 0;
    double recall = compounds ? (double)correct / (double)compounds : 0;
    fprintf(stderr,
            "compound gold list: %zu compounds, %zu non-compounds; %zu splits made, %zu correct; "
            "precision %.3f, recall %.3f\n",
            compounds, others, splits, correct, precision, recall);
    cr_assert_geq(compounds, 300);
    cr_assert_geq(others, 100);
    cr_assert_geq(precision, 0.95);
    cr_assert_geq(recall, 0.95);
}

/* Asserts that the tokens t[from..] are exactly the word and its parts. */
static void expect_split(const toks_t *t, const char *word, const char *const *parts,
                         size_t nparts) {
    cr_assert_eq(t->n, 1 + nparts, "%s: %zu tokens", word, t->n);
    cr_assert_str_eq(t->t[0].term, word);
    cr_assert_eq(t->t[0].flags & FG_TOKEN_COMPOUND_PART, 0);
    for (size_t i = 0; i < nparts; i++) {
        const tok_t *p = &t->t[1 + i];
        cr_assert_str_eq(p->term, parts[i]);
        cr_assert(p->flags & FG_TOKEN_COMPOUND_PART);
        cr_assert_eq(p->position, t->t[0].position);
        cr_assert(p->has_stem);
    }
}

/* The three examples of the issue, through fg_analyze() with the defaults. */
Test(compound, issue_examples) {
    fg_analyzer_t *a = new_analyzer(NULL);
    toks_t *t = calloc(1, sizeof *t);
    cr_assert_eq(analyze(a, "Partnerschaftsformat", t, NULL), 0);
    expect_split(t, "partnerschaftsformat", (const char *[]){"partnerschaft", "format"}, 2);
    /* offsets: "Partnerschaft" (without the Fuge) and "format" */
    cr_assert_eq(t->t[1].offset, 0);
    cr_assert_eq(t->t[1].length, 13);
    cr_assert_eq(t->t[2].offset, 14);
    cr_assert_eq(t->t[2].length, 6);
    cr_assert_str_eq(t->t[2].stem, "format");

    memset(t, 0, sizeof *t);
    cr_assert_eq(analyze(a, "Außenministerien", t, NULL), 0);
    expect_split(t, "aussenministerien", (const char *[]){"aussen", "ministerien"}, 2);
    cr_assert_eq(t->t[1].offset, 0);
    cr_assert_eq(t->t[1].length, 6); /* "Außen": ß is two bytes and folds to "ss" */
    cr_assert_eq(t->t[2].offset, 6);
    cr_assert_eq(t->t[2].length, 11);

    memset(t, 0, sizeof *t);
    cr_assert_eq(analyze(a, "Verzeichnisinhalte", t, NULL), 0);
    expect_split(t, "verzeichnisinhalte", (const char *[]){"verzeichnis", "inhalte"}, 2);
    free(t);
    fg_analyzer_free(a);
}

/* Parts keep the compound's position inside a sentence; traps stay whole. */
Test(compound, positions_and_traps) {
    fg_analyzer_t *a = new_analyzer(NULL);
    toks_t *t = calloc(1, sizeof *t);
    uint32_t next;
    cr_assert_eq(analyze(a, "Das Arbeitsamt und der Urinstinkt der Mitgliedschaft", t, &next), 0);
    cr_assert_eq(next, 7);
    size_t parts = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!(t->t[i].flags & FG_TOKEN_COMPOUND_PART))
            continue;
        parts++;
        cr_assert_eq(t->t[i].position, 1);
    }
    cr_assert_eq(parts, 2);
    cr_assert_str_eq(t->t[2].term, "arbeit");
    cr_assert_str_eq(t->t[3].term, "amt");
    cr_assert_eq(t->t[3].offset, 11); /* "Das Arbeits" */
    free(t);
    fg_analyzer_free(a);
}

/* Hyphen parts are split too; parts that are compounds give their own parts;
 * offsets of a part after "ß" are right. */
Test(compound, hyphens_nested_and_eszett) {
    fg_analyzer_t *a = new_analyzer(NULL);
    toks_t *t = calloc(1, sizeof *t);
    cr_assert_eq(analyze(a, "Festplatten-Partitionstabelle", t, NULL), 0);
    bool partition = false, tabelle = false;
    for (size_t i = 0; i < t->n; i++) {
        if (!(t->t[i].flags & FG_TOKEN_COMPOUND_PART))
            continue;
        if (strcmp(t->t[i].term, "partition") == 0) {
            partition = true;
            cr_assert_eq(t->t[i].position, 1);
            cr_assert_eq(t->t[i].offset, 12);
            cr_assert_eq(t->t[i].length, 9);
        }
        if (strcmp(t->t[i].term, "tabelle") == 0) {
            tabelle = true;
            cr_assert_eq(t->t[i].position, 1);
            cr_assert_eq(t->t[i].offset, 22);
        }
    }
    cr_assert(partition && tabelle);

    memset(t, 0, sizeof *t);
    cr_assert_eq(analyze(a, "Fußballspieler", t, NULL), 0);
    bool spieler = false;
    for (size_t i = 0; i < t->n; i++) {
        if (strcmp(t->t[i].term, "spieler") == 0) {
            spieler = true;
            cr_assert_eq(t->t[i].offset, 8); /* F u ß(2) b a l l */
            cr_assert_eq(t->t[i].length, 7);
        }
        if (strcmp(t->t[i].term, "fussball") == 0 && (t->t[i].flags & FG_TOKEN_COMPOUND_PART)) {
            cr_assert_eq(t->t[i].offset, 0);
            cr_assert_eq(t->t[i].length, 8);
        }
    }
    cr_assert(spieler);
    free(t);
    fg_analyzer_free(a);
}

/* No parts when decompounding is off, for English, for short words, and
 * when min_part is larger than the parts. */
Test(compound, settings_turn_it_off) {
    const char *text = "Partnerschaftsformat Außenministerien";
    fg_analysis_settings_t s;
    toks_t *t = calloc(1, sizeof *t);
    for (int c = 0; c < 3; c++) {
        fg_analysis_settings_default(&s);
        if (c == 0)
            s.decompound = false;
        else if (c == 1)
            snprintf(s.language, sizeof s.language, "english");
        else
            s.min_part = 7; /* "format", "aussen" have 6 characters */
        fg_analyzer_t *a = new_analyzer(&s);
        memset(t, 0, sizeof *t);
        cr_assert_eq(analyze(a, text, t, NULL), 0);
        for (size_t i = 0; i < t->n; i++)
            cr_assert_eq(t->t[i].flags & FG_TOKEN_COMPOUND_PART, 0, "case %d: %s", c, t->t[i].term);
        fg_analyzer_free(a);
    }
    free(t);
}

/* An explicit dictionary: a word list is compiled in memory; an unreadable
 * path is FG_IO naming the path. */
Test(compound, explicit_dictionary) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    snprintf(s.dictionary, sizeof s.dictionary, "/nonexistent/fundgrube/woerter");
    fg_analyzer_t *a = NULL;
    char err[512] = "";
    cr_assert_eq(fg_analyzer_new(&s, &a, err, sizeof err), FG_IO);
    cr_assert_null(a);
    cr_assert_not_null(strstr(err, "/nonexistent/fundgrube/woerter"), "%s", err);

    char *path = temp_file("Kartoffel\nKartoffelkiste\nKartoffelbrei\nKiste\nBrei\nHolz\n"
                           "Schublade\nHolzschublade\nEiche\nEichenschublade\n");
    snprintf(s.dictionary, sizeof s.dictionary, "%s", path);
    a = new_analyzer(&s);
    toks_t *t = calloc(1, sizeof *t);
    cr_assert_eq(analyze(a, "Kartoffelschublade", t, NULL), 0);
    expect_split(t, "kartoffelschublade", (const char *[]){"kartoffel", "schublade"}, 2);
    free(t);
    fg_analyzer_free(a);
    unlink(path);
    free(path);
}

/* The compiled dictionary is large enough and small enough, and splits
 * the sample.  (How fast it opens and splits: bench/compound-speed.) */
Test(compound, size) {
    fg_compound_dict_t *d = builtin();
    size_t bytes = fg_compound_dict_bytes(d);
    size_t words = fg_compound_dict_size(d);
    static const char *const sample[] = {"festplattenpartitionstabelle",
                                         "verzeichnishierarchie",
                                         "sitzungsschlüsselbund",
                                         "zeilendrucker",
                                         "archivierungswerkzeug",
                                         "namensräume",
                                         "bundesverfassungsgericht",
                                         "donaudampfschifffahrt",
                                         "mitgliedschaft",
                                         "urinstinkt",
                                         "krankenversicherung",
                                         "konfigurationsdatei",
                                         "umgebungsvariablen",
                                         "arbeitsamt",
                                         "zeitung",
                                         "haustür"};
    size_t n = sizeof sample / sizeof sample[0];
    fg_compound_part_t p[FG_COMPOUND_MAX_PARTS];
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += fg_compound_split(d, sample[i], strlen(sample[i]), 3, p);
    fg_compound_dict_free(d);
    cr_assert_gt(total, 0);
    cr_assert_gt(words, 100000);
    cr_assert_leq(bytes, 30u * 1000 * 1000);
}
