/*
 * fuzz_util.h - what the libFuzzer targets share: a check that bytes are
 * valid UTF-8, a NUL-terminated copy of the input, a temporary home folder.
 */
#ifndef FG_TESTS_FUZZ_UTIL_H
#define FG_TESTS_FUZZ_UTIL_H

#include <ftw.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* True when s[0..n) is valid UTF-8 (shortest forms, no surrogates, at most
 * U+10FFFF). */
static inline bool fuzz_utf8_valid(const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            k = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            k = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            k = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (n - i <= k)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3Fu);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

/* A malloc'ed NUL-terminated copy of data (NULL when memory ran out). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    if (!s)
        return NULL;
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* nftw() callback of fuzz_remove_tree(): removes one entry. */
static inline int fuzz_remove_entry(const char *path, const struct stat *sb, int flag,
                                    struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* The temporary folder fuzz_temp_home() made, removed at exit. */
static char fuzz_home[64];

/* Removes fuzz_home and everything in it. */
static inline void fuzz_remove_home(void) {
    if (fuzz_home[0])
        nftw(fuzz_home, fuzz_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Makes a temporary folder /tmp/fg-fuzz-NAME-XXXXXX, the HOME of the process
 * (XDG_* and FUNDGRUBE_CONFIG unset), removed when the fuzzer exits.  Returns
 * its path, or NULL. */
static inline const char *fuzz_temp_home(const char *name) {
    snprintf(fuzz_home, sizeof fuzz_home, "/tmp/fg-fuzz-%s-XXXXXX", name);
    if (!mkdtemp(fuzz_home))
        return NULL;
    atexit(fuzz_remove_home);
    setenv("HOME", fuzz_home, 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("FUNDGRUBE_CONFIG");
    return fuzz_home;
}

#endif
