/*
 * cmd_serve.c - `fundgrube serve`: parses the options, loads the plugin and
 * runs the web server of web/ until SIGTERM or SIGINT.
 */
#include <dlfcn.h>
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "web/web.h"

static const char serve_usage[] = N_(
    "Usage: fundgrube serve [--config FILE] [--index DIR] [--listen 127.0.0.1:8080 | unix:PATH]\n"
    "\n"
    "Serves the search page (http://127.0.0.1:8080/ by default) and the JSON API\n"
    "(/api/search, /api/suggest, /api/analyze, /api/document/DOCID, /api/status)\n"
    "through the search plugin.  On loopback ([web] listen; port 0 picks a free\n"
    "one) it answers only requests whose Host is that address or localhost; on\n"
    "any other address (e.g. 0.0.0.0:8080) every request needs the access token\n"
    "of [web] token_file (made when missing): \"Authorization: Bearer TOKEN\", or\n"
    "the one-time login link printed at start.  Prints the URL when it is ready.\n"
    "Searches end after [web] time_limit with the hits found so far.  SIGTERM or\n"
    "SIGINT finish the requests in flight and exit 0; SIGHUP re-reads the\n"
    "configuration.\n"
    "\n"
    "  --config FILE   configuration file\n"
    "  --index DIR     index folder or shard list (default: [index] path)\n"
    "  --listen ADDR   HOST:PORT or unix:PATH (default: [web] listen)\n"
    "  -h, --help      this help\n"
    "  -V, --version   print the version\n");

/* `fundgrube serve` (see serve_usage). */
int cmd_serve(int argc, char **argv) {
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'}, {"index", required_argument, NULL, 'i'},
        {"listen", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0}};
    fg_web_options_t o = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:i:l:hV", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o.config_path = optarg; break;
        case 'i': o.index_path = optarg; break;
        case 'l': o.listen = optarg; break;
        case 'h': fputs(_(serve_usage), stdout); return 0;
        case 'V': printf("fundgrube serve %s\n", PROJECT_VERSION); return 0;
        default: fputs(_(serve_usage), stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        cli_error(_("serve: unexpected argument '%s'"), argv[optind]);
        fputs(_(serve_usage), stderr);
        return EXIT_USAGE;
    }
    if (o.listen) { /* checked like the configuration's [web] listen */
        fg_config_t cfg;
        char err[1024];
        fg_status_t st = fg_config_init(&cfg);
        if (st == FG_OK)
            st = fg_config_set(&cfg, "web", "listen", o.listen, FG_CFG_COMMAND_LINE, err,
                               sizeof err);
        fg_config_free(&cfg);
        if (st != FG_OK) {
            cli_error(_("--listen: %s"), st == FG_NOMEM ? fg_status_str(st) : err);
            return EXIT_USAGE;
        }
    }
    void *so = NULL;
    o.api = cli_load_plugin(&so);
    if (!o.api)
        return 1;
    char err[1024];
    fg_web_server_t *srv = NULL;
    if (fg_web_start(&o, &srv, err, sizeof err) != FG_OK) {
        cli_error(_("serve: %s"), err);
        dlclose(so);
        return 1;
    }
    if (fg_web_login_url(srv)[0]) /* one write: both lines come together */
        printf(_("Fundgrube: %s\nLogin (the link works once): %s\nAccess token in: %s\n"),
               fg_web_url(srv), fg_web_login_url(srv), fg_web_token_file(srv));
    else
        printf("Fundgrube: %s\n", fg_web_url(srv));
    fflush(stdout);
    fg_web_wait(srv);
    fg_web_stop(srv);
    dlclose(so);
    return 0;
}
