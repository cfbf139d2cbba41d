/* message.c - formatting texts into caller buffers (see message.h). */
#include "common/message.h"

#include <stdarg.h>
#include <stdio.h>

/* Formats into buf when there is room (see message.h). */
void fg_message(char *buf, size_t len, const char *fmt, ...) {
    if (!buf || len == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}
