/*
 * test_variants.c - the German spelling variants of the analyzer: umlauts
 * (ae/oe/ue with a small injected lexicon, weak variants, ß/ss/ẞ), gender
 * forms, NFD input, Latin plurals and protected words.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "stemmers/internal.h"

static toks_t k; /* large: not on the stack */

/* A tiny lexicon for the umlaut tests (folded words). */
static const char *const lexicon_words[] = {
    "müller", "michael", "aktuell", "quelle", "übersicht", "tür", "grösse", "neue", "feuer",
};

/* fg_lexicon_fn over lexicon_words; ctx counts the lookups. */
static bool tiny_lexicon(const void *ctx, const char *w, size_t len) {
    (*(size_t *)ctx)++;
    for (size_t i = 0; i < sizeof lexicon_words / sizeof lexicon_words[0]; i++)
        if (strlen(lexicon_words[i]) == len && memcmp(lexicon_words[i], w, len) == 0)
            return true;
    return false;
}

/* Settings with only the named German features on (and stemming). */
static fg_analysis_settings_t only(bool umlauts, bool gender, bool protect, bool latin) {
    fg_analysis_settings_t s;
    plain_settings(&s);
    s.umlauts = umlauts;
    s.gender = gender;
    s.protected_words = protect;
    s.latin_plurals = latin;
    return s;
}

/* Returns the index of the first token with this term and flags mask/value,
 * or -1. */
static int find(const char *term, unsigned mask, unsigned value) {
    for (size_t i = 0; i < k.n; i++)
        if (strcmp(k.t[i].term, term) == 0 && (k.t[i].flags & mask) == value)
            return (int)i;
    return -1;
}

/* Stems one word with fg_analyze() and returns a copy of the first token's
 * stem in buf. */
static const char *stem_of(fg_analyzer_t *a, const char *word, char *buf, size_t len) {
    analyze(a, word, &k, NULL);
    cr_assert_geq(k.n, 1, "'%s': no token", word);
    snprintf(buf, len, "%s", k.t[0].stem);
    return buf;
}

/* ---------------------------------------------------------------- umlauts */

