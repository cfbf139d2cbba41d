/*
 * format.c - type detection, dispatch to the parsers, the text buffer with
 * its cap, metadata helpers and the doctype names of format.h.
 */
#include "extract/format.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/parser.h>
#include <magic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utf8proc.h>

#include "extract/fmt_internal.h"

/* How many leading bytes libmagic and our own sniffing look at. */
#define FG_SNIFF_BYTES 4096
/* Biggest HTML or RTF file read into memory; larger ones are skipped. */
#define FG_MAX_MARKUP ((size_t)256 << 20)

/* Type names, default limits and fg_format_doc_free() are in format_doc.c. */

/* ---------------------------------------------------------------- text -- */

/* Appends one byte, growing the buffer; sets truncated at the cap. */
static void put_byte(fg_fmt_ctx_t *c, char ch) {
    if (c->truncated || c->nomem)
        return;
    if (c->len + 1 > c->lim->max_text) {
        c->truncated = true;
        return;
    }
    if (c->len + 2 > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 4096;
        char *n = realloc(c->text, ncap);
        if (!n) {
            c->nomem = true;
            return;
        }
        c->text = n;
        c->cap = ncap;
    }
    c->text[c->len++] = ch;
}

/* Appends s; whitespace runs become one pending space; '\n' ends the line
 * when lines is set. */
static void add_text(fg_fmt_ctx_t *c, const char *s, size_t n, bool lines) {
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\n' && lines) {
            fg_fmt_newline(c);
        } else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' ||
                   ch == '\v' || ch == 0) {
            fg_fmt_space(c);
        } else {
            if (c->pending_space)
                put_byte(c, ' ');
            c->pending_space = false;
            c->line_start = false;
            put_byte(c, (char)ch);
        }
    }
}

/* Appends text; see fmt_internal.h. */
void fg_fmt_text(fg_fmt_ctx_t *c, const char *s, size_t n) {
    add_text(c, s, n, false);
}

/* Appends text whose newlines end lines. */
void fg_fmt_lines(fg_fmt_ctx_t *c, const char *s, size_t n) {
    add_text(c, s, n, true);
}

/* Marks a word break. */
void fg_fmt_space(fg_fmt_ctx_t *c) {
    if (!c->line_start)
        c->pending_space = true;
}

/* Ends the line unless it is empty. */
void fg_fmt_newline(fg_fmt_ctx_t *c) {
    if (!c->line_start)
        put_byte(c, '\n');
    c->line_start = true;
    c->pending_space = false;
}

/* Records a page start. */
fg_status_t fg_fmt_page(fg_fmt_ctx_t *c) {
    if (c->npages == c->pages_cap) {
        size_t ncap = c->pages_cap ? c->pages_cap * 2 : 16;
        uint32_t *n = realloc(c->pages, ncap * sizeof *n);
        if (!n)
            return FG_NOMEM;
        c->pages = n;
        c->pages_cap = ncap;
    }
    c->pages[c->npages++] = (uint32_t)(c->len > UINT32_MAX ? UINT32_MAX : c->len);
    return FG_OK;
}

/* Stores a collapsed copy of s in *field unless already set or s is blank. */
fg_status_t fg_fmt_meta(char **field, const char *s, size_t n) {
    if (*field || !s)
        return FG_OK;
    char *out = malloc(n + 1);
    if (!out)
        return FG_NOMEM;
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == 0)
            break;
        if (isspace(ch)) {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = (char)ch;
    }
    out[o] = '\0';
    if (o == 0) {
        free(out);
        return FG_OK;
    }
    *field = out;
    return FG_OK;
}

/* Copies n digits from s into d, returning false if any is not a digit. */
static bool digits(const char *s, size_t n, char *d) {
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        d[i] = s[i];
    }
    return true;
}

/* Normalises a date into c->date (first one found wins). */
void fg_fmt_date(fg_fmt_ctx_t *c, const char *s) {
    char y[4], m[2], d[2];
    if (c->date[0] || !s)
        return;
    while (isspace((unsigned char)*s))
        s++;
    if (strncmp(s, "D:", 2) == 0)
        s += 2;
    if (!digits(s, 4, y))
        return;
    s += 4;
    bool dash = *s == '-';
    if (dash)
        s++;
    if (!digits(s, 2, m) || m[0] > '1' || (m[0] == '0' && m[1] == '0') ||
        (m[0] == '1' && m[1] > '2'))
        return;
    s += 2;
    if (dash ? *s == '-' : true) {
        const char *t = dash ? s + 1 : s;
        if (digits(t, 2, d) && d[0] <= '3' && !(d[0] == '0' && d[1] == '0')) {
            snprintf(c->date, sizeof c->date, "%.4s-%.2s-%.2s", y, m, d);
            return;
        }
    }
    snprintf(c->date, sizeof c->date, "%.4s-%.2s", y, m);
}

