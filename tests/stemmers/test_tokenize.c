/*
 * test_tokenize.c - fg_analyze(): token boundaries, offsets, positions,
 * numbers, apostrophes, hyphens, folding, stems, stop words.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "stemmers/internal.h"

static toks_t k; /* large: not on the stack */

/* Asserts token i's term, offset, length, position and flags. */
static void expect(size_t i, const char *term, size_t offset, size_t length, uint32_t position,
                   unsigned flags) {
    cr_assert_lt(i, k.n, "token %zu missing (%zu tokens)", i, k.n);
    const tok_t *t = &k.t[i];
    cr_assert_str_eq(t->term, term, "token %zu", i);
    cr_assert_eq(t->offset, offset, "token %zu '%s' offset %zu, want %zu", i, term, t->offset,
                 offset);
    cr_assert_eq(t->length, length, "token %zu '%s' length %zu, want %zu", i, term, t->length,
                 length);
    cr_assert_eq(t->position, position, "token %zu '%s' position %u, want %u", i, term, t->position,
                 position);
    cr_assert_eq(t->flags, flags, "token %zu '%s' flags %#x, want %#x", i, term, t->flags, flags);
}

/* Asserts that text yields exactly the listed terms (NULL-terminated). */
static void terms(fg_analyzer_t *a, const char *text, const char *const *want) {
    analyze(a, text, &k, NULL);
    size_t n = 0;
    for (; want[n]; n++) {
        cr_assert_lt(n, k.n, "'%s': token %zu ('%s') missing", text, n, want[n]);
        cr_assert_str_eq(k.t[n].term, want[n], "'%s': token %zu", text, n);
    }
    cr_assert_eq(k.n, n, "'%s': %zu tokens, want %zu", text, k.n, n);
}

#define TERMS(a, text, ...)                                                                        \
    do {                                                                                           \
        const char *const want_[] = {__VA_ARGS__, NULL};                                           \
        terms(a, text, want_);                                                                     \
    } while (0)

Test(tokenize, offsets_lengths_positions) {
    fg_analyzer_t *a = new_analyzer(NULL);
    /* "Die Straße ist  3,5 km lang." ; ß is two bytes */
    const char *text = "Die Stra\xc3\x9f"
                       "e ist  3,5 km lang.";
    uint32_t next = 0;
    memset(&k, 0, sizeof k);
    cr_assert_eq(fg_analyze(a, text, strlen(text), 10, collect, &k, &next), 0);
    expect(0, "die", 0, 3, 10, FG_TOKEN_STOP);
    expect(1, "strasse", 4, 7, 11, 0);
    expect(2, "ist", 12, 3, 12, FG_TOKEN_STOP);
    expect(3, "3,5", 17, 3, 13, FG_TOKEN_NUMBER);
    expect(4, "km", 21, 2, 14, 0);
    expect(5, "lang", 24, 4, 15, 0);
    cr_assert_eq(k.n, 6);
    cr_assert_eq(next, 16);
    cr_assert_not(k.t[3].has_stem);
    cr_assert(k.t[1].has_stem);
    fg_analyzer_free(a);
}

Test(tokenize, empty_and_separators_only) {
    fg_analyzer_t *a = new_analyzer(NULL);
    uint32_t next = 0;
    memset(&k, 0, sizeof k);
    cr_assert_eq(fg_analyze(a, "", 0, 5, collect, &k, &next), 0);
    cr_assert_eq(k.n, 0);
    cr_assert_eq(next, 5);
    cr_assert_eq(analyze(a, " ...  -- ,,; \xe2\x80\x9e\xe2\x80\x9c ", &k, &next), 0);
    cr_assert_eq(k.n, 0);
    cr_assert_eq(next, 0);
    fg_analyzer_free(a);
}