Test(variants, umlaut_spellings_with_lexicon) {
    fg_analysis_settings_t s = only(true, false, false, false);
    fg_analyzer_t *a = new_analyzer(&s);
    size_t lookups = 0;
    fg_analyzer_set_lexicon(a, tiny_lexicon, &lookups);

    /* Mueller is read as Müller: same term, same stem; then the weak "muller" */
    analyze(a, "Mueller", &k, NULL);
    cr_assert_eq(k.n, 2);
    cr_assert_str_eq(k.t[0].term, "müller");
    cr_assert_eq(k.t[0].offset, 0);
    cr_assert_eq(k.t[0].length, 7);
    cr_assert_eq(k.t[0].flags, 0);
    cr_assert_str_eq(k.t[1].term, "muller");
    cr_assert_eq(k.t[1].flags, FG_TOKEN_VARIANT | FG_TOKEN_WEAK);
    cr_assert_eq(k.t[1].position, k.t[0].position);
    cr_assert_eq(k.t[1].length, 7);
    char m1[128], m2[128], m3[128];
    snprintf(m1, sizeof m1, "%s", k.t[0].stem);
    analyze(a, "Müller", &k, NULL);
    cr_assert_eq(k.n, 2);
    cr_assert_str_eq(k.t[0].term, "müller");
    cr_assert_str_eq(k.t[0].stem, m1);
    cr_assert_str_eq(k.t[1].term, "muller");
    snprintf(m2, sizeof m2, "%s", k.t[1].stem);
    /* Muller (no umlaut, no "ue"): itself only, equal to the weak variant */
    analyze(a, "Muller", &k, NULL);
    cr_assert_eq(k.n, 1);
    cr_assert_str_eq(k.t[0].term, "muller");
    cr_assert_str_eq(stem_of(a, "Muller", m3, sizeof m3), m2);

    /* words of the lexicon, and words whose umlaut spelling is none, stay */
    static const char *const stay[] = {"Michael", "aktuell", "Quelle", "neue",
                                       "Feuer",   "Blaue",   "Zuerst"};
    for (size_t i = 0; i < sizeof stay / sizeof stay[0]; i++) {
        char folded[64];
        snprintf(folded, sizeof folded, "%s", stay[i]);
        for (char *c = folded; *c; c++)
            *c = fg_ascii_tolower(*c);
        analyze(a, stay[i], &k, NULL);
        cr_assert_eq(k.n, 1, "%s", stay[i]);
        cr_assert_str_eq(k.t[0].term, folded);
    }
    /* several pairs: all at once, or one of them */
    analyze(a, "Uebersicht Tuer Groesse", &k, NULL);
    cr_assert_str_eq(k.t[0].term, "übersicht");
    cr_assert_neq(find("tür", FG_TOKEN_VARIANT, 0), -1);
    cr_assert_neq(find("grösse", FG_TOKEN_VARIANT, 0), -1); /* folded: ß is ss */
    cr_assert_neq(find("grosse", ~0u, FG_TOKEN_VARIANT | FG_TOKEN_WEAK), -1);

    /* the lexicon is asked only for words with ae/oe/ue */
    lookups = 0;
    analyze(a, "Haus Baum Straße Häuser", &k, NULL);
    cr_assert_eq(lookups, 0);

    /* the stem cache remembers the reading: the lexicon is asked once */
    lookups = 0;
    analyze(a, "Mueller Mueller Mueller", &k, NULL);
    cr_assert_eq(lookups, 0, "both cached above (Mueller) or without ae/oe/ue: %zu", lookups);
    analyze(a, "Koerper Koerper", &k, NULL);
    cr_assert_leq(lookups, 2);
    cr_assert_str_eq(k.t[0].term, k.t[1].term);
    /* and a disabled cache reads alike */
    cr_assert_eq(fg_analyzer_set_stem_cache(a, 0), FG_OK);
    analyze(a, "Mueller Mueller", &k, NULL);
    cr_assert_str_eq(k.t[0].term, "müller");
    cr_assert_str_eq(k.t[2].term, "müller");
    cr_assert_str_eq(k.t[2].stem, m1);
    cr_assert_eq(fg_analyzer_set_stem_cache(a, FG_STEMCACHE_ENTRIES), FG_OK);

    /* fg_analyzer_word() reads the word alike */
    const char *folded, *stem;
    cr_assert_eq(fg_analyzer_word(a, "Mueller", 7, &folded, &stem), FG_OK);
    cr_assert_str_eq(folded, "müller");
    cr_assert_str_eq(stem, m1);

    /* no lexicon: nothing is read as an umlaut */
    fg_analyzer_set_lexicon(a, NULL, NULL);
    analyze(a, "Mueller", &k, NULL);
    cr_assert_eq(k.n, 1);
    cr_assert_str_eq(k.t[0].term, "mueller");
    fg_analyzer_free(a);
}

Test(variants, weak_variants) {
    fg_analysis_settings_t s = only(true, false, false, false);
    fg_analyzer_t *a = new_analyzer(&s);
    fg_analyzer_set_lexicon(a, NULL, NULL);
    analyze(a, "Öl für Häuser-Übersicht", &k, NULL);
    /* öl, weak ol; für is a stop word (no variant); the hyphenated word: each
       part and the joined form get their weak spelling */
    cr_assert_str_eq(k.t[0].term, "öl");
    cr_assert_str_eq(k.t[1].term, "ol");
    cr_assert_eq(k.t[1].flags, FG_TOKEN_VARIANT | FG_TOKEN_WEAK);
    cr_assert_str_eq(k.t[2].term, "für");
    cr_assert(k.t[2].flags & FG_TOKEN_STOP);
    cr_assert_str_eq(k.t[3].term, "häuser");
    cr_assert_str_eq(k.t[4].term, "hauser");
    cr_assert_eq(k.t[4].flags, FG_TOKEN_VARIANT | FG_TOKEN_WEAK);
    cr_assert_eq(k.t[4].offset, k.t[3].offset);
    cr_assert_neq(find("hauserubersicht", ~0u, FG_TOKEN_VARIANT | FG_TOKEN_WEAK), -1);
    cr_assert_neq(find("ubersicht", ~0u, FG_TOKEN_VARIANT | FG_TOKEN_WEAK), -1);
    /* umlauts off, or another language: no variants */
    s.umlauts = false;
    fg_analyzer_t *b = new_analyzer(&s);
    analyze(b, "Häuser", &k, NULL);
    cr_assert_eq(k.n, 1);
    fg_analyzer_free(b);
    s = only(true, true, true, true);
    snprintf(s.language, sizeof s.language, "english");
    b = new_analyzer(&s);
    analyze(b, "Häuser Bürger*innen", &k, NULL);
    cr_assert_eq(k.n, 3, "no German features for english");
    fg_analyzer_free(b);
    fg_analyzer_free(a);
}

