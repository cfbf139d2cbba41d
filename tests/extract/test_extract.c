/*
 * test_extract.c - file -> text, title, date; bad input refused with reasons.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extract/extract.h"
#include "testutil.h"

static char *dir;

static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
}

static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
}

TestSuite(extract, .init = setup, .fini = teardown);

Test(extract, sample_article_date_title_body) {
    fg_extracted_t ex;
    char err[512];
    cr_assert_eq(fg_extract_file(FG_SHARED_DATA "/sample/zentralasien-deutschland.txt", 0, &ex, err,
                                 sizeof err),
                 FG_OK, "%s", err);
    cr_assert_str_eq(ex.date, "2024-07");
    const char *body = ex.text + ex.body_offset;
    cr_assert_null(strstr(body, "date 2024-07"), "the date header is not body text");
    cr_assert(strncmp(body, " Im Zuge des Besuchs", 20) == 0, "body starts: %.30s", body);
    cr_assert(strncmp(ex.title, "Im Zuge des Besuchs zentralasiatischer Staatschefs", 50) == 0,
              "title: %s", ex.title);
    cr_assert_leq(strlen(ex.title), FG_TITLE_MAX + 3);
    cr_assert(strstr(ex.title, "\xE2\x80\xA6") != NULL, "a long first line is shortened with …");
    cr_assert(ex.title_in_body);
    cr_assert_str_eq(ex.ext, "txt");
    cr_assert_eq(ex.encoding, FG_ENC_UTF8);
    fg_extracted_free(&ex);
}

Test(extract, markdown_front_matter) {
    char err[512];
    fg_extracted_t ex;
    char *p = tu_write_str(
        dir, "a.md",
        "---\ntitle: \"Kaffee kochen\"\ndate: 2024-03-12\n---\n\n# Überschrift\n\nText.\n");
    cr_assert_eq(fg_extract_file(p, 0, &ex, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(ex.title, "Kaffee kochen");
    cr_assert_str_eq(ex.date, "2024-03-12");
    cr_assert_not(ex.title_in_body);
    cr_assert(strstr(ex.text + ex.body_offset, "title:") == NULL);
    cr_assert(strstr(ex.text + ex.body_offset, "Überschrift") != NULL);
    fg_extracted_free(&ex);
    free(p);
}

Test(extract, markdown_heading_and_txt_first_line) {
    char err[512];
    fg_extracted_t ex;
    char *p = tu_write_str(dir, "b.md", "\n\nVorwort ohne Raute\n\n## Die Überschrift ##\nText\n");
    cr_assert_eq(fg_extract_file(p, 0, &ex, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(ex.title, "Die Überschrift");
    fg_extracted_free(&ex);
    free(p);
    p = tu_write_str(dir, "c.txt", "\n  Erste Zeile  \nZweite Zeile\n");
    cr_assert_eq(fg_extract_file(p, 0, &ex, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(ex.title, "Erste Zeile");
    cr_assert_str_eq(ex.date, "");
    cr_assert_eq(ex.body_offset, 0);
    fg_extracted_free(&ex);
    free(p);
}

Test(extract, date_header_variants) {
    char err[512];
    fg_extracted_t ex;
    cr_assert_eq(fg_extract_buffer("x.txt", "date 2024-11-05\nText", 20, &ex, err, sizeof err),
                 FG_OK);
    cr_assert_str_eq(ex.date, "2024-11-05");
    cr_assert_str_eq(ex.title, "Text");
    fg_extracted_free(&ex);
    /* not a date: month 13, or a word glued to it */
    cr_assert_eq(fg_extract_buffer("x.txt", "date 2024-13 Text", 17, &ex, err, sizeof err), FG_OK);
    cr_assert_str_eq(ex.date, "");
    cr_assert_eq(ex.body_offset, 0);
    fg_extracted_free(&ex);
    cr_assert_eq(fg_extract_buffer("x.txt", "dates 2024-10 x", 15, &ex, err, sizeof err), FG_OK);
    cr_assert_str_eq(ex.date, "");
    fg_extracted_free(&ex);
}

