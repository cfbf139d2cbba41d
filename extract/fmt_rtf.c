/*
 * fmt_rtf.c - RTF: a small tokenizer of our own (no Debian library reads
 * RTF).  Groups carry their state (skipped destination, \ucN); control words
 * \par, \line, \tab, \cell, \row shape the text; \'xx bytes are decoded from
 * the document's \ansicpgN (Windows-1252 built in, others through iconv);
 * \uN escapes are Unicode with \ucN fallback characters skipped.  Font and
 * colour tables, the stylesheet, pictures, objects, fields' instructions and
 * every \* destination are not text; \info gives title, author and \creatim.
 */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract/fmt_internal.h"

/* Deepest group nesting with its own state; deeper groups are skipped. */
#define RTF_MAX_DEPTH 512

/* Where the characters of a group go. */
enum rtf_dest { DEST_BODY, DEST_SKIP, DEST_TITLE, DEST_AUTHOR, DEST_CREATIM };

/* The state a group inherits and restores. */
typedef struct rtf_group {
    enum rtf_dest dest;
    int uc; /* fallback characters after \uN */
} rtf_group_t;

/* Tokenizer state. */
typedef struct rtf {
    fg_fmt_ctx_t *c;
    rtf_group_t g[RTF_MAX_DEPTH];
    int depth;     /* index of the current group in g */
    long overflow; /* groups nested deeper than RTF_MAX_DEPTH */
    int skip;      /* fallback characters still to skip */
    int codepage;
    iconv_t cd; /* for code pages other than 1252, (iconv_t)-1 if none */
    unsigned hi_surrogate;
    char *meta[2]; /* title, author */
    size_t metalen[2];
    bool metadone[2]; /* the first \title / \author group has ended */
    int yr, mo, dy;
    bool nomem;
} rtf_t;