Test(variants, sharp_s) {
    fg_analysis_settings_t s = only(true, true, true, true);
    fg_analyzer_t *a = new_analyzer(&s);
    /* ß, ẞ (U+1E9E) and ss are one spelling after case folding */
    analyze(a, "Straße STRAẞE Strasse STRASSE", &k, NULL);
    cr_assert_eq(k.n, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_assert_str_eq(k.t[i].term, "strasse");
        cr_assert_str_eq(k.t[i].stem, k.t[0].stem);
    }
    fg_analyzer_free(a);
}

/* ---------------------------------------------------------------- gender */

Test(variants, gender_forms) {
    fg_analysis_settings_t s = only(false, true, false, false);
    fg_analyzer_t *a = new_analyzer(&s);
    char base_stem[128];
    stem_of(a, "Bürger", base_stem, sizeof base_stem);
    static const char *const forms[] = {"Bürger*innen", "Bürger:innen",  "Bürger_innen",
                                        "BürgerInnen",  "Bürger/-innen", "Bürger/innen",
                                        "Bürger·innen", "Bürger(innen)", "Bürger*Innen"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char text[64];
        snprintf(text, sizeof text, "die %s heute", forms[i]);
        analyze(a, text, &k, NULL);
        cr_assert_eq(k.n, 4, "'%s': %zu tokens", forms[i], k.n);
        cr_assert_str_eq(k.t[1].term, "bürgerinnen", "%s", forms[i]);
        cr_assert_eq(k.t[1].offset, 4);
        cr_assert_eq(k.t[1].length, strlen(forms[i]), "%s", forms[i]);
        cr_assert_eq(k.t[1].flags, 0);
        cr_assert_str_eq(k.t[2].term, "bürger", "%s", forms[i]);
        cr_assert_eq(k.t[2].flags, FG_TOKEN_VARIANT, "%s", forms[i]);
        cr_assert_eq(k.t[2].position, k.t[1].position);
        cr_assert_eq(k.t[2].offset, 4);
        cr_assert_eq(k.t[2].length, k.t[1].length);
        cr_assert_str_eq(k.t[2].stem, base_stem, "the variant matches \"Bürger\"");
        cr_assert_str_eq(k.t[3].term, "heute");
        cr_assert_eq(k.t[3].position, k.t[1].position + 1);
    }
    /* "Bürgerinnen" itself is the same term */
    analyze(a, "Bürgerinnen", &k, NULL);
    cr_assert_eq(k.n, 1);
    cr_assert_str_eq(k.t[0].term, "bürgerinnen");

    /* singular forms */
    static const char *const sing[] = {"Lehrer*in", "Lehrer:in", "LehrerIn", "Lehrer/-in",
                                       "Lehrer_in"};
    for (size_t i = 0; i < sizeof sing / sizeof sing[0]; i++) {
        analyze(a, sing[i], &k, NULL);
        cr_assert_eq(k.n, 2, "%s", sing[i]);
        cr_assert_str_eq(k.t[0].term, "lehrerin", "%s", sing[i]);
        cr_assert_eq(k.t[0].length, strlen(sing[i]));
        cr_assert_str_eq(k.t[1].term, "lehrer", "%s", sing[i]);
        cr_assert_eq(k.t[1].flags, FG_TOKEN_VARIANT);
    }
    /* gender form as a part of a hyphenated word */
    analyze(a, "Lehrer*innen-Verband", &k, NULL);
    cr_assert_str_eq(k.t[0].term, "lehrerinnen");
    cr_assert_eq(k.t[0].flags, FG_TOKEN_PART);
    cr_assert_str_eq(k.t[1].term, "lehrer");
    cr_assert_eq(k.t[1].flags, FG_TOKEN_VARIANT);
    cr_assert_str_eq(k.t[2].term, "lehrerinnenverband");
    cr_assert_eq(k.t[2].flags, FG_TOKEN_JOINED);
    fg_analyzer_free(a);
}

