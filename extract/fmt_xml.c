/*
 * fmt_xml.c - a streaming walk over one XML part of a zip-based document
 * with libxml2's xmlReader: no network, no entity substitution, no DTD.
 */
#include <libxml/xmlreader.h>
#include <string.h>

#include "extract/fmt_internal.h"

/* The generic error handler while quiet: drops the message. */
static void quiet_error(void *ctx, const char *msg, ...) {
    (void)ctx;
    (void)msg;
}

/* Saves libxml2's generic error handler and installs the silent one. */
void fg_xml_quiet_begin(fg_xml_quiet_t *q) {
    q->func = (void (*)(void))xmlGenericError;
    q->ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, quiet_error);
}

/* Puts the saved handler back. */
void fg_xml_quiet_end(const fg_xml_quiet_t *q) {
    xmlSetGenericErrorFunc(q->ctx, (xmlGenericErrorFunc)q->func);
}

/* Returns the attribute with that local name of the reader's current
 * element, or NULL; the caller frees it. */
char *fg_xml_attr(void *reader, const char *local) {
    xmlTextReaderPtr r = reader;
    char *val = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) != 1)
        return NULL;
    do {
        const xmlChar *ln = xmlTextReaderConstLocalName(r);
        if (ln && strcmp((const char *)ln, local) == 0) {
            xmlChar *v = xmlTextReaderValue(r);
            if (v) {
                val = strdup((const char *)v);
                xmlFree(v);
            }
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return val;
}

/* Whether the prolog of data (before the root element) holds a DOCTYPE.
 * Checked before parsing, so a DTD's entities are never even declared. */
static bool has_doctype(const char *data, size_t len) {
    const char *p = data, *end = data + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while (p < end) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
            p++;
        } else if (end - p >= 2 && !memcmp(p, "<?", 2)) {
            const char *q = memmem(p, (size_t)(end - p), "?>", 2);
            if (!q)
                return false;
            p = q + 2;
        } else if (end - p >= 4 && !memcmp(p, "<!--", 4)) {
            const char *q = memmem(p, (size_t)(end - p), "-->", 3);
            if (!q)
                return false;
            p = q + 3;
        } else {
            return end - p >= 9 && !memcmp(p, "<!DOCTYPE", 9);
        }
    }
    return false;
}

/* Walks the part; see fmt_internal.h. */
fg_status_t fg_xml_walk(fg_fmt_ctx_t *c, const char *data, size_t len, const char *part,
                        const fg_xml_walk_t *w) {
    if (len > INT32_MAX)
        return fg_fmt_fail(c, FG_SKIPPED, "%s too big for the XML parser", part);
    if (has_doctype(data, len))
        return fg_fmt_fail(c, FG_CORRUPT, "%s: a DTD, not allowed here", part);
    xmlTextReaderPtr r = xmlReaderForMemory(data, (int)len, part, NULL,
                                            XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    if (!r)
        return FG_NOMEM;
    fg_status_t st = FG_OK;
    int ret;
    fg_xml_quiet_t q;
    fg_xml_quiet_begin(&q);
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE) {
            st = fg_fmt_fail(c, FG_CORRUPT, "%s line %d: a DTD or entity, not allowed here", part,
                             xmlTextReaderGetParserLineNumber(r));
            break;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            const char *ln = (const char *)xmlTextReaderConstLocalName(r);
            bool empty = xmlTextReaderIsEmptyElement(r) == 1;
            if (w->start)
                w->start(w->u, r, ln ? ln : "");
            if (empty && w->end)
                w->end(w->u, ln ? ln : "");
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            const char *ln = (const char *)xmlTextReaderConstLocalName(r);
            if (w->end)
                w->end(w->u, ln ? ln : "");
        } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
                   type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v && w->chars)
                w->chars(w->u, v, strlen(v));
        }
        if (c->truncated || c->nomem)
            break;
    }
    if (ret < 0 && st == FG_OK)
        st = fg_fmt_fail(c, FG_CORRUPT, "%s line %d: not well-formed XML", part,
                         xmlTextReaderGetParserLineNumber(r));
    xmlFreeTextReader(r);
    fg_xml_quiet_end(&q);
    return st;
}
