/*
 * fmt_html.c - HTML and XHTML: the text of the body, title and metadata,
 * read with libxml2's HTML parser in SAX mode (no tree, so depth costs
 * nothing), never loading anything from the network.
 */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <string.h>
#include <strings.h>

#include "extract/fmt_internal.h"

/* Parser state across the SAX callbacks. */
typedef struct html_state {
    fg_fmt_ctx_t *c;
    bool want_title;
    int skip;     /* depth inside script/style/template/noscript */
    int in_title; /* inside <title> */
    int in_h1;    /* inside the first <h1> */
    bool h1_done;
    char *title_buf; /* <title> text gathered */
    size_t title_len;
    char *h1_buf;
    size_t h1_len;
    char *meta_title; /* <meta name=title> */
    bool nomem;
} html_state_t;

/* Elements whose content is not text. */
static bool is_skipped(const char *n) {
    return !strcasecmp(n, "script") || !strcasecmp(n, "style") || !strcasecmp(n, "template") ||
           !strcasecmp(n, "noscript");
}

/* Elements that begin and end a line, so words of two blocks never glue. */
static bool is_block(const char *n) {
    static const char *const blocks[] = {
        "p",          "div",      "br",      "li",     "ul",      "ol",         "dl",      "dt",
        "dd",         "h1",       "h2",      "h3",     "h4",      "h5",         "h6",      "tr",
        "table",      "section",  "article", "header", "footer",  "nav",        "aside",   "main",
        "blockquote", "pre",      "hr",      "form",   "figure",  "figcaption", "address", "body",
        "caption",    "fieldset", "legend",  "option", "details", "summary",    "center",
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (!strcasecmp(n, blocks[i]))
            return true;
    return false;
}

/* Inline elements that still separate words: table cells, and sup/sub,
 * which mostly hold footnote marks ("Müllabfuhr<sup>1</sup>" must not become
 * one word "Müllabfuhr1"). */
static bool is_spaced(const char *n) {
    return !strcasecmp(n, "td") || !strcasecmp(n, "th") || !strcasecmp(n, "sup") ||
           !strcasecmp(n, "sub");
}

/* Appends n bytes to a growing buffer; false for lack of memory. */
static bool grow_append(char **buf, size_t *len, const char *s, size_t n) {
    char *b = realloc(*buf, *len + n + 1);
    if (!b)
        return false;
    memcpy(b + *len, s, n);
    *len += n;
    b[*len] = '\0';
    *buf = b;
    return true;
}

/* The value of attribute name in a SAX1 attribute list, or NULL. */
static const char *attr(const xmlChar **atts, const char *name) {
    for (size_t i = 0; atts && atts[i]; i += 2)
        if (!strcasecmp((const char *)atts[i], name))
            return atts[i + 1] ? (const char *)atts[i + 1] : "";
    return NULL;
}

/* An element starts: blocks break lines, alt is text, meta carries data. */
static void on_start(void *u, const xmlChar *xname, const xmlChar **atts) {
    html_state_t *h = u;
    const char *name = (const char *)xname;
    if (h->skip || is_skipped(name)) {
        if (is_skipped(name))
            h->skip++;
        return;
    }
    if (is_block(name))
        fg_fmt_newline(h->c);
    else if (is_spaced(name))
        fg_fmt_space(h->c);
    if (!strcasecmp(name, "title")) {
        h->in_title++;
    } else if (!strcasecmp(name, "h1") && !h->h1_done) {
        h->in_h1++;
    } else if (!strcasecmp(name, "meta")) {
        const char *mname = attr(atts, "name");
        const char *content = attr(atts, "content");
        if (mname && content) {
            if (!strcasecmp(mname, "author") || !strcasecmp(mname, "dc.creator"))
                h->nomem |= fg_fmt_meta(&h->c->author, content, strlen(content)) != FG_OK;
            else if (!strcasecmp(mname, "date") || !strcasecmp(mname, "dcterms.date") ||
                     !strcasecmp(mname, "dc.date"))
                fg_fmt_date(h->c, content);
            else if (!strcasecmp(mname, "title") || !strcasecmp(mname, "dc.title"))
                h->nomem |= fg_fmt_meta(&h->meta_title, content, strlen(content)) != FG_OK;
        }
    } else if (!strcasecmp(name, "img") || !strcasecmp(name, "area") ||
               (!strcasecmp(name, "input") && attr(atts, "alt"))) {
        const char *alt = attr(atts, "alt");
        if (alt && !h->in_title) {
            fg_fmt_space(h->c);
            fg_fmt_text(h->c, alt, strlen(alt));
            fg_fmt_space(h->c);
        }
    }
}

/* An element ends. */
static void on_end(void *u, const xmlChar *xname) {
    html_state_t *h = u;
    const char *name = (const char *)xname;
    if (h->skip) {
        if (is_skipped(name))
            h->skip--;
        return;
    }
    if (!strcasecmp(name, "title") && h->in_title) {
        h->in_title--;
    } else if (!strcasecmp(name, "h1") && h->in_h1) {
        h->in_h1--;
        h->h1_done = true;
    }
    if (is_block(name))
        fg_fmt_newline(h->c);
    else if (is_spaced(name))
        fg_fmt_space(h->c);
}

/* Character data: body text, or the title's. */
static void on_chars(void *u, const xmlChar *s, int n) {
    html_state_t *h = u;
    if (h->skip || n <= 0)
        return;
    if (h->in_title) {
        if (h->want_title)
            h->nomem |= !grow_append(&h->title_buf, &h->title_len, (const char *)s, (size_t)n);
        return;
    }
    if (h->in_h1 && h->want_title)
        h->nomem |= !grow_append(&h->h1_buf, &h->h1_len, (const char *)s, (size_t)n);
    fg_fmt_text(h->c, (const char *)s, (size_t)n);
}

/* Whether s holds only well-formed UTF-8 sequences. */
static bool valid_utf8(const unsigned char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        unsigned char b = s[i];
        size_t k = b < 0x80             ? 1
                   : (b & 0xE0) == 0xC0 ? 2
                   : (b & 0xF0) == 0xE0 ? 3
                   : (b & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (k == 0 || (k == 2 && b < 0xC2) || i + k > n)
            return false;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
        i += k;
    }
    return true;
}

/* Whether every byte is assigned in Windows-1252 (iconv stops the parse at
 * 0x81, 0x8D, 0x8F, 0x90, 0x9D; Latin-1 then reads them as controls). */
static bool cp1252_fits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D)
            return false;
    }
    return true;
}