/* Asserts that text gives exactly the listed terms (NULL-terminated). */
static void expect_terms(fg_analyzer_t *a, const char *text, const char *const *want) {
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
        expect_terms(a, text, want_);                                                              \
    } while (0)

Test(variants, gender_not_merged) {
    fg_analysis_settings_t s = only(false, true, false, false);
    fg_analyzer_t *a = new_analyzer(&s);
    TERMS(a, "Die Bürger: alle", "die", "bürger", "alle");
    TERMS(a, "Bürger: innen", "bürger", "innen");
    TERMS(a, "Bürger/Innenstadt", "bürger", "innenstadt");
    TERMS(a, "Bürger:innenpolitik", "bürger", "innenpolitik");
    TERMS(a, "struct sockaddr_in", "struct", "sockaddr", "in");
    TERMS(a, "f(in)", "f", "in");
    TERMS(a, "BERLIN Berlin Termin", "berlin", "berlin", "termin");
    TERMS(a, "3*in", "3", "in");
    TERMS(a, "Xin", "xin");
    /* gender off: the separators stay separators */
    s.gender = false;
    fg_analyzer_t *b = new_analyzer(&s);
    TERMS(b, "Bürger*innen BürgerInnen", "bürger", "innen", "bürgerinnen");
    fg_analyzer_free(b);
    fg_analyzer_free(a);
}

/* ---------------------------------------------------------------- NFD */

Test(variants, nfd_gives_nfc_tokens) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    s.decompound = false;
    fg_analyzer_t *a = new_analyzer(&s);
    size_t lookups = 0;
    fg_analyzer_set_lexicon(a, tiny_lexicon, &lookups);
    const char *nfc = "Bürger*innen Müller Mueller BürgerInnen Außenministerien Größe";
    const char *nfd = "Bu\xcc\x88rger*innen Mu\xcc\x88ller Mueller Bu\xcc\x88rgerInnen "
                      "Au\xc3\x9f"
                      "enministerien Gro\xcc\x88\xc3\x9f"
                      "e";
    static toks_t want;
    char *dec;
    size_t dlen;
    cr_assert_eq(fg_text_decode(nfc, strlen(nfc), &dec, &dlen, NULL), FG_OK);
    analyze(a, dec, &want, NULL);
    free(dec);
    cr_assert_eq(fg_text_decode(nfd, strlen(nfd), &dec, &dlen, NULL), FG_OK);
    cr_assert_str_eq(dec, nfc, "decoding makes NFC");
    analyze(a, dec, &k, NULL);
    free(dec);
    cr_assert_eq(k.n, want.n);
    cr_assert_gt(k.n, 10, "words, variants and weak variants");
    for (size_t i = 0; i < k.n; i++) {
        cr_assert_str_eq(k.t[i].term, want.t[i].term);
        cr_assert_str_eq(k.t[i].stem, want.t[i].stem);
        cr_assert_eq(k.t[i].flags, want.t[i].flags);
        cr_assert_eq(k.t[i].position, want.t[i].position);
    }
    fg_analyzer_free(a);
}

/* ---------------------------------------------------------------- Latin plurals */

