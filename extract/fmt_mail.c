/*
 * fmt_mail.c - a mail message (.eml, a Maildir file, one message of an
 * mbox) with gmime: Subject is the title, From the author and the sender,
 * To and Cc the recipients, Date the date; the body is the text/plain parts
 * (an HTML part through the HTML parser when an alternative has no plain
 * text), decoded from quoted-printable or base64 and converted from its
 * charset to UTF-8.  Attachments of the supported formats are extracted one
 * level deep, each as a "page" after the body (c->pages) whose name is a
 * line of c->parts; a message/rfc822 part is read as one such attachment,
 * but a mail inside it is not.  What is skipped (a part the parser found
 * broken, an attachment its parser refused, parts past FG_MAIL_MAX_PARTS)
 * is a line of c->notes, with the byte offset or the part's name.
 */
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/fmt_internal.h"

/* MIME leaves walked per message; the parts after them are skipped with a
 * note (a message of 10,000 parts is an attack or a mistake). */
#define FG_MAIL_MAX_PARTS 1000
/* Attachments extracted per message. */
#define FG_MAIL_MAX_ATTACHMENTS 100
/* Notes kept per message (more are counted in the last one). */
#define FG_MAIL_MAX_NOTES 20

/* Set while an attachment is being extracted: a mail found inside one is
 * not opened (one level deep). */
static _Thread_local int mail_depth;

/* State of one message's walk. */
typedef struct mail_walk {
    fg_fmt_ctx_t *c;
    size_t leaves;      /* MIME leaves seen */
    size_t attachments; /* attachments extracted */
    size_t notes;       /* notes written */
    bool over_parts;    /* the FG_MAIL_MAX_PARTS note is written */
    bool in_attached;   /* inside a message/rfc822 part */
    bool body_done;     /* the body text is written; only attachments follow */
    fg_status_t status; /* FG_NOMEM stops the walk */
} mail_walk_t;

/* ------------------------------------------------------------ helpers -- */

/* Appends a line "text\n" to a growing list; false for lack of memory. */
static bool list_add(char **list, size_t *len, const char *text) {
    size_t n = strlen(text);
    char *b = realloc(*list, *len + n + 2);
    if (!b)
        return false;
    for (size_t i = 0; i < n; i++) /* a line per entry: no line breaks inside */
        b[*len + i] = text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
    b[*len + n] = '\n';
    b[*len + n + 1] = '\0';
    *len += n + 1;
    *list = b;
    return true;
}

/* Records that something was skipped (see the top of the file). */
static void note(mail_walk_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(mail_walk_t *w, const char *fmt, ...) {
    char buf[512];
    if (w->notes++ >= FG_MAIL_MAX_NOTES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (!list_add(&w->c->notes, &w->c->notes_len, buf))
        w->status = FG_NOMEM;
}

/* The parser's warnings that lose content, as notes with their offset. */
static void on_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer u) {
    mail_walk_t *w = u;
    const char *what = NULL;
    switch (code) {
    case GMIME_WARN_MALFORMED_MULTIPART: what = "multipart without its parts"; break;
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: what = "multipart without a boundary"; break;
    case GMIME_WARN_TRUNCATED_MESSAGE: what = "message truncated"; break;
    case GMIME_CRIT_NESTING_OVERFLOW: what = "MIME parts nested too deep"; break;
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
        what = "part without headers or content";
        break;
    default: return; /* duplicated headers, bad encodings: nothing is lost */
    }
    char at[32] = "";
    if (offset >= 0)
        snprintf(at, sizeof at, "byte %lld: ", (long long)offset);
    if (item && *item)
        note(w, "%s%s (%.80s), skipped", at, what, item);
    else
        note(w, "%s%s, skipped", at, what);
}

/* The transfer-decoded bytes of part as a GByteArray (caller unrefs), or
 * NULL when it has no content. */
static GByteArray *decoded_bytes(GMimePart *part) {
    GMimeDataWrapper *dw = g_mime_part_get_content(part);
    if (!dw)
        return NULL;
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(dw, mem);
    GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE); /* the array is ours now */
    g_object_unref(mem);
    return ba;
}

/* Converts n bytes in charset cs (NULL: undeclared) to UTF-8 (g_free() the
 * result; NULL for lack of memory).  Undeclared, US-ASCII and Latin-1 text
 * that is not valid UTF-8 is read as Windows-1252, a superset the mail
 * programs of Windows write under those names; a charset iconv does not
 * know is read the same way. */
