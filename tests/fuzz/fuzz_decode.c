/*
 * fuzz_decode.c - libFuzzer target of the decoder, fg_text_decode()
 * (stemmers/decode.c): any bytes must give valid UTF-8 without NUL bytes,
 * of the length it reports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "stemmers/analysis.h"

/* Decodes the input and checks the result. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *out = NULL;
    size_t len = 0;
    fg_encoding_t enc = FG_ENC_UTF8;
    if (fg_text_decode((const char *)data, size, &out, &len, &enc) != FG_OK)
        return 0;
    if (!out || strlen(out) != len || !fuzz_utf8_valid(out, len))
        abort();
    if (enc > FG_ENC_CP1252 || !fg_encoding_name(enc))
        abort();
    free(out);
    return 0;
}
