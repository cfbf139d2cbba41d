/*
 * log.c - leveled log lines on stderr (see log.h).
 */
#include "daemon/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static fgd_level_t max_level = FGD_INFO;
static int prefix_priority;

/* Sets the level and the prefix style (see log.h). */
void fgd_log_init(fgd_level_t level) {
    max_level = level;
    const char *js = getenv("JOURNAL_STREAM");
    prefix_priority = js && js[0];
}

/* True when lvl is printed (see log.h). */
int fgd_log_enabled(fgd_level_t lvl) {
    return lvl <= max_level;
}

/* The word printed for a level. */
static const char *level_name(fgd_level_t lvl) {
    switch (lvl) {
    case FGD_ERROR: return "error";
    case FGD_WARNING: return "warning";
    case FGD_NOTICE: return "notice";
    case FGD_INFO: return "info";
    default: return "debug";
    }
}

/* Formats and writes one line (see log.h). */
void fgd_log(fgd_level_t lvl, const char *fmt, ...) {
    if (lvl > max_level)
        return;
    char line[4096];
    int n = 0;
    if (prefix_priority)
        n = snprintf(line, sizeof line, "<%d>", (int)lvl);
    n += snprintf(line + n, sizeof line - (size_t)n, "fundgrubed[%ld]: %s: ", (long)getpid(),
                  level_name(lvl));
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}