/* Formats a reason into c->err; returns st. */
fg_status_t fg_fmt_fail(fg_fmt_ctx_t *c, fg_status_t st, const char *fmt, ...) {
    if (c->err && c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return st;
}

/* ----------------------------------------------------------- detection -- */

/* Whether the type lives in a zip archive. */
static bool is_zip_type(fg_doctype_t t) {
    return t == FG_DOCTYPE_ODT || t == FG_DOCTYPE_ODS || t == FG_DOCTYPE_ODP ||
           t == FG_DOCTYPE_DOCX || t == FG_DOCTYPE_XLSX || t == FG_DOCTYPE_PPTX ||
           t == FG_DOCTYPE_EPUB;
}

/* libmagic loaded once by fg_format_preload() (the helper, before it forks
 * its children), else NULL: each sniff() loads its own. */
static magic_t preloaded_magic;

/* Opens and loads libmagic with the tests sniff() needs; NULL when it
 * cannot. */
static magic_t open_magic(void) {
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF |
                           MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_CDF | MAGIC_NO_CHECK_APPTYPE |
                           MAGIC_NO_CHECK_TOKENS | MAGIC_NO_CHECK_JSON | MAGIC_NO_CHECK_CSV);
    if (m && magic_load(m, NULL) != 0) {
        magic_close(m);
        m = NULL;
    }
    return m;
}

/* Loads what every extraction needs once (see format.h). */
void fg_format_preload(void) {
    if (!preloaded_magic)
        preloaded_magic = open_magic();
    xmlInitParser();
    fg_fmt_mail_preload();
}

/* True when b starts, after a UTF-8 BOM and whitespace, with an HTML
 * doctype or an <html> tag: what libmagic's own HTML tests look for first,
 * at a small part of their cost. */
static bool html_signature(const unsigned char *b, size_t n) {
    size_t i = 0;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        i = 3;
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i++;
    static const char *const starts[] = {"<!doctype html", "<html"};
    for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
        size_t len = strlen(starts[k]);
        if (n - i > len && strncasecmp((const char *)b + i, starts[k], len) == 0 &&
            (b[i + len] == '>' || isspace(b[i + len])))
            return true;
    }
    return false;
}

/* The content family of the first bytes by libmagic (MIME type), limited to
 * the tests we need; our own signatures decide when libmagic is unavailable.
 * Returns PDF, RTF, HTML, TEXT, EPUB (standing for "a zip") or UNKNOWN. */
static fg_doctype_t sniff(const unsigned char *b, size_t n) {
    /* a signature at offset 0 is what libmagic would say too (its tests
     * for these are the same bytes, and a zip of any kind is a zip here):
     * skip it, it costs as much as parsing a small file */
    if (n >= 4 && memcmp(b, "PK\3\4", 4) == 0)
        return FG_DOCTYPE_EPUB;
    if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
        return FG_DOCTYPE_PDF;
    if (n >= 5 && memcmp(b, "{\\rtf", 5) == 0)
        return FG_DOCTYPE_RTF;
    if (html_signature(b, n))
        return FG_DOCTYPE_HTML;
    const char *mime = NULL;
    magic_t m = preloaded_magic ? preloaded_magic : open_magic();
    if (m)
        mime = magic_buffer(m, b, n);
    fg_doctype_t t = FG_DOCTYPE_UNKNOWN;
    if (mime) {
        if (strcmp(mime, "application/pdf") == 0)
            t = FG_DOCTYPE_PDF;
        else if (strcmp(mime, "text/rtf") == 0 || strcmp(mime, "application/rtf") == 0)
            t = FG_DOCTYPE_RTF;
        else if (strcmp(mime, "text/html") == 0 || strcmp(mime, "application/xhtml+xml") == 0)
            t = FG_DOCTYPE_HTML;
        else if (strcmp(mime, "application/zip") == 0 ||
                 strcmp(mime, "application/epub+zip") == 0 ||
                 strncmp(mime, "application/vnd.oasis.opendocument.", 35) == 0 ||
                 strncmp(mime, "application/vnd.openxmlformats-officedocument.", 46) == 0)
            t = FG_DOCTYPE_EPUB;
        else if (strncmp(mime, "text/", 5) == 0)
            t = FG_DOCTYPE_TEXT;
    }
    if (m && m != preloaded_magic)
        magic_close(m);
    if (t != FG_DOCTYPE_UNKNOWN && t != FG_DOCTYPE_TEXT)
        return t;
    /* libmagic missing or unsure: the signatures themselves */
    if (n >= 4 && memcmp(b, "PK\3\4", 4) == 0)
        return FG_DOCTYPE_EPUB;
    if (n >= 5 && memmem(b, n < 1024 ? n : 1024, "%PDF-", 5))
        return FG_DOCTYPE_PDF;
    if (n >= 5 && memcmp(b, "{\\rtf", 5) == 0)
        return FG_DOCTYPE_RTF;
    return t;
}

