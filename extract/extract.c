/*
 * extract.c - file -> decoded text, title and date (see extract.h).
 */
#include "extract/extract.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hash.h"

/* ------------------------------------------------------------ helpers */

/* Writes the lower-case extension of path's last component into ext. */
void fg_extract_extension(const char *path, char *ext, size_t extlen) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    ext[0] = '\0';
    if (!dot || dot == base || strlen(dot + 1) + 1 > extlen)
        return;
    size_t i = 0;
    for (const char *p = dot + 1; *p; p++)
        ext[i++] = (char)tolower((unsigned char)*p);
    ext[i] = '\0';
}

/* True when s[0..n) are digits. */
static bool all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/*
 * Parses a date "YYYY-MM" or "YYYY-MM-DD" at s (at most avail bytes) into
 * out (11 bytes).  Returns the number of bytes used, 0 if there is none.  The
 * date must end at a space, a line end or the end of the text.
 */
static size_t parse_date(const char *s, size_t avail, char *out) {
    size_t n = 0;
    if (avail >= 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) && s[7] == '-' &&
        all_digits(s + 8, 2))
        n = 10;
    else if (avail >= 7 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2))
        n = 7;
    if (n == 0 || (n < avail && !isspace((unsigned char)s[n])))
        return 0;
    int month = (s[5] - '0') * 10 + (s[6] - '0');
    if (month < 1 || month > 12)
        return 0;
    if (n == 10) {
        int day = (s[8] - '0') * 10 + (s[9] - '0');
        if (day < 1 || day > 31)
            return 0;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    return n;
}

/* Skips spaces and tabs (not newlines) from i; returns the new index. */
static size_t skip_blanks(const char *t, size_t len, size_t i) {
    while (i < len && (t[i] == ' ' || t[i] == '\t'))
        i++;
    return i;
}

/* Returns the index after the end of the line that starts at i. */
static size_t line_end(const char *t, size_t len, size_t i) {
    const char *nl = memchr(t + i, '\n', len - i);
    return nl ? (size_t)(nl - t) + 1 : len;
}

/*
 * Copies a title candidate t[start..end) into a new string: trimmed, Markdown
 * heading marks removed, shortened to FG_TITLE_MAX bytes at a word boundary
 * with "…" appended.  Returns NULL on allocation failure.
 */
static char *make_title(const char *t, size_t start, size_t end) {
    while (start < end && isspace((unsigned char)t[start]))
        start++;
    while (end > start && isspace((unsigned char)t[end - 1]))
        end--;
    size_t n = end - start;
    bool cut = false;
    if (n > FG_TITLE_MAX) {
        n = FG_TITLE_MAX;
        while (n > FG_TITLE_MAX / 2 && t[start + n] != ' ')
            n--;
        if (t[start + n] != ' ') /* one long word: cut at a character boundary */
            for (n = FG_TITLE_MAX; n > 0 && ((unsigned char)t[start + n] & 0xC0) == 0x80;)
                n--;
        while (n > 0 && t[start + n - 1] == ' ')
            n--;
        cut = true;
    }
    char *title = malloc(n + 4);
    if (!title)
        return NULL;
    memcpy(title, t + start, n);
    if (cut)
        memcpy(title + n, "\xE2\x80\xA6", 4); /* U+2026 and the NUL */
    else
        title[n] = '\0';
    return title;
}

/* ------------------------------------------------------------ front matter */

/*
 * Markdown front matter: "---\n" ... "\n---\n" at the start.  Reads "title:"
 * and "date:" into ex and returns the offset after the closing line, or 0
 * when there is none.  A missing title leaves ex->title NULL.
 */
