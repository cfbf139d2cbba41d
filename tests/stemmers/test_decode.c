/*
 * test_decode.c - fg_text_decode(): encodings, BOMs, NFC, NUL bytes.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "stemmers/internal.h"

/* Decodes len bytes, asserting FG_OK, checks the result and the encoding. */
static void check(const char *in, size_t len, const char *want, fg_encoding_t want_enc) {
    char *out = NULL;
    size_t outlen = 12345;
    fg_encoding_t enc = (fg_encoding_t)99;
    cr_assert_eq(fg_text_decode(in, len, &out, &outlen, &enc), FG_OK);
    cr_assert_not_null(out);
    cr_assert_eq(outlen, strlen(want), "length %zu, want %zu ('%s' vs '%s')", outlen, strlen(want),
                 out, want);
    cr_assert_eq(memcmp(out, want, outlen), 0, "got '%s', want '%s'", out, want);
    cr_assert_eq(out[outlen], '\0');
    cr_assert_eq(enc, want_enc, "encoding %s, want %s", fg_encoding_name(enc),
                 fg_encoding_name(want_enc));
    free(out);
}

#define CHECK(lit, want, enc) check(lit, sizeof(lit) - 1, want, enc)

Test(decode, utf8_passthrough) {
    CHECK("Gr\xc3\xbc\xc3\x9f"
          "e aus K\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x98\x80",
          "Gr\xc3\xbc\xc3\x9f"
          "e aus K\xc3\xb6ln \xe2\x82\xac \xf0\x9f\x98\x80",
          FG_ENC_UTF8);
    CHECK("plain ASCII", "plain ASCII", FG_ENC_UTF8);
}

Test(decode, utf8_bom_dropped) {
    CHECK("\xef\xbb\xbfHallo \xc3\xbc", "Hallo \xc3\xbc", FG_ENC_UTF8_BOM);
    CHECK("\xef\xbb\xbf", "", FG_ENC_UTF8_BOM);
    /* after a UTF-8 BOM, invalid bytes become U+FFFD */
    CHECK("\xef\xbb\xbf"
          "a\xff"
          "b",
          "a\xef\xbf\xbd"
          "b",
          FG_ENC_UTF8_BOM);
}

Test(decode, utf16le_bom) {
    /* "Gü" + U+1F600 (surrogate pair) */
    CHECK("\xff\xfeG\x00\xfc\x00\x3d\xd8\x00\xde", "G\xc3\xbc\xf0\x9f\x98\x80", FG_ENC_UTF16LE);
    /* a lone surrogate and an odd trailing byte: U+FFFD each */
    CHECK("\xff\xfe\x00\xd8"
          "a\x00"
          "b",
          "\xef\xbf\xbd"
          "a\xef\xbf\xbd",
          FG_ENC_UTF16LE);
}

Test(decode, utf16be_bom) {
    CHECK("\xfe\xff\x00G\x00\xfc\xd8\x3d\xde\x00", "G\xc3\xbc\xf0\x9f\x98\x80", FG_ENC_UTF16BE);
    CHECK("\xfe\xff", "", FG_ENC_UTF16BE);
}

Test(decode, utf16_nfd_is_composed) {
    /* "u" + U+0308 in UTF-16LE comes out as precomposed "ü" */
    CHECK("\xff\xfeu\x00\x08\x03", "\xc3\xbc", FG_ENC_UTF16LE);
}

Test(decode, windows1252) {
    CHECK("Gr\xfc\xdf"
          "e",
          "Gr\xc3\xbc\xc3\x9f"
          "e",
          FG_ENC_CP1252);
    CHECK("\x80", "\xe2\x82\xac", FG_ENC_CP1252);
    CHECK("\x84Zitat\x93", "\xe2\x80\x9eZitat\xe2\x80\x9c", FG_ENC_CP1252);
    CHECK("\x96\x97\x85\x99", "\xe2\x80\x93\xe2\x80\x94\xe2\x80\xa6\xe2\x84\xa2", FG_ENC_CP1252);
    /* the five undefined bytes map to their C1 control code points */
    CHECK("\x81\x8d\x8f\x90\x9d", "\xc2\x81\xc2\x8d\xc2\x8f\xc2\x90\xc2\x9d", FG_ENC_CP1252);
    /* Latin-1 range */
    CHECK("\xa0\xe9\xff", "\xc2\xa0\xc3\xa9\xc3\xbf", FG_ENC_CP1252);
}

Test(decode, windows1252_all_bytes) {
    /* every byte decodes to valid UTF-8 of one code point */
    char in[256];
    for (int i = 0; i < 256; i++)
        in[i] = (char)i;
    char *out = NULL;
    size_t outlen = 0;
    fg_encoding_t enc;
    cr_assert_eq(fg_text_decode(in, sizeof in, &out, &outlen, &enc), FG_OK);
    cr_assert_eq(enc, FG_ENC_CP1252);
    /* 128 ASCII (NUL -> space) + 32 C1-range chars (2 or 3 bytes) + 96 two-byte */
    cr_assert_gt(outlen, 128 + 32 * 2 + 96 * 2 - 1);
    cr_assert_eq(out[0], ' ');
    free(out);
}