/* ------------------------------------------------------------- sources -- */

/* Reads from a file or a buffer (see fmt_internal.h). */
ssize_t fg_src_pread(const fg_fmt_src_t *s, void *buf, size_t n, uint64_t off) {
    if (s->data) {
        if (off >= s->len)
            return 0;
        size_t k = s->len - (size_t)off < n ? s->len - (size_t)off : n;
        memcpy(buf, s->data + off, k);
        return (ssize_t)k;
    }
    ssize_t r;
    do
        r = pread(s->fd, buf, n, (off_t)off);
    while (r < 0 && errno == EINTR);
    return r;
}

/* The size of a file or a buffer (see fmt_internal.h). */
int64_t fg_src_size(const fg_fmt_src_t *s) {
    if (s->data)
        return (int64_t)s->len;
    struct stat st;
    return fstat(s->fd, &st) == 0 ? (int64_t)st.st_size : -1;
}

/* Reads all of src into a NUL-terminated buffer. */
static fg_status_t read_all(fg_fmt_ctx_t *c, const fg_fmt_src_t *src, char **out, size_t *outlen) {
    if (src->data && src->len > FG_MAX_MARKUP)
        return fg_fmt_fail(c, FG_SKIPPED, "too big: more than %zu MiB of markup",
                           FG_MAX_MARKUP >> 20);
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf)
        return FG_NOMEM;
    for (;;) {
        if (len == cap) {
            if (cap >= FG_MAX_MARKUP) {
                free(buf);
                return fg_fmt_fail(c, FG_SKIPPED, "too big: more than %zu MiB of markup",
                                   FG_MAX_MARKUP >> 20);
            }
            char *n = realloc(buf, cap * 2 + 1);
            if (!n) {
                free(buf);
                return FG_NOMEM;
            }
            buf = n;
            cap *= 2;
        }
        ssize_t r = fg_src_pread(src, buf + len, cap - len, len);
        if (r < 0) {
            free(buf);
            return fg_fmt_fail(c, FG_IO, "read: %s", strerror(errno));
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return FG_OK;
}

/* Cuts the text back to a whole UTF-8 sequence after truncation. */
static void trim_partial_utf8(fg_fmt_ctx_t *c) {
    size_t i = c->len, k = 0;
    while (i > 0 && k < 4 && ((unsigned char)c->text[i - 1] & 0xC0) == 0x80) {
        i--;
        k++;
    }
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)c->text[i - 1];
    size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (k + 1 < need)
        c->len = i - 1;
}

/* True when NFC may change the code point cp, or compose it with the one
 * before: a combining mark, a character with a canonical decomposition,
 * one that takes part in a composition, or Hangul jamo and syllables.
 * Nothing below U+0300 qualifies. */
static bool nfc_may_touch(utf8proc_int32_t cp) {
    if (cp < 0x300)
        return false;
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0xA960 && cp <= 0xA97F) ||
        (cp >= 0xAC00 && cp <= 0xD7FF))
        return true;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    return p->combining_class != 0 || p->decomp_seqindex != UINT16_MAX ||
           p->comb_index != UINT16_MAX;
}

/* True when s (n bytes of UTF-8) is in NFC already, as nearly all German
 * text is: then utf8proc_NFC() (a decomposition and recomposition of every
 * character) is skipped.  False on invalid UTF-8. */
