/*
 * snippet.h - the passage of a document that best shows why it matched.
 *
 * The text is analysed with the same analyzer as the index, so a word matches
 * through its folded form or its stem exactly as in the search ("Partnerschaft"
 * highlights "Partnerschaften").  The window of about `length` bytes holding
 * the most distinct query words (then the most matches) wins; it is widened to
 * word boundaries, white space is collapsed, "…" marks cut ends, and each
 * matched word is wrapped in the host's markers.
 * Matches through compound parts are marked on the part alone
 * ("Partnerschafts[format]" for "Format").  Long texts are not analysed whole:
 * only the words at places where a query form occurs in a loose spelling
 * (case, umlauts and ß folded) are, which finds the same matches far faster.
 */
#ifndef FG_PLUGIN_SNIPPET_H
#define FG_PLUGIN_SNIPPET_H

#include <stdbool.h>
#include <stddef.h>

#include "plugin/query.h"
#include "stemmers/analysis.h"

/*
 * Builds the snippet of text[0..len) (UTF-8 NFC) for the query words in ts.
 * hl_start/hl_end surround matches; html escapes the text (not the markers).
 * *out is malloc'ed.  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_snippet_make(fg_analyzer_t *a, const fg_termset_t *ts, const char *text, size_t len,
                            size_t length, const char *hl_start, const char *hl_end, bool html,
                            char **out);

/* As fg_snippet_make(); *match_at receives the offset in text of the
 * snippet's first match (SIZE_MAX when nothing matched), e.g. to tell on
 * which page of a PDF it is. */
fg_status_t fg_snippet_make_at(fg_analyzer_t *a, const fg_termset_t *ts, const char *text,
                               size_t len, size_t length, const char *hl_start, const char *hl_end,
                               bool html, char **out, size_t *match_at);

#endif
