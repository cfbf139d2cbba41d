/*
 * docbuild.c - extracted text -> index document (see docbuild.h).
 */
#include "feed/docbuild.h"

#include "extract/format.h"

#include "index/termkinds.h"
#include "index/textstore.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Positions left free between the body and the people's names (and
 * between sender and recipients): more than any NEAR or phrase spans. */
#define FG_PEOPLE_GAP 100

struct fg_docbuild {
    fg_analyzer_t *analyzer;
    char *term; /* scratch buffer for prefixed terms */
    size_t term_cap;
};

/* State of one document being built, handed to the token callback. */
typedef struct build_ctx {
    fg_docbuild_t *b;
    fg_doc_t *doc;
    unsigned field;    /* FG_FIELD_BODY or FG_FIELD_TITLE: what is being analysed */
    uint32_t lead_end; /* body positions below this are the document's lead */
    uint32_t dropped;
    fg_status_t status;
} build_ctx_t;

/* Creates a builder (see docbuild.h). */
fg_status_t fg_docbuild_new(const fg_analysis_settings_t *settings, fg_docbuild_t **out, char *err,
                            size_t errlen) {
    *out = NULL;
    fg_docbuild_t *b = calloc(1, sizeof *b);
    if (!b)
        return FG_NOMEM;
    fg_status_t st = fg_analyzer_new(settings, &b->analyzer, err, errlen);
    if (st != FG_OK) {
        free(b);
        return st;
    }
    *out = b;
    return FG_OK;
}

/* Frees a builder (see docbuild.h). */
void fg_docbuild_free(fg_docbuild_t *b) {
    if (!b)
        return;
    fg_analyzer_free(b->analyzer);
    free(b->term);
    free(b);
}

/* Returns the builder's analyzer. */
fg_analyzer_t *fg_docbuild_analyzer(fg_docbuild_t *b) {
    return b->analyzer;
}

/* Writes prefix + word into the scratch buffer; returns its length, or
 * SIZE_MAX when memory ran out. */
static size_t make_term(fg_docbuild_t *b, const char *prefix, const char *word, size_t len) {
    size_t plen = strlen(prefix), need = plen + len + 1;
    if (need > b->term_cap) {
        size_t cap = need < 256 ? 256 : need * 2;
        char *p = realloc(b->term, cap);
        if (!p)
            return SIZE_MAX;
        b->term = p;
        b->term_cap = cap;
    }
    memcpy(b->term, prefix, plen);
    memcpy(b->term + plen, word, len);
    b->term[plen + len] = '\0';
    return plen + len;
}

/* Adds one occurrence of a term of kind tk to the document: with its
 * position when the table says so, else as a plain term (the kind's wdf).
 * FG_TOO_LONG counts as dropped, not as an error. */
static fg_status_t add_term(build_ctx_t *c, const fg_termkind_t *tk, const char *word, size_t len,
                            uint32_t pos, bool positional) {
    size_t n = make_term(c->b, tk->prefix, word, len);
    if (n == SIZE_MAX)
        return FG_NOMEM;
    fg_status_t st = positional ? fg_doc_add_posting(c->doc, c->b->term, n, pos)
                                : fg_doc_add_term(c->doc, c->b->term, n, tk->wdf);
    if (st == FG_TOO_LONG) {
        c->dropped++;
        return FG_OK;
    }
    return st;
}

/* The fields a token at position pos of the text being analysed counts for:
 * the title, or the body and, among its first FG_LEAD_WORDS, the lead. */
static unsigned token_fields(const build_ctx_t *c, uint32_t pos) {
    if (c->field != FG_FIELD_BODY)
        return c->field;
    return pos < c->lead_end ? FG_FIELD_BODY | FG_FIELD_LEAD : FG_FIELD_BODY;
}

/*
 * Token callback: adds every term the table of index/termkinds.h gives the
 * token for its class and fields, in the table's order.  (A body word: its
 * folded form and, unless it is a stop word, its stem, with positions on the
 * stem, else on the folded form, and in the lead its stem under
 * FG_PREFIX_LEAD; a title word: S and ZS; a compound part: its stem under
 * FG_PREFIX_PART; a weak variant: its folded form under FG_PREFIX_WEAK.)
 */