static char *to_utf8(const char *s, size_t n, const char *cs) {
    bool latin = !cs || !g_ascii_strcasecmp(cs, "us-ascii") ||
                 !g_ascii_strcasecmp(cs, "iso-8859-1") || !g_ascii_strcasecmp(cs, "latin1");
    if (cs && !g_ascii_strcasecmp(cs, "utf-8"))
        latin = false;
    if ((latin || !cs || !g_ascii_strcasecmp(cs, "utf-8")) && g_utf8_validate(s, (gssize)n, NULL))
        return g_strndup(s, n);
    const char *from = latin ? "WINDOWS-1252" : g_mime_charset_iconv_name(cs);
    char *out = g_convert_with_fallback(s, (gssize)n, "UTF-8", from, "?", NULL, NULL, NULL);
    if (!out && strcmp(from, "WINDOWS-1252") != 0)
        out = g_convert_with_fallback(s, (gssize)n, "UTF-8", "WINDOWS-1252", "?", NULL, NULL, NULL);
    if (!out) /* bytes even Windows-1252 lacks (0x81, 0x8D, ...): Latin-1 takes all */
        out = g_convert(s, (gssize)n, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);
    return out;
}

/* The decoded text of a text part in UTF-8 (g_free() it), or NULL. */
static char *part_text(GMimePart *part, size_t *len) {
    GByteArray *ba = decoded_bytes(part);
    if (!ba)
        return NULL;
    const char *cs = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
    char *t = to_utf8((const char *)ba->data, ba->len, cs);
    g_byte_array_unref(ba);
    *len = t ? strlen(t) : 0;
    return t;
}

/* Writes a plain text body: lines kept (a paragraph a line). */
static void put_plain(fg_fmt_ctx_t *c, const char *t, size_t n) {
    fg_fmt_lines(c, t, n);
    fg_fmt_newline(c);
}

/* The name an attachment goes by: its file name, else its content type. */
static void part_name(GMimeObject *obj, char *buf, size_t len) {
    const char *fn = GMIME_IS_PART(obj) ? g_mime_part_get_filename(GMIME_PART(obj)) : NULL;
    if (fn && *fn) {
        const char *slash = strrchr(fn, '/'); /* a name, never a path */
        snprintf(buf, len, "%s", slash && slash[1] ? slash + 1 : fn);
        return;
    }
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    snprintf(buf, len, "%s/%s", ct ? g_mime_content_type_get_media_type(ct) : "application",
             ct ? g_mime_content_type_get_media_subtype(ct) : "octet-stream");
}

/* Starts an attachment's page: the page start, the name in c->parts and a
 * first line "Anhang: name" (found by the name's words). */
static void begin_attachment(mail_walk_t *w, const char *name) {
    fg_fmt_ctx_t *c = w->c;
    fg_fmt_newline(c);
    if (c->npages == 0) { /* page 1, at offset 0: the message itself */
        size_t len = c->len;
        c->len = 0;
        if (fg_fmt_page(c) != FG_OK)
            w->status = FG_NOMEM;
        c->len = len;
    }
    if (w->status == FG_OK && fg_fmt_page(c) != FG_OK)
        w->status = FG_NOMEM;
    if (w->status == FG_OK && !list_add(&c->parts, &c->parts_len, name))
        w->status = FG_NOMEM;
    fg_fmt_text(c, "Anhang: ", 8);
    fg_fmt_text(c, name, strlen(name));
    fg_fmt_newline(c);
    w->attachments++;
}

/* Appends the document an attachment held (its text; its title when the
 * text lacks it) as the attachment's page. */
static void put_attachment_doc(mail_walk_t *w, const char *name, const fg_format_doc_t *doc) {
    begin_attachment(w, name);
    size_t tl = doc->title ? strlen(doc->title) : 0;
    if (tl && (doc->text_len < tl || memcmp(doc->text, doc->title, tl) != 0)) {
        fg_fmt_text(w->c, doc->title, strlen(doc->title));
        fg_fmt_newline(w->c);
    }
    fg_fmt_lines(w->c, doc->text, doc->text_len);
    fg_fmt_newline(w->c);
}

