/*
 * test_formats.c - the document-format parsers of extract/format.h on files
 * made by real producers (tests/extract/fixtures/make-fixtures.sh) and on
 * hostile inputs made here.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "extract/format.h"
#include "testutil.h"

#define FIXTURES FG_SOURCE_DIR "/tests/extract/fixtures/"

static char *dir;

static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
}

static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
}

TestSuite(formats, .init = setup, .fini = teardown, .timeout = 60);

/* Extracts path (name: the name passed as hint, NULL = path) with lim. */
static fg_status_t extract_lim(const char *path, const char *name, const fg_format_limits_t *lim,
                               fg_format_doc_t *doc, char *err, size_t errlen) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0, "open %s", path);
    fg_status_t st = fg_format_extract(fd, name ? name : path, lim, doc, err, errlen);
    close(fd);
    return st;
}

/* Extracts a fixture with the default limits; asserts success. */
static void fixture(const char *file, fg_format_doc_t *doc) {
    char err[256];
    fg_status_t st = extract_lim(file, NULL, NULL, doc, err, sizeof err);
    cr_assert_eq(st, FG_OK, "%s: %s (%s)", file, fg_status_str(st), err);
    cr_assert_eq(strlen(doc->text), doc->text_len);
}

/* Asserts that the document's text holds s. */
#define cr_assert_text_has(doc, s)                                                                 \
    cr_assert(strstr((doc)->text, (s)) != NULL, "no \"%s\" in:\n%s", (s), (doc)->text)

/* ------------------------------------------------------------- names -- */

Test(formats, doctype_names_and_limits) {
    cr_assert_str_eq(fg_doctype_name(FG_DOCTYPE_PDF), "pdf");
    cr_assert_str_eq(fg_doctype_name(FG_DOCTYPE_DOCX), "docx");
    cr_assert_str_eq(fg_doctype_name(FG_DOCTYPE_UNKNOWN), "");
    cr_assert_str_eq(fg_doctype_name(FG_DOCTYPE_LAST_), "");
    fg_format_limits_t lim;
    fg_format_limits_default(&lim);
    cr_assert_eq(lim.max_text, 32u << 20);
    cr_assert_eq(lim.max_inflate, 256u << 20);
}

/* -------------------------------------------------------------- HTML -- */

Test(formats, html_pandoc) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.html", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_HTML);
    cr_assert_str_eq(d.title, "Hinweise zur Müllabfuhr");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_str_eq(d.date, "2024-07-15");
    cr_assert_text_has(&d, "Partnerschaftsformat");
    cr_assert_text_has(&d, "Die Müllabfuhr kommt donnerstags.");
    cr_assert_text_has(&d, "Straße");
    cr_assert_null(strstr(d.text, "font-family"), "style is not text");
    cr_assert_eq(d.npages, 0);
    cr_assert_null(d.pages);
    fg_format_doc_free(&d);
}

Test(formats, html_handmade_windows_1252) {
    fg_format_doc_t d;
    fixture(FIXTURES "handmade-1252.html", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_HTML);
    cr_assert_str_eq(d.title, "Gemeindeblatt: Abfallkalender");
    cr_assert_str_eq(d.author, "Stadtverwaltung Köln");
    cr_assert_str_eq(d.date, "2023-11-02");
    cr_assert_text_has(&d, "Die Müllabfuhr kommt montags.");
    cr_assert_text_has(&d, "Abfuhrtermine für Straßen");
    cr_assert_text_has(&d, "„Zitat“ €5");
    cr_assert_text_has(&d, "Biotonne am Straßenrand"); /* alt is text */
    cr_assert_text_has(&d, "Erster Block\nZweiter Block");
    cr_assert_text_has(&d, "montags.\nDas Partnerschaftsformat");
    cr_assert_null(strstr(d.text, "Werbetracker"), "script is not text");
    cr_assert_null(strstr(d.text, "Skriptinhalt"));
    cr_assert_null(strstr(d.text, "sans-serif"), "style is not text");
    cr_assert_null(strstr(d.text, "Bitte Skripte"), "noscript is not text");
    cr_assert_null(strstr(d.text, "Vorlagetext"), "template is not text");
    cr_assert_null(strstr(d.text, "tonne.png"), "attributes are not text");
    cr_assert_null(strstr(d.text, "Abfallkalender"), "the title is not body text");
    fg_format_doc_free(&d);
}

