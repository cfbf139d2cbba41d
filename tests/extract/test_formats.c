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
    /* the one table: extensions, MIME types, which go to the sandbox */
    cr_assert_eq(fg_doctype_of_extension("PDF"), FG_DOCTYPE_PDF);
    cr_assert_eq(fg_doctype_of_extension("htm"), FG_DOCTYPE_HTML);
    cr_assert_eq(fg_doctype_of_extension("ott"), FG_DOCTYPE_ODT);
    cr_assert_eq(fg_doctype_of_extension("markdown"), FG_DOCTYPE_MARKDOWN);
    cr_assert_eq(fg_doctype_of_extension("exe"), FG_DOCTYPE_UNKNOWN);
    cr_assert_eq(fg_doctype_of_extension(""), FG_DOCTYPE_UNKNOWN);
    for (int t = FG_DOCTYPE_UNKNOWN + 1; t < FG_DOCTYPE_LAST_; t++)
        cr_assert_eq((int)fg_doctype_of_extension(fg_doctype_name((fg_doctype_t)t)), t,
                     "every type name is an extension of it");
    cr_assert_str_eq(fg_doctype_mime(FG_DOCTYPE_EPUB), "application/epub+zip");
    cr_assert_str_eq(fg_doctype_mime(FG_DOCTYPE_TEXT), "text/plain");
    cr_assert(fg_doctype_sandboxed(FG_DOCTYPE_RTF));
    cr_assert(!fg_doctype_sandboxed(FG_DOCTYPE_MARKDOWN));
    cr_assert(!fg_doctype_sandboxed(FG_DOCTYPE_LAST_));
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
    /* blanks between inline elements separate words; inline markup glues */
    p = tu_write_str(dir, "c.html",
                     "<html><body><p><b>Erstes</b> <i>Zweites</i></p>\n"
                     "<p><span>a</span>\n<span>b</span> M<b>ü</b>ll</p></body></html>");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.text, "Erstes Zweites\na b Müll\n");
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

Test(formats, html_by_its_signature_whatever_the_name) {
    fg_format_doc_t d;
    char err[256];
    /* a doctype after a BOM and blank lines, in any case, named .dat */
    char *p = tu_write_str(dir, "seite.dat",
                           "\xEF\xBB\xBF\n  <!DocType HTML>\n<title>Gr\xC3\xBC\xC3\x9F"
                           "e</title><p>Inhalt der Seite</p>\n");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(d.type, FG_DOCTYPE_HTML);
    cr_assert_str_eq(d.title, "Grüße");
    cr_assert_text_has(&d, "Inhalt der Seite");
    cr_assert(strstr(d.text, "DocType") == NULL, "markup in the text: %s", d.text);
    fg_format_doc_free(&d);
    free(p);
}

Test(formats, decomposed_text_is_composed_but_latin_text_is_kept) {
    fg_format_doc_t d;
    char err[256];
    /* u + combining diaeresis (NFD, as macOS writes names) becomes ü */
    char *p = tu_write_str(dir, "nfd.html",
                           "<!doctype html><p>Gru\xCC\x88\xC3\x9F"
                           "e und \xC3\xA4</p>\n");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.text, "Grüße und ä\n");
    fg_format_doc_free(&d);
    free(p);
    /* past U+0300 too: a decomposed letter after quotes and a dash */
    p = tu_write_str(dir, "nfd2.html",
                     "<!doctype html><p>\xE2\x80\x9E"
                     "Anfu\xCC\x88hrung\xE2\x80\x9C \xE2\x80\x93 "
                     "\xE2\x82\xAC</p>\n");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.text, "„Anführung“ – €\n");
    fg_format_doc_free(&d);
    free(p);
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
    /* a byte Windows-1252 leaves unassigned (0x8D) does not stop the text */
    p = tu_write_str(dir, "alt2.html", "<html><body><p>Gr\xFC\xDF \x8D Ende</p></body></html>");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert(strncmp(d.text, "Grüß ", 6) == 0 && strstr(d.text, " Ende\n"), "%s", d.text);
    fg_format_doc_free(&d);
    free(p);
}

/* ------------------------------------------------------ zip fixtures -- */

Test(formats, odt_pandoc) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.odt", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_ODT);
    cr_assert_str_eq(d.title, "Hinweise zur Müllabfuhr");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_str_eq(d.date, "2024-07-15"); /* pandoc's date property before the creation date */
    cr_assert_text_has(&d,
                       "\nDas Partnerschaftsformat\nDie Müllabfuhr kommt donnerstags. Bitte die "
                       "Tonnen an die Straße stellen.\nFür Rückfragen");
    fg_format_doc_free(&d);
}