Test(tokenize, numbers) {
    fg_analyzer_t *a = new_analyzer(NULL);
    TERMS(a, "3,5 24.12.2024 1.000.000 0,5%", "3,5", "24.12.2024", "1.000.000", "0,5");
    for (size_t i = 0; i < k.n; i++) {
        cr_assert_eq(k.t[i].flags, FG_TOKEN_NUMBER, "%s", k.t[i].term);
        cr_assert_not(k.t[i].has_stem);
    }
    /* a sentence-final period or comma is not part of a number */
    analyze(a, "Im Jahr 2023. Dann 7, 8.", &k, NULL);
    cr_assert_eq(k.n, 6);
    expect(2, "2023", 8, 4, 2, FG_TOKEN_NUMBER);
    expect(4, "7", 19, 1, 4, FG_TOKEN_NUMBER);
    expect(5, "8", 22, 1, 5, FG_TOKEN_NUMBER);
    /* doubled separators split; a leading separator is not part of it */
    TERMS(a, "1..2 ,5 1,,2", "1", "2", "5", "1", "2");
    /* separators only join digits when the word is a number so far */
    TERMS(a, "v1.2 x86_64", "v1", "2", "x86", "64");
    /* mixed words are words, stemmed */
    analyze(a, "mp3", &k, NULL);
    expect(0, "mp3", 0, 3, 0, 0);
    cr_assert(k.t[0].has_stem);
    /* non-ASCII decimal digits (Arabic-Indic) are digits too */
    analyze(a, "\xd9\xa1\xd9\xa2", &k, NULL);
    expect(0, "\xd9\xa1\xd9\xa2", 0, 4, 0, FG_TOKEN_NUMBER);
    fg_analyzer_free(a);
}

Test(tokenize, apostrophes) {
    fg_analyzer_t *a = new_analyzer(NULL);
    analyze(a, "geht's gut", &k, NULL);
    expect(0, "geht's", 0, 6, 0, 0);
    expect(1, "gut", 7, 3, 1, 0);
    /* U+2019 inside a word: kept, folded to ' */
    analyze(a, "Geht\xe2\x80\x99s", &k, NULL);
    expect(0, "geht's", 0, 8, 0, 0);
    /* quotes around a word, or an apostrophe not between letters */
    TERMS(a, "'zitiert' 80's Anna' \xe2\x80\x99n", "zitiert", "80", "s", "anna", "n");
    fg_analyzer_free(a);
}

Test(tokenize, hyphenated_words) {
    fg_analysis_settings_t plain;
    plain_settings(&plain); /* no compound parts (test_compound.c has those) */
    fg_analyzer_t *a = new_analyzer(&plain);
    uint32_t next = 0;
    analyze(a, "E-Mail senden", &k, &next);
    cr_assert_eq(k.n, 4);
    expect(0, "e", 0, 1, 0, FG_TOKEN_PART);
    expect(1, "email", 0, 6, 0, FG_TOKEN_JOINED);
    expect(2, "mail", 2, 4, 1, FG_TOKEN_PART);
    expect(3, "senden", 7, 6, 2, 0);
    cr_assert_eq(next, 3);

    analyze(a, "Format Zentralasien-Deutschland", &k, NULL);
    cr_assert_eq(k.n, 4);
    expect(0, "format", 0, 6, 0, 0);
    expect(1, "zentralasien", 7, 12, 1, FG_TOKEN_PART);
    expect(2, "zentralasiendeutschland", 7, 24, 1, FG_TOKEN_JOINED);
    expect(3, "deutschland", 20, 11, 2, FG_TOKEN_PART);
    cr_assert_str_eq(k.t[3].stem, "deutschland");

    /* three parts; U+2011 (non-breaking hyphen) and U+2010 count too */
    analyze(a, "Ost-West\xe2\x80\x91Konflikt\xe2\x80\x90Zone", &k, NULL);
    cr_assert_eq(k.n, 5);
    expect(0, "ost", 0, 3, 0, FG_TOKEN_PART);
    expect(1, "ostwestkonfliktzone", 0, 26, 0, FG_TOKEN_JOINED);
    expect(2, "west", 4, 4, 1, FG_TOKEN_PART);
    expect(3, "konflikt", 11, 8, 2, FG_TOKEN_PART);
    expect(4, "zone", 22, 4, 3, FG_TOKEN_PART);

    /* numbers as parts */
    analyze(a, "COVID-19 2024-07", &k, NULL);
    cr_assert_eq(k.n, 6);
    expect(0, "covid", 0, 5, 0, FG_TOKEN_PART);
    expect(1, "covid19", 0, 8, 0, FG_TOKEN_JOINED);
    expect(2, "19", 6, 2, 1, FG_TOKEN_PART | FG_TOKEN_NUMBER);
    expect(3, "2024", 9, 4, 2, FG_TOKEN_PART | FG_TOKEN_NUMBER);
    expect(4, "202407", 9, 7, 2, FG_TOKEN_JOINED | FG_TOKEN_NUMBER);
    expect(5, "07", 14, 2, 3, FG_TOKEN_PART | FG_TOKEN_NUMBER);
    fg_analyzer_free(a);
}

