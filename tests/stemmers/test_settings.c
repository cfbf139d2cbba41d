/*
 * test_settings.c - fg_analysis_settings_*: defaults, canonical text,
 * parsing, diff.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* Serialises s, asserting FG_OK; the caller frees the result. */
static char *ser(const fg_analysis_settings_t *s) {
    char *out = NULL;
    char err[256] = "";
    fg_status_t st = fg_analysis_settings_serialize(s, &out, err, sizeof err);
    cr_assert_eq(st, FG_OK, "%s: %s", fg_status_str(st), err);
    cr_assert_not_null(out);
    return out;
}

Test(settings, defaults) {
    fg_analysis_settings_t s;
    memset(&s, 0x55, sizeof s);
    fg_analysis_settings_default(&s);
    cr_assert_str_eq(s.language, "german");
    cr_assert(s.stemming);
    cr_assert_eq(s.stopwords, FG_STOPWORDS_DEFAULT);
    cr_assert_str_eq(s.stopword_file, "");
    cr_assert(s.decompound && s.umlauts && s.gender && s.protected_words && s.latin_plurals);
    cr_assert_eq(s.min_part, 3);
    cr_assert_str_eq(s.dictionary, "");
    cr_assert_str_eq(s.protected_file, "");
    char *t = ser(&s);
    cr_assert_str_eq(t, "language=german;stemming=1;stopwords=default;decompound=1;dictionary=;"
                        "min_part=3;umlauts=1;gender=1;protected=1;protected_file=;"
                        "latin_plurals=1");
    free(t);
}

Test(settings, canonical_language) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    snprintf(s.language, sizeof s.language, "DE");
    s.stemming = false;
    s.stopwords = FG_STOPWORDS_OFF;
    char *t = ser(&s);
    /* without stemming, protected words and Latin plurals change nothing */
    cr_assert_str_eq(t, "language=german;stemming=0;stopwords=off;decompound=1;dictionary=;"
                        "min_part=3;umlauts=1;gender=1;protected=0;protected_file=;"
                        "latin_plurals=0");
    free(t);
}