/* Extracts an attachment's bytes with the format parsers, one level deep. */
static void extract_attachment(mail_walk_t *w, GMimePart *part, const char *name) {
    if (w->attachments >= FG_MAIL_MAX_ATTACHMENTS) {
        note(w, "attachment %s: more than %d attachments, skipped", name, FG_MAIL_MAX_ATTACHMENTS);
        return;
    }
    GByteArray *ba = decoded_bytes(part);
    if (!ba || ba->len == 0) {
        if (ba)
            g_byte_array_unref(ba);
        return;
    }
    fg_fmt_src_t src = {.fd = -1, .data = (const char *)ba->data, .len = ba->len};
    fg_format_doc_t doc;
    char err[256];
    mail_depth++;
    fg_status_t st = fg_fmt_extract_src(&src, name, w->c->lim, &doc, err, sizeof err);
    mail_depth--;
    g_byte_array_unref(ba);
    if (st == FG_NOMEM) {
        w->status = FG_NOMEM;
    } else if (st == FG_SKIPPED && !strcmp(err, "not a supported format")) {
        /* pictures, signatures, calendars: not documents, no note */
    } else if (st != FG_OK) {
        note(w, "attachment %s: %s, skipped", name, err[0] ? err : fg_status_str(st));
    } else {
        put_attachment_doc(w, name, &doc);
        fg_format_doc_free(&doc);
    }
}

/* ----------------------------------------------------------- the walk -- */

static void walk(mail_walk_t *w, GMimeObject *obj, int depth);

/* Whether a part is a body text of type subtype ("plain", "html") rather
 * than an attachment. */
static bool is_body_text(GMimeObject *obj, const char *subtype) {
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (!ct || !g_mime_content_type_is_type(ct, "text", subtype))
        return false;
    return !GMIME_IS_PART(obj) || !g_mime_part_is_attachment(GMIME_PART(obj));
}

/* The child of a multipart/alternative to read: text/plain, else
 * text/html, else a multipart (related: HTML with pictures), else none. */
static GMimeObject *best_alternative(GMimeMultipart *mp) {
    GMimeObject *html = NULL, *multi = NULL;
    int n = g_mime_multipart_get_count(mp);
    for (int i = 0; i < n; i++) {
        GMimeObject *o = g_mime_multipart_get_part(mp, i);
        if (is_body_text(o, "plain"))
            return o;
        if (!html && is_body_text(o, "html"))
            html = o;
        if (!multi && GMIME_IS_MULTIPART(o))
            multi = o;
    }
    return html ? html : multi;
}

/* A body text part: plain text, or HTML through the HTML parser. */
static void put_body_text(mail_walk_t *w, GMimePart *part, bool html) {
    size_t n = 0;
    char *t = part_text(part, &n);
    if (!t)
        return;
    if (html) {
        fg_status_t st = fg_fmt_html(w->c, t, n, false);
        if (st == FG_NOMEM)
            w->status = st;
    } else {
        put_plain(w->c, t, n);
    }
    g_free(t);
}

/* A message/rfc822 part: its subject and sender and body as one attachment;
 * a message inside it is skipped with a note. */
static void walk_attached_message(mail_walk_t *w, GMimeMessagePart *mp, int depth) {
    GMimeMessage *m = g_mime_message_part_get_message(mp);
    if (!m)
        return;
    if (w->in_attached) {
        note(w, "a message inside an attached message, skipped");
        return;
    }
    const char *subject = g_mime_message_get_subject(m);
    char name[256];
    snprintf(name, sizeof name, "%s.eml", subject && *subject ? subject : "Nachricht");
    begin_attachment(w, name);
    InternetAddressList *from = g_mime_message_get_from(m);
    char *f = from ? internet_address_list_to_string(from, NULL, FALSE) : NULL;
    if (f && *f) {
        fg_fmt_text(w->c, f, strlen(f));
        fg_fmt_newline(w->c);
    }
    g_free(f);
    w->in_attached = true;
    GMimeObject *body = g_mime_message_get_mime_part(m);
    if (body)
        walk(w, body, depth + 1);
    w->in_attached = false;
}