Test(tokenize, hyphens_not_between_words) {
    fg_analysis_settings_t plain;
    plain_settings(&plain); /* no variant tokens */
    fg_analyzer_t *a = new_analyzer(&plain);
    analyze(a, "B\xc3\xbcrger- und -innen", &k, NULL);
    cr_assert_eq(k.n, 3);
    expect(0, "b\xc3\xbcrger", 0, 7, 0, 0);
    expect(1, "und", 9, 3, 1, FG_TOKEN_STOP);
    expect(2, "innen", 14, 5, 2, 0);
    TERMS(a, "a--b c - d e-", "a", "b", "c", "d", "e");
    TERMS(a, "-5", "5");
    fg_analyzer_free(a);
}

Test(tokenize, case_folding) {
    fg_analysis_settings_t plain;
    plain_settings(&plain); /* no variant tokens */
    fg_analyzer_t *a = new_analyzer(&plain);
    TERMS(a,
          "Stra\xc3\x9f"
          "e STRASSE \xc3\x84RGER \xe1\xba\x9e",
          "strasse", "strasse", "\xc3\xa4rger", "ss");
    /* Greek final sigma folds to sigma */
    TERMS(a, "\xce\x9f\xce\xb4\xcf\x8c\xcf\x82", "\xce\xbf\xce\xb4\xcf\x8c\xcf\x83");
    fg_analyzer_free(a);
}

Test(tokenize, capitalised_stems_alike) {
    fg_analyzer_t *a = new_analyzer(NULL);
    analyze(a, "Partnerschaften partnerschaften PARTNERSCHAFTEN", &k, NULL);
    cr_assert_eq(k.n, 3);
    cr_assert_str_eq(k.t[0].stem, "partnerschaft");
    cr_assert_str_eq(k.t[1].stem, k.t[0].stem);
    cr_assert_str_eq(k.t[2].stem, k.t[0].stem);
    analyze(a,
            "Stra\xc3\x9f"
            "en strassen",
            &k, NULL);
    cr_assert_str_eq(k.t[0].stem, k.t[1].stem);
    fg_analyzer_free(a);
}

Test(tokenize, combining_marks_and_soft_hyphens) {
    fg_analyzer_t *a = new_analyzer(NULL);
    /* not NFC (decomposed ü): the mark stays in the word */
    analyze(a, "Mu\xcc\x88ller x", &k, NULL);
    cr_assert_eq(k.n, 2);
    expect(0, "mu\xcc\x88ller", 0, 8, 0, 0);
    /* a leading mark is no word */
    TERMS(a,
          "\xcc\x88"
          "a",
          "a");
    /* soft hyphen inside a word: skipped in the term, kept in the span */
    analyze(a,
            "Bin\xc2\xad"
            "dung",
            &k, NULL);
    cr_assert_eq(k.n, 1);
    expect(0, "bindung", 0, 9, 0, 0);
    fg_analyzer_free(a);
}

Test(tokenize, invalid_utf8_separates) {
    fg_analyzer_t *a = new_analyzer(NULL);
    analyze(a,
            "ab\xff"
            "cd\xc3",
            &k, NULL);
    cr_assert_eq(k.n, 2);
    expect(0, "ab", 0, 2, 0, 0);
    expect(1, "cd", 3, 2, 1, 0);
    fg_analyzer_free(a);
}