Test(variants, latin_plurals_share_a_stem) {
    fg_analysis_settings_t s = only(false, false, false, true);
    fg_analyzer_t *a = new_analyzer(&s);
    static const char *const pairs[][2] = {
        {"Ministerium", "Ministerien"},
        {"Außenministerium", "Außenministerien"},
        {"Ministeriums", "Ministerien"},
        {"Museum", "Museen"},
        {"Zentrum", "Zentren"},
        {"Rechenzentrum", "Rechenzentren"},
        {"Thema", "Themen"},
        {"Themas", "Themen"},
        {"Studium", "Studien"},
        {"Gymnasium", "Gymnasien"},
        {"Kriterium", "Kriterien"},
        {"Medium", "Medien"},
        {"Stipendium", "Stipendien"},
        {"Individuum", "Individuen"},
        {"Konsortium", "Konsortien"},
        {"Laboratorium", "Laboratorien"},
        {"Spektrum", "Spektren"},
        {"Rhythmus", "Rhythmen"},
        {"Organismus", "Organismen"},
        {"Mechanismus", "Mechanismen"},
        {"Zyklus", "Zyklen"},
        {"Globus", "Globen"},
        {"Firma", "Firmen"},
        {"Drama", "Dramen"},
        {"Villa", "Villen"},
        {"Schema", "Schemata"},
        {"Dogma", "Dogmen"},
        {"Kamera", "Kameras"},
        {"Material", "Materialien"},
        {"Prinzip", "Prinzipien"},
        {"Fossil", "Fossilien"},
        {"Mineral", "Mineralien"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char x[128], y[128];
        stem_of(a, pairs[i][0], x, sizeof x);
        stem_of(a, pairs[i][1], y, sizeof y);
        cr_assert_str_eq(x, y, "%s / %s", pairs[i][0], pairs[i][1]);
    }
    fg_analyzer_free(a);
}

Test(variants, latin_plurals_no_collateral_damage) {
    fg_analysis_settings_t s = only(false, false, false, true);
    fg_analysis_settings_t p = only(false, false, false, false);
    fg_analyzer_t *a = new_analyzer(&s), *plain = new_analyzer(&p);
    /* these keep Snowball's stem */
    static const char *const keep[] = {
        "Eigentum", "Reichtum", "Irrtum",   "Wachstum", "Datum",    "Daten",  "Faktum",
        "warum",    "darum",    "wiederum", "Baum",     "Schaum",   "Raum",   "Traum",
        "Haus",     "Maus",     "Bus",      "plus",     "Album",    "Forum",  "Virus",
        "Komma",    "Kommas",   "etwa",     "Sofa",     "Oma",      "Studio", "Radio",
        "Konto",    "Glas",     "Atlas",    "Modus",    "Minister", "Kind",   "Sicherheit",
    };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        char x[128], y[128];
        stem_of(a, keep[i], x, sizeof x);
        stem_of(plain, keep[i], y, sizeof y);
        cr_assert_str_eq(x, y, "%s changed", keep[i]);
    }
    /* and these stay apart */
    static const char *const apart[][2] = {
        {"Datum", "Daten"},     {"Studio", "Studium"},  {"Minister", "Ministerium"},
        {"Komma", "komm"},      {"warum", "war"},       {"Modus", "Mode"},
        {"Eigentum", "eigen"},  {"Reichtum", "reicht"}, {"Trauma", "Traum"},
        {"Traumata", "Träume"},
    };
    for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++) {
        char x[128], y[128];
        stem_of(a, apart[i][0], x, sizeof x);
        stem_of(a, apart[i][1], y, sizeof y);
        cr_assert_str_neq(x, y, "%s / %s", apart[i][0], apart[i][1]);
    }
    /* stemming off: no stems at all */
    s.stemming = false;
    fg_analyzer_t *b = new_analyzer(&s);
    analyze(b, "Ministerium", &k, NULL);
    cr_assert_not(k.t[0].has_stem);
    fg_analyzer_free(b);
    fg_analyzer_free(plain);
    fg_analyzer_free(a);
}

/* ---------------------------------------------------------------- protected words */

/* Asserts that two words get the same (same true) or different stems. */
static void same_stem(fg_analyzer_t *a, const char *x, const char *y, bool same) {
    char sx[128], sy[128];
    stem_of(a, x, sx, sizeof sx);
    stem_of(a, y, sy, sizeof sy);
    if (same)
        cr_assert_str_eq(sx, sy, "%s / %s", x, y);
    else
        cr_assert_str_neq(sx, sy, "%s / %s: both '%s'", x, y, sx);
}