Test(formats, ods_libreoffice_one_line_per_row) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.ods", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_ODS);
    cr_assert_str_eq(d.title, "Abfuhrplan der Städte");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_str_eq(d.date, "2024-07-15");
    cr_assert_text_has(&d, "Stadt Müllabfuhr Größe\nKöln Donnerstag groß\nLübeck Freitag "
                           "Partnerschaftsformat\n");
    fg_format_doc_free(&d);
}

Test(formats, odp_libreoffice) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.odp", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_ODP);
    cr_assert_str_eq(d.title, "Abfuhrplan der Städte");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_text_has(&d, "Das Partnerschaftsformat\nDie Müllabfuhr kommt donnerstags.\n");
    cr_assert_text_has(&d, "Das Bürgerbüro hilft bei Größe und Maß.");
    fg_format_doc_free(&d);
}

Test(formats, docx_pandoc) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.docx", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_DOCX);
    cr_assert_str_eq(d.title, "Hinweise zur Müllabfuhr");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_str_eq(d.date, "2026-12-03"); /* dcterms:created of the committed file */
    cr_assert_text_has(&d,
                       "\nDas Partnerschaftsformat\nDie Müllabfuhr kommt donnerstags. Bitte die "
                       "Tonnen an die Straße stellen.\nFür Rückfragen");
    fg_format_doc_free(&d);
}

Test(formats, xlsx_libreoffice_shared_strings) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.xlsx", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_XLSX);
    cr_assert_str_eq(d.title, "Abfuhrplan der Städte");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_str_eq(d.date, "2024-07-15");
    cr_assert_text_has(&d, "Stadt Müllabfuhr Größe\nKöln Donnerstag groß\nLübeck Freitag "
                           "Partnerschaftsformat\n");
    fg_format_doc_free(&d);
}

Test(formats, pptx_libreoffice_slide_order) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.pptx", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_PPTX);
    cr_assert_str_eq(d.title, "Abfuhrplan der Städte");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_text_has(&d, "Das Partnerschaftsformat\nDie Müllabfuhr kommt donnerstags.\n"
                           "Rückfragen\nDas Bürgerbüro hilft bei Größe und Maß.");
    fg_format_doc_free(&d);
}

Test(formats, epub_pandoc_spine_and_opf) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.epub", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_EPUB);
    cr_assert_str_eq(d.title, "Hinweise zur Müllabfuhr");
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    cr_assert_str_eq(d.date, "2024-07-15");
    cr_assert_text_has(&d, "Das Partnerschaftsformat\nDie Müllabfuhr kommt donnerstags.");
    const char *a = strstr(d.text, "Partnerschaftsformat"), *b = strstr(d.text, "zweiter Absatz");
    cr_assert(a && b && a < b, "chapters in spine order");
    fg_format_doc_free(&d);
}

/* --------------------------------------------------------------- PDF -- */

/* Asserts the text of the pandoc sample and one page starting at 0. */
static void assert_pdf_sample(const fg_format_doc_t *d) {
    cr_assert_eq(d->type, FG_DOCTYPE_PDF);
    cr_assert_str_eq(d->title, "Hinweise zur Müllabfuhr");
    cr_assert_str_eq(d->date, "2026-12-03");
    cr_assert_text_has(d, "Das Partnerschaftsformat\nDie Müllabfuhr kommt donnerstags.");
    cr_assert_text_has(d, "Bürgerbüro");
    cr_assert_eq(d->npages, 1);
    cr_assert_eq(d->pages[0], 0);
}

Test(formats, pdf_libreoffice) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample-lo.pdf", &d);
    assert_pdf_sample(&d);
    cr_assert_str_eq(d.author, "Jürgen Größmann");
    fg_format_doc_free(&d);
}

Test(formats, pdf_chromium) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample-chromium.pdf", &d);
    assert_pdf_sample(&d);
    cr_assert_str_eq(d.author, ""); /* chromium writes no Author */
    fg_format_doc_free(&d);
}