/* Whether the document declares its encoding the parser will honour: a BOM,
 * or "charset" / "encoding=" in the first 1024 bytes (the HTML prescan). */
static bool declares_charset(const char *data, size_t len) {
    if (len >= 2 &&
        ((data[0] == '\xFE' && data[1] == '\xFF') || (data[0] == '\xFF' && data[1] == '\xFE')))
        return true;
    if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
        return true;
    size_t n = len < 1024 ? len : 1024;
    for (size_t i = 0; i + 7 <= n; i++)
        if (!strncasecmp(data + i, "charset", 7) ||
            (i + 9 <= n && !strncasecmp(data + i, "encoding=", 9)))
            return true;
    return false;
}

/* Parses data as HTML into c; want_title: take the title from <title>,
 * <meta name=title> or the first <h1> (EPUB chapters pass false). */
fg_status_t fg_fmt_html(fg_fmt_ctx_t *c, const char *data, size_t len, bool want_title) {
    if (len > INT32_MAX)
        return fg_fmt_fail(c, FG_SKIPPED, "too big for the HTML parser");
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(data, (int)len);
    if (!ctxt)
        return FG_NOMEM;
    html_state_t h = {.c = c, .want_title = want_title};
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_chars;
    sax.cdataBlock = on_chars;
    sax.ignorableWhitespace = on_chars; /* a blank between two inline elements separates words */
    memcpy(ctxt->sax, &sax, sizeof sax);
    /* undeclared: UTF-8 if it is valid UTF-8, else Windows-1252 (a superset of
     * Latin-1 that the Windows editors write) */
    if (!declares_charset(data, len)) {
        xmlCharEncodingHandlerPtr hd =
            xmlFindCharEncodingHandler(valid_utf8((const unsigned char *)data, len) ? "UTF-8"
                                       : cp1252_fits(data, len)                     ? "WINDOWS-1252"
                                                                                    : "ISO-8859-1");
        if (hd)
            xmlSwitchToEncoding(ctxt, hd);
    }
    ctxt->userData = &h;
    htmlCtxtUseOptions(ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                 HTML_PARSE_COMPACT);
    fg_xml_quiet_t q;
    fg_xml_quiet_begin(&q);
    htmlParseDocument(ctxt);
    fg_xml_quiet_end(&q);
    ctxt->userData = NULL;
    htmlFreeParserCtxt(ctxt);

    fg_status_t st = h.nomem ? FG_NOMEM : FG_OK;
    if (st == FG_OK && want_title) {
        if (h.title_buf)
            st = fg_fmt_meta(&c->title, h.title_buf, h.title_len);
        if (st == FG_OK && h.meta_title)
            st = fg_fmt_meta(&c->title, h.meta_title, strlen(h.meta_title));
        if (st == FG_OK && h.h1_buf)
            st = fg_fmt_meta(&c->title, h.h1_buf, h.h1_len);
    }
    fg_fmt_newline(c);
    free(h.title_buf);
    free(h.h1_buf);
    free(h.meta_title);
    return st;
}
