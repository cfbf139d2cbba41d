/*
 * fmt_rtf.c - RTF (placeholder until the tokenizer lands).
 */
#include "extract/fmt_internal.h"

/* Not yet: RTF is skipped with that reason. */
fg_status_t fg_fmt_rtf(fg_fmt_ctx_t *c, const char *data, size_t len) {
    (void)data;
    (void)len;
    return fg_fmt_fail(c, FG_SKIPPED, "RTF not supported yet");
}
