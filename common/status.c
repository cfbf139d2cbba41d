/* status.c - texts for fg_status_t (see include/fundgrube/status.h). */
#include "fundgrube/status.h"

static const char *const status_texts[] = {
#define FG_STATUS_TEXT_(name, msg) msg,
    FG_STATUS_MAP(FG_STATUS_TEXT_)
#undef FG_STATUS_TEXT_
};

/* Returns the static text of a status, or "unknown status" when out of range. */
const char *fg_status_str(int status) {
    if (status < 0 || status >= (int)FG_STATUS_LAST_)
        return "unknown status";
    return status_texts[status];
}