/* A leaf: body text, or an attachment. */
static void walk_part(mail_walk_t *w, GMimePart *part) {
    GMimeObject *obj = GMIME_OBJECT(part);
    if (w->leaves++ >= FG_MAIL_MAX_PARTS) {
        if (!w->over_parts)
            note(w, "more than %d MIME parts: the rest skipped", FG_MAIL_MAX_PARTS);
        w->over_parts = true;
        return;
    }
    bool plain = is_body_text(obj, "plain"), html = is_body_text(obj, "html");
    if ((plain || html) && (!w->body_done || w->in_attached)) {
        put_body_text(w, part, html);
        return;
    }
    char name[256];
    part_name(obj, name, sizeof name);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    bool text_file = ct && g_mime_content_type_is_type(ct, "text", "plain") &&
                     !fg_doctype_sandboxed(fg_doctype_of_path(name));
    if (plain || html || text_file) {
        /* a second body text after an attachment, or an attached text file
         * ("notizen.txt"): as its own part, its charset converted */
        if (w->attachments >= FG_MAIL_MAX_ATTACHMENTS) {
            note(w, "attachment %s: more than %d attachments, skipped", name,
                 FG_MAIL_MAX_ATTACHMENTS);
            return;
        }
        begin_attachment(w, name);
        put_body_text(w, part, html);
        return;
    }
    extract_attachment(w, part, name);
}

/* Walks one MIME object. */
static void walk(mail_walk_t *w, GMimeObject *obj, int depth) {
    if (w->status != FG_OK || w->c->truncated)
        return;
    if (depth > 32) { /* gmime caps the nesting below this; kept as a guard */
        note(w, "MIME parts nested deeper than 32, skipped");
        return;
    }
    if (GMIME_IS_MESSAGE_PART(obj)) {
        walk_attached_message(w, GMIME_MESSAGE_PART(obj), depth);
        if (!w->in_attached)
            w->body_done = true;
    } else if (GMIME_IS_MULTIPART(obj)) {
        GMimeMultipart *mp = GMIME_MULTIPART(obj);
        GMimeContentType *ct = g_mime_object_get_content_type(obj);
        if (ct && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
            GMimeObject *best = best_alternative(mp);
            if (best)
                walk(w, best, depth + 1);
            return;
        }
        int n = g_mime_multipart_get_count(mp);
        const char *prologue = g_mime_multipart_get_prologue(mp);
        if (n == 0 && prologue && *prologue && !w->body_done) {
            /* its boundary is never found: all of it is the prologue, read as plain text */
            note(w, "multipart without its boundary: read as plain text");
            put_plain(w->c, prologue, strlen(prologue));
            w->body_done = true;
        }
        for (int i = 0; i < n && w->status == FG_OK; i++)
            walk(w, g_mime_multipart_get_part(mp, i), depth + 1);
    } else if (GMIME_IS_PART(obj)) {
        bool attachment = g_mime_part_is_attachment(GMIME_PART(obj));
        walk_part(w, GMIME_PART(obj));
        if (attachment && !w->in_attached)
            w->body_done = true;
    }
}

/* ------------------------------------------------------------ headers -- */

/* An address list as display text ("Hans Müller <hans@example.de>, ..."),
 * appended to *field (comma-separated). */
static fg_status_t put_addresses(char **field, InternetAddressList *list) {
    if (!list || internet_address_list_length(list) == 0)
        return FG_OK;
    char *s = internet_address_list_to_string(list, NULL, FALSE);
    if (s && strstr(s, "=?")) { /* an encoded word around the address (Python's Header) */
        char *d = g_mime_utils_header_decode_text(NULL, s);
        g_free(s);
        s = d;
    }
    if (!s)
        return FG_OK;
    fg_status_t st = FG_OK;
    if (!*field) {
        st = fg_fmt_meta(field, s, strlen(s));
    } else {
        size_t a = strlen(*field), b = strlen(s);
        char *n = realloc(*field, a + b + 3);
        if (n) {
            memcpy(n + a, ", ", 2);
            memcpy(n + a + 2, s, b + 1);
            *field = n;
        } else {
            st = FG_NOMEM;
        }
    }
    g_free(s);
    return st;
}