Test(formats, pdf_user_password_is_skipped_owner_password_is_read) {
    fg_format_doc_t d;
    char err[256];
    cr_assert_eq(extract_lim(FIXTURES "encrypted-user.pdf", NULL, NULL, &d, err, sizeof err),
                 FG_SKIPPED);
    cr_assert_str_eq(err, "encrypted");
    fixture(FIXTURES "encrypted-owner.pdf", &d);
    cr_assert_text_has(&d, "Partnerschaftsformat");
    fg_format_doc_free(&d);
}

Test(formats, pdf_truncated) {
    size_t len;
    char *pdf = tu_read(FIXTURES "sample-lo.pdf", &len);
    cr_assert(pdf);
    char *p = tu_write(dir, "kaputt.pdf", pdf, 2000);
    free(pdf);
    fg_format_doc_t d;
    char err[256];
    fg_status_t st = extract_lim(p, NULL, NULL, &d, err, sizeof err);
    cr_assert(st == FG_CORRUPT || st == FG_SKIPPED, "%s", fg_status_str(st));
    cr_assert(err[0], "a reason");
    free(p);
}

/* ------------------------------------------------------ hostile zips -- */

/* Writes a zip of n members (names[i], datas[i]) to dir/name; returns its path. */
static char *make_zip(const char *name, const char *const *names, const char *const *datas,
                      size_t n) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert(z);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, datas[i], strlen(datas[i]), 0);
        cr_assert(s);
        cr_assert_geq(zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE), 0);
    }
    cr_assert_eq(zip_close(z), 0);
    return strdup(path);
}

Test(formats, odt_billion_laughs_is_not_expanded) {
    const char *laughs =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>\n"
        "<office:document-content "
        "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
        "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text>"
        "<text:p>Vorher &lol9; nachher</text:p></office:text></office:body>"
        "</office:document-content>";
    const char *names[] = {"mimetype", "content.xml"};
    const char *datas[] = {"application/vnd.oasis.opendocument.text", laughs};
    char *p = make_zip("lol.odt", names, datas, 2);
    fg_format_doc_t d;
    char err[256];
    fg_status_t st = extract_lim(p, NULL, NULL, &d, err, sizeof err);
    cr_assert_eq(st, FG_CORRUPT, "%s", fg_status_str(st));
    cr_assert(strstr(err, "content.xml") && strstr(err, "DTD"), "reason: %s", err);
    free(p);
}

/* n bytes of repeated German text, NUL-terminated (caller frees). */
static char *filler(size_t n) {
    char *s = malloc(n + 1);
    cr_assert(s);
    const char *w = "Müllabfuhr ";
    size_t wl = strlen(w);
    for (size_t i = 0; i < n; i++)
        s[i] = w[i % wl];
    s[n] = '\0';
    if (n > 0 && (s[n - 1] & 0xC0) == 0xC0)
        s[n - 1] = ' ';
    return s;
}

Test(formats, docx_inflating_past_the_cap_is_skipped) {
    char *big = filler(2 << 20);
    char *doc = malloc((2 << 20) + 200);
    cr_assert(doc);
    sprintf(doc,
            "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body>"
            "</w:document>",
            big);
    free(big);
    const char *names[] = {"[Content_Types].xml", "word/document.xml"};
    const char *datas[] = {"<Types/>", doc};
    char *p = make_zip("bombe.docx", names, datas, 2);
    free(doc);
    fg_format_limits_t lim;
    fg_format_limits_default(&lim);
    lim.max_inflate = 100000;
    fg_format_doc_t d;
    char err[256];
    cr_assert_eq(extract_lim(p, NULL, &lim, &d, err, sizeof err), FG_SKIPPED);
    cr_assert(strstr(err, "inflated"), "reason: %s", err);
    cr_assert_str_eq(err, "zip bomb: more than 100000 bytes inflated");
    free(p);
}