Test(tokenize, stop_words_default) {
    fg_analyzer_t *a = new_analyzer(NULL);
    analyze(a,
            "Der Hund und die Katze, da\xc3\x9f \xc3\xbc"
            "ber",
            &k, NULL);
    cr_assert_eq(k.n, 7);
    cr_assert_eq(k.t[0].flags, FG_TOKEN_STOP);
    cr_assert_eq(k.t[1].flags, 0);
    cr_assert_eq(k.t[2].flags, FG_TOKEN_STOP);
    cr_assert_eq(k.t[3].flags, FG_TOKEN_STOP);
    cr_assert_eq(k.t[4].flags, 0);
    cr_assert_eq(k.t[5].flags, FG_TOKEN_STOP, "daß folds to dass, which is listed");
    cr_assert_eq(k.t[6].flags, FG_TOKEN_STOP);
    /* stop words still have stems */
    cr_assert(k.t[0].has_stem);
    cr_assert(fg_analyzer_is_stopword(a, "und", 3));
    cr_assert(fg_analyzer_is_stopword(a, "dass", 4));
    cr_assert_not(fg_analyzer_is_stopword(a, "hund", 4));
    cr_assert_not(fg_analyzer_is_stopword(a, "un", 2));
    fg_analyzer_free(a);
}

Test(tokenize, builtin_lists) {
    const char *const *w;
    cr_assert_eq(fg_stopwords_builtin("german", &w), 231);
    cr_assert_eq(fg_stopwords_builtin("english", &w), 174);
    cr_assert_eq(fg_stopwords_builtin("porter", &w), 174);
    cr_assert_eq(fg_stopwords_builtin("french", &w), 0);
    cr_assert_null(w);
}

Test(tokenize, stop_words_off_and_other_language) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    s.stopwords = FG_STOPWORDS_OFF;
    fg_analyzer_t *a = new_analyzer(&s);
    analyze(a, "und der", &k, NULL);
    cr_assert_eq(k.n, 2);
    cr_assert_eq(k.t[0].flags, 0);
    cr_assert_eq(k.t[1].flags, 0);
    fg_analyzer_free(a);
    /* a language without a built-in list: default means none */
    fg_analysis_settings_default(&s);
    snprintf(s.language, sizeof s.language, "french");
    a = new_analyzer(&s);
    analyze(a, "le chat et les chiens", &k, NULL);
    cr_assert_eq(k.n, 5);
    for (size_t i = 0; i < k.n; i++)
        cr_assert_eq(k.t[i].flags, 0);
    cr_assert_str_eq(k.t[4].stem, "chien");
    fg_analyzer_free(a);
}

Test(tokenize, stop_word_file) {
    char *path = temp_file("| a Snowball-style list\n"
                           "haus           | house\n"
                           "BAUM\n"
                           "  Stra\xc3\x9f"
                           "e|street\n"
                           "| und\n"
                           "\n"
                           "zwei drei\n");
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    s.stopwords = FG_STOPWORDS_FILE;
    snprintf(s.stopword_file, sizeof s.stopword_file, "%s", path);
    fg_analyzer_t *a = new_analyzer(&s);
    analyze(a, "Haus Baum Strasse und zwei drei vier", &k, NULL);
    cr_assert_eq(k.n, 7);
    unsigned want[] = {
        FG_TOKEN_STOP, FG_TOKEN_STOP, FG_TOKEN_STOP, 0, FG_TOKEN_STOP, FG_TOKEN_STOP, 0};
    for (size_t i = 0; i < 7; i++)
        cr_assert_eq(k.t[i].flags, want[i], "%s", k.t[i].term);
    fg_analyzer_free(a);
    unlink(path);
    free(path);
}

Test(tokenize, stop_word_file_unreadable) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    s.stopwords = FG_STOPWORDS_FILE;
    snprintf(s.stopword_file, sizeof s.stopword_file, "/nonexistent/fg-stop.txt");
    fg_analyzer_t *a = (fg_analyzer_t *)&s;
    char err[256] = "";
    cr_assert_eq(fg_analyzer_new(&s, &a, err, sizeof err), FG_IO);
    cr_assert_null(a);
    cr_assert_not_null(strstr(err, "/nonexistent/fg-stop.txt"), "err: %s", err);
}