/* Subject, From, To, Cc and Date into c. */
static fg_status_t put_headers(fg_fmt_ctx_t *c, GMimeMessage *m) {
    const char *subject = g_mime_message_get_subject(m);
    fg_status_t st = subject ? fg_fmt_meta(&c->title, subject, strlen(subject)) : FG_OK;
    if (st == FG_OK)
        st = put_addresses(&c->from, g_mime_message_get_from(m));
    if (st == FG_OK && c->from) /* the sender is the message's author */
        st = fg_fmt_meta(&c->author, c->from, strlen(c->from));
    if (st == FG_OK)
        st = put_addresses(&c->to, g_mime_message_get_to(m));
    if (st == FG_OK)
        st = put_addresses(&c->to, g_mime_message_get_cc(m));
    GDateTime *dt = g_mime_message_get_date(m);
    if (dt) { /* the date as the sender's clock wrote it */
        char *d = g_date_time_format(dt, "%Y-%m-%d");
        fg_fmt_date(c, d);
        g_free(d);
    }
    return st;
}

/* ---------------------------------------------------------- interface -- */

/* Whether a line of n bytes at b begins with a header field name and ':'. */
static bool header_line(const unsigned char *b, size_t n) {
    size_t i = 0;
    while (i < n && b[i] > 32 && b[i] < 127 && b[i] != ':')
        i++;
    return i > 0 && i < n && b[i] == ':';
}

/* Whether the first bytes are a mail's (see fmt_internal.h): an mbox's
 * "From " line, or header lines ("Name: value", continuations) up to the
 * empty line or the end of the bytes, at least three of them, among them
 * one every mail has (From, Date, Subject, Message-ID, Received, To). */
bool fg_fmt_is_mail(const unsigned char *b, size_t n) {
    static const char *const known[] = {
        "from:", "date:", "subject:", "message-id:", "received:", "to:", "return-path:"};
    if (n >= 5 && !memcmp(b, "From ", 5))
        return true;
    size_t fields = 0, at = 0;
    bool has_known = false;
    while (at < n) {
        const unsigned char *nl = memchr(b + at, '\n', n - at);
        size_t end = nl ? (size_t)(nl - b) : n;
        if (end == at || (end == at + 1 && b[at] == '\r'))
            break; /* the empty line: the header ends */
        if (b[at] == ' ' || b[at] == '\t') {
            if (fields == 0)
                return false; /* a continuation first */
        } else if (header_line(b + at, end - at)) {
            fields++;
            for (size_t i = 0; i < sizeof known / sizeof known[0] && !has_known; i++) {
                size_t k = strlen(known[i]);
                has_known = end - at >= k && !strncasecmp((const char *)b + at, known[i], k);
            }
        } else if (nl) {
            return false; /* a whole line that is no header */
        }
        if (!nl)
            break; /* a line cut by the end of the bytes */
        at = end + 1;
    }
    return fields >= 3 && has_known;
}

/* Loads gmime and the common converters once (see fmt_internal.h). */
void fg_fmt_mail_preload(void) {
    static const char *const charsets[] = {"WINDOWS-1252", "ISO-8859-15", "ISO-8859-1",
                                           "ISO-8859-2", "UTF-16"};
    g_mime_init();
    for (size_t i = 0; i < sizeof charsets / sizeof charsets[0]; i++)
        g_free(g_convert("a", 1, "UTF-8", charsets[i], NULL, NULL, NULL));
}

/* Header fields longer than this are dropped, with a note, before gmime
 * reads the header (it grows a field's buffer step by step, which a field
 * of 10 MB makes slow, and no field of use is that long). */
#define FG_MAIL_MAX_FIELD ((uint64_t)64 << 10)
/* Fields dropped at most; a header with more such fields is cut there. */
#define FG_MAIL_MAX_DROPPED 16

/* A stream over the source's bytes. */
static GMimeStream *base_stream(const fg_fmt_src_t *src) {
    if (src->data)
        return g_mime_stream_mem_new_with_buffer(src->data, src->len);
    GMimeStream *s = g_mime_stream_fs_new(src->fd);
    g_mime_stream_fs_set_owner(GMIME_STREAM_FS(s), FALSE);
    g_mime_stream_seek(s, 0, GMIME_STREAM_SEEK_SET);
    return s;
}

/* Finds the message header's fields longer than FG_MAIL_MAX_FIELD: their
 * byte ranges into drop (at most FG_MAIL_MAX_DROPPED); returns how many.
 * Reads the header only, in blocks. */