static size_t parse_front_matter(const char *t, size_t len, fg_extracted_t *ex, bool *nomem) {
    if (len < 4 || strncmp(t, "---", 3) != 0 || (t[3] != '\n' && t[3] != '\r'))
        return 0;
    size_t i = line_end(t, len, 0);
    while (i < len) {
        size_t end = line_end(t, len, i);
        size_t content_end = end;
        while (content_end > i && (t[content_end - 1] == '\n' || t[content_end - 1] == '\r'))
            content_end--;
        if (content_end - i == 3 && strncmp(t + i, "---", 3) == 0)
            return end;
        if (content_end - i > 6 && strncmp(t + i, "title:", 6) == 0 && !ex->title) {
            size_t s = skip_blanks(t, content_end, i + 6), e = content_end;
            if (e > s + 1 && (t[s] == '"' || t[s] == '\'') && t[e - 1] == t[s]) {
                s++;
                e--;
            }
            ex->title = make_title(t, s, e);
            if (!ex->title) {
                *nomem = true;
                return 0;
            }
        } else if (content_end - i > 5 && strncmp(t + i, "date:", 5) == 0) {
            size_t s = skip_blanks(t, content_end, i + 5);
            if (s < content_end && (t[s] == '"' || t[s] == '\''))
                s++;
            char d[11];
            size_t avail = content_end - s;
            if (avail >= 10 && parse_date(t + s, 10, d))
                memcpy(ex->date, d, sizeof d);
            else if (parse_date(t + s, avail < 7 ? avail : 7, d))
                memcpy(ex->date, d, sizeof d);
        }
        i = end;
    }
    /* no closing line: not front matter after all */
    free(ex->title);
    ex->title = NULL;
    ex->date[0] = '\0';
    return 0;
}

/* ------------------------------------------------------------ extraction */

/* Finds title and body in ex->text; returns FG_OK or FG_NOMEM. */
static fg_status_t split_text(fg_extracted_t *ex) {
    const char *t = ex->text;
    size_t len = ex->text_len;
    bool nomem = false;
    size_t body = 0;

    if (strcmp(ex->ext, "md") == 0 || strcmp(ex->ext, "markdown") == 0)
        body = parse_front_matter(t, len, ex, &nomem);
    if (nomem)
        return FG_NOMEM;
    if (body == 0) {
        /* a leading "date YYYY-MM[-DD]" header */
        size_t i = 0;
        while (i < len && isspace((unsigned char)t[i]))
            i++;
        if (len - i > 5 && strncmp(t + i, "date", 4) == 0 &&
            (t[i + 4] == ' ' || t[i + 4] == '\t')) {
            size_t d = skip_blanks(t, len, i + 4);
            size_t n = parse_date(t + d, len - d, ex->date);
            if (n)
                body = d + n;
        }
    }
    ex->body_offset = body;
    if (ex->title)
        return FG_OK;

    /* first heading of a Markdown file, else the first non-empty line */
    ex->title_in_body = true;
    bool md = strcmp(ex->ext, "md") == 0 || strcmp(ex->ext, "markdown") == 0;
    size_t first = SIZE_MAX;
    for (size_t i = body; i < len;) {
        size_t end = line_end(t, len, i);
        size_t s = i;
        while (s < end && isspace((unsigned char)t[s]))
            s++;
        if (s < end) {
            if (first == SIZE_MAX)
                first = i;
            if (!md)
                break;
            if (t[s] == '#') {
                while (s < end && t[s] == '#')
                    s++;
                size_t e = end; /* drop closing hashes: "## Titel ##" */
                while (e > s && (t[e - 1] == '\n' || t[e - 1] == '\r' || t[e - 1] == ' '))
                    e--;
                size_t h = e;
                while (h > s && t[h - 1] == '#')
                    h--;
                if (h < e && h > s && t[h - 1] == ' ')
                    end = h;
                ex->title = make_title(t, s, end);
                return ex->title ? FG_OK : FG_NOMEM;
            }
        }
        i = end;
    }
    if (first == SIZE_MAX) {
        ex->title = strdup("");
    } else {
        size_t s = first, end = line_end(t, len, first);
        if (md)
            while (s < end && (t[s] == '#' || t[s] == ' '))
                s++;
        ex->title = make_title(t, s, end);
    }
    return ex->title ? FG_OK : FG_NOMEM;
}

/* Extracts len bytes already in memory (see extract.h). */
fg_status_t fg_extract_buffer(const char *name, const char *bytes, size_t len, fg_extracted_t *out,
                              char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    if (len == 0) {
        snprintf(err, errlen, "%s: empty file", name);
        return FG_SKIPPED;
    }
    bool utf16 =
        len >= 2 && (((unsigned char)bytes[0] == 0xFF && (unsigned char)bytes[1] == 0xFE) ||
                     ((unsigned char)bytes[0] == 0xFE && (unsigned char)bytes[1] == 0xFF));
    if (!utf16) {
        const char *nul = memchr(bytes, '\0', len);
        if (nul) {
            snprintf(err, errlen, "%s: binary file (NUL byte at offset %zu)", name,
                     (size_t)(nul - bytes));
            return FG_SKIPPED;
        }
    }
    fg_extract_extension(name, out->ext, sizeof out->ext);
    out->content_hash = fg_fnv1a64(FG_FNV64_OFFSET, bytes, len);
    out->raw_size = len;
    fg_status_t st = fg_text_decode(bytes, len, &out->text, &out->text_len, &out->encoding);
    if (st == FG_OK)
        st = split_text(out);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s: %s", name, fg_status_str(st));
        fg_extracted_free(out);
    }
    return st;
}