Test(settings, round_trip) {
    fg_analysis_settings_t s, p;
    char err[256] = "";
    fg_analysis_settings_default(&s);
    snprintf(s.language, sizeof s.language, "english");
    s.stemming = false;
    s.stopwords = FG_STOPWORDS_OFF;
    char *t = ser(&s);
    cr_assert_eq(fg_analysis_settings_parse(t, &p, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(p.language, "english");
    cr_assert_not(p.stemming);
    cr_assert_eq(p.stopwords, FG_STOPWORDS_OFF);
    char *t2 = ser(&p);
    cr_assert_str_eq(t, t2);
    free(t);
    free(t2);

    fg_analysis_settings_default(&s);
    t = ser(&s);
    cr_assert_eq(fg_analysis_settings_parse(t, &p, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(memcmp(&s, &p, sizeof s), 0);
    free(t);
}

Test(settings, stop_file_hash) {
    /* a path with ':' and ';' in it survives the round trip */
    char dir[] = "/tmp/fg-stem;a:b-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/stop.txt", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("und\noder\n", f);
    fclose(f);

    fg_analysis_settings_t s, p;
    fg_analysis_settings_default(&s);
    s.stopwords = FG_STOPWORDS_FILE;
    snprintf(s.stopword_file, sizeof s.stopword_file, "%s", path);
    char *t1 = ser(&s);
    char want[512], escaped[256];
    size_t e = 0; /* the path as written in the text: ';' is "%3B" */
    for (const char *c = path; *c; c++)
        e += (size_t)snprintf(escaped + e, sizeof escaped - e, *c == ';' ? "%%3B" : "%c", *c);
    snprintf(want, sizeof want, "language=german;stemming=1;stopwords=file:%s:sha=", escaped);
    cr_assert_eq(strncmp(t1, want, strlen(want)), 0, "%s", t1);
    cr_assert_eq(strncmp(t1 + strlen(want) + 16, ";decompound=1;", 14), 0, "%s", t1);

    char err[256] = "";
    cr_assert_eq(fg_analysis_settings_parse(t1, &p, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(p.stopwords, FG_STOPWORDS_FILE);
    cr_assert_str_eq(p.stopword_file, path);

    /* same contents, same text; changed contents, another hash */
    char *t1b = ser(&s);
    cr_assert_str_eq(t1, t1b);
    f = fopen(path, "a");
    fputs("aber\n", f);
    fclose(f);
    char *t2 = ser(&s);
    cr_assert_str_neq(t1, t2);
    char diff[512];
    cr_assert(fg_analysis_settings_diff(t1, t2, diff, sizeof diff));
    cr_assert_not_null(strstr(diff, "stopwords: index has 'file:"), "%s", diff);
    cr_assert_not_null(strstr(diff, "contents changed"), "%s", diff);

    /* a file that cannot be read */
    unlink(path);
    char *t3 = (char *)1;
    cr_assert_eq(fg_analysis_settings_serialize(&s, &t3, err, sizeof err), FG_IO);
    cr_assert_null(t3);
    cr_assert_not_null(strstr(err, path), "%s", err);
    rmdir(dir);
    free(t1);
    free(t1b);
    free(t2);
}

Test(settings, parse_errors) {
    fg_analysis_settings_t p;
    char err[256];
    struct {
        const char *text, *field;
    } bad[] = {
        {"", "language"},
        {"language=german", "stemming"},
        {"language=german;stemming=1", "stopwords"},
        {"stemming=1;language=german;stopwords=off", "language"},
        {"language=;stemming=1;stopwords=off", "language"},
        {"language=Ger man;stemming=1;stopwords=off", "language"},
        {"language=german;stemming=2;stopwords=off", "stemming"},
        {"language=german;stemming=;stopwords=off", "stemming"},
        {"language=german;stemming=1;stopwords=some", "stopwords"},
        {"language=german;stemming=1;stopwords=file:/x", "stopwords"},
        {"language=german;stemming=1;stopwords=file::sha=0123456789abcdef", "stopwords"},
        {"language=german;stemming=1;stopwords=file:/x:sha=0123", "stopwords"},
        {"language=german;stemming=1;stopwords=file:/x:sha=0123456789abcdeg", "stopwords"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_assert_eq(fg_analysis_settings_parse(bad[i].text, &p, err, sizeof err), FG_INVALID,
                     "'%s' parsed", bad[i].text);
        cr_assert_eq(strncmp(err, bad[i].field, strlen(bad[i].field)), 0, "'%s': err '%s'",
                     bad[i].text, err);
    }
    cr_assert_eq(fg_analysis_settings_parse(
                     "language=german;stemming=0;stopwords=file:/a:sha=b:sha=0123456789abcdef", &p,
                     err, sizeof err),
                 FG_OK, "%s", err);
    cr_assert_str_eq(p.stopword_file, "/a:sha=b");
}

Test(settings, diff) {
    char buf[512];
    const char *a = "language=german;stemming=1;stopwords=default";
    cr_assert_not(fg_analysis_settings_diff(a, a, buf, sizeof buf));
    cr_assert_str_eq(buf, "");

    cr_assert(
        fg_analysis_settings_diff(a, "language=german;stemming=1;stopwords=off", buf, sizeof buf));
    cr_assert_str_eq(buf, "stopwords: index has 'default', configuration has 'off'");

    cr_assert(fg_analysis_settings_diff(a, "language=english;stemming=0;stopwords=default", buf,
                                        sizeof buf));
    cr_assert_str_eq(buf, "language: index has 'german', configuration has 'english'; "
                          "stemming: index has 'on', configuration has 'off'");

    cr_assert(fg_analysis_settings_diff("garbage", a, buf, sizeof buf));
    cr_assert_str_eq(buf, "settings: index has 'garbage', configuration has "
                          "'language=german;stemming=1;stopwords=default'");

    /* a small buffer truncates, NULL is allowed */
    char tiny[10];
    cr_assert(fg_analysis_settings_diff(a, "garbage", tiny, sizeof tiny));
    cr_assert_eq(strlen(tiny), 9);
    cr_assert(fg_analysis_settings_diff(a, "garbage", NULL, 0));
}

Test(settings, german_fields_round_trip) {
    char dir[] = "/tmp/fg-set%;x-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char dict[256], prot[256];
    snprintf(dict, sizeof dict, "%s/words;1.txt", dir);
    snprintf(prot, sizeof prot, "%s/prot%%.txt", dir);
    FILE *f = fopen(dict, "w");
    fputs("Haus\nTür\n", f);
    fclose(f);
    f = fopen(prot, "w");
    fputs("wagen wagen\n", f);
    fclose(f);

    fg_analysis_settings_t s, p;
    char err[256] = "";
    fg_analysis_settings_default(&s);
    s.decompound = true;
    snprintf(s.dictionary, sizeof s.dictionary, "%s", dict);
    s.min_part = 4;
    s.umlauts = false;
    s.gender = false;
    snprintf(s.protected_file, sizeof s.protected_file, "%s", prot);
    s.latin_plurals = false;
    char *t = ser(&s);
    /* the paths are escaped: ';' is %3B, '%' is %25 */
    const char *dv = strstr(t, "dictionary=") + 11;
    cr_assert_eq(strchr(dv, ';'), strstr(t, ";min_part="), "%s", t);
    cr_assert_not_null(strstr(t, "%3B1.txt:sha="), "%s", t);
    cr_assert_not_null(strstr(t, "prot%25.txt:sha="), "%s", t);
    cr_assert_not_null(strstr(t, ";min_part=4;umlauts=0;gender=0;protected=1;protected_file="),
                       "%s", t);
    cr_assert_eq(strcmp(t + strlen(t) - 16, ";latin_plurals=0"), 0, "%s", t);
    cr_assert_eq(fg_analysis_settings_parse(t, &p, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(memcmp(&s, &p, sizeof s), 0, "every field survives");
    char *t2 = ser(&p);
    cr_assert_str_eq(t, t2);

    /* a changed dictionary changes the text; the diff says so */
    f = fopen(dict, "a");
    fputs("Maus\n", f);
    fclose(f);
    char *t3 = ser(&s);
    char diff[1024];
    cr_assert(fg_analysis_settings_diff(t, t3, diff, sizeof diff));
    cr_assert_not_null(strstr(diff, "dictionary: index has '"), "%s", diff);
    cr_assert_not_null(strstr(diff, "contents changed"), "%s", diff);
    cr_assert_null(strstr(diff, "protected"), "%s", diff);

    /* unreadable files: FG_IO naming them */
    unlink(prot);
    char *t4 = (char *)1;
    cr_assert_eq(fg_analysis_settings_serialize(&s, &t4, err, sizeof err), FG_IO);
    cr_assert_null(t4);
    cr_assert_not_null(strstr(err, prot), "%s", err);
    /* ...unless the feature that reads them is off */
    s.protected_words = false;
    t4 = ser(&s);
    cr_assert_not_null(strstr(t4, ";protected=0;protected_file=;"), "%s", t4);
    unlink(dict);
    rmdir(dir);
    free(t);
    free(t2);
    free(t3);
    free(t4);
}

Test(settings, german_fields_canonical) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    /* another language: the German features are written as off */
    snprintf(s.language, sizeof s.language, "en");
    s.min_part = 5;
    char *t = ser(&s);
    cr_assert_str_eq(t, "language=english;stemming=1;stopwords=default;decompound=0;dictionary=;"
                        "min_part=3;umlauts=0;gender=0;protected=0;protected_file=;"
                        "latin_plurals=0");
    free(t);
    /* min_part only counts with decompounding; the dictionary also for umlauts */
    fg_analysis_settings_default(&s);
    s.decompound = false;
    s.min_part = 7;
    t = ser(&s);
    cr_assert_not_null(strstr(t, ";decompound=0;dictionary=;min_part=3;umlauts=1;"), "%s", t);
    free(t);
}

Test(settings, legacy_text) {
    /* an index built before the German features recorded three fields */
    fg_analysis_settings_t p;
    char err[256] = "";
    const char *old = "language=german;stemming=1;stopwords=default";
    cr_assert_eq(fg_analysis_settings_parse(old, &p, err, sizeof err), FG_OK, "%s", err);
    cr_assert(p.stemming);
    cr_assert(!p.decompound && !p.umlauts && !p.gender && !p.protected_words && !p.latin_plurals);
    cr_assert_eq(p.min_part, 3);
    cr_assert_eq(fg_analysis_settings_parse("language=german;stemming=0;stopwords=file:/a;b:sha="
                                            "0123456789abcdef",
                                            &p, err, sizeof err),
                 FG_OK, "%s", err);
    cr_assert_str_eq(p.stopword_file, "/a;b", "the old format runs to the end");

    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    char *now = ser(&s), buf[1024];
    cr_assert(fg_analysis_settings_diff(old, now, buf, sizeof buf));
    cr_assert_str_eq(buf, "decompound: index has 'off', configuration has 'on'; "
                          "umlauts: index has 'off', configuration has 'on'; "
                          "gender: index has 'off', configuration has 'on'; "
                          "protected: index has 'off', configuration has 'on'; "
                          "latin_plurals: index has 'off', configuration has 'on'");
    free(now);
    /* the same settings in both formats do not differ */
    cr_assert_not(fg_analysis_settings_diff(
        old,
        "language=german;stemming=1;stopwords=default;decompound=0;dictionary=;min_part=3;"
        "umlauts=0;gender=0;protected=0;protected_file=;latin_plurals=0",
        buf, sizeof buf));
}

Test(settings, german_fields_diff_and_errors) {
    char buf[1024];
    const char *a = "language=german;stemming=1;stopwords=default;decompound=1;dictionary=;"
                    "min_part=3;umlauts=1;gender=1;protected=1;protected_file=;latin_plurals=1";
    const char *b = "language=german;stemming=1;stopwords=default;decompound=1;dictionary=;"
                    "min_part=4;umlauts=1;gender=0;protected=1;protected_file=;latin_plurals=1";
    cr_assert(fg_analysis_settings_diff(a, b, buf, sizeof buf));
    cr_assert_str_eq(buf, "min_part: index has '3', configuration has '4'; "
                          "gender: index has 'on', configuration has 'off'");

    fg_analysis_settings_t p;
    char err[256];
    struct {
        const char *text, *field;
    } bad[] = {
        {"language=german;stemming=1;stopwords=default;decompound=2;dictionary=;min_part=3;"
         "umlauts=1;gender=1;protected=1;protected_file=;latin_plurals=1",
         "decompound"},
        {"language=german;stemming=1;stopwords=default;decompound=1;dictionary=/x;min_part=3;"
         "umlauts=1;gender=1;protected=1;protected_file=;latin_plurals=1",
         "dictionary"},
        {"language=german;stemming=1;stopwords=default;decompound=1;dictionary=;min_part=0;"
         "umlauts=1;gender=1;protected=1;protected_file=;latin_plurals=1",
         "min_part"},
        {"language=german;stemming=1;stopwords=default;decompound=1;dictionary=;min_part=x;"
         "umlauts=1;gender=1;protected=1;protected_file=;latin_plurals=1",
         "min_part"},
        {"language=german;stemming=1;stopwords=default;decompound=1;dictionary=;min_part=3;"
         "gender=1;protected=1;protected_file=;latin_plurals=1",
         "umlauts"},
        {"language=german;stemming=1;stopwords=default;decompound=1;dictionary=;min_part=3;"
         "umlauts=1;gender=1;protected=1;protected_file=/p%4x:sha=0123456789abcdef;"
         "latin_plurals=1",
         "protected_file"},
        {"language=german;stemming=1;stopwords=default;decompound=1;dictionary=;min_part=3;"
         "umlauts=1;gender=1;protected=1;protected_file=;latin_plurals=1;more=1",
         "latin_plurals"},
        {"language=german;stemming=1;stopwords=default;decompound=1;dictionary=;min_part=3;"
         "umlauts=1;gender=1;protected=1;protected_file=;latin_plurals=",
         "latin_plurals"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        cr_assert_eq(fg_analysis_settings_parse(bad[i].text, &p, err, sizeof err), FG_INVALID,
                     "'%s' parsed", bad[i].text);
        cr_assert_eq(strncmp(err, bad[i].field, strlen(bad[i].field)), 0, "'%s': err '%s'",
                     bad[i].text, err);
    }
}
