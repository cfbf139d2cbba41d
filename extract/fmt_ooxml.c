/*
 * fmt_ooxml.c - Office Open XML (.docx .xlsx .pptx): body text, headers,
 * footers, footnotes and endnotes of a document; one line per spreadsheet
 * row with shared strings resolved; slide text and notes in slide order;
 * metadata from docProps/core.xml.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/fmt_internal.h"

/* ------------------------------------------------------------ helpers -- */

/* Reads a part and walks it; a missing part is FG_OK when optional. */
static fg_status_t walk_part(fg_fmt_ctx_t *c, fg_zip_t *z, const char *part, bool optional,
                             const fg_xml_walk_t *w) {
    char *data;
    size_t len;
    fg_status_t st = fg_zip_read(z, c, part, &data, &len);
    if (st == FG_NOT_FOUND)
        return optional ? FG_OK : fg_fmt_fail(c, FG_CORRUPT, "%s missing", part);
    if (st != FG_OK)
        return st;
    st = fg_xml_walk(c, data, len, part, w);
    free(data);
    return st;
}

/* Whether name is prefix + a number + ".xml"; *num gets the number. */
static bool numbered(const char *name, const char *prefix, long *num) {
    size_t pl = strlen(prefix);
    if (strncmp(name, prefix, pl) != 0)
        return false;
    char *end;
    long n = strtol(name + pl, &end, 10);
    if (end == name + pl || strcmp(end, ".xml") != 0)
        return false;
    *num = n;
    return true;
}

/* The numbers N of every member prefix N.xml, sorted; *out freed by caller. */
static fg_status_t numbered_parts(fg_zip_t *z, const char *prefix, long **out, size_t *n) {
    size_t cnt = fg_zip_count(z), k = 0;
    long *v = calloc(cnt ? cnt : 1, sizeof *v);
    if (!v)
        return FG_NOMEM;
    for (size_t i = 0; i < cnt; i++) {
        const char *name = fg_zip_name(z, i);
        long num;
        if (name && numbered(name, prefix, &num))
            v[k++] = num;
    }
    for (size_t i = 1; i < k; i++) /* insertion sort: a few dozen parts */
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            long t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    *out = v;
    *n = k;
    return FG_OK;
}

/* Walks prefix1.xml, prefix2.xml, ... in numeric order. */
static fg_status_t walk_numbered(fg_fmt_ctx_t *c, fg_zip_t *z, const char *prefix,
                                 const fg_xml_walk_t *w) {
    long *nums = NULL;
    size_t n = 0;
    fg_status_t st = numbered_parts(z, prefix, &nums, &n);
    for (size_t i = 0; st == FG_OK && i < n && !c->truncated; i++) {
        char part[256];
        snprintf(part, sizeof part, "%s%ld.xml", prefix, nums[i]);
        st = walk_part(c, z, part, true, w);
        fg_fmt_newline(c);
    }
    free(nums);
    return st;
}

/* --------------------------------------------------------- docx, pptx -- */

/* Walk state of WordprocessingML and DrawingML text. */
typedef struct run_state {
    fg_fmt_ctx_t *c;
    int in_t; /* inside w:t / a:t */
    int cell; /* inside w:tc / a:tc */
} run_state_t;

/* An element of a document, header, footnote or slide starts. */
static void run_start(void *u, void *reader, const char *n) {
    run_state_t *s = u;
    (void)reader;
    if (!strcmp(n, "t"))
        s->in_t++;
    else if (!strcmp(n, "tab"))
        fg_fmt_space(s->c);
    else if (!strcmp(n, "br") || !strcmp(n, "cr"))
        s->cell ? fg_fmt_space(s->c) : fg_fmt_newline(s->c);
    else if (!strcmp(n, "tc")) {
        s->cell++;
        fg_fmt_space(s->c);
    }
}

/* An element ends: paragraphs and table rows end lines. */
static void run_end(void *u, const char *n) {
    run_state_t *s = u;
    if (!strcmp(n, "t") && s->in_t) {
        s->in_t--;
    } else if (!strcmp(n, "p")) {
        s->cell ? fg_fmt_space(s->c) : fg_fmt_newline(s->c);
    } else if (!strcmp(n, "tc") && s->cell) {
        s->cell--;
        fg_fmt_space(s->c);
    } else if (!strcmp(n, "tr")) {
        fg_fmt_newline(s->c);
    }
}