Test(tokenize, stemming_off) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    s.stemming = false;
    fg_analyzer_t *a = new_analyzer(&s);
    analyze(a, "Partnerschaften und E-Mail", &k, NULL);
    cr_assert_eq(k.n, 5);
    for (size_t i = 0; i < k.n; i++)
        cr_assert_not(k.t[i].has_stem, "%s", k.t[i].term);
    cr_assert_eq(k.t[1].flags, FG_TOKEN_STOP);
    const char *folded = NULL, *stem = "x";
    cr_assert_eq(fg_analyzer_word(a, "Häuser", strlen("Häuser"), &folded, &stem), FG_OK);
    cr_assert_str_eq(folded, "häuser");
    cr_assert_null(stem);
    fg_analyzer_free(a);
}

Test(tokenize, unknown_language) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    snprintf(s.language, sizeof s.language, "klingon");
    fg_analyzer_t *a = NULL;
    char err[512] = "";
    cr_assert_eq(fg_analyzer_new(&s, &a, err, sizeof err), FG_INVALID);
    cr_assert_null(a);
    cr_assert_not_null(strstr(err, "klingon"), "err: %s", err);
    /* also with stemming off: the language is still checked */
    s.stemming = false;
    cr_assert_eq(fg_analyzer_new(&s, &a, err, sizeof err), FG_INVALID);
    snprintf(s.language, sizeof s.language, "%s", "");
    cr_assert_eq(fg_analyzer_new(&s, &a, NULL, 0), FG_INVALID);
}

Test(tokenize, language_aliases) {
    const char *names[] = {"German", "de", "DEU", "ger"};
    for (size_t i = 0; i < 4; i++) {
        fg_analysis_settings_t s;
        fg_analysis_settings_default(&s);
        snprintf(s.language, sizeof s.language, "%s", names[i]);
        fg_analyzer_t *a = new_analyzer(&s);
        analyze(a, "Partnerschaften und", &k, NULL);
        cr_assert_str_eq(k.t[0].stem, "partnerschaft", "%s", names[i]);
        cr_assert_eq(k.t[1].flags, FG_TOKEN_STOP, "%s", names[i]);
        fg_analyzer_free(a);
    }
    char out[FG_LANGUAGE_MAX];
    cr_assert(fg_language_canonical("EN", out));
    cr_assert_str_eq(out, "english");
    cr_assert_not(fg_language_canonical("xx", out));
}

Test(tokenize, english) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    snprintf(s.language, sizeof s.language, "english");
    fg_analyzer_t *a = new_analyzer(&s);
    analyze(a, "The dogs don\xe2\x80\x99t like running", &k, NULL);
    cr_assert_eq(k.n, 5);
    expect(0, "the", 0, 3, 0, FG_TOKEN_STOP);
    cr_assert_str_eq(k.t[1].stem, "dog");
    expect(2, "don't", 9, 7, 2, FG_TOKEN_STOP);
    cr_assert_str_eq(k.t[3].stem, "like");
    cr_assert_str_eq(k.t[4].stem, "run");
    fg_analyzer_free(a);
}

Test(tokenize, analyzer_word) {
    fg_analyzer_t *a = new_analyzer(NULL);
    const char *folded = NULL, *stem = NULL;
    cr_assert_eq(fg_analyzer_word(a, "H\xc3\xa4user", 7, &folded, &stem), FG_OK);
    cr_assert_str_eq(folded, "h\xc3\xa4user");
    cr_assert_str_eq(stem, "haus");
    cr_assert_eq(fg_analyzer_word(a, "STRASSE", 7, &folded, &stem), FG_OK);
    cr_assert_str_eq(folded, "strasse");
    /* the same as fg_analyze() gives */
    analyze(a,
            "Stra\xc3\x9f"
            "e",
            &k, NULL);
    cr_assert_str_eq(k.t[0].stem, stem);
    cr_assert_eq(fg_analyzer_word(a, "", 0, &folded, &stem), FG_OK);
    cr_assert_str_eq(folded, "");
    fg_analyzer_free(a);
}

Test(tokenize, callback_stops) {
    fg_analyzer_t *a = new_analyzer(NULL);
    uint32_t next = 0;
    memset(&k, 0, sizeof k);
    k.stop_after = 2;
    cr_assert_eq(analyze(a, "eins zwei drei vier", &k, &next), 7);
    cr_assert_eq(k.n, 2);
    cr_assert_eq(next, 2);
    k.stop_after = 0;
    fg_analyzer_free(a);
}