Test(formats, html_title_falls_back_to_meta_then_h1) {
    fg_format_doc_t d;
    char err[256];
    char *p = tu_write_str(dir, "a.html",
                           "<html><head><meta name=\"title\" content=\"Aus Meta\"></head>"
                           "<body><h1>Überschrift</h1><p>Text</p></body></html>");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.title, "Aus Meta");
    fg_format_doc_free(&d);
    free(p);
    p = tu_write_str(dir, "b.html",
                     "<html><body><h1>Erste <b>Überschrift</b></h1>"
                     "<h1>Zweite</h1><p>Text</p></body></html>");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.title, "Erste Überschrift");
    cr_assert_str_eq(d.author, "");
    cr_assert_str_eq(d.date, "");
    cr_assert_text_has(&d, "Erste Überschrift\nZweite\nText");
    fg_format_doc_free(&d);
    free(p);
}

Test(formats, html_utf8_bom) {
    fg_format_doc_t d;
    char err[256];
    char *p = tu_write_str(dir, "bom.htm", "\xEF\xBB\xBF<html><body><p>Größe</p></body></html>");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(d.type, FG_DOCTYPE_HTML);
    cr_assert_str_eq(d.text, "Größe\n");
    fg_format_doc_free(&d);
    free(p);
}

Test(formats, html_nested_100000_deep) {
    size_t depth = 100000;
    size_t cap = depth * 8 + depth / 2 * 10 + 100, len = 0;
    char *buf = malloc(cap);
    cr_assert(buf);
    len += (size_t)sprintf(buf, "<html><body>");
    for (size_t i = 0; i < depth; i++)
        len += (size_t)sprintf(buf + len, "<div><b>");
    len += (size_t)sprintf(buf + len, "Tiefe");
    for (size_t i = 0; i < depth / 2; i++)
        len += (size_t)sprintf(buf + len, "</b></div>");
    char *p = tu_write(dir, "deep.html", buf, len);
    free(buf);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fg_format_doc_t d;
    char err[256];
    fg_status_t st = extract_lim(p, NULL, NULL, &d, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_assert_lt(secs, 10.0, "took %.1f s", secs);
    if (st == FG_OK)
        fg_format_doc_free(&d);
    else
        cr_assert(err[0], "a failure gives a reason");
    free(p);
}

/* --------------------------------------------------------- detection -- */

Test(formats, docx_that_is_not_a_zip_is_skipped) {
    fg_format_doc_t d;
    char err[256];
    char *p = tu_write_str(dir, "brief.docx", "Das ist nur Text, kein Word-Dokument.\n");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_SKIPPED);
    cr_assert_str_eq(err, "not a zip archive");
    cr_assert_null(d.text);
    free(p);
}

Test(formats, plain_text_is_not_a_format) {
    fg_format_doc_t d;
    char err[256];
    char *p = tu_write_str(dir, "a.txt", "Nur Text.\n");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_SKIPPED);
    cr_assert_str_eq(err, "not a supported format");
    free(p);
}

Test(formats, content_decides_not_the_extension) {
    fg_format_doc_t d;
    char err[256];
    /* a PDF named .txt is read as PDF, a DOCX named .html as DOCX */
    cr_assert_eq(extract_lim(FIXTURES "sample-lo.pdf", "notiz.txt", NULL, &d, err, sizeof err),
                 FG_OK, "%s", err);
    cr_assert_eq(d.type, FG_DOCTYPE_PDF);
    fg_format_doc_free(&d);
    cr_assert_eq(extract_lim(FIXTURES "sample.docx", "seite.html", NULL, &d, err, sizeof err),
                 FG_OK, "%s", err);
    cr_assert_eq(d.type, FG_DOCTYPE_DOCX);
    fg_format_doc_free(&d);
}

Test(formats, max_text_truncates) {
    fg_format_doc_t d;
    char err[256];
    fg_format_limits_t lim;
    fg_format_limits_default(&lim);
    lim.max_text = 40;
    cr_assert_eq(extract_lim(FIXTURES "sample.html", NULL, &lim, &d, err, sizeof err), FG_OK, "%s",
                 err);
    cr_assert(d.truncated);
    cr_assert_leq(d.text_len, 40);
    cr_assert_gt(d.text_len, 30);
    fg_format_doc_free(&d);
}

Test(formats, html_undeclared_windows_1252) {
    fg_format_doc_t d;
    char err[256];
    char *p = tu_write_str(dir, "alt.html",
                           "<html><body><p>M\xFCllabfuhr \x84gro\xDF\x93</p></body></html>");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.text, "Müllabfuhr „groß“\n");
    fg_format_doc_free(&d);
    free(p);
}