Test(formats, docx_total_inflate_counts_every_member) {
    char *part = filler(60000);
    char *doc = malloc(60200);
    cr_assert(doc);
    sprintf(doc, "<w:document xmlns:w=\"w\"><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:document>",
            part);
    free(part);
    const char *names[] = {"word/document.xml", "word/header1.xml"};
    const char *datas[] = {doc, doc};
    char *p = make_zip("zwei.docx", names, datas, 2);
    free(doc);
    fg_format_limits_t lim;
    fg_format_limits_default(&lim);
    lim.max_inflate = 100000; /* each member fits, both do not */
    fg_format_doc_t d;
    char err[256];
    cr_assert_eq(extract_lim(p, NULL, &lim, &d, err, sizeof err), FG_SKIPPED);
    cr_assert(strstr(err, "inflated"), "reason: %s", err);
    lim.max_inflate = 200000;
    cr_assert_eq(extract_lim(p, NULL, &lim, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_text_has(&d, "Müllabfuhr");
    fg_format_doc_free(&d);
    free(p);
}

/* Appends a little-endian integer of n bytes. */
static size_t put_le(unsigned char *b, size_t at, uint32_t v, int n) {
    for (int i = 0; i < n; i++)
        b[at + (size_t)i] = (unsigned char)(v >> (8 * i));
    return at + (size_t)n;
}

/* The zip CRC-32 of n bytes. */
static uint32_t crc32_z_(const char *s, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= (unsigned char)s[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

Test(formats, zip_with_overlapping_entries_is_skipped) {
    /* one stored local entry; two central directory entries point at it */
    static const char body[] =
        "<w:document xmlns:w=\"w\"><w:p><w:r><w:t>x</w:t></w:r></w:p></w:document>";
    const char *names[] = {"word/document.xml", "word/header1.xml"};
    unsigned char b[1024];
    size_t blen = strlen(body), at = 0;
    uint32_t crc = crc32_z_(body, blen);
    at = put_le(b, at, 0x04034b50, 4);
    at = put_le(b, at, 20, 2);
    at = put_le(b, at, 0, 2);
    at = put_le(b, at, 0, 2); /* stored */
    at = put_le(b, at, 0, 4);
    at = put_le(b, at, crc, 4);
    at = put_le(b, at, (uint32_t)blen, 4);
    at = put_le(b, at, (uint32_t)blen, 4);
    at = put_le(b, at, (uint32_t)strlen(names[0]), 2);
    at = put_le(b, at, 0, 2);
    memcpy(b + at, names[0], strlen(names[0]));
    at += strlen(names[0]);
    memcpy(b + at, body, blen);
    at += blen;
    size_t cd = at;
    for (int i = 0; i < 2; i++) {
        at = put_le(b, at, 0x02014b50, 4);
        at = put_le(b, at, 20, 2);
        at = put_le(b, at, 20, 2);
        at = put_le(b, at, 0, 2);
        at = put_le(b, at, 0, 2);
        at = put_le(b, at, 0, 4);
        at = put_le(b, at, crc, 4);
        at = put_le(b, at, (uint32_t)blen, 4);
        at = put_le(b, at, (uint32_t)blen, 4);
        at = put_le(b, at, (uint32_t)strlen(names[i]), 2);
        at = put_le(b, at, 0, 2);
        at = put_le(b, at, 0, 2);
        at = put_le(b, at, 0, 2);
        at = put_le(b, at, 0, 2);
        at = put_le(b, at, 0, 4);
        at = put_le(b, at, 0, 4); /* local header offset: the same for both */
        memcpy(b + at, names[i], strlen(names[i]));
        at += strlen(names[i]);
    }
    size_t cdlen = at - cd;
    at = put_le(b, at, 0x06054b50, 4);
    at = put_le(b, at, 0, 4);
    at = put_le(b, at, 2, 2);
    at = put_le(b, at, 2, 2);
    at = put_le(b, at, (uint32_t)cdlen, 4);
    at = put_le(b, at, (uint32_t)cd, 4);
    at = put_le(b, at, 0, 2);
    char *p = tu_write(dir, "overlap.docx", (const char *)b, at);
    fg_format_doc_t d;
    char err[256];
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_SKIPPED);
    cr_assert_str_eq(err, "zip bomb: overlapping entries");
    free(p);
}

/* --------------------------------------------------------------- RTF -- */

Test(formats, rtf_libreoffice) {
    fg_format_doc_t d;
    fixture(FIXTURES "sample.rtf", &d);
    cr_assert_eq(d.type, FG_DOCTYPE_RTF);
    cr_assert_str_eq(d.title, "Hinweise zur Müllabfuhr");
    cr_assert_str_eq(d.author, "Jürgen Größmann"); /* the first \author only */
    cr_assert_str_eq(d.date, "2026-12-03");
    cr_assert_text_has(&d,
                       "\nDas Partnerschaftsformat\nDie Müllabfuhr kommt donnerstags. Bitte die "
                       "Tonnen an die Straße stellen.\nFür Rückfragen");
    cr_assert_null(strstr(d.text, "Times New Roman"), "the font table is not text");
    cr_assert_null(strstr(d.text, "PAGE"), "field instructions are not text");
    cr_assert_null(strstr(d.text, "Normal"), "the stylesheet is not text");
    fg_format_doc_free(&d);
}

/* Extracts an RTF text written here; returns its text (caller frees). */
static char *rtf_text(const char *rtf) {
    char *p = tu_write_str(dir, "t.rtf", rtf);
    fg_format_doc_t d;
    char err[256];
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(d.type, FG_DOCTYPE_RTF);
    char *t = strdup(d.text);
    fg_format_doc_free(&d);
    free(p);
    return t;
}

Test(formats, rtf_tokens) {
    char *t;
    /* \'xx in the default Windows-1252, \par and \line end lines, \tab is a space */
    t = rtf_text("{\\rtf1\\ansi\\ansicpg1252 M\\'fcllabfuhr\\par Gr\\'f6\\'dfe\\tab \\'84x\\'93"
                 "\\line Ende}");
    cr_assert_str_eq(t, "Müllabfuhr\nGröße „x“\nEnde\n");
    free(t);
    /* \uN with \ucN fallback characters skipped, also \'xx fallbacks; negative N */
    t = rtf_text("{\\rtf1\\uc1 Stra\\u223?e \\uc2 \\u252\\'fc\\'fcber \\u-3\\'3f\\'3f!}");
    cr_assert_str_eq(t, "Straße über \xEF\xBF\xBD!\n");
    free(t);
    /* surrogate pairs become one character */
    t = rtf_text("{\\rtf1 a\\u-10179?\\u-8704?b}");
    cr_assert_str_eq(t, "a\xF0\x9F\x98\x80"
                        "b\n");
    free(t);
    /* \* destinations, pictures, \bin data and escaped braces */
    t = rtf_text("{\\rtf1{\\*\\unbekannt geheim}{\\pict\\pngblt 89504e47}{\\info{\\title T}"
                 "{\\author A}{\\creatim\\yr2023\\mo5\\dy9}}x\\bin2 {}y \\{z\\} \\\\}");
    cr_assert_str_eq(t, "xy {z} \\\n");
    free(t);
    /* another code page through iconv: 850 has \u00FC at 0x81 */
    t = rtf_text("{\\rtf1\\ansi\\ansicpg850 M\\'81ll}");
    cr_assert_str_eq(t, "Müll\n");
    free(t);
}

Test(formats, rtf_info_and_deep_nesting) {
    fg_format_doc_t d;
    char err[256];
    char *p = tu_write_str(dir, "i.rtf",
                           "{\\rtf1{\\info{\\title Der Titel}{\\author Frau "
                           "M\\'fcller}{\\creatim\\yr2023\\mo5\\dy9}}Text}");
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.title, "Der Titel");
    cr_assert_str_eq(d.author, "Frau Müller");
    cr_assert_str_eq(d.date, "2023-05-09");
    cr_assert_str_eq(d.text, "Text\n");
    fg_format_doc_free(&d);
    free(p);
    size_t depth = 100000;
    char *buf = malloc(depth * 2 + 32);
    cr_assert(buf);
    size_t len = (size_t)sprintf(buf, "{\\rtf1 a");
    for (size_t i = 0; i < depth; i++)
        buf[len++] = '{';
    len += (size_t)sprintf(buf + len, "tief");
    for (size_t i = 0; i < depth; i++)
        buf[len++] = '}';
    len += (size_t)sprintf(buf + len, " b}");
    p = tu_write(dir, "tief.rtf", buf, len);
    free(buf);
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_str_eq(d.text, "a b\n", "groups deeper than the limit are skipped: %s", d.text);
    fg_format_doc_free(&d);
    free(p);
}

/* ------------------------------------------------------- descriptors -- */

/* The number of open descriptors of this process. */
static int open_fds(void) {
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) >= 0)
            n++;
    return n;
}