/* A callback that calls fg_analyzer_word() in the middle of a token. */
static int word_inside(void *ctx, const fg_token_t *t) {
    fg_analyzer_t *a = ctx;
    char term[64], stem[64];
    snprintf(term, sizeof term, "%s", t->term);
    snprintf(stem, sizeof stem, "%s", t->stem);
    const char *f, *s;
    cr_assert_eq(fg_analyzer_word(a, "Kinderg\xc3\xa4rten", 13, &f, &s), FG_OK);
    cr_assert_str_eq(t->term, term);
    cr_assert_str_eq(t->stem, stem);
    return 0;
}

Test(tokenize, word_inside_callback) {
    fg_analyzer_t *a = new_analyzer(NULL);
    const char *text = "Partnerschaften Zentralasien-Deutschland Fahrr\xc3\xa4"
                       "der";
    cr_assert_eq(fg_analyze(a, text, strlen(text), 0, word_inside, a, NULL), 0);
    fg_analyzer_free(a);
}

/* Analyses the sample article with stem caches of 0 (none), the default and 3
 * entries (emptied all the time), which must all give the same tokens. */
Test(tokenize, stem_cache_is_transparent) {
    char *text = NULL;
    size_t len = 0;
    char err[256];
    cr_assert_eq(fg_read_file(FG_SHARED_DATA "/sample/zentralasien-deutschland.txt", &text, &len,
                              err, sizeof err),
                 FG_OK, "%s", err);
    fg_analyzer_t *a = new_analyzer(NULL);
    static toks_t ref, got;
    size_t sizes[] = {0, FG_STEMCACHE_ENTRIES, 3};
    for (size_t round = 0; round < 3; round++) {
        cr_assert_eq(fg_analyzer_set_stem_cache(a, sizes[round]), FG_OK);
        /* the article has more than TOK_MAX tokens: take its first 3000 bytes */
        size_t n = len < 3000 ? len : 3000;
        while (n > 0 && (text[n] & 0xC0) == 0x80)
            n--;
        memset(&got, 0, sizeof got);
        cr_assert_eq(fg_analyze(a, text, n, 0, collect, &got, NULL), 0);
        cr_assert_gt(got.n, 250);
        if (round == 0) {
            ref = got;
            continue;
        }
        cr_assert_eq(got.n, ref.n);
        for (size_t i = 0; i < got.n; i++) {
            cr_assert_str_eq(got.t[i].term, ref.t[i].term);
            cr_assert_str_eq(got.t[i].stem, ref.t[i].stem);
            cr_assert_eq(got.t[i].flags, ref.t[i].flags);
            cr_assert_eq(got.t[i].position, ref.t[i].position);
        }
    }
    cr_assert_gt(a->cache.clears, 10);
    fg_analyzer_free(a);
    free(text);
}

/* A stream of text mixing every rule analyses without error and with
 * positions that never decrease. */
Test(tokenize, positions_monotonic_on_sample) {
    char *text = NULL;
    size_t len = 0;
    char err[256];
    cr_assert_eq(fg_read_file(FG_SHARED_DATA "/sample/zentralasien-deutschland.txt", &text, &len,
                              err, sizeof err),
                 FG_OK, "%s", err);
    fg_analyzer_t *a = new_analyzer(NULL);
    static toks_t got;
    size_t n = len < 3000 ? len : 3000;
    while (n > 0 && (text[n] & 0xC0) == 0x80)
        n--;
    memset(&got, 0, sizeof got);
    cr_assert_eq(fg_analyze(a, text, n, 0, collect, &got, NULL), 0);
    cr_assert_str_eq(got.t[0].term, "date");
    for (size_t i = 1; i < got.n; i++) {
        cr_assert_geq(got.t[i].position, got.t[i - 1].position);
        cr_assert_leq(got.t[i].offset + got.t[i].length, n);
    }
    fg_analyzer_free(a);
    free(text);
}

