/*
 * i18n.c - the CLI's messages in the user's language (see cli.h).
 */
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/relocate.h"

#ifndef FG_LOCALEDIR
#define FG_LOCALEDIR "/usr/local/share/locale"
#endif

/* Chooses the message language and finds the catalogues (see cli.h). */
void cli_i18n_init(void) {
    setlocale(LC_MESSAGES, "");
    char dir[PATH_MAX];
    if (fg_relocate_find(NULL, FG_REL_BIN_TO_DATA "/locale", NULL, "share/locale", R_OK, dir,
                         sizeof dir))
        bindtextdomain(FG_TEXTDOMAIN, dir);
    else
        bindtextdomain(FG_TEXTDOMAIN, FG_LOCALEDIR);
    bind_textdomain_codeset(FG_TEXTDOMAIN, "UTF-8");
    textdomain(FG_TEXTDOMAIN);
}