/* Reads the whole file at path into a malloc'ed buffer (see extract.h for errors). */
static fg_status_t read_file(const char *path, uint64_t max_size, char **buf, size_t *len,
                             char *err, size_t errlen) {
    /* O_NOFOLLOW: a symbolic link put in its place is not followed; O_NONBLOCK:
     * a FIFO put there does not block the open (fstat then refuses it) */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return FG_IO;
    }
    struct stat sb;
    fg_status_t st = FG_OK;
    char *data = NULL;
    size_t size = 0;
    if (fstat(fd, &sb) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        st = FG_IO;
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file", path);
        st = FG_SKIPPED;
        goto out;
    }
    if (max_size && (uint64_t)sb.st_size > max_size) {
        snprintf(err, errlen, "%s: larger than max_file_size (%lld > %llu bytes)", path,
                 (long long)sb.st_size, (unsigned long long)max_size);
        st = FG_SKIPPED;
        goto out;
    }
    size_t cap = (size_t)sb.st_size + 2; /* one spare byte notices a growing file */
    data = malloc(cap);
    if (!data) {
        st = FG_NOMEM;
        goto out;
    }
    for (;;) {
        if (max_size && size > max_size) { /* the file grew while we read it */
            snprintf(err, errlen, "%s: larger than max_file_size (%llu bytes)", path,
                     (unsigned long long)max_size);
            st = FG_SKIPPED;
            goto out;
        }
        if (size + 1 >= cap) {
            char *bigger = realloc(data, cap * 2);
            if (!bigger) {
                st = FG_NOMEM;
                goto out;
            }
            data = bigger;
            cap *= 2;
        }
        ssize_t n = read(fd, data + size, cap - size - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            st = FG_IO;
            goto out;
        }
        if (n == 0)
            break;
        size += (size_t)n;
    }
    struct stat after;
    if (fstat(fd, &after) == 0 &&
        (after.st_size != sb.st_size || after.st_mtim.tv_sec != sb.st_mtim.tv_sec ||
         after.st_mtim.tv_nsec != sb.st_mtim.tv_nsec || (off_t)size != after.st_size)) {
        /* truncated or rewritten while read: no half document (its change
         * event brings it back, a later run reads it whole) */
        snprintf(err, errlen, "%s: changed while it was read (%lld bytes, then %lld)", path,
                 (long long)sb.st_size, (long long)after.st_size);
        st = FG_SKIPPED;
    }
out:
    close(fd);
    if (st != FG_OK) {
        free(data);
        return st;
    }
    *buf = data;
    *len = size;
    return FG_OK;
}

/* Extracts the file at path (see extract.h). */
fg_status_t fg_extract_file(const char *path, uint64_t max_size, fg_extracted_t *out, char *err,
                            size_t errlen) {
    char *data = NULL;
    size_t len = 0;
    memset(out, 0, sizeof *out);
    fg_status_t st = read_file(path, max_size, &data, &len, err, errlen);
    if (st != FG_OK)
        return st;
    st = fg_extract_buffer(path, data, len, out, err, errlen);
    free(data);
    return st;
}

/* Frees what ex owns (see extract.h). */
void fg_extracted_free(fg_extracted_t *ex) {
    if (!ex)
        return;
    free(ex->text);
    free(ex->title);
    free(ex->author);
    free(ex->pages);
    free(ex->from);
    free(ex->to);
    free(ex->parts);
    free(ex->notes);
    memset(ex, 0, sizeof *ex);
}

/* ------------------------------------------------------------ document formats */

/* Appends the NFC form of len bytes of UTF-8 at s to ex->text (capacity
 * *cap).  Returns FG_OK or FG_NOMEM. */