static bool nfc_already(const char *s, size_t n) {
    const utf8proc_uint8_t *b = (const utf8proc_uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        if (b[i] < 0xCC) { /* ASCII, a continuation byte, or below U+0300 */
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(b + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0 || nfc_may_touch(cp))
            return false;
        i += (size_t)k;
    }
    return true;
}

/* Moves the result of c into out, NFC-normalising the text. */
static fg_status_t finish(fg_fmt_ctx_t *c, fg_doctype_t type, fg_format_doc_t *out) {
    if (c->truncated)
        trim_partial_utf8(c);
    if (c->len > 0 && c->text[c->len - 1] != '\n' && !c->truncated)
        put_byte(c, '\n');
    if (c->nomem)
        return FG_NOMEM;
    if (!c->text) {
        c->text = malloc(1);
        if (!c->text)
            return FG_NOMEM;
    }
    c->text[c->len] = '\0';
    /* NFC, when it does not change the byte offsets of the pages */
    if (c->npages == 0 && !nfc_already(c->text, c->len)) {
        utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)c->text);
        if (nfc && strlen((char *)nfc) > c->lim->max_text) {
            free(nfc); /* composing never lengthens much, but the cap holds */
        } else if (nfc) {
            free(c->text);
            c->text = (char *)nfc;
            c->len = strlen(c->text);
        }
    }
    /* every string field set, "" when the document has none */
    char **fields[] = {&c->title, &c->author, &c->from, &c->to, &c->parts, &c->notes};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!*fields[i] && !(*fields[i] = strdup("")))
            return FG_NOMEM; /* ctx_free() frees those made */
    memset(out, 0, sizeof *out);
    out->type = type;
    out->text = c->text;
    out->text_len = c->len;
    out->pages = c->npages ? c->pages : NULL;
    if (!c->npages)
        free(c->pages);
    out->npages = c->npages;
    out->title = c->title;
    out->author = c->author;
    out->from = c->from;
    out->to = c->to;
    out->parts = c->parts;
    out->notes = c->notes;
    memcpy(out->date, c->date, sizeof out->date);
    out->truncated = c->truncated;
    memset(c, 0, sizeof *c);
    return FG_OK;
}

/* Frees what c holds (after a failure). */
static void ctx_free(fg_fmt_ctx_t *c) {
    free(c->text);
    free(c->pages);
    free(c->title);
    free(c->author);
    free(c->from);
    free(c->to);
    free(c->parts);
    free(c->notes);
}

/* Detects the type and runs its parser; see format.h. */
fg_status_t fg_format_extract(int fd, const char *name, const fg_format_limits_t *lim,
                              fg_format_doc_t *out, char *err, size_t errlen) {
    fg_fmt_src_t src = {.fd = fd};
    return fg_fmt_extract_src(&src, name, lim, out, err, errlen);
}

/* Detects the type of src and runs its parser; see fmt_internal.h. */
fg_status_t fg_fmt_extract_src(const fg_fmt_src_t *src, const char *name,
                               const fg_format_limits_t *lim, fg_format_doc_t *out, char *err,
                               size_t errlen) {
    fg_format_limits_t deflim;
    unsigned char head[FG_SNIFF_BYTES];
    fg_status_t st;

    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = '\0';
    if (!lim) {
        fg_format_limits_default(&deflim);
        lim = &deflim;
    }
    fg_fmt_ctx_t c = {.lim = lim, .line_start = true, .err = err, .errlen = errlen};

    ssize_t n = fg_src_pread(src, head, sizeof head, 0);
    if (n < 0)
        return fg_fmt_fail(&c, FG_IO, "read: %s", strerror(errno));
    if (n == 0)
        return fg_fmt_fail(&c, FG_SKIPPED, "empty file");

    fg_doctype_t hint = fg_doctype_of_path(name);
    fg_doctype_t family = sniff(head, (size_t)n);
    fg_doctype_t type = FG_DOCTYPE_UNKNOWN;
    /* libmagic calls a mail text/plain or message/rfc822: its first lines
     * decide, or the name .eml (a Maildir's name is only a hint) */
    bool eml_name = hint == FG_DOCTYPE_EML && !fg_doctype_path_maildir(name);
    if ((family == FG_DOCTYPE_TEXT || family == FG_DOCTYPE_UNKNOWN) &&
        (eml_name || fg_fmt_is_mail(head, (size_t)n)))
        family = FG_DOCTYPE_EML;
    if (family == FG_DOCTYPE_TEXT || family == FG_DOCTYPE_UNKNOWN) {
        if (hint == FG_DOCTYPE_EML)
            return fg_fmt_fail(&c, FG_SKIPPED, "not a mail message");
        if (is_zip_type(hint))
            return fg_fmt_fail(&c, FG_SKIPPED, "not a zip archive");
        if (hint == FG_DOCTYPE_PDF)
            return fg_fmt_fail(&c, FG_SKIPPED, "not a PDF: no %%PDF- header");
        if (hint == FG_DOCTYPE_HTML || hint == FG_DOCTYPE_RTF)
            family = hint; /* the parser decides whether it is one */
        else
            return fg_fmt_fail(&c, FG_SKIPPED, "not a supported format");
    }

    char *data = NULL;
    size_t len = 0;
    switch (family) {
    case FG_DOCTYPE_PDF:
        type = FG_DOCTYPE_PDF;
        st = fg_fmt_pdf(&c, src);
        break;
    case FG_DOCTYPE_EPUB: /* any zip */ st = fg_fmt_zip_doc(&c, src, hint, &type); break;
    case FG_DOCTYPE_EML:
        type = FG_DOCTYPE_EML;
        st = fg_fmt_mail(&c, src);
        break;
    case FG_DOCTYPE_HTML:
    case FG_DOCTYPE_RTF:
        type = family;
        st = read_all(&c, src, &data, &len);
        if (st == FG_OK)
            st = family == FG_DOCTYPE_HTML ? fg_fmt_html(&c, data, len, true)
                                           : fg_fmt_rtf(&c, data, len);
        free(data);
        break;
    default: st = fg_fmt_fail(&c, FG_SKIPPED, "not a supported format");
    }
    if (st == FG_OK && c.nomem)
        st = FG_NOMEM;
    if (st == FG_OK)
        st = finish(&c, type, out);
    if (st != FG_OK) {
        if (st == FG_NOMEM && err && errlen && !err[0])
            fg_fmt_fail(&c, st, "out of memory");
        ctx_free(&c);
        memset(out, 0, sizeof *out);
    }
    return st;
}