/* Text counts only inside w:t / a:t (not w:instrText, w:delText). */
static void run_chars(void *u, const char *t, size_t n) {
    run_state_t *s = u;
    if (s->in_t)
        fg_fmt_text(s->c, t, n);
}

/* Extracts a .docx: body, then headers, footers, footnotes, endnotes. */
fg_status_t fg_fmt_docx(fg_fmt_ctx_t *c, fg_zip_t *z) {
    run_state_t s = {.c = c};
    fg_xml_walk_t w = {run_start, run_end, run_chars, &s};
    fg_status_t st = walk_part(c, z, "word/document.xml", false, &w);
    if (st == FG_OK)
        st = walk_numbered(c, z, "word/header", &w);
    if (st == FG_OK)
        st = walk_numbered(c, z, "word/footer", &w);
    if (st == FG_OK)
        st = walk_part(c, z, "word/footnotes.xml", true, &w);
    if (st == FG_OK)
        st = walk_part(c, z, "word/endnotes.xml", true, &w);
    if (st == FG_OK)
        st = fg_fmt_ooxml_core(c, z);
    return st;
}

/* Extracts a .pptx: every slide, then every notes page, in numeric order. */
fg_status_t fg_fmt_pptx(fg_fmt_ctx_t *c, fg_zip_t *z) {
    run_state_t s = {.c = c};
    fg_xml_walk_t w = {run_start, run_end, run_chars, &s};
    fg_status_t st = walk_numbered(c, z, "ppt/slides/slide", &w);
    if (st == FG_OK)
        st = walk_numbered(c, z, "ppt/notesSlides/notesSlide", &w);
    if (st == FG_OK)
        st = fg_fmt_ooxml_core(c, z);
    return st;
}

/* --------------------------------------------------------------- xlsx -- */

/* The shared strings table. */
typedef struct sst {
    char **s;
    size_t n, cap;
    char *cur; /* the string being gathered */
    size_t curlen;
    int in_t, in_rph; /* inside t; inside a phonetic run (not text) */
    bool nomem;
} sst_t;

/* Appends to the string being gathered. */
static void sst_append(sst_t *t, const char *s, size_t n) {
    char *b = realloc(t->cur, t->curlen + n + 1);
    if (!b) {
        t->nomem = true;
        return;
    }
    memcpy(b + t->curlen, s, n);
    t->curlen += n;
    b[t->curlen] = '\0';
    t->cur = b;
}

/* sharedStrings.xml: si starts a string, rPh is skipped. */
static void sst_start(void *u, void *reader, const char *n) {
    sst_t *t = u;
    (void)reader;
    if (!strcmp(n, "si")) {
        free(t->cur);
        t->cur = strdup("");
        t->curlen = 0;
        t->nomem |= !t->cur;
    } else if (!strcmp(n, "t")) {
        t->in_t++;
    } else if (!strcmp(n, "rPh")) {
        t->in_rph++;
    }
}

/* sharedStrings.xml: the end of si stores the string. */
static void sst_end(void *u, const char *n) {
    sst_t *t = u;
    if (!strcmp(n, "t") && t->in_t) {
        t->in_t--;
    } else if (!strcmp(n, "rPh") && t->in_rph) {
        t->in_rph--;
    } else if (!strcmp(n, "si") && t->cur) {
        if (t->n == t->cap) {
            size_t ncap = t->cap ? t->cap * 2 : 64;
            char **ns = realloc(t->s, ncap * sizeof *ns);
            if (!ns) {
                t->nomem = true;
                return;
            }
            t->s = ns;
            t->cap = ncap;
        }
        t->s[t->n++] = t->cur;
        t->cur = NULL;
    }
}

/* sharedStrings.xml text. */
static void sst_chars(void *u, const char *s, size_t n) {
    sst_t *t = u;
    if (t->in_t && !t->in_rph && t->cur)
        sst_append(t, s, n);
}

/* Walk state of a worksheet. */
typedef struct sheet {
    fg_fmt_ctx_t *c;
    const sst_t *sst;
    bool shared; /* the current cell's value indexes the shared strings */
    int in_v, in_t;
    char num[32]; /* a shared-string index being read */
    size_t numlen;
} sheet_t;

/* A worksheet element starts: c (cell) with its type, v (value), is/t. */
static void sheet_start(void *u, void *reader, const char *n) {
    sheet_t *s = u;
    if (!strcmp(n, "c")) {
        char *t = fg_xml_attr(reader, "t");
        s->shared = t && !strcmp(t, "s");
        free(t);
        fg_fmt_space(s->c);
    } else if (!strcmp(n, "v")) {
        s->in_v++;
        s->numlen = 0;
    } else if (!strcmp(n, "t")) {
        s->in_t++;
    }
}