/* Windows-1252 0x80..0x9F (0 = unassigned); the rest is Latin-1. */
static const unsigned short cp1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Encodes a code point as UTF-8 into b; returns the length. */
static size_t utf8(unsigned cp, char *b) {
    if (cp < 0x80) {
        b[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    b[0] = (char)(0xF0 | (cp >> 18));
    b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The current group's destination (skipped when nested too deep). */
static enum rtf_dest dest(const rtf_t *r) {
    return r->overflow ? DEST_SKIP : r->g[r->depth].dest;
}

/* Sends UTF-8 bytes to the current destination. */
static void emit(rtf_t *r, const char *s, size_t n) {
    enum rtf_dest d = dest(r);
    if (d == DEST_BODY) {
        fg_fmt_text(r->c, s, n);
    } else if (d == DEST_TITLE || d == DEST_AUTHOR) {
        int i = d == DEST_TITLE ? 0 : 1;
        if (r->metadone[i] || r->metalen[i] + n > 4096)
            return;
        char *b = realloc(r->meta[i], r->metalen[i] + n + 1);
        if (!b) {
            r->nomem = true;
            return;
        }
        memcpy(b + r->metalen[i], s, n);
        r->metalen[i] += n;
        b[r->metalen[i]] = '\0';
        r->meta[i] = b;
    }
}

/* Sends a code point (a lone surrogate becomes U+FFFD). */
static void emit_cp(rtf_t *r, unsigned cp) {
    char b[4];
    if (cp >= 0xD800 && cp < 0xDC00) {
        r->hi_surrogate = cp;
        return;
    }
    if (cp >= 0xDC00 && cp < 0xE000) {
        cp =
            r->hi_surrogate ? 0x10000 + ((r->hi_surrogate - 0xD800) << 10) + (cp - 0xDC00) : 0xFFFD;
    }
    r->hi_surrogate = 0;
    if (cp == 0)
        return;
    emit(r, b, utf8(cp, b));
}

/* Sends a byte of the document's code page. */
static void emit_byte(rtf_t *r, unsigned char ch) {
    if (ch < 0x80) {
        emit_cp(r, ch);
    } else if (r->cd != (iconv_t)-1) {
        char in[1] = {(char)ch}, out[8];
        char *ip = in, *op = out;
        size_t il = 1, ol = sizeof out;
        if (iconv(r->cd, &ip, &il, &op, &ol) != (size_t)-1)
            emit(r, out, (size_t)(op - out));
        iconv(r->cd, NULL, NULL, NULL, NULL);
    } else if (ch < 0xA0) {
        emit_cp(r, cp1252[ch - 0x80] ? cp1252[ch - 0x80] : 0xFFFD);
    } else {
        emit_cp(r, ch);
    }
}

/* A character of text (raw or \'xx), unless it is a \uN fallback. */
static void text_byte(rtf_t *r, unsigned char ch) {
    if (r->skip > 0) {
        r->skip--;
        return;
    }
    emit_byte(r, ch);
}

/* Destinations whose content is not text. */
static bool is_skipped_dest(const char *w) {
    static const char *const skip[] = {
        "fonttbl",   "colortbl",     "stylesheet", "listtable", "listoverridetable",
        "pict",      "object",       "fldinst",    "themedata", "colorschememapping",
        "datastore", "latentstyles", "rsidtbl",    "xmlnstbl",  "generator",
        "revtbl",    "filetbl",      "listtext",   "pntext",    "pntxta",
        "pntxtb",    "bkmkstart",    "bkmkend",    "operator",  "company",
        "subject",   "keywords",     "comment",    "doccomm",   "nonshppict",
        "userprops", "pgdsctbl",     "ftnsep",     "ftnsepc",   "aftnsep",
        "aftnsepc",  "template",     "docvar",     "mmathPr",   "wgrffmtfilter",
    };
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (!strcmp(w, skip[i]))
            return true;
    return false;
}

/* Opens iconv for a code page other than 1252. */
static void set_codepage(rtf_t *r, int cp) {
    if (r->cd != (iconv_t)-1) {
        iconv_close(r->cd);
        r->cd = (iconv_t)-1;
    }
    r->codepage = cp;
    if (cp == 1252 || cp <= 0)
        return;
    char name[32];
    snprintf(name, sizeof name, cp == 65001 ? "UTF-8" : "CP%d", cp);
    r->cd = iconv_open("UTF-8", name);
}

/* Acts on a control word with its optional parameter; starred: \* preceded it. */
static void control_word(rtf_t *r, const char *w, bool has_param, long param, bool *starred) {
    rtf_group_t *g = &r->g[r->depth];
    bool first = *starred; /* the word right after \* */
    *starred = false;
    if (first) {
        /* optional destinations are not text, but for footnotes, which stay
         * in the line of the paragraph that cites them */
        if (!strcmp(w, "footnote") && dest(r) == DEST_BODY)
            fg_fmt_space(r->c);
        else
            g->dest = DEST_SKIP;
        return;
    }
    if (!strcmp(w, "u") && has_param) {
        if (param < 0)
            param += 65536;
        if (r->overflow || g->dest != DEST_SKIP)
            emit_cp(r, (unsigned)param);
        r->skip = g->uc;
        return;
    }
    r->skip = 0;
    if (!strcmp(w, "par") || !strcmp(w, "line") || !strcmp(w, "sect") || !strcmp(w, "page") ||
        !strcmp(w, "row")) {
        if (dest(r) == DEST_BODY)
            fg_fmt_newline(r->c);
    } else if (!strcmp(w, "tab") || !strcmp(w, "cell")) {
        if (dest(r) == DEST_BODY)
            fg_fmt_space(r->c);
    } else if (!strcmp(w, "uc") && has_param) {
        g->uc = param < 0 ? 0 : param > 10 ? 10 : (int)param;
    } else if (!strcmp(w, "ansicpg") && has_param) {
        set_codepage(r, (int)param);
    } else if (!strcmp(w, "emdash")) {
        emit_cp(r, 0x2014);
    } else if (!strcmp(w, "endash")) {
        emit_cp(r, 0x2013);
    } else if (!strcmp(w, "bullet")) {
        emit_cp(r, 0x2022);
    } else if (!strcmp(w, "lquote")) {
        emit_cp(r, 0x2018);
    } else if (!strcmp(w, "rquote")) {
        emit_cp(r, 0x2019);
    } else if (!strcmp(w, "ldblquote")) {
        emit_cp(r, 0x201C);
    } else if (!strcmp(w, "rdblquote")) {
        emit_cp(r, 0x201D);
    } else if (!strcmp(w, "info")) {
        g->dest = DEST_SKIP;
    } else if (!strcmp(w, "title") && r->depth > 0 && r->g[r->depth - 1].dest == DEST_SKIP) {
        g->dest = DEST_TITLE;
    } else if (!strcmp(w, "author") && r->depth > 0 && r->g[r->depth - 1].dest == DEST_SKIP) {
        g->dest = DEST_AUTHOR;
    } else if (!strcmp(w, "creatim")) {
        g->dest = DEST_CREATIM;
    } else if (g->dest == DEST_CREATIM && has_param) {
        if (!strcmp(w, "yr"))
            r->yr = (int)param;
        else if (!strcmp(w, "mo"))
            r->mo = (int)param;
        else if (!strcmp(w, "dy"))
            r->dy = (int)param;
    } else if (is_skipped_dest(w)) {
        g->dest = DEST_SKIP;
    }
}

/* The value of a hex digit, or -1. */
static int hexval(char h) {
    if (h >= '0' && h <= '9')
        return h - '0';
    if (h >= 'a' && h <= 'f')
        return h - 'a' + 10;
    if (h >= 'A' && h <= 'F')
        return h - 'A' + 10;
    return -1;
}

/* Runs the tokenizer over data. */
static fg_status_t tokenize(rtf_t *r, const char *data, size_t len) {
    bool starred = false;
    size_t i = 0;
    while (i < len && !r->c->truncated && !r->nomem) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '{') {
            i++;
            r->skip = 0;
            if (r->overflow || r->depth + 1 >= RTF_MAX_DEPTH) {
                r->overflow++;
                continue;
            }
            r->g[r->depth + 1] = r->g[r->depth];
            r->depth++;
        } else if (ch == '}') {
            i++;
            r->skip = 0;
            starred = false;
            if (r->overflow) {
                r->overflow--;
            } else if (r->depth > 0) {
                enum rtf_dest d = r->g[r->depth].dest;
                if ((d == DEST_TITLE || d == DEST_AUTHOR) && r->g[r->depth - 1].dest != d)
                    r->metadone[d == DEST_TITLE ? 0 : 1] = true;
                r->depth--;
            } else {
                break; /* the end of the document group */
            }
        } else if (ch == '\\') {
            i++;
            if (i >= len)
                break;
            unsigned char n = (unsigned char)data[i];
            if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z')) {
                char word[33];
                size_t wl = 0;
                while (i < len &&
                       ((data[i] >= 'a' && data[i] <= 'z') || (data[i] >= 'A' && data[i] <= 'Z'))) {
                    if (wl < sizeof word - 1)
                        word[wl++] = data[i];
                    i++;
                }
                word[wl] = '\0';
                bool neg = false, has = false;
                long param = 0;
                if (i < len && data[i] == '-') {
                    neg = true;
                    i++;
                }
                while (i < len && data[i] >= '0' && data[i] <= '9') {
                    if (param < 100000000)
                        param = param * 10 + (data[i] - '0');
                    has = true;
                    i++;
                }
                if (neg)
                    param = -param;
                if (i < len && data[i] == ' ')
                    i++;
                if (!strcmp(word, "bin") && has) {
                    /* raw binary data: skipped whole */
                    size_t n = param < 0 ? 0 : (size_t)param;
                    i = n > len - i ? len : i + n;
                    continue;
                }
                control_word(r, word, has, param, &starred);
            } else if (n == '\'') {
                int h1 = i + 2 < len ? hexval(data[i + 1]) : -1;
                int h2 = i + 2 < len ? hexval(data[i + 2]) : -1;
                if (h1 >= 0 && h2 >= 0) {
                    unsigned v = (unsigned)(h1 * 16 + h2);
                    i += 3;
                    if (dest(r) != DEST_SKIP && dest(r) != DEST_CREATIM)
                        text_byte(r, (unsigned char)v);
                    else if (r->skip > 0)
                        r->skip--;
                } else {
                    i++;
                }
            } else {
                i++;
                if (n == '*') {
                    starred = true;
                    continue;
                }
                if (dest(r) == DEST_SKIP || dest(r) == DEST_CREATIM)
                    continue;
                if (n == '\\' || n == '{' || n == '}')
                    text_byte(r, n);
                else if (n == '~')
                    emit_cp(r, 0xA0);
                else if (n == '_')
                    emit_cp(r, 0x2011);
                else if ((n == '\n' || n == '\r') && dest(r) == DEST_BODY)
                    fg_fmt_newline(r->c);
            }
        } else {
            i++;
            if (ch == '\r' || ch == '\n')
                continue;
            if (dest(r) != DEST_SKIP && dest(r) != DEST_CREATIM)
                text_byte(r, ch);
        }
    }
    return r->nomem ? FG_NOMEM : FG_OK;
}

