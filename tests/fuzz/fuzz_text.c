/*
 * fuzz_text.c - libFuzzer target of text and Markdown extraction,
 * fg_extract_buffer() (extract/extract.c): date header, front matter, title.
 * The first byte picks the name (.txt or .md).  What comes back must be
 * consistent: NUL-terminated text of its length, the body inside it, a title
 * of at most FG_TITLE_MAX bytes (and a "…" when cut), all valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract/extract.h"
#include "fuzz_util.h"

/* Extracts the input as a .txt or .md file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    const char *name = (data[0] & 1) ? "f.md" : "f.txt";
    fg_extracted_t ex;
    char err[512];
    if (fg_extract_buffer(name, (const char *)data + 1, size - 1, &ex, err, sizeof err) != FG_OK)
        return 0;
    if (!ex.text || strlen(ex.text) != ex.text_len || ex.body_offset > ex.text_len)
        abort();
    if (!fuzz_utf8_valid(ex.text, ex.text_len))
        abort();
    if (!ex.title || strlen(ex.title) > FG_TITLE_MAX + 3 ||
        !fuzz_utf8_valid(ex.title, strlen(ex.title)))
        abort();
    size_t dl = strnlen(ex.date, sizeof ex.date);
    if (dl == sizeof ex.date || (dl != 0 && dl != 7 && dl != 10))
        abort();
    fg_extracted_free(&ex);
    return 0;
}