static int on_token(void *ctx, const fg_token_t *tok) {
    build_ctx_t *c = ctx;
    fg_status_t st = FG_OK;
    bool has_stem = tok->stem && !(tok->flags & FG_TOKEN_STOP);
    fg_term_class_t cls = fg_term_class_of(tok->flags);
    unsigned fields = token_fields(c, tok->position);
    for (size_t k = 0; k < FG_TK_COUNT && st == FG_OK; k++) {
        const fg_termkind_t *tk = &fg_termkinds[k];
        fg_term_source_t src = fg_termkind_index_source(tk, cls, fields, has_stem);
        if (src == FG_SRC_NONE)
            continue;
        bool positional = fg_termkind_index_positional(tk, has_stem);
        st = src == FG_SRC_STEM
                 ? add_term(c, tk, tok->stem, tok->stem_len, tok->position, positional)
                 : add_term(c, tk, tok->term, tok->term_len, tok->position, positional);
    }
    if (st != FG_OK) {
        c->status = st;
        return 1;
    }
    return 0;
}

/* Length of at most max bytes of s[0..len), not cutting a UTF-8 sequence. */
static size_t utf8_prefix(const char *s, size_t len, size_t max) {
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* The MIME type of what was extracted, by its (detected) type. */
static const char *mime_type(const fg_extracted_t *ex) {
    fg_doctype_t t = fg_doctype_of_extension(ex->ext);
    return t == FG_DOCTYPE_UNKNOWN ? "text/plain" : fg_doctype_mime(t);
}

/* The page offsets of ex as "0,1234,2345" (malloc'ed; NULL: out of memory). */
static char *page_list(const fg_extracted_t *ex) {
    char *s = malloc(ex->npages * 11 + 1);
    if (!s)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < ex->npages; i++)
        n += (size_t)sprintf(s + n, i ? ",%" PRIu32 : "%" PRIu32, ex->pages[i]);
    s[n] = '\0';
    return s;
}

/* fg_fold_words() callback: adds the author word as an A term. */
static fg_status_t add_author_word(void *ctx, const char *word, size_t len) {
    build_ctx_t *c = ctx;
    char term[300];
    size_t n = fg_author_term(word, len, term, sizeof term);
    return n ? fg_doc_add_term(c->doc, term, n, 0) : FG_OK;
}

/* A word field being indexed (the builder's context and the prefix). */
typedef struct field_ctx {
    build_ctx_t *c;
    const char *prefix;
} field_ctx_t;

/* fg_fold_words() callback: adds a word of a mail field (XMF, XMT). */
static fg_status_t add_field_word(void *ctx, const char *word, size_t len) {
    field_ctx_t *fc = ctx;
    char term[300];
    size_t n = fg_field_term(fc->prefix, word, len, term, sizeof term);
    return n ? fg_doc_add_term(fc->c->doc, term, n, 0) : FG_OK;
}

/* What a document format adds: the author (A terms, the facet value), a
 * mail's sender and recipients (XMF, XMT terms) and the text kept in the
 * index, since the file cannot be re-read in process. */
static fg_status_t add_format_extras(build_ctx_t *c, const fg_extracted_t *ex) {
    fg_status_t st = FG_OK;
    const char *const fields[] = {ex->from, ex->to};
    const char *const prefixes[] = {FG_PREFIX_FROM, FG_PREFIX_TO};
    for (size_t i = 0; i < 2 && st == FG_OK; i++) {
        field_ctx_t fc = {c, prefixes[i]};
        if (fields[i] && fields[i][0])
            st = fg_fold_words(fields[i], strlen(fields[i]), add_field_word, &fc);
    }
    if (st != FG_OK)
        return st;
    if (ex->author && ex->author[0]) {
        st = fg_fold_words(ex->author, strlen(ex->author), add_author_word, c);
        if (st == FG_OK)
            st = fg_doc_set_value(c->doc, FG_VALUE_AUTHOR, ex->author, strlen(ex->author));
    }
    if (st == FG_OK && ex->stored) {
        char *packed = NULL;
        size_t plen = 0;
        st = fg_text_pack(ex->text + ex->body_offset, ex->text_len - ex->body_offset, &packed,
                          &plen);
        if (st == FG_OK)
            st = fg_doc_set_value(c->doc, FG_VALUE_TEXT, packed, plen);
        free(packed);
    }
    return st;
}