Test(decode, nfd_becomes_nfc) {
    const char nfd[] = "Mu\xcc\x88ller";
    const char nfc[] = "M\xc3\xbcller";
    char *a = NULL, *b = NULL;
    size_t al, bl;
    cr_assert_eq(fg_text_decode(nfd, strlen(nfd), &a, &al, NULL), FG_OK);
    cr_assert_eq(fg_text_decode(nfc, strlen(nfc), &b, &bl, NULL), FG_OK);
    cr_assert_eq(al, bl);
    cr_assert_eq(memcmp(a, b, al), 0);
    cr_assert_str_eq(a, nfc);
    free(a);
    free(b);
    /* a singleton: OHM SIGN -> GREEK CAPITAL OMEGA */
    CHECK("\xe2\x84\xa6", "\xce\xa9", FG_ENC_UTF8);
}

Test(decode, invalid_utf8_is_cp1252) {
    /* overlong '/' */
    CHECK("a\xc0\xaf", "a\xc3\x80\xc2\xaf", FG_ENC_CP1252);
    /* overlong 3-byte form */
    CHECK("\xe0\x80\xaf", "\xc3\xa0\xe2\x82\xac\xc2\xaf", FG_ENC_CP1252);
    /* a UTF-16 surrogate encoded in UTF-8 */
    CHECK("\xed\xa0\x80", "\xc3\xad\xc2\xa0\xe2\x82\xac", FG_ENC_CP1252);
    /* above U+10FFFF */
    CHECK("\xf4\x90\x80\x80", "\xc3\xb4\xc2\x90\xe2\x82\xac\xe2\x82\xac", FG_ENC_CP1252);
    /* truncated sequence at the end */
    CHECK("ab\xc3", "ab\xc3\x83", FG_ENC_CP1252);
    /* a lone continuation byte */
    CHECK("\xbf", "\xc2\xbf", FG_ENC_CP1252);
}

Test(decode, nul_bytes_become_spaces) {
    CHECK("a\0b\0", "a b ", FG_ENC_UTF8);
    CHECK("\xfc\0", "\xc3\xbc ", FG_ENC_CP1252);
    CHECK("\xff\xfe"
          "a\x00\x00\x00"
          "b\x00",
          "a b", FG_ENC_UTF16LE);
    CHECK("\xef\xbb\xbf\0", " ", FG_ENC_UTF8_BOM);
}

Test(decode, empty_input) {
    CHECK("", "", FG_ENC_UTF8);
    char *out = NULL;
    size_t outlen = 9;
    cr_assert_eq(fg_text_decode(NULL, 0, &out, &outlen, NULL), FG_OK);
    cr_assert_str_eq(out, "");
    cr_assert_eq(outlen, 0);
    free(out);
}

Test(decode, encoding_names) {
    cr_assert_str_eq(fg_encoding_name(FG_ENC_UTF8), "UTF-8");
    cr_assert_str_eq(fg_encoding_name(FG_ENC_CP1252), "Windows-1252");
    cr_assert_str_eq(fg_encoding_name(FG_ENC_UTF16LE), "UTF-16LE");
    cr_assert_str_eq(fg_encoding_name(FG_ENC_UTF16BE), "UTF-16BE");
    cr_assert_not_null(fg_encoding_name(FG_ENC_UTF8_BOM));
}

/* The NFC quick check never says "NFC" wrongly: checked for every code
 * point alone, and for every code point that can be the second (or later)
 * part of a canonical composition. */
Test(decode, nfc_quick_check_is_sound, .timeout = 120) {
    size_t inert = 0;
    for (int32_t cp = 0x80; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char u[4];
        size_t n = fg_utf8_encode(cp, u);
        if (fg_nfc_quick_check(u, n)) {
            inert++;
            utf8proc_uint8_t *nfc = NULL;
            utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)u, (utf8proc_ssize_t)n,
                                              &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
            cr_assert_eq(m, (utf8proc_ssize_t)n, "U+%04X", (unsigned)cp);
            cr_assert_eq(memcmp(nfc, u, n), 0, "U+%04X changes under NFC", (unsigned)cp);
            free(nfc);
        }
        utf8proc_int32_t d[32];
        int bc = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE, &bc);
        for (utf8proc_ssize_t j = 1; j < k && k <= 32; j++) {
            char v[4];
            size_t vn = fg_utf8_encode(d[j], v);
            cr_assert_not(fg_nfc_quick_check(v, vn), "U+%04X composes into U+%04X", (unsigned)d[j],
                          (unsigned)cp);
        }
    }
    cr_assert_gt(inert, 100000);
    /* what German text uses passes */
    const char *german = "Gr\xc3\xbc\xc3\x9f"
                         "e \xe2\x80\x9eja\xe2\x80\x9c \xe2\x80\x93 "
                         "\xe2\x80\xa6 \xe2\x82\xac \xc3\x84\xc3\x96\xc3\x9c";
    cr_assert(fg_nfc_quick_check(german, strlen(german)));
    cr_assert_not(fg_nfc_quick_check("u\xcc\x88", 3));
}