Test(variants, protected_words) {
    fg_analysis_settings_t s = only(true, true, true, false);
    fg_analyzer_t *a = new_analyzer(&s);
    fg_analyzer_set_lexicon(a, NULL, NULL);
    char st[128];
    cr_assert_str_eq(stem_of(a, "Sicherheit", st, sizeof st), "sicherheit");
    same_stem(a, "Sicherheit", "Sicherheiten", true);
    same_stem(a, "Sicherheit", "sich", false);
    same_stem(a, "sicher", "sich", false);
    same_stem(a, "sicher", "sicheren", true);
    same_stem(a, "Datensicherheit", "Datensicherheiten", true);
    cr_assert_str_eq(stem_of(a, "Datensicherheit", st, sizeof st), "datensicherheit");
    same_stem(a, "versichern", "Versicherung", true);
    same_stem(a, "Bürger", "Burg", false);
    same_stem(a, "Bürger", "Bürgern", true);
    same_stem(a, "Bürger", "Bürgers", true);
    same_stem(a, "Mitbürger", "Mitbürgern", true);
    same_stem(a, "schön", "schon", false);
    same_stem(a, "schön", "schöne", true);
    same_stem(a, "schöner", "schönen", true);
    same_stem(a, "drücken", "drucken", false);
    same_stem(a, "drücken", "drücke", true);
    same_stem(a, "Drücker", "Drucker", false);
    same_stem(a, "zählen", "zahlen", false);
    same_stem(a, "zählen", "Zähler", true);
    same_stem(a, "Zahl", "Zahlen", true);
    same_stem(a, "ändern", "anderen", false);
    same_stem(a, "Gerät", "Geräte", true);
    same_stem(a, "Gerät", "geraten", false);
    same_stem(a, "Küche", "Kuchen", false);
    same_stem(a, "Müller", "Muller", true);
    same_stem(a, "Müller", "Mueller", false); /* no lexicon here: not read as ü */
    /* plural umlauts stay together: only whole protected words keep theirs */
    same_stem(a, "Ausdruck", "Ausdrücke", true);
    same_stem(a, "Haus", "Häuser", true);
    same_stem(a, "Eindruck", "Eindrücke", true);
    /* the weak variant of Bürger is not Burg either */
    analyze(a, "Bürger", &k, NULL);
    cr_assert_eq(k.n, 2);
    cr_assert_str_eq(k.t[1].term, "burger");
    cr_assert_str_eq(k.t[1].stem, "burger");
    /* gender base form: the protected stem */
    analyze(a, "Bürger*innen", &k, NULL);
    int v = find("bürger", ~0u, FG_TOKEN_VARIANT);
    cr_assert_geq(v, 0);
    cr_assert_str_eq(k.t[v].stem, "bürger");
    /* fg_analyzer_word() agrees */
    const char *stem;
    cr_assert_eq(fg_analyzer_word(a, "Sicherheit", 10, NULL, &stem), FG_OK);
    cr_assert_str_eq(stem, "sicherheit");

    /* off: Snowball's stems */
    s.protected_words = false;
    fg_analyzer_t *b = new_analyzer(&s);
    cr_assert_str_eq(stem_of(b, "Sicherheit", st, sizeof st), "sich");
    same_stem(b, "schön", "schon", true);
    fg_analyzer_free(b);
    fg_analyzer_free(a);
}

Test(variants, protected_file) {
    char *path = temp_file("# my words\n"
                           "Wagen wagen   # not \"wag\"\n"
                           "\n"
                           "hüten\n"
                           "  Rate  raten\n");
    fg_analysis_settings_t s = only(false, false, true, false);
    snprintf(s.protected_file, sizeof s.protected_file, "%s", path);
    fg_analyzer_t *a = new_analyzer(&s);
    char st[128];
    cr_assert_str_eq(stem_of(a, "Wagen", st, sizeof st), "wagen");
    same_stem(a, "hüten", "Hut", false);
    same_stem(a, "hüten", "hüte", true);
    cr_assert_str_eq(stem_of(a, "Rate", st, sizeof st), "raten", "the file wins");
    cr_assert_str_eq(stem_of(a, "Sicherheit", st, sizeof st), "sicherheit", "and adds");
    fg_analyzer_free(a);

    /* a bad line or a missing file: FG_IO naming them */
    FILE *f = fopen(path, "a");
    fputs("zu viele felder\n", f);
    fclose(f);
    fg_analyzer_t *b = (fg_analyzer_t *)1;
    char err[512] = "";
    cr_assert_eq(fg_analyzer_new(&s, &b, err, sizeof err), FG_IO);
    cr_assert_null(b);
    char want[600];
    snprintf(want, sizeof want, "%s:6:", path);
    cr_assert_not_null(strstr(err, want), "%s", err);
    unlink(path);
    cr_assert_eq(fg_analyzer_new(&s, &b, err, sizeof err), FG_IO);
    cr_assert_not_null(strstr(err, path), "%s", err);
    free(path);
}
