/*
 * test_mail.c - the mail parser of extract/fmt_mail.c through
 * fg_format_extract(): messages made by Python's email package
 * (tests/extract/fixtures/mail/make-mail.py) and hostile ones made here.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract/format.h"
#include "testutil.h"

#define MAIL FG_SOURCE_DIR "/tests/extract/fixtures/mail/"

static char *dir;

static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
}

static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
}

TestSuite(mail, .init = setup, .fini = teardown, .timeout = 120);

/* Extracts path with lim (NULL: defaults); asserts success. */
static void extract(const char *path, const fg_format_limits_t *lim, fg_format_doc_t *d) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0, "open %s", path);
    char err[256];
    fg_status_t st = fg_format_extract(fd, path, lim, d, err, sizeof err);
    close(fd);
    cr_assert_eq(st, FG_OK, "%s: %s (%s)", path, fg_status_str(st), err);
    cr_assert_eq(d->type, FG_DOCTYPE_EML, "%s", path);
    cr_assert_eq(strlen(d->text), d->text_len);
}

/* Asserts that s holds (or lacks) sub. */
#define has(s, sub) cr_assert(strstr((s), (sub)) != NULL, "no \"%s\" in:\n%s", (sub), (s))
#define lacks(s, sub) cr_assert(strstr((s), (sub)) == NULL, "\"%s\" in:\n%s", (sub), (s))

Test(mail, quoted_printable_german_with_rfc2047_headers) {
    fg_format_doc_t d;
    extract(MAIL "qp-german.eml", NULL, &d);
    cr_assert_str_eq(d.title, "Grüße aus Köln"); /* =?utf-8?b?...?= */
    cr_assert_str_eq(d.from, "Jürgen Größmann <juergen@example.de>");
    cr_assert_str_eq(d.author, d.from, "the sender is the author");
    has(d.to, "Eva Schmidt <eva.schmidt@example.de>");
    has(d.to, "Büro Müller <buero@example.de>"); /* Cc, =?utf-8?q?B=C3=BCro...?= */
    cr_assert_str_eq(d.date, "2024-07-15");
    /* a soft line break ("st=\nellen") joins the word again */
    has(d.text, "die Müllabfuhr kommt donnerstags. Bitte die Tonnen an die Straße stellen.\n");
    has(d.text, "\nViele Grüße\n");
    cr_assert_eq(d.npages, 0, "no attachment");
    cr_assert_str_eq(d.parts, "");
    cr_assert_str_eq(d.notes, "");
    fg_format_doc_free(&d);
}

Test(mail, pdf_attachment_is_extracted_as_its_page) {
    fg_format_doc_t d;
    extract(MAIL "pdf-attachment.eml", NULL, &d);
    cr_assert_str_eq(d.title, "Rechnung Juli");
    cr_assert_str_eq(d.date, "2024-07-31");
    cr_assert_eq(d.npages, 2, "the message and its attachment");
    cr_assert_eq(d.pages[0], 0);
    cr_assert_str_eq(d.parts, "rechnung.pdf\n");
    const char *att = d.text + d.pages[1];
    cr_assert(strncmp(att, "Anhang: rechnung.pdf\n", 21) == 0, "%s", att);
    has(att, "Die Fußnote nennt den Abfallkalender."); /* the PDF's own text */
    cr_assert(strstr(d.text, "Anbei die Rechnung") < att, "the body comes first");
    fg_format_doc_free(&d);
}

Test(mail, html_only_goes_through_the_html_parser) {
    fg_format_doc_t d;
    extract(MAIL "html-only.eml", NULL, &d);
    cr_assert_str_eq(d.title, "Einladung zum Sommerfest", "the subject, not <title>");
    has(d.text, "Wir laden herzlich zum Sommerfest im Biergarten ein.");
    lacks(d.text, "<b>");
    lacks(d.text, "ignoriert");
    fg_format_doc_free(&d);
}

Test(mail, alternative_reads_the_plain_text_only) {
    fg_format_doc_t d;
    extract(MAIL "alternative.eml", NULL, &d);
    has(d.text, "Das Protokoll der Sitzung liegt im Ordner Verwaltung.");
    lacks(d.text, "Nurimhtml");
    fg_format_doc_free(&d);
}