Test(formats, no_descriptor_is_left_open) {
    static const char *const files[] = {
        "sample-lo.pdf", "encrypted-user.pdf", "sample.docx", "sample.odt",
        "sample.epub",   "sample.xlsx",        "sample.rtf",  "sample.html",
    };
    fg_format_doc_t d;
    char err[256];
    int before = open_fds();
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, FIXTURES "%s", files[i]);
        if (extract_lim(path, NULL, NULL, &d, err, sizeof err) == FG_OK)
            fg_format_doc_free(&d);
    }
    size_t len;
    char *pdf = tu_read(FIXTURES "sample-lo.pdf", &len);
    char *p = tu_write(dir, "kaputt.pdf", pdf, 2000);
    cr_assert_neq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK);
    free(pdf);
    free(p);
    cr_assert_eq(open_fds(), before);
}

/* ---------------------------------------------------------- footnotes -- */

Test(formats, footnotes_are_text_in_every_producer) {
    static const char *const files[] = {"sample.docx", "sample.odt", "sample.epub",
                                        "sample.html", "sample.rtf", "sample-lo.pdf"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, FIXTURES "%s", files[i]);
        fg_format_doc_t d;
        fixture(path, &d);
        cr_assert_text_has(&d, "Die Fußnote nennt den Abfallkalender.");
        cr_assert_null(strstr(d.text, "Maß1"), "%s: the note mark glues to the word", files[i]);
        fg_format_doc_free(&d);
    }
    /* ODT and RTF keep the note in the line of its paragraph */
    fg_format_doc_t d;
    fixture(FIXTURES "sample.odt", &d);
    cr_assert_text_has(&d, "Größe und Maß. Die Fußnote nennt den Abfallkalender.\n");
    fg_format_doc_free(&d);
    fixture(FIXTURES "sample.rtf", &d);
    cr_assert_text_has(&d, "Größe und Maß. Die Fußnote nennt den Abfallkalender.\n");
    fg_format_doc_free(&d);
}

