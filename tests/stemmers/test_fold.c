/*
 * test_fold.c - fg_fold_char(), the analyzer's case folding of one character
 * for callers outside stemmers/ (the snippet prefilter).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "stemmers/analysis.h"
#include "stemmers/internal.h"

/* The folding of the UTF-8 character s by fg_fold_char(), NUL-terminated in
 * out (FG_FOLD_MAX + 1 bytes); asserts it took all of s. */
static void fold1(const char *s, char *out) {
    size_t len = 0, used = fg_fold_char(s, strlen(s), out, &len);
    cr_assert_eq(used, strlen(s), "%s: took %zu bytes", s, used);
    cr_assert(len >= 1 && len <= FG_FOLD_MAX);
    out[len] = '\0';
}

Test(fold, letters_and_apostrophe) {
    static const char *const cases[][2] = {
        {"A", "a"}, {"z", "z"},  {"Ä", "ä"},         {"ö", "ö"},
        {"Ü", "ü"}, {"ß", "ss"}, {"ẞ", "ss"},        {"’", "'"},
        {"µ", "μ"}, {"Ł", "ł"},  {"İ", "i\xCC\x87"}, {"\xE2\x84\xAA", "k"} /* the Kelvin sign */,
    };
    char out[FG_FOLD_MAX + 1];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fold1(cases[i][0], out);
        cr_assert_str_eq(out, cases[i][1], "%s", cases[i][0]);
    }
}

Test(fold, invalid_bytes_are_taken_alone_and_kept) {
    char out[FG_FOLD_MAX];
    size_t len = 0;
    cr_assert_eq(fg_fold_char("\xC3", 1, out, &len), 1); /* truncated */
    cr_assert_eq(len, 1);
    cr_assert_eq(out[0], '\xC3');
    cr_assert_eq(fg_fold_char("\xFFx", 2, out, &len), 1);
    cr_assert_eq(len, 1);
    cr_assert_eq(out[0], '\xFF');
}

Test(fold, every_character_as_the_analyzer_folds_it) {
    /* the same folding as fg_fold_string(), the analyzer's, for every code
     * point but the soft hyphen (which the analyzer drops from words) */
    fg_buf_t b = {0};
    for (int32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xAD)
            continue;
        char in[4], out[FG_FOLD_MAX];
        size_t n = fg_utf8_encode(cp, in), len = 0;
        cr_assert_eq(fg_fold_char(in, n, out, &len), n);
        cr_assert_eq(fg_fold_string(&b, in, n), FG_OK);
        if (len != b.len || memcmp(out, b.p, len) != 0)
            cr_assert_fail("U+%04X folds differently", (unsigned)cp);
    }
    fg_buf_free(&b);
}