Test(extract, windows_1252_and_utf16) {
    char err[512];
    fg_extracted_t ex;
    const char cp[] = "Gr\xf6\xdf"
                      "e \x80 \x84Zitat\x93";
    cr_assert_eq(fg_extract_buffer("n.txt", cp, sizeof cp - 1, &ex, err, sizeof err), FG_OK);
    cr_assert_eq(ex.encoding, FG_ENC_CP1252);
    cr_assert_str_eq(ex.text, "Größe € „Zitat“");
    fg_extracted_free(&ex);
    /* UTF-16LE with BOM has NUL bytes but is text */
    const char u16[] = "\xff\xfeH\0a\0u\0s\0";
    cr_assert_eq(fg_extract_buffer("u.txt", u16, sizeof u16 - 1, &ex, err, sizeof err), FG_OK, "%s",
                 err);
    cr_assert_str_eq(ex.text, "Haus");
    fg_extracted_free(&ex);
}

Test(extract, refuses_bad_input_with_reasons) {
    char err[512];
    fg_extracted_t ex;
    char *empty = tu_write(dir, "empty.txt", "", 0);
    cr_assert_eq(fg_extract_file(empty, 0, &ex, err, sizeof err), FG_SKIPPED);
    cr_assert(strstr(err, "empty") && strstr(err, empty), "%s", err);

    char *bin = tu_write(dir, "bin.txt", "abc\0def", 7);
    cr_assert_eq(fg_extract_file(bin, 0, &ex, err, sizeof err), FG_SKIPPED);
    cr_assert(strstr(err, "binary") && strstr(err, "offset 3"), "%s", err);

    char *big = tu_write_str(dir, "big.txt", "0123456789");
    cr_assert_eq(fg_extract_file(big, 5, &ex, err, sizeof err), FG_SKIPPED);
    cr_assert(strstr(err, "max_file_size"), "%s", err);
    cr_assert_eq(fg_extract_file(big, 10, &ex, err, sizeof err), FG_OK);
    fg_extracted_free(&ex);

    char missing[1024];
    snprintf(missing, sizeof missing, "%s/nope.txt", dir);
    cr_assert_eq(fg_extract_file(missing, 0, &ex, err, sizeof err), FG_IO);
    cr_assert(strstr(err, "nope.txt") && strstr(err, "No such file"), "%s", err);

    cr_assert_eq(fg_extract_file(dir, 0, &ex, err, sizeof err), FG_SKIPPED);
    cr_assert(strstr(err, "not a regular file"), "%s", err);
    free(empty);
    free(bin);
    free(big);
}

Test(extract, extension) {
    char ext[16];
    fg_extract_extension("/a/b/Datei.TXT", ext, sizeof ext);
    cr_assert_str_eq(ext, "txt");
    fg_extract_extension("/a/b.d/README", ext, sizeof ext);
    cr_assert_str_eq(ext, "");
    fg_extract_extension("/a/.hidden", ext, sizeof ext);
    cr_assert_str_eq(ext, "");
}

/* What a file in a watched folder may be replaced with between the event and
 * the open: a FIFO (no writer: opening it for reading would block for ever)
 * or a symbolic link to a file elsewhere. */
Test(extract, fifo_and_symlink_in_place_of_a_file, .timeout = 10) {
    char err[512], fifo[1024], link[1024];
    fg_extracted_t ex;
    snprintf(fifo, sizeof fifo, "%s/swap.txt", dir);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    cr_assert_eq(fg_extract_file(fifo, 0, &ex, err, sizeof err), FG_SKIPPED);
    cr_assert(strstr(err, "not a regular file"), "%s", err);

    char *secret = tu_write_str(dir, "outside/secret.txt", "Geheimnis\n");
    snprintf(link, sizeof link, "%s/link.txt", dir);
    cr_assert_eq(symlink(secret, link), 0);
    cr_assert_eq(fg_extract_file(link, 0, &ex, err, sizeof err), FG_IO);
    cr_assert(strstr(err, "link.txt"), "%s", err);
    free(secret);
}
