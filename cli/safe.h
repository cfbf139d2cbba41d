/*
 * safe.h - text from documents and file names, made safe for a terminal.
 *
 * Titles, paths, authors and snippets come from files anybody can put into a
 * watched folder.  Printed as they are, `ESC ] 0 ; ... BEL` sets the
 * terminal's title, `ESC [ 2 J` clears the screen, a newline in a file name
 * forges a line of output, and Unicode bidi controls reorder what is shown
 * (Trojan Source).  The human output of the CLI prints such text through
 * cli_put_safe(), which shows those characters visibly, as `ls -b` does:
 * \e, \n, \r, \t, \xNN for other control bytes, invalid UTF-8 and C1
 * controls, \u{202E} for bidi controls.  JSON output needs none of this: its
 * escaping rules cover control characters.
 */
#ifndef FG_CLI_SAFE_H
#define FG_CLI_SAFE_H

#include <jansson.h>
#include <stdio.h>

/* Writes s (may be NULL: nothing) to out with every control character,
 * invalid UTF-8 byte and bidi control shown as an escape. */
void cli_put_safe(FILE *out, const char *s);

/* A JSON string of s (NULL: ""): JSON text is UTF-8, so a byte that is not
 * (a file name in Latin-1, say) becomes U+FFFD; the hit is never dropped.
 * NULL only when memory ran out. */
json_t *cli_json_string(const char *s);

#endif
