/*
 * fmt_epub.c - EPUB: META-INF/container.xml names the package (OPF), whose
 * metadata gives title, creator and date, and whose spine lists the XHTML
 * chapters, read in that order through the HTML parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/fmt_internal.h"

/* container.xml: the first rootfile's full-path. */
static void container_start(void *u, void *reader, const char *n) {
    char **path = u;
    if (!*path && !strcmp(n, "rootfile"))
        *path = fg_xml_attr(reader, "full-path");
}

/* One manifest item. */
typedef struct item {
    char *id, *href, *type;
} item_t;

/* Walk state of the OPF package. */
typedef struct opf {
    fg_fmt_ctx_t *c;
    item_t *items;
    size_t nitems, capitems;
    char **spine; /* idrefs */
    size_t nspine, capspine;
    int field; /* 1 title, 2 creator, 3 date */
    char *v[4];
    bool nomem;
} opf_t;

/* Grows an array of elem-size entries to hold one more. */
static bool grow(void **arr, size_t *cap, size_t n, size_t elem) {
    if (n < *cap)
        return true;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *a = realloc(*arr, ncap * elem);
    if (!a)
        return false;
    *arr = a;
    *cap = ncap;
    return true;
}

/* OPF elements: dc:title/creator/date, manifest items, spine itemrefs. */
static void opf_start(void *u, void *reader, const char *n) {
    opf_t *o = u;
    o->field = !strcmp(n, "title") ? 1 : !strcmp(n, "creator") ? 2 : !strcmp(n, "date") ? 3 : 0;
    if (!strcmp(n, "item")) {
        if (!grow((void **)&o->items, &o->capitems, o->nitems, sizeof *o->items)) {
            o->nomem = true;
            return;
        }
        item_t *it = &o->items[o->nitems++];
        it->id = fg_xml_attr(reader, "id");
        it->href = fg_xml_attr(reader, "href");
        it->type = fg_xml_attr(reader, "media-type");
    } else if (!strcmp(n, "itemref")) {
        if (!grow((void **)&o->spine, &o->capspine, o->nspine, sizeof *o->spine)) {
            o->nomem = true;
            return;
        }
        o->spine[o->nspine++] = fg_xml_attr(reader, "idref");
    }
}

/* An OPF element ends. */
static void opf_end(void *u, const char *n) {
    (void)n;
    ((opf_t *)u)->field = 0;
}

/* OPF text: metadata values (the first of each kind). */
static void opf_chars(void *u, const char *t, size_t n) {
    opf_t *o = u;
    if (o->field)
        o->nomem |= fg_fmt_meta(&o->v[o->field], t, n) != FG_OK;
}

/* Decodes %xx escapes of an href in place. */
static void url_decode(char *s) {
    char *o = s;
    for (; *s; s++) {
        unsigned v;
        if (s[0] == '%' && s[1] && s[2] && sscanf(s + 1, "%2x", &v) == 1) {
            *o++ = (char)v;
            s += 2;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

/* Resolves href against the OPF's folder into buf (no ".." beyond the root). */
static bool resolve(const char *opf, const char *href, char *buf, size_t len) {
    const char *slash = strrchr(opf, '/');
    int dir = slash ? (int)(slash - opf + 1) : 0;
    if (snprintf(buf, len, "%.*s%s", dir, opf, href) >= (int)len)
        return false;
    char *frag = strchr(buf, '#');
    if (frag)
        *frag = '\0';
    url_decode(buf);
    /* fold "x/../" segments */
    char *p;
    while ((p = strstr(buf, "/../")) != NULL) {
        char *start = p;
        while (start > buf && start[-1] != '/')
            start--;
        memmove(start, p + 4, strlen(p + 4) + 1);
    }
    return strncmp(buf, "../", 3) != 0;
}

/* Reads each spine chapter through the HTML parser. */
static fg_status_t read_spine(fg_fmt_ctx_t *c, fg_zip_t *z, const char *opfpath, opf_t *o) {
    fg_status_t st = FG_OK;
    for (size_t i = 0; st == FG_OK && i < o->nspine && !c->truncated; i++) {
        if (!o->spine[i])
            continue;
        for (size_t j = 0; j < o->nitems; j++) {
            item_t *it = &o->items[j];
            if (!it->id || !it->href || strcmp(it->id, o->spine[i]) != 0)
                continue;
            if (it->type && !strstr(it->type, "html"))
                break; /* never another archive or an image */
            char part[1024];
            if (!resolve(opfpath, it->href, part, sizeof part))
                break;
            char *data;
            size_t len;
            st = fg_zip_read(z, c, part, &data, &len);
            if (st == FG_NOT_FOUND) {
                st = FG_OK;
                break;
            }
            if (st == FG_OK) {
                st = fg_fmt_html(c, data, len, false);
                free(data);
            }
            break;
        }
    }
    return st;
}

/* Extracts an EPUB; see fmt_internal.h. */
fg_status_t fg_fmt_epub(fg_fmt_ctx_t *c, fg_zip_t *z) {
    char *data = NULL, *opfpath = NULL;
    size_t len;
    fg_status_t st = fg_zip_read(z, c, "META-INF/container.xml", &data, &len);
    if (st == FG_NOT_FOUND)
        return fg_fmt_fail(c, FG_CORRUPT, "META-INF/container.xml missing");
    if (st != FG_OK)
        return st;
    fg_xml_walk_t cw = {container_start, NULL, NULL, &opfpath};
    st = fg_xml_walk(c, data, len, "META-INF/container.xml", &cw);
    free(data);
    data = NULL;
    if (st == FG_OK && !opfpath)
        st = fg_fmt_fail(c, FG_CORRUPT, "META-INF/container.xml names no package");
    opf_t o = {.c = c};
    if (st == FG_OK)
        st = fg_zip_read(z, c, opfpath, &data, &len);
    if (st == FG_NOT_FOUND)
        st = fg_fmt_fail(c, FG_CORRUPT, "%s missing", opfpath);
    if (st == FG_OK) {
        fg_xml_walk_t ow = {opf_start, opf_end, opf_chars, &o};
        st = fg_xml_walk(c, data, len, opfpath, &ow);
    }
    if (st == FG_OK && o.nomem)
        st = FG_NOMEM;
    if (st == FG_OK && o.v[1])
        st = fg_fmt_meta(&c->title, o.v[1], strlen(o.v[1]));
    if (st == FG_OK && o.v[2])
        st = fg_fmt_meta(&c->author, o.v[2], strlen(o.v[2]));
    if (st == FG_OK) {
        fg_fmt_date(c, o.v[3]);
        st = read_spine(c, z, opfpath, &o);
    }
    free(data);
    free(opfpath);
    for (size_t i = 0; i < o.nitems; i++) {
        free(o.items[i].id);
        free(o.items[i].href);
        free(o.items[i].type);
    }
    free(o.items);
    for (size_t i = 0; i < o.nspine; i++)
        free(o.spine[i]);
    free(o.spine);
    for (int i = 0; i < 4; i++)
        free(o.v[i]);
    return st;
}