Test(mail, charsets_iso_8859_15_and_windows_1252) {
    fg_format_doc_t d;
    extract(MAIL "latin9.eml", NULL, &d);
    cr_assert_str_eq(d.title, "Preis für die Fußmatte");     /* =?iso-8859-15?q?...?= */
    has(d.text, "Der Preis beträgt 42 € für die Fußmatte."); /* 0xA4 is € in Latin-9 */
    /* Python wrapped the whole "Name <address>" in one encoded word */
    cr_assert_str_eq(d.to, "Jürgen Größmann <juergen@example.de>");
    fg_format_doc_free(&d);
    extract(MAIL "cp1252.eml", NULL, &d); /* declared iso-8859-1, written by Windows */
    has(d.text, "Das \xE2\x80\x9E"
                "Angebot\xE2\x80\x9C gilt bis Freitag.");
    fg_format_doc_free(&d);
}

Test(mail, zip_bomb_attachment_is_a_noted_skip_and_the_rest_indexed) {
    fg_format_limits_t lim;
    fg_format_limits_default(&lim);
    lim.max_inflate = 1u << 20; /* bombe.docx inflates to 4 MiB */
    fg_format_doc_t d;
    extract(MAIL "zipbomb.eml", &lim, &d);
    has(d.notes, "attachment bombe.docx: zip bomb");
    has(d.text, "Die Unterlagen für den Bauantrag hängen an.");
    cr_assert_str_eq(d.parts, "hinweise.odt\n", "only the good attachment is a part");
    cr_assert_eq(d.npages, 2);
    has(d.text + d.pages[1], "Die Müllabfuhr kommt donnerstags.");
    fg_format_doc_free(&d);
}

Test(mail, attached_text_file_is_a_part_in_its_charset) {
    fg_format_doc_t d;
    extract(MAIL "text-attachment.eml", NULL, &d);
    cr_assert_str_eq(d.parts, "notizen.txt\n");
    cr_assert_eq(d.npages, 2);
    has(d.text + d.pages[1], "Anhang: notizen.txt\nEinkauf: Äpfel, Brötchen, Käse.");
    fg_format_doc_free(&d);
}

Test(mail, broken_boundary_is_noted_and_read_as_text) {
    fg_format_doc_t d;
    extract(MAIL "broken-boundary.eml", NULL, &d);
    cr_assert_str_eq(d.title, "Kaputte Grenze");
    has(d.notes, "multipart without its boundary");
    has(d.text, "Dieser Text steht im ersten Teil.");
    fg_format_doc_free(&d);
}

Test(mail, forwarded_message_is_read_one_level_deep) {
    fg_format_doc_t d;
    extract(MAIL "forwarded.eml", NULL, &d);
    cr_assert_str_eq(d.title, "WG: Baustelle Hauptstraße");
    cr_assert_str_eq(d.parts, "Baustelle Hauptstraße.eml\n");
    has(d.text + d.pages[1], "Die Baustelle in der Hauptstraße dauert bis August.");
    lacks(d.text, "Tiefergelegt"); /* the message inside the attached one */
    has(d.notes, "a message inside an attached message, skipped");
    fg_format_doc_free(&d);
}

Test(mail, ten_thousand_parts_are_capped_with_a_note) {
    size_t cap = 10000 * 120 + 1024, n = 0;
    char *m = malloc(cap);
    cr_assert(m);
    n += (size_t)snprintf(m + n, cap - n,
                          "From: a@example.de\nTo: b@example.de\nSubject: Viele Teile\n"
                          "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n");
    for (int i = 0; i < 10000; i++)
        n += (size_t)snprintf(
            m + n, cap - n, "--b\nContent-Type: text/plain; charset=utf-8\n\nTeil%d ist da.\n", i);
    n += (size_t)snprintf(m + n, cap - n, "--b--\n");
    char *p = tu_write(dir, "teile.eml", m, n);
    free(m);
    fg_format_doc_t d;
    extract(p, NULL, &d);
    has(d.text, "Teil0 ist da.");
    has(d.text, "Teil999 ist da.");
    lacks(d.text, "Teil1000 ist da.");
    has(d.notes, "more than 1000 MIME parts: the rest skipped");
    fg_format_doc_free(&d);
    free(p);
}

