/*
 * fmt_pdf.c - PDF with poppler-glib: the text of every page (page starts
 * kept in c->pages), Info title, author and creation date.  A PDF that needs
 * a user password is skipped as "encrypted"; one with only an owner password
 * opens without one and is read.
 */
#include <errno.h>
#include <poppler.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>

#include "extract/fmt_internal.h"

/* Writes a time_t as the document date (UTC). */
static void pdf_date(fg_fmt_ctx_t *c, time_t t) {
    struct tm tm;
    char buf[16];
    if (t <= 0 || !gmtime_r(&t, &tm))
        return;
    if (strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 10)
        fg_fmt_date(c, buf);
}

/* Extracts a PDF from fd; see fmt_internal.h. */
fg_status_t fg_fmt_pdf(fg_fmt_ctx_t *c, int fd) {
    GError *gerr = NULL;
    if (lseek(fd, 0, SEEK_SET) < 0)
        return fg_fmt_fail(c, FG_IO, "seek: %s", strerror(errno));
    int dfd = dup(fd); /* poppler owns and closes the descriptor it gets */
    if (dfd < 0)
        return fg_fmt_fail(c, FG_IO, "dup: %s", strerror(errno));
    PopplerDocument *doc = poppler_document_new_from_fd(dfd, NULL, &gerr);
    if (!doc) {
        fg_status_t st;
        if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
            st = fg_fmt_fail(c, FG_SKIPPED, "encrypted");
        else
            st = fg_fmt_fail(c, FG_CORRUPT, "PDF: %s", gerr ? gerr->message : "unreadable");
        if (gerr)
            g_error_free(gerr);
        return st;
    }
    fg_status_t st = FG_OK;
    int n = poppler_document_get_n_pages(doc);
    for (int i = 0; i < n && st == FG_OK && !c->truncated; i++) {
        st = fg_fmt_page(c);
        if (st != FG_OK)
            break;
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page)
            continue;
        char *text = poppler_page_get_text(page);
        if (text) {
            /* NFC page by page, so the page offsets stay true */
            char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)text);
            const char *t = nfc ? nfc : text;
            fg_fmt_lines(c, t, strlen(t));
            free(nfc);
            g_free(text);
        }
        fg_fmt_newline(c);
        g_object_unref(page);
    }
    if (st == FG_OK) {
        char *title = poppler_document_get_title(doc);
        char *author = poppler_document_get_author(doc);
        if (title)
            st = fg_fmt_meta(&c->title, title, strlen(title));
        if (st == FG_OK && author)
            st = fg_fmt_meta(&c->author, author, strlen(author));
        g_free(title);
        g_free(author);
        pdf_date(c, poppler_document_get_creation_date(doc));
    }
    g_object_unref(doc);
    return st;
}
