/*
 * fmt_odf.c - OpenDocument text, spreadsheet and presentation (.odt .ott
 * .ods .odp): the text of content.xml, one line per paragraph and per table
 * row, and the metadata of meta.xml.
 */
#include <stdlib.h>
#include <string.h>

#include "extract/fmt_internal.h"

/* Walk state for content.xml. */
typedef struct odf_content {
    fg_fmt_ctx_t *c;
    int cell; /* depth inside table:table-cell */
    int skip; /* depth inside content that is not text (deleted changes) */
} odf_content_t;

/* Paragraph-like elements of ODF text. */
static bool is_para(const char *n) {
    return !strcmp(n, "p") || !strcmp(n, "h") || !strcmp(n, "list-item");
}

/* A content.xml element starts. */
static void content_start(void *u, void *reader, const char *n) {
    odf_content_t *s = u;
    (void)reader;
    if (s->skip || !strcmp(n, "tracked-changes") || !strcmp(n, "sequence-decls") ||
        !strcmp(n, "note-citation")) {
        s->skip++;
        return;
    }
    if (!strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell") || !strcmp(n, "note-body")) {
        s->cell++;
        fg_fmt_space(s->c);
    } else if (!strcmp(n, "s") || !strcmp(n, "tab")) {
        fg_fmt_space(s->c);
    } else if (!strcmp(n, "line-break")) {
        if (s->cell)
            fg_fmt_space(s->c);
        else
            fg_fmt_newline(s->c);
    } else if (is_para(n) && !s->cell) {
        fg_fmt_newline(s->c);
    }
}

/* A content.xml element ends. */
static void content_end(void *u, const char *n) {
    odf_content_t *s = u;
    if (s->skip) {
        if (!strcmp(n, "tracked-changes") || !strcmp(n, "sequence-decls") ||
            !strcmp(n, "note-citation") || s->skip > 1)
            s->skip--;
        return;
    }
    if (!strcmp(n, "table-cell") || !strcmp(n, "covered-table-cell") || !strcmp(n, "note-body")) {
        s->cell--;
        fg_fmt_space(s->c);
    } else if (!strcmp(n, "table-row")) {
        fg_fmt_newline(s->c);
    } else if (is_para(n)) {
        if (s->cell)
            fg_fmt_space(s->c);
        else
            fg_fmt_newline(s->c);
    } else if (!strcmp(n, "frame") || !strcmp(n, "page") || !strcmp(n, "notes")) {
        fg_fmt_newline(s->c);
    }
}

/* Text of content.xml. */
static void content_chars(void *u, const char *t, size_t n) {
    odf_content_t *s = u;
    if (!s->skip)
        fg_fmt_text(s->c, t, n);
}

/* Walk state for meta.xml: which field the current text belongs to. */
typedef struct odf_meta {
    fg_fmt_ctx_t *c;
    const char *field; /* "title", "creator", "initial-creator", "date", "user-date" */
    char *title, *creator, *initial, *date, *created, *userdate;
    bool nomem;
} odf_meta_t;

/* A meta.xml element starts. */
static void meta_start(void *u, void *reader, const char *n) {
    odf_meta_t *m = u;
    m->field = NULL;
    static const char *const fields[] = {"title", "creator", "initial-creator", "date"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (!strcmp(n, fields[i]))
            m->field = fields[i];
    if (!strcmp(n, "creation-date")) {
        m->field = "created";
    } else if (!strcmp(n, "user-defined")) {
        char *name = fg_xml_attr(reader, "name");
        if (name && !strcmp(name, "date"))
            m->field = "user-date";
        free(name);
    }
}

/* Stores text into the slot for a field name (first text wins). */
static void meta_store(odf_meta_t *m, const char *t, size_t n) {
    char **slot = !strcmp(m->field, "title")             ? &m->title
                  : !strcmp(m->field, "creator")         ? &m->creator
                  : !strcmp(m->field, "initial-creator") ? &m->initial
                  : !strcmp(m->field, "date")            ? &m->date
                  : !strcmp(m->field, "created")         ? &m->created
                                                         : &m->userdate;
    m->nomem |= fg_fmt_meta(slot, t, n) != FG_OK;
}

/* A meta.xml element ends. */
static void meta_end(void *u, const char *n) {
    (void)n;
    ((odf_meta_t *)u)->field = NULL;
}

/* Text of meta.xml. */
static void meta_chars(void *u, const char *t, size_t n) {
    odf_meta_t *m = u;
    if (m->field)
        meta_store(m, t, n);
}

/* Reads meta.xml (if any) into c's title, author and date. */
static fg_status_t odf_meta(fg_fmt_ctx_t *c, fg_zip_t *z) {
    char *data;
    size_t len;
    fg_status_t st = fg_zip_read(z, c, "meta.xml", &data, &len);
    if (st == FG_NOT_FOUND)
        return FG_OK;
    if (st != FG_OK)
        return st;
    odf_meta_t m = {.c = c};
    fg_xml_walk_t w = {meta_start, meta_end, meta_chars, &m};
    st = fg_xml_walk(c, data, len, "meta.xml", &w);
    free(data);
    if (st == FG_OK && m.nomem)
        st = FG_NOMEM;
    if (st == FG_OK) {
        st = fg_fmt_meta(&c->title, m.title, m.title ? strlen(m.title) : 0);
        if (st == FG_OK)
            st = fg_fmt_meta(&c->author, m.creator, m.creator ? strlen(m.creator) : 0);
        if (st == FG_OK)
            st = fg_fmt_meta(&c->author, m.initial, m.initial ? strlen(m.initial) : 0);
        fg_fmt_date(c, m.userdate);
        fg_fmt_date(c, m.created);
        fg_fmt_date(c, m.date);
    }
    free(m.title);
    free(m.creator);
    free(m.initial);
    free(m.date);
    free(m.created);
    free(m.userdate);
    return st;
}

/* Extracts an OpenDocument file; see fmt_internal.h. */
fg_status_t fg_fmt_odf(fg_fmt_ctx_t *c, fg_zip_t *z) {
    char *data;
    size_t len;
    fg_status_t st = fg_zip_read(z, c, "content.xml", &data, &len);
    if (st == FG_NOT_FOUND)
        return fg_fmt_fail(c, FG_CORRUPT, "content.xml missing");
    if (st != FG_OK)
        return st;
    odf_content_t s = {.c = c};
    fg_xml_walk_t w = {content_start, content_end, content_chars, &s};
    st = fg_xml_walk(c, data, len, "content.xml", &w);
    free(data);
    if (st == FG_OK)
        st = odf_meta(c, z);
    return st;
}