Test(mail, header_of_10_mb_is_read_and_the_body_kept) {
    size_t cap = (11u << 20), n = 0;
    char *m = malloc(cap);
    cr_assert(m);
    n += (size_t)snprintf(m + n, cap - n, "From: a@example.de\nSubject: Langer Kopf\nX-Lang: ");
    while (n < (10u << 20)) /* one header field folded over 10 MB */
        n += (size_t)snprintf(m + n, cap - n, "wort wort wort wort wort wort wort wort\n ");
    n += (size_t)snprintf(m + n, cap - n, "ende\nTo: b@example.de\n\nNach dem langen Kopf.\n");
    char *p = tu_write(dir, "kopf.eml", m, n);
    free(m);
    fg_format_doc_t d;
    extract(p, NULL, &d);
    cr_assert_str_eq(d.title, "Langer Kopf");
    cr_assert_str_eq(d.to, "b@example.de", "the field after it is read");
    has(d.text, "Nach dem langen Kopf.");
    has(d.notes, "byte 40: header field of 10485763 bytes, skipped"); /* X-Lang */
    fg_format_doc_free(&d);
    free(p);
}

Test(mail, mail_is_told_from_text_by_its_first_lines) {
    static const char mail[] = "Return-Path: <a@example.de>\nReceived: from x\n by y\n"
                               "From: a@example.de\nSubject: Maildir\n\nText im Maildir.\n";
    char *p = tu_write_str(dir, "1720000000.M1P2.host:2,S", mail);
    fg_format_doc_t d;
    extract(p, NULL, &d); /* no extension: detected by the content */
    cr_assert_str_eq(d.title, "Maildir");
    has(d.text, "Text im Maildir.");
    fg_format_doc_free(&d);
    free(p);
    /* Python's MIMEText writes Content-Type first */
    p = tu_write_str(dir, "1720000001.M2P2.host",
                     "Content-Type: text/plain\nMIME-Version: 1.0\nSubject: Zweite\n\nText.\n");
    extract(p, NULL, &d);
    cr_assert_str_eq(d.title, "Zweite");
    fg_format_doc_free(&d);
    free(p);
    p = tu_write_str(dir, "notiz", "Subject: nur eine Zeile\n\nund Text\n");
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    char err[256];
    cr_assert_eq(fg_format_extract(fd, p, NULL, &d, err, sizeof err), FG_SKIPPED,
                 "one header-like line is no mail");
    close(fd);
    free(p);
    p = tu_write_str(dir, "liste", "Name: Eva\nOrt: Köln\nTelefon: 123\n\nText\n");
    fd = open(p, O_RDONLY | O_CLOEXEC);
    cr_assert_eq(fg_format_extract(fd, p, NULL, &d, err, sizeof err), FG_SKIPPED,
                 "\"Name: value\" lines without a mail's header are no mail");
    close(fd);
    free(p);
}

Test(mail, mbox_of_several_messages_is_refused_for_now) {
    int fd = open(MAIL "mbox-3", O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0);
    fg_format_doc_t d;
    char err[256];
    cr_assert_eq(fg_format_extract(fd, "Posteingang", NULL, &d, err, sizeof err), FG_SKIPPED);
    cr_assert_str_eq(err, "an mbox of several messages (not read yet)");
    close(fd);
    /* one message after a "From " line is read */
    char *p = tu_write_str(dir, "eine",
                           "From a@example.de Mon Jul 15 10:00:00 2024\n"
                           "From: a@example.de\nSubject: Eine\nDate: Mon, 15 Jul "
                           "2024 10:00:00 +0200\n\nNur eine Nachricht.\n");
    extract(p, NULL, &d);
    cr_assert_str_eq(d.title, "Eine");
    has(d.text, "Nur eine Nachricht.");
    fg_format_doc_free(&d);
    free(p);
}
