/*
 * fmt_zip.c - reading members of an untrusted zip: the central directory is
 * checked for entries whose data overlap (the trick of "non-recursive" zip
 * bombs), and every byte inflated is counted against lim->max_inflate, per
 * member and for the archive.  Members are only ever parsed as XML/HTML:
 * a zip inside the zip is never opened.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "extract/fmt_internal.h"

struct fg_zip {
    zip_t *za;
    uint64_t inflated; /* bytes inflated from all members so far */
};

/* Reads a little-endian integer of n bytes. */
static uint64_t le(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* Reads exactly n bytes at off; false on a short read or an error. */
static bool pread_all(const fg_fmt_src_t *src, void *buf, size_t n, off_t off) {
    size_t got = 0;
    while (got < n) {
        ssize_t r = fg_src_pread(src, (char *)buf + got, n - got, (uint64_t)off + got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        got += (size_t)r;
    }
    return true;
}

/* One entry's data range from the central directory. */
typedef struct range {
    uint64_t off, size;
} range_t;

/* Sorts ranges by offset. */
static int range_cmp(const void *a, const void *b) {
    const range_t *x = a, *y = b;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Checks the central directory: each entry's local header + compressed data
 * must end before the next entry's local header begins.  libzip does not
 * expose the local header offsets, so this reads the directory itself.  A
 * ZIP64 directory is left to libzip (its sizes are not in this record). */
static fg_status_t check_overlap(fg_fmt_ctx_t *c, const fg_fmt_src_t *src) {
    off_t end = (off_t)fg_src_size(src);
    if (end < 22)
        return fg_fmt_fail(c, FG_SKIPPED, "not a zip archive");
    size_t tail = end < 65557 ? (size_t)end : 65557;
    unsigned char *t = malloc(tail);
    if (!t)
        return FG_NOMEM;
    if (!pread_all(src, t, tail, end - (off_t)tail)) {
        free(t);
        return fg_fmt_fail(c, FG_IO, "read: %s", strerror(errno));
    }
    long eocd = -1;
    for (long i = (long)tail - 22; i >= 0; i--)
        if (t[i] == 'P' && t[i + 1] == 'K' && t[i + 2] == 5 && t[i + 3] == 6) {
            eocd = i;
            break;
        }
    if (eocd < 0) {
        free(t);
        return fg_fmt_fail(c, FG_SKIPPED, "not a zip archive");
    }
    uint64_t nent = le(t + eocd + 10, 2), cdsize = le(t + eocd + 12, 4),
             cdoff = le(t + eocd + 16, 4);
    free(t);
    if (nent == 0xFFFF || cdsize == 0xFFFFFFFF || cdoff == 0xFFFFFFFF)
        return FG_OK; /* ZIP64: libzip's own checks and the inflate cap remain */
    if (cdoff + cdsize > (uint64_t)end || cdsize > ((uint64_t)64 << 20))
        return fg_fmt_fail(c, FG_CORRUPT, "zip central directory out of range");
    unsigned char *cd = malloc(cdsize ? cdsize : 1);
    range_t *rs = calloc(nent ? nent : 1, sizeof *rs);
    fg_status_t st = FG_OK;
    if (!cd || !rs) {
        st = FG_NOMEM;
        goto out;
    }
    if (!pread_all(src, cd, cdsize, (off_t)cdoff)) {
        st = fg_fmt_fail(c, FG_CORRUPT, "zip central directory unreadable");
        goto out;
    }
    size_t p = 0, n = 0;
    for (; n < nent; n++) {
        if (p + 46 > cdsize || le(cd + p, 4) != 0x02014b50) {
            st = fg_fmt_fail(c, FG_CORRUPT, "zip central directory entry %zu damaged", n);
            goto out;
        }
        rs[n].size = le(cd + p + 20, 4);
        rs[n].off = le(cd + p + 42, 4);
        p += 46 + le(cd + p + 28, 2) + le(cd + p + 30, 2) + le(cd + p + 32, 2);
    }
    qsort(rs, n, sizeof *rs, range_cmp);
    for (size_t i = 0; i + 1 < n; i++)
        if (rs[i].off + 30 + rs[i].size > rs[i + 1].off) {
            st = fg_fmt_fail(c, FG_SKIPPED, "zip bomb: overlapping entries");
            goto out;
        }
out:
    free(cd);
    free(rs);
    return st;
}

/* Opens src with libzip: a buffer through a buffer source, a file through a
 * dup() of its descriptor.  NULL with *zerr set on failure. */
static zip_t *open_zip(const fg_fmt_src_t *src, int *zerr) {
    if (src->data) {
        zip_error_t ze;
        zip_error_init(&ze);
        zip_source_t *zs = zip_source_buffer_create(src->data, src->len, 0, &ze);
        zip_t *za = zs ? zip_open_from_source(zs, ZIP_CHECKCONS | ZIP_RDONLY, &ze) : NULL;
        if (!za) {
            *zerr = zip_error_code_zip(&ze);
            if (zs)
                zip_source_free(zs);
        }
        zip_error_fini(&ze);
        return za;
    }
    if (lseek(src->fd, 0, SEEK_SET) < 0) {
        *zerr = ZIP_ER_SEEK;
        return NULL;
    }
    int dfd = dup(src->fd);
    if (dfd < 0) {
        *zerr = ZIP_ER_OPEN;
        return NULL;
    }
    zip_t *za = zip_fdopen(dfd, ZIP_CHECKCONS | ZIP_RDONLY, zerr);
    if (!za)
        close(dfd);
    return za;
}

/* Opens the archive; see fmt_internal.h. */
fg_status_t fg_zip_open(fg_fmt_ctx_t *c, const fg_fmt_src_t *src, fg_zip_t **out) {
    *out = NULL;
    fg_status_t st = check_overlap(c, src);
    if (st != FG_OK)
        return st;
    int zerr = 0;
    zip_t *za = open_zip(src, &zerr);
    if (!za) {
        if (zerr == ZIP_ER_MEMORY)
            return FG_NOMEM;
        if (zerr == ZIP_ER_NOZIP)
            return fg_fmt_fail(c, FG_SKIPPED, "not a zip archive");
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        st = fg_fmt_fail(c, FG_CORRUPT, "zip: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return st;
    }
    fg_zip_t *z = calloc(1, sizeof *z);
    if (!z) {
        zip_discard(za);
        return FG_NOMEM;
    }
    z->za = za;
    *out = z;
    return FG_OK;
}

/* Closes the archive (and the dup()ed descriptor). */
void fg_zip_close(fg_zip_t *z) {
    if (!z)
        return;
    zip_discard(z->za);
    free(z);
}

/* Number of entries. */
size_t fg_zip_count(fg_zip_t *z) {
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    return n < 0 ? 0 : (size_t)n;
}

/* Name of entry i, or NULL. */
const char *fg_zip_name(fg_zip_t *z, size_t i) {
    return zip_get_name(z->za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
}

/* Whether the member exists. */
bool fg_zip_has(fg_zip_t *z, const char *name) {
    return zip_name_locate(z->za, name, 0) >= 0;
}

/* Inflates a member in chunks, stopping at the cap; see fmt_internal.h. */
fg_status_t fg_zip_read(fg_zip_t *z, fg_fmt_ctx_t *c, const char *name, char **data, size_t *len) {
    *data = NULL;
    *len = 0;
    zip_int64_t idx = zip_name_locate(z->za, name, 0);
    if (idx < 0)
        return FG_NOT_FOUND;
    zip_file_t *f = zip_fopen_index(z->za, (zip_uint64_t)idx, 0);
    if (!f) {
        zip_error_t *ze = zip_get_error(z->za);
        if (zip_error_code_zip(ze) == ZIP_ER_NOPASSWD ||
            zip_error_code_zip(ze) == ZIP_ER_WRONGPASSWD)
            return fg_fmt_fail(c, FG_SKIPPED, "encrypted");
        return fg_fmt_fail(c, FG_CORRUPT, "%s: %s", name, zip_error_strerror(ze));
    }
    uint64_t cap = c->lim->max_inflate;
    size_t bcap = 65536, blen = 0;
    char *buf = malloc(bcap + 1);
    fg_status_t st = FG_OK;
    if (!buf) {
        st = FG_NOMEM;
        goto out;
    }
    for (;;) {
        if (bcap - blen < 65536) {
            char *nb = realloc(buf, bcap * 2 + 1);
            if (!nb) {
                st = FG_NOMEM;
                goto out;
            }
            buf = nb;
            bcap *= 2;
        }
        zip_int64_t r = zip_fread(f, buf + blen, 65536);
        if (r < 0) {
            st = fg_fmt_fail(c, FG_CORRUPT, "%s: %s", name,
                             zip_error_strerror(zip_file_get_error(f)));
            goto out;
        }
        if (r == 0)
            break;
        blen += (size_t)r;
        z->inflated += (uint64_t)r;
        if (blen > cap || z->inflated > cap) {
            st = fg_fmt_fail(c, FG_SKIPPED, "zip bomb: more than %llu bytes inflated",
                             (unsigned long long)cap);
            goto out;
        }
    }
    buf[blen] = '\0';
    *data = buf;
    *len = blen;
    buf = NULL;
out:
    free(buf);
    zip_fclose(f);
    return st;
}