/* Extracts an RTF document; see fmt_internal.h. */
fg_status_t fg_fmt_rtf(fg_fmt_ctx_t *c, const char *data, size_t len) {
    if (len < 5 || memcmp(data, "{\\rtf", 5) != 0)
        return fg_fmt_fail(c, FG_SKIPPED, "not a supported format");
    rtf_t *r = calloc(1, sizeof *r);
    if (!r)
        return FG_NOMEM;
    r->c = c;
    r->cd = (iconv_t)-1;
    r->codepage = 1252;
    r->g[0].dest = DEST_BODY;
    r->g[0].uc = 1;
    fg_status_t st = tokenize(r, data + 1, len - 1); /* inside the document group */
    fg_fmt_newline(c);
    if (st == FG_OK && r->meta[0])
        st = fg_fmt_meta(&c->title, r->meta[0], r->metalen[0]);
    if (st == FG_OK && r->meta[1])
        st = fg_fmt_meta(&c->author, r->meta[1], r->metalen[1]);
    if (st == FG_OK && r->yr > 0 && r->yr < 10000 && r->mo >= 1 && r->mo <= 12) {
        char d[16];
        if (r->dy >= 1 && r->dy <= 31)
            snprintf(d, sizeof d, "%04d-%02d-%02d", r->yr, r->mo, r->dy);
        else
            snprintf(d, sizeof d, "%04d-%02d", r->yr, r->mo);
        fg_fmt_date(c, d);
    }
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r->meta[0]);
    free(r->meta[1]);
    free(r);
    return st;
}
