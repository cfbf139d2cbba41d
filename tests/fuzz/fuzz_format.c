/*
 * fuzz_format.c - a libFuzzer target for one family of the format parsers
 * (extract/format.h).  Built once per family with FUZZ_NAME (the file name
 * hint) and FUZZ_PREFIX (bytes put before the input so the content detection
 * picks that family, "" when the input must carry its own signature).
 *
 *   scripts/fuzz --only rtf --seconds 60     (builds build-fuzz/, runs on the seeds), or
 *   cmake -S . -B build-fuzz -DFG_FUZZ=ON -DFG_SANITIZE=ON -DCMAKE_C_COMPILER=clang \
 *     -DCMAKE_CXX_COMPILER=clang++
 *   cmake --build build-fuzz --target fuzz_rtf && build-fuzz/tests/fuzz/fuzz_rtf -max_total_time=60
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "extract/format.h"

/* Writes the prefix and data to a memory file and extracts it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char prefix[] = FUZZ_PREFIX;
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (write(fd, prefix, sizeof prefix - 1) != (ssize_t)(sizeof prefix - 1) ||
        (size > 0 && write(fd, data, size) != (ssize_t)size)) {
        close(fd);
        return 0;
    }
    fg_format_limits_t lim;
    fg_format_limits_default(&lim);
    lim.max_text = 1 << 20;
    lim.max_inflate = 16 << 20;
    fg_format_doc_t doc;
    char err[256];
    if (fg_format_extract(fd, FUZZ_NAME, &lim, &doc, err, sizeof err) == FG_OK) {
        if (strlen(doc.text) != doc.text_len)
            abort();
        fg_format_doc_free(&doc);
    }
    close(fd);
    return 0;
}