static size_t long_fields(const fg_fmt_src_t *src, uint64_t drop[][2]) {
    char buf[65536];
    uint64_t off = 0, start = 0;
    size_t k = 0;
    bool line_start = true;
    for (;;) {
        ssize_t n = fg_src_pread(src, buf, sizeof buf, off);
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++, off++) {
            char ch = buf[i];
            if (line_start && ch != ' ' && ch != '\t') { /* a field ends here */
                if (off - start > FG_MAIL_MAX_FIELD && k < FG_MAIL_MAX_DROPPED) {
                    drop[k][0] = start;
                    drop[k++][1] = off;
                }
                start = off;
                if (ch == '\n' || ch == '\r') /* the empty line: the header's end */
                    return k;
            }
            line_start = ch == '\n';
        }
    }
    if (off - start > FG_MAIL_MAX_FIELD && k < FG_MAIL_MAX_DROPPED) { /* no body */
        drop[k][0] = start;
        drop[k++][1] = off;
    }
    return k;
}

/* The stream gmime parses: the source, without the header fields that are
 * too long (each a note). */
static GMimeStream *open_stream(mail_walk_t *w, const fg_fmt_src_t *src) {
    uint64_t drop[FG_MAIL_MAX_DROPPED][2];
    size_t k = long_fields(src, drop);
    GMimeStream *base = base_stream(src);
    if (k == 0)
        return base;
    GMimeStream *cat = g_mime_stream_cat_new();
    uint64_t at = 0;
    for (size_t i = 0; i < k; i++) {
        note(w, "byte %llu: header field of %llu bytes, skipped", (unsigned long long)drop[i][0],
             (unsigned long long)(drop[i][1] - drop[i][0]));
        if (drop[i][0] > at) {
            GMimeStream *part = g_mime_stream_substream(base, (gint64)at, (gint64)drop[i][0]);
            g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), part);
            g_object_unref(part);
        }
        at = drop[i][1];
    }
    GMimeStream *rest = g_mime_stream_substream(base, (gint64)at, -1);
    g_mime_stream_cat_add_source(GMIME_STREAM_CAT(cat), rest);
    g_object_unref(rest);
    g_object_unref(base);
    return cat;
}

/* Extracts one message (see fmt_internal.h). */
fg_status_t fg_fmt_mail(fg_fmt_ctx_t *c, const fg_fmt_src_t *src) {
    if (mail_depth > 0)
        return fg_fmt_fail(c, FG_SKIPPED, "a mail inside an attachment (one level deep)");
    g_mime_init();
    mail_walk_t w = {.c = c, .status = FG_OK};
    GMimeStream *stream = open_stream(&w, src);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    /* an mbox's "From " line before the headers is skipped */
    GMimeParserOptions *po = g_mime_parser_options_new();
    g_mime_parser_options_set_rfc2047_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(po, GMIME_RFC_COMPLIANCE_LOOSE);
    const char *fallback[] = {"UTF-8", "WINDOWS-1252", NULL};
    g_mime_parser_options_set_fallback_charsets(po, fallback);
    g_mime_parser_options_set_warning_callback(po, on_warning, &w);
    char head[5] = {0};
    if (fg_src_pread(src, head, sizeof head, 0) == 5 && !memcmp(head, "From ", 5))
        g_mime_parser_set_format(parser, GMIME_FORMAT_MBOX);
    GMimeMessage *m = g_mime_parser_construct_message(parser, po);
    fg_status_t st = FG_OK;
    if (!m) {
        st = fg_fmt_fail(c, FG_CORRUPT, "mail: no message header at byte 0");
    } else if (g_mime_parser_get_format(parser) == GMIME_FORMAT_MBOX &&
               !g_mime_parser_eos(parser)) {
        /* one document per message needs sub-documents (issue 13, step 3) */
        st = fg_fmt_fail(c, FG_SKIPPED, "an mbox of several messages (not read yet)");
    } else {
        st = put_headers(c, m);
        GMimeObject *body = g_mime_message_get_mime_part(m);
        if (st == FG_OK && body)
            walk(&w, body, 0);
        if (st == FG_OK)
            st = w.status;
        if (st == FG_OK && w.notes > FG_MAIL_MAX_NOTES) {
            char more[64];
            snprintf(more, sizeof more, "%zu more notes", w.notes - FG_MAIL_MAX_NOTES);
            if (!list_add(&c->notes, &c->notes_len, more))
                st = FG_NOMEM;
        }
        g_object_unref(m);
    }
    g_mime_parser_options_free(po);
    g_object_unref(parser);
    g_object_unref(stream);
    return st;
}