/* A worksheet element ends: a shared-string value is looked up, a row ends
 * its line. */
static void sheet_end(void *u, const char *n) {
    sheet_t *s = u;
    if (!strcmp(n, "v") && s->in_v) {
        s->in_v--;
        if (s->shared) {
            s->num[s->numlen] = '\0';
            char *end;
            unsigned long i = strtoul(s->num, &end, 10);
            if (end != s->num && i < s->sst->n)
                fg_fmt_text(s->c, s->sst->s[i], strlen(s->sst->s[i]));
        }
    } else if (!strcmp(n, "t") && s->in_t) {
        s->in_t--;
    } else if (!strcmp(n, "c")) {
        fg_fmt_space(s->c);
    } else if (!strcmp(n, "row")) {
        fg_fmt_newline(s->c);
    }
}

/* Worksheet text: inline strings and literal values. */
static void sheet_chars(void *u, const char *t, size_t n) {
    sheet_t *s = u;
    if (s->in_v && s->shared) {
        size_t k = n < sizeof s->num - 1 - s->numlen ? n : sizeof s->num - 1 - s->numlen;
        memcpy(s->num + s->numlen, t, k);
        s->numlen += k;
    } else if (s->in_v || s->in_t) {
        fg_fmt_text(s->c, t, n);
    }
}

/* Extracts a .xlsx: every sheet in numeric order, one line per row. */
fg_status_t fg_fmt_xlsx(fg_fmt_ctx_t *c, fg_zip_t *z) {
    sst_t t = {0};
    fg_xml_walk_t ws = {sst_start, sst_end, sst_chars, &t};
    fg_status_t st = walk_part(c, z, "xl/sharedStrings.xml", true, &ws);
    if (st == FG_OK && t.nomem)
        st = FG_NOMEM;
    if (st == FG_OK) {
        sheet_t s = {.c = c, .sst = &t};
        fg_xml_walk_t w = {sheet_start, sheet_end, sheet_chars, &s};
        st = walk_numbered(c, z, "xl/worksheets/sheet", &w);
    }
    if (st == FG_OK)
        st = fg_fmt_ooxml_core(c, z);
    for (size_t i = 0; i < t.n; i++)
        free(t.s[i]);
    free(t.s);
    free(t.cur);
    return st;
}

/* ----------------------------------------------------------- metadata -- */

/* Walk state of docProps/core.xml. */
typedef struct core {
    fg_fmt_ctx_t *c;
    int field; /* 1 title, 2 creator, 3 created, 4 modified */
    char *v[5];
    bool nomem;
} core_t;

/* core.xml: which property the text belongs to. */
static void core_start(void *u, void *reader, const char *n) {
    core_t *k = u;
    (void)reader;
    k->field = !strcmp(n, "title")      ? 1
               : !strcmp(n, "creator")  ? 2
               : !strcmp(n, "created")  ? 3
               : !strcmp(n, "modified") ? 4
                                        : 0;
}

/* core.xml: a property ends. */
static void core_end(void *u, const char *n) {
    (void)n;
    ((core_t *)u)->field = 0;
}

/* core.xml text. */
static void core_chars(void *u, const char *t, size_t n) {
    core_t *k = u;
    if (k->field)
        k->nomem |= fg_fmt_meta(&k->v[k->field], t, n) != FG_OK;
}

/* Reads docProps/core.xml (if any): title, creator, created (else modified). */
fg_status_t fg_fmt_ooxml_core(fg_fmt_ctx_t *c, fg_zip_t *z) {
    core_t k = {.c = c};
    fg_xml_walk_t w = {core_start, core_end, core_chars, &k};
    fg_status_t st = walk_part(c, z, "docProps/core.xml", true, &w);
    if (st == FG_OK && k.nomem)
        st = FG_NOMEM;
    if (st == FG_OK && k.v[1])
        st = fg_fmt_meta(&c->title, k.v[1], strlen(k.v[1]));
    if (st == FG_OK && k.v[2])
        st = fg_fmt_meta(&c->author, k.v[2], strlen(k.v[2]));
    fg_fmt_date(c, k.v[3]);
    fg_fmt_date(c, k.v[4]);
    for (int i = 0; i < 5; i++)
        free(k.v[i]);
    return st;
}