Test(formats, docx_headers_footers_footnotes_after_the_body) {
    const char *names[] = {"word/footnotes.xml", "word/footer1.xml", "word/header2.xml",
                           "word/header1.xml", "word/document.xml"};
    const char *datas[] = {
        "<w:footnotes xmlns:w=\"w\"><w:footnote w:type=\"separator\"><w:p><w:r><w:separator/>"
        "</w:r></w:p></w:footnote><w:footnote><w:p><w:r><w:t>Fußnote</w:t></w:r></w:p>"
        "</w:footnote></w:footnotes>",
        "<w:ftr xmlns:w=\"w\"><w:p><w:r><w:t>Fußzeile</w:t></w:r></w:p></w:ftr>",
        "<w:hdr xmlns:w=\"w\"><w:p><w:r><w:t>Kopf zwei</w:t></w:r></w:p></w:hdr>",
        "<w:hdr xmlns:w=\"w\"><w:p><w:r><w:t>Kopf eins</w:t></w:r></w:p></w:hdr>",
        "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Müll</w:t></w:r><w:r><w:t "
        "xml:space=\"preserve\">abfuhr </w:t></w:r><w:r><w:delText>weg</w:delText></w:r>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>heute</w:t></w:r><w:r><w:tab/>"
        "<w:t>Tab</w:t><w:br/><w:t>Zeile</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r>"
        "<w:t>B1</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>A2</w:t></w:r>"
        "</w:p></w:tc></w:tr></w:tbl></w:body></w:document>"};
    char *p = make_zip("teile.docx", names, datas, 5);
    fg_format_doc_t d;
    char err[256];
    cr_assert_eq(extract_lim(p, NULL, NULL, &d, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(d.type, FG_DOCTYPE_DOCX);
    cr_assert_str_eq(d.text, "Müllabfuhr heute Tab\nZeile\nA1 B1\nA2\nKopf eins\nKopf zwei\n"
                             "Fußzeile\nFußnote\n");
    cr_assert_str_eq(d.title, "");
    fg_format_doc_free(&d);
    free(p);
}

Test(formats, sparse_2gb_pdf_is_refused_quickly) {
    char path[4096];
    fg_format_doc_t d;
    char err[256];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    /* a %PDF- header, then 2 GB of nothing: no %%EOF at the end */
    snprintf(path, sizeof path, "%s/gross.pdf", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "%PDF-1.4\n", 9), 9);
    cr_assert_eq(ftruncate(fd, (off_t)2 << 30), 0);
    close(fd);
    cr_assert_eq(extract_lim(path, NULL, NULL, &d, err, sizeof err), FG_CORRUPT);
    cr_assert_str_eq(err, "truncated PDF: no %%EOF in the last 64 KiB");
    /* all zeros named .pdf */
    snprintf(path, sizeof path, "%s/leer.pdf", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)2 << 30), 0);
    close(fd);
    cr_assert_eq(extract_lim(path, NULL, NULL, &d, err, sizeof err), FG_SKIPPED);
    cr_assert_str_eq(err, "not a PDF: no %PDF- header");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_assert_lt(t1.tv_sec - t0.tv_sec, 5);
}