static fg_status_t append_nfc(fg_extracted_t *ex, size_t *cap, const char *s, size_t len) {
    char *nfc = NULL;
    size_t n = 0;
    if (len == 0)
        return FG_OK;
    fg_status_t st = fg_text_decode(s, len, &nfc, &n, NULL);
    if (st != FG_OK)
        return st;
    if (ex->text_len + n + 1 > *cap) {
        size_t want = (ex->text_len + n + 1) * 2;
        char *bigger = realloc(ex->text, want);
        if (!bigger) {
            free(nfc);
            return FG_NOMEM;
        }
        ex->text = bigger;
        *cap = want;
    }
    memcpy(ex->text + ex->text_len, nfc, n);
    ex->text_len += n;
    ex->text[ex->text_len] = '\0';
    free(nfc);
    return FG_OK;
}

/* Copies doc's text into ex in NFC, page by page, so that ex->pages are
 * offsets into the normalised text. */
static fg_status_t adopt_text(const fg_format_doc_t *doc, fg_extracted_t *ex) {
    size_t cap = 1;
    ex->text = malloc(1);
    if (!ex->text)
        return FG_NOMEM;
    ex->text[0] = '\0';
    if (doc->npages == 0)
        return append_nfc(ex, &cap, doc->text ? doc->text : "", doc->text_len);
    ex->pages = malloc(doc->npages * sizeof *ex->pages);
    if (!ex->pages)
        return FG_NOMEM;
    for (size_t i = 0; i < doc->npages; i++) {
        size_t from = doc->pages[i] < doc->text_len ? doc->pages[i] : doc->text_len;
        size_t to = i + 1 < doc->npages && doc->pages[i + 1] < doc->text_len ? doc->pages[i + 1]
                                                                             : doc->text_len;
        ex->pages[i] = (uint32_t)ex->text_len;
        if (to > from) {
            fg_status_t st = append_nfc(ex, &cap, doc->text + from, to - from);
            if (st != FG_OK)
                return st;
        }
    }
    ex->npages = doc->npages;
    return FG_OK;
}

/* Turns a document a format parser produced into an extraction (see extract.h). */
fg_status_t fg_extract_adopt(const char *name, const fg_format_doc_t *doc, uint64_t raw_size,
                             fg_extracted_t *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    fg_status_t st = adopt_text(doc, out);
    if (st == FG_OK && doc->title && doc->title[0]) {
        char *t = NULL;
        size_t n = 0;
        st = fg_text_decode(doc->title, strlen(doc->title), &t, &n, NULL);
        if (st == FG_OK) {
            for (size_t i = 0; i < n; i++)
                if (t[i] == '\n' || t[i] == '\r' || t[i] == '\t')
                    t[i] = ' ';
            out->title = make_title(t, 0, n);
            free(t);
            st = out->title ? FG_OK : FG_NOMEM;
        }
    } else if (st == FG_OK) { /* no title: the body's first line, as for text */
        size_t s = 0;
        while (s < out->text_len && isspace((unsigned char)out->text[s]))
            s++;
        out->title = make_title(out->text, s, line_end(out->text, out->text_len, s));
        out->title_in_body = out->title && out->title[0];
        st = out->title ? FG_OK : FG_NOMEM;
    }
    if (st == FG_OK && doc->author && doc->author[0]) {
        out->author = strdup(doc->author);
        st = out->author ? FG_OK : FG_NOMEM;
    }
    /* the mail fields, when set */
    const char *const mail[] = {doc->from, doc->to, doc->parts, doc->notes};
    char **const dst[] = {&out->from, &out->to, &out->parts, &out->notes};
    for (size_t i = 0; i < sizeof mail / sizeof mail[0] && st == FG_OK; i++)
        if (mail[i] && mail[i][0] && !(*dst[i] = strdup(mail[i])))
            st = FG_NOMEM;
    if (st != FG_OK) {
        snprintf(err, errlen, "%s: %s", name, fg_status_str(st));
        fg_extracted_free(out);
        return st;
    }
    memcpy(out->date, doc->date, sizeof out->date);
    out->date[sizeof out->date - 1] = '\0';
    snprintf(out->ext, sizeof out->ext, "%s", fg_doctype_name(doc->type));
    out->encoding = FG_ENC_UTF8;
    out->content_hash = fg_fnv1a64(FG_FNV64_OFFSET, out->text, out->text_len);
    if (doc->type == FG_DOCTYPE_EML) { /* two mails saying "Danke!" are no duplicates */
        const char *const head[] = {out->title, doc->from, doc->to, doc->date};
        for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
            if (head[i])
                out->content_hash = fg_fnv1a64(out->content_hash, head[i], strlen(head[i]) + 1);
    }
    out->raw_size = raw_size;
    out->stored = true;
    return FG_OK;
}
