/*
 * message.h - formatting error and warning texts into caller buffers.
 *
 * Internal to the project (not installed): modules that report failures
 * through a caller's (buf, len) pair share this one helper.
 */
#ifndef FG_COMMON_MESSAGE_H
#define FG_COMMON_MESSAGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Formats into buf (len bytes, NUL-terminated, cut to fit) when there is room;
 * a NULL buf or a len of 0 does nothing. */
void fg_message(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