/* ---------------------------------------------------------- zip types -- */

/* The first bytes of the "mimetype" member (ODF, EPUB), NUL-terminated. */
static fg_status_t zip_mimetype(fg_fmt_ctx_t *c, fg_zip_t *z, char *mt, size_t mtlen) {
    char *data;
    size_t len;
    mt[0] = '\0';
    fg_status_t st = fg_zip_read(z, c, "mimetype", &data, &len);
    if (st == FG_NOT_FOUND)
        return FG_OK;
    if (st != FG_OK)
        return st;
    snprintf(mt, mtlen, "%.*s", (int)len, data);
    mt[strcspn(mt, " \r\n")] = '\0';
    free(data);
    return FG_OK;
}

/* Opens the zip in fd, decides its type by its members and extracts it. */
fg_status_t fg_fmt_zip_doc(fg_fmt_ctx_t *c, const fg_fmt_src_t *src, fg_doctype_t hint,
                           fg_doctype_t *type) {
    fg_zip_t *z;
    char mt[128];
    fg_status_t st = fg_zip_open(c, src, &z);
    if (st != FG_OK)
        return st;
    st = zip_mimetype(c, z, mt, sizeof mt);
    if (st != FG_OK)
        goto out;
    const char *odf = "application/vnd.oasis.opendocument.";
    if (!strcmp(mt, "application/epub+zip")) {
        *type = FG_DOCTYPE_EPUB;
        st = fg_fmt_epub(c, z);
    } else if (!strncmp(mt, odf, strlen(odf)) || (!mt[0] && fg_zip_has(z, "content.xml"))) {
        const char *sub = mt[0] ? mt + strlen(odf) : "";
        *type = !strncmp(sub, "spreadsheet", 11)                   ? FG_DOCTYPE_ODS
                : !strncmp(sub, "presentation", 12)                ? FG_DOCTYPE_ODP
                : !strncmp(sub, "text", 4)                         ? FG_DOCTYPE_ODT
                : hint == FG_DOCTYPE_ODS || hint == FG_DOCTYPE_ODP ? hint
                                                                   : FG_DOCTYPE_ODT;
        st = fg_fmt_odf(c, z);
    } else if (fg_zip_has(z, "word/document.xml")) {
        *type = FG_DOCTYPE_DOCX;
        st = fg_fmt_docx(c, z);
    } else if (fg_zip_has(z, "xl/workbook.xml")) {
        *type = FG_DOCTYPE_XLSX;
        st = fg_fmt_xlsx(c, z);
    } else if (fg_zip_has(z, "ppt/presentation.xml")) {
        *type = FG_DOCTYPE_PPTX;
        st = fg_fmt_pptx(c, z);
    } else {
        st = fg_fmt_fail(c, FG_SKIPPED, "a zip archive of no supported format");
    }
out:
    fg_zip_close(z);
    return st;
}
