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
    char *t = ser(&s);
    cr_assert_str_eq(t, "language=german;stemming=1;stopwords=default");
    free(t);
}

Test(settings, canonical_language) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    snprintf(s.language, sizeof s.language, "DE");
    s.stemming = false;
    s.stopwords = FG_STOPWORDS_OFF;
    char *t = ser(&s);
    cr_assert_str_eq(t, "language=german;stemming=0;stopwords=off");
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
    char want[512];
    snprintf(want, sizeof want, "language=german;stemming=1;stopwords=file:%s:sha=", path);
    cr_assert_eq(strncmp(t1, want, strlen(want)), 0, "%s", t1);
    cr_assert_eq(strlen(t1), strlen(want) + 16);

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
