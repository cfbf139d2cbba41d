/*
 * fmt_pdf.c - PDF with poppler-glib: the text of every page (page starts
 * kept in c->pages), Info title, author and creation date.  A PDF that needs
 * a user password is skipped as "encrypted"; one with only an owner password
 * opens without one and is read.
 */
#include <errno.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Above this size a PDF must end with %%EOF in its last 64 KiB: poppler
 * repairs a file without one by scanning all of it, which costs minutes for
 * gigabytes (a small damaged file is still worth the repair). */
#define FG_PDF_REPAIR_MAX ((off_t)64 << 20)

/* Refuses a big file whose end holds no %%EOF; FG_OK otherwise. */
static fg_status_t check_trailer(fg_fmt_ctx_t *c, const fg_fmt_src_t *src) {
    int64_t size = fg_src_size(src);
    if (size < 0)
        return fg_fmt_fail(c, FG_IO, "stat: %s", strerror(errno));
    if (size <= FG_PDF_REPAIR_MAX)
        return FG_OK;
    size_t tl = 65536;
    char *tail = malloc(tl);
    if (!tail)
        return FG_NOMEM;
    ssize_t n = fg_src_pread(src, tail, tl, (uint64_t)size - tl);
    bool found = n > 0 && memmem(tail, (size_t)n, "%%EOF", 5) != NULL;
    free(tail);
    if (n < 0)
        return fg_fmt_fail(c, FG_IO, "read: %s", strerror(errno));
    if (found)
        return FG_OK;
    return fg_fmt_fail(c, FG_CORRUPT, "truncated PDF: no %%%%EOF in the last 64 KiB");
}

/* Opens the PDF in src with poppler; NULL with *gerr set on failure. */
static PopplerDocument *open_pdf(fg_fmt_ctx_t *c, const fg_fmt_src_t *src, GError **gerr,
                                 fg_status_t *st) {
    *st = FG_OK;
    if (src->data) {
        GBytes *bytes = g_bytes_new_static(src->data, src->len);
        PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, gerr);
        g_bytes_unref(bytes); /* the document holds its own reference */
        return doc;
    }
    if (lseek(src->fd, 0, SEEK_SET) < 0) {
        *st = fg_fmt_fail(c, FG_IO, "seek: %s", strerror(errno));
        return NULL;
    }
    int dfd = dup(src->fd); /* poppler owns and closes the descriptor it gets */
    if (dfd < 0) {
        *st = fg_fmt_fail(c, FG_IO, "dup: %s", strerror(errno));
        return NULL;
    }
    return poppler_document_new_from_fd(dfd, NULL, gerr);
}

/* Extracts a PDF from src; see fmt_internal.h. */
fg_status_t fg_fmt_pdf(fg_fmt_ctx_t *c, const fg_fmt_src_t *src) {
    GError *gerr = NULL;
    fg_status_t tst = check_trailer(c, src);
    if (tst != FG_OK)
        return tst;
    PopplerDocument *doc = open_pdf(c, src, &gerr, &tst);
    if (tst != FG_OK)
        return tst;
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