/* What the long-token test counts. */
typedef struct longstat {
    size_t tokens, cut, stemmed, longest, bytes, max_position;
    bool offsets_ok;
    size_t next_offset;
} longstat_t;

/* fg_token_fn: counts tokens, cut pieces, stems and the longest term; checks
 * that the pieces cover the run in order. */
static int count_long(void *ctx, const fg_token_t *t) {
    longstat_t *s = ctx;
    s->tokens++;
    s->cut += (t->flags & FG_TOKEN_CUT) != 0;
    s->stemmed += t->stem != NULL;
    if (t->term_len > s->longest)
        s->longest = t->term_len;
    if (!(t->flags & (FG_TOKEN_VARIANT | FG_TOKEN_COMPOUND_PART | FG_TOKEN_JOINED))) {
        s->bytes += t->length;
        if (t->offset < s->next_offset)
            s->offsets_ok = false;
        s->next_offset = t->offset + t->length;
    }
    if (t->position > s->max_position)
        s->max_position = t->position;
    return 0;
}

/* A run of letters longer than FG_TOKEN_MAX_BYTES (the quadratic case of
 * issue 16: Snowball's work grows with the square of a word) is cut into
 * pieces of at most that many bytes, at character boundaries, each with its
 * folded form only; the pieces cover the run; a word of exactly the maximum
 * is not cut; a hyphenated chain makes words of at most FG_WORD_MAX_PARTS
 * parts. */
Test(tokenize, long_runs_are_cut_into_pieces) {
    fg_analyzer_t *a = new_analyzer(NULL);
    const char *unit = "Donaudampfschifffahrtsgesellschaftskapitän"; /* 43 bytes */
    size_t n = 1000, ul = strlen(unit);
    char *text = malloc(n * ul + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * ul, unit, ul);
    text[n * ul] = '\0';
    longstat_t s = {.offsets_ok = true};
    cr_assert_eq(fg_analyze(a, text, n * ul, 0, count_long, &s, NULL), 0);
    cr_assert_leq(s.longest, FG_TOKEN_MAX_BYTES);
    cr_assert_eq(s.cut, s.tokens, "every piece is marked");
    cr_assert_eq(s.stemmed, 0, "pieces are not stemmed");
    cr_assert_eq(s.bytes, n * ul, "the pieces cover the run");
    cr_assert(s.offsets_ok);
    cr_assert_geq(s.tokens, n * ul / FG_TOKEN_MAX_BYTES);
    free(text);

    /* exactly the maximum, then a space and a word: nothing is cut */
    char word[FG_TOKEN_MAX_BYTES + 16];
    memset(word, 'a', FG_TOKEN_MAX_BYTES);
    strcpy(word + FG_TOKEN_MAX_BYTES, " haus");
    s = (longstat_t){.offsets_ok = true};
    cr_assert_eq(fg_analyze(a, word, strlen(word), 0, count_long, &s, NULL), 0);
    cr_assert_eq(s.cut, 0);
    cr_assert_eq(s.tokens, 2);

    /* 64 ä without a break: two-byte characters are never split */
    char umlauts[2 * 100 + 1];
    for (int i = 0; i < 100; i++)
        memcpy(umlauts + 2 * i, "\xc3\xa4", 2);
    umlauts[200] = '\0';
    s = (longstat_t){.offsets_ok = true};
    cr_assert_eq(fg_analyze(a, umlauts, 200, 0, count_long, &s, NULL), 0);
    cr_assert_eq(s.bytes, 200);
    cr_assert_eq(s.cut, s.tokens);

    /* a chain of 100 hyphenated parts: words of at most FG_WORD_MAX_PARTS */
    char chain[100 * 2];
    for (int i = 0; i < 100; i++) {
        chain[2 * i] = 'x';
        chain[2 * i + 1] = '-';
    }
    chain[199] = '\0';
    s = (longstat_t){.offsets_ok = true};
    cr_assert_eq(fg_analyze(a, chain, 199, 0, count_long, &s, NULL), 0);
    cr_assert_eq(s.bytes, 100, "every part once");
    cr_assert_leq(s.longest, 2 * FG_WORD_MAX_PARTS);
    fg_analyzer_free(a);
}
