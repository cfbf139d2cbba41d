/*
 * cli.h - the commands of `fundgrube`, each in a file of its own.
 *
 * Every command takes argc/argv after the command word (argv[0] is the
 * command) and returns the process exit code: 0 success (a search without
 * hits included), 2 usage error, 1 any other failure, always with a message
 * on stderr.
 */
#ifndef FG_CLI_CLI_H
#define FG_CLI_CLI_H

#include <libintl.h>
#include <stdio.h>

#include "config/config.h"
#include "fundgrube/fundgrube.h"

#define EXIT_USAGE 2

/* The CLI's messages follow the locale through gettext (text domain
 * "fundgrube", po/): _("text") is the translation of text. */
#define FG_TEXTDOMAIN "fundgrube"
#define _(text) gettext(text)
/* Marks text for translation where it is defined; _() translates it where it is used. */
#define N_(text) text

/*
 * Sets LC_MESSAGES from the environment (LANG, LC_ALL, LC_MESSAGES,
 * LANGUAGE) and binds the text domain to the catalogues installed beside
 * the program (<datadir>/locale, found relative to it) or the build tree's
 * share/locale.  Only LC_MESSAGES: numbers keep their "." (JSON, the
 * configuration), the catalogues are read as UTF-8.
 */
void cli_i18n_init(void);

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Prints "fundgrube: " and the message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Loads the configuration (config_path may be NULL: the default search) and
 * applies an --index override.  Prints the error and returns 1 on failure, 0
 * on success.
 */
int cli_load_config(fg_config_t *cfg, const char *config_path, const char *index_override);

/*
 * Parses the options of a command that takes only --config FILE, --index DIR
 * and --help (usage is printed for --help and for a bad option).  Returns -1
 * to go on (optind then indexes the first argument), or the exit code.
 */
int cli_parse_basic(int argc, char **argv, const char *usage, const char **config_path,
                    const char **index_dir);

/*
 * Loads libfundgrube.so.1 and returns its function table: $FUNDGRUBE_PLUGIN if
 * set, else the installation's <bindir>/../lib/<multiarch>/ (relative to this
 * program, so any prefix works), else the build tree's plugin/ when this
 * program lies in one, else the dynamic linker's search.  Prints the error
 * and returns NULL on failure.  *so receives the dlopen handle (dlclose it).
 */
const fg_plugin_api_t *cli_load_plugin(void **so);

#endif