/* Builds the document data text for the file. */
static fg_status_t make_data(const char *path, const struct stat *sb, const fg_extracted_t *ex,
                             fg_doc_t *doc) {
    char *buf = NULL, num[32];
    size_t len = 0, cap = 0;
    const char *body = ex->text + ex->body_offset;
    size_t body_len = ex->text_len - ex->body_offset;
    while (body_len > 0 && (*body == ' ' || *body == '\n' || *body == '\r' || *body == '\t')) {
        body++;
        body_len--;
    }
    const char *type = mime_type(ex);
    bool ok = fg_docdata_add(&buf, &len, &cap, FG_DATA_URL, path, strlen(path)) &&
              fg_docdata_add(&buf, &len, &cap, FG_DATA_CAPTION, ex->title, strlen(ex->title)) &&
              fg_docdata_add(&buf, &len, &cap, FG_DATA_TYPE, type, strlen(type));
    snprintf(num, sizeof num, "%lld", (long long)sb->st_mtim.tv_sec);
    ok = ok && fg_docdata_add(&buf, &len, &cap, FG_DATA_MODTIME, num, strlen(num));
    snprintf(num, sizeof num, "%lld", (long long)sb->st_size);
    ok = ok && fg_docdata_add(&buf, &len, &cap, FG_DATA_SIZE, num, strlen(num));
    if (ex->date[0])
        ok = ok && fg_docdata_add(&buf, &len, &cap, FG_DATA_DATE, ex->date, strlen(ex->date));
    ok = ok && fg_docdata_add(&buf, &len, &cap, FG_DATA_ENCODING, fg_encoding_name(ex->encoding),
                              strlen(fg_encoding_name(ex->encoding)));
    ok = ok && fg_docdata_add(&buf, &len, &cap, FG_DATA_SAMPLE, body,
                              utf8_prefix(body, body_len, FG_SAMPLE_MAX));
    if (ex->ext[0])
        ok = ok && fg_docdata_add(&buf, &len, &cap, FG_DATA_FORMAT, ex->ext, strlen(ex->ext));
    if (ex->author && ex->author[0])
        ok = ok && fg_docdata_add(&buf, &len, &cap, FG_DATA_AUTHOR, ex->author, strlen(ex->author));
    const char *const mail[] = {ex->from, ex->to, ex->parts};
    const char *const keys[] = {FG_DATA_FROM, FG_DATA_TO, FG_DATA_PARTS};
    for (size_t i = 0; i < 3; i++)
        if (mail[i] && mail[i][0])
            ok = ok && fg_docdata_add(&buf, &len, &cap, keys[i], mail[i], strlen(mail[i]));
    if (ex->npages > 0) {
        char *pages = page_list(ex);
        ok = ok && pages && fg_docdata_add(&buf, &len, &cap, FG_DATA_PAGES, pages, strlen(pages));
        free(pages);
    }
    fg_status_t st = ok ? fg_doc_set_data(doc, buf, len) : FG_NOMEM;
    free(buf);
    return st;
}

/* Adds the stamp of sb as FG_VALUE_MTIME, SIZE and INODE (see docbuild.h). */
fg_status_t fg_docbuild_add_stamp(fg_doc_t *doc, const struct stat *sb) {
    char buf[32];
    fg_doc_stamp_t stamp = fg_stamp_of(sb);
    size_t n = fg_sortable_serialise(stamp.mtime, buf);
    fg_status_t st = fg_doc_set_value(doc, FG_VALUE_MTIME, buf, n);
    if (st == FG_OK) {
        n = fg_sortable_serialise(stamp.size, buf);
        st = fg_doc_set_value(doc, FG_VALUE_SIZE, buf, n);
    }
    if (st == FG_OK) {
        n = fg_sortable_serialise(stamp.inode, buf);
        st = fg_doc_set_value(doc, FG_VALUE_INODE, buf, n);
    }
    return st;
}

/* Adds values and the E, D, M, Y terms.  The folder value is the path up to
 * its last '/' ("/" for a file at the root). */
