/*
 * docdata.c - reading and writing the document data (see docdata.h).
 */
#include "index/docdata.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Appends "key=value\n" to the growing buffer *buf (len *len, capacity *cap),
 * escaping backslashes and newlines in value (see docdata.h). */
bool fg_docdata_add(char **buf, size_t *len, size_t *cap, const char *key, const char *value,
                    size_t vlen) {
    size_t need = *len + strlen(key) + 2 + 2 * vlen + 1;
    if (need > *cap) {
        size_t ncap = need * 2;
        char *p = realloc(*buf, ncap);
        if (!p)
            return false;
        *buf = p;
        *cap = ncap;
    }
    char *o = *buf + *len;
    o += sprintf(o, "%s=", key);
    for (size_t i = 0; i < vlen; i++) {
        char ch = value[i];
        if (ch == '\\') {
            *o++ = '\\';
            *o++ = '\\';
        } else if (ch == '\n') {
            *o++ = '\\';
            *o++ = 'n';
        } else if (ch == '\r' || ch == '\t') {
            *o++ = ' ';
        } else {
            *o++ = ch;
        }
    }
    *o++ = '\n';
    *o = '\0';
    *len = (size_t)(o - *buf);
    return true;
}

/* Reads the value of key from Omega-style document data (see docdata.h). */
fg_status_t fg_docdata_get(const char *data, size_t len, const char *key, char **out) {
    size_t klen = strlen(key);
    const char *p = data, *end = data + len;
    *out = NULL;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if ((size_t)(le - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1;
            char *s = malloc((size_t)(le - v) + 1), *o = s;
            if (!s)
                return FG_NOMEM;
            for (; v < le; v++) {
                if (*v == '\\' && v + 1 < le) {
                    v++;
                    *o++ = *v == 'n' ? '\n' : *v;
                } else {
                    *o++ = *v;
                }
            }
            *o = '\0';
            *out = s;
            return FG_OK;
        }
        p = le + 1;
    }
    *out = strdup("");
    return *out ? FG_OK : FG_NOMEM;
}

/* Copies document data with the line of key set to value (see docdata.h). */
fg_status_t fg_docdata_set(const char *data, size_t len, const char *key, const char *value,
                           char **out, size_t *out_len) {
    size_t klen = strlen(key), olen = 0, cap = 0;
    char *buf = NULL;
    bool done = false, ok = true;
    *out = NULL;
    *out_len = 0;
    const char *p = data, *end = data + len;
    while (ok && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (!done && (size_t)(le - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
            ok = fg_docdata_add(&buf, &olen, &cap, key, value, strlen(value));
            done = true;
        } else {
            size_t n = (size_t)(le - p) + 1;
            if (olen + n + 1 > cap) {
                size_t ncap = (olen + n + 1) * 2;
                char *b = realloc(buf, ncap);
                ok = b != NULL;
                if (ok) {
                    buf = b;
                    cap = ncap;
                }
            }
            if (ok) {
                memcpy(buf + olen, p, n - 1);
                buf[olen + n - 1] = '\n';
                olen += n;
            }
        }
        p = le + 1;
    }
    if (ok && !done)
        ok = fg_docdata_add(&buf, &olen, &cap, key, value, strlen(value));
    if (!ok) {
        free(buf);
        return FG_NOMEM;
    }
    *out = buf;
    *out_len = olen;
    return FG_OK;
}

/* A document's date as "YYYYMMDD" (see docdata.h). */
bool fg_docdata_date(const char *content_date, int64_t mtime, char out[9]) {
    if (content_date[0]) {
        memcpy(out, content_date, 4);
        memcpy(out + 4, content_date + 5, 2);
        if (content_date[7] == '-')
            memcpy(out + 6, content_date + 8, 2);
        else
            memcpy(out + 6, "00", 2);
        out[8] = '\0';
        return true;
    }
    struct tm tm;
    time_t t = (time_t)mtime;
    char tmp[32];
    bool known = gmtime_r(&t, &tm) != NULL;
    if (!known)
        memset(&tm, 0, sizeof tm), tm.tm_year = 70, tm.tm_mday = 1;
    snprintf(tmp, sizeof tmp, "%04d%02d%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100);
    memcpy(out, tmp, 8);
    out[8] = '\0';
    return known;
}