static fg_status_t add_meta(build_ctx_t *c, const char *path, const struct stat *sb,
                            const fg_extracted_t *ex) {
    char buf[64];
    fg_doc_t *doc = c->doc;
    size_t n;
    fg_status_t st = fg_docbuild_add_stamp(doc, sb);
    if (st == FG_OK) {
        n = (size_t)snprintf(buf, sizeof buf, "%016" PRIx64, ex->content_hash);
        st = fg_doc_set_value(doc, FG_VALUE_CHECKSUM, buf, n);
        if (st == FG_OK) {
            n = (size_t)snprintf(buf, sizeof buf, FG_PREFIX_HASH "%016" PRIx64, ex->content_hash);
            st = fg_doc_add_term(doc, buf, n, 0);
        }
    }
    char date[9];
    fg_docdata_date(ex->date, (int64_t)sb->st_mtim.tv_sec, date);
    if (st == FG_OK)
        st = fg_doc_set_value(doc, FG_VALUE_DATE, date, 8);
    if (st == FG_OK && ex->ext[0]) {
        n = (size_t)snprintf(buf, sizeof buf, FG_PREFIX_EXT "%s", ex->ext);
        st = fg_doc_add_term(doc, buf, n, 0);
        if (st == FG_OK)
            st = fg_doc_set_value(doc, FG_VALUE_EXT, ex->ext, strlen(ex->ext));
    }
    const char *slash = strrchr(path, '/');
    if (st == FG_OK && slash)
        st = fg_doc_set_value(doc, FG_VALUE_FOLDER, path,
                              slash == path ? 1 : (size_t)(slash - path));
    if (st == FG_OK)
        st = fg_doc_add_term(doc, (snprintf(buf, sizeof buf, FG_PREFIX_YEAR "%.4s", date), buf), 5,
                             0);
    if (st == FG_OK)
        st = fg_doc_add_term(doc, (snprintf(buf, sizeof buf, FG_PREFIX_MONTH "%.6s", date), buf), 7,
                             0);
    if (st == FG_OK && strcmp(date + 6, "00") != 0)
        st = fg_doc_add_term(doc, (snprintf(buf, sizeof buf, FG_PREFIX_DAY "%.8s", date), buf), 9,
                             0);
    return st;
}

/* Builds the document of one file (see docbuild.h). */
fg_status_t fg_docbuild_make(fg_docbuild_t *b, const char *path, const struct stat *sb,
                             const fg_extracted_t *ex, fg_doc_t **out, uint32_t *dropped) {
    *out = NULL;
    fg_doc_t *doc = NULL;
    fg_status_t st = fg_doc_new(&doc);
    if (st != FG_OK)
        return st;
    build_ctx_t c = {.b = b, .doc = doc, .status = FG_OK};
    uint32_t pos = 1;

    /* title words: S and ZS terms */
    c.field = FG_FIELD_TITLE;
    if (fg_analyze(b->analyzer, ex->title, strlen(ex->title), pos, on_token, &c, NULL) ==
        FG_ANALYZE_NOMEM)
        c.status = FG_NOMEM;

    /* a title that is not part of the body is indexed as its first words */
    c.field = FG_FIELD_BODY;
    c.lead_end = pos + FG_LEAD_WORDS;
    if (c.status == FG_OK && !ex->title_in_body && ex->title[0] &&
        fg_analyze(b->analyzer, ex->title, strlen(ex->title), pos, on_token, &c, &pos) ==
            FG_ANALYZE_NOMEM)
        c.status = FG_NOMEM;
    if (c.status == FG_OK &&
        fg_analyze(b->analyzer, ex->text + ex->body_offset, ex->text_len - ex->body_offset, pos,
                   on_token, &c, &pos) == FG_ANALYZE_NOMEM)
        c.status = FG_NOMEM;

    /* the people (the author, else a mail's sender; its recipients) are
     * words of the document too, so that a plain search for a name finds
     * what they wrote; after a gap, so that no phrase runs into them */
    c.lead_end = 0;
    const char *const people[] = {ex->from && ex->from[0] ? ex->from : ex->author, ex->to};
    for (size_t i = 0; i < 2 && c.status == FG_OK; i++) {
        if (!people[i] || !people[i][0])
            continue;
        pos += FG_PEOPLE_GAP;
        if (fg_analyze(b->analyzer, people[i], strlen(people[i]), pos, on_token, &c, &pos) ==
            FG_ANALYZE_NOMEM)
            c.status = FG_NOMEM;
    }
    st = c.status;
    if (st == FG_OK)
        st = add_meta(&c, path, sb, ex);
    if (st == FG_OK)
        st = add_format_extras(&c, ex);
    if (st == FG_OK)
        st = make_data(path, sb, ex, doc);
    if (st != FG_OK) {
        fg_doc_free(doc);
        return st;
    }
    if (dropped)
        *dropped = c.dropped;
    *out = doc;
    return FG_OK;
}
