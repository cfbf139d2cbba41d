/*
 * cmd_search.c - `fundgrube search`: ranked search through the plugin, for
 * people (highlighted snippets) and programs (--json, --batch).
 */
#include <dlfcn.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static const char search_usage[] =
    "Usage: fundgrube search [--index DIR] [--config FILE] [--limit N] [--offset N]\n"
    "                        [--json] [--no-snippets] QUERY...\n"
    "       fundgrube search [--index DIR] [--limit N] [--no-snippets] --batch FILE\n"
    "\n"
    "Ranked search.  The words of QUERY are joined by spaces.  Query language:\n"
    "  Wort Wort        documents matching more of the words rank higher\n"
    "  \"ein Satz\"       the words in this order (inflected forms match)\n"
    "  a AND b / a UND b, a OR b / a ODER b, a NOT b / a NICHT b, ( )\n"
    "  +muss -nicht     must / must not contain the word\n"
    "\n"
    "  --limit N        hits per page (default 10)\n"
    "  --offset N       skip the first N hits (paging)\n"
    "  --json           one JSON object per hit: path, title, rank, score, percent, snippet\n"
    "  --batch FILE     one query per line (- for stdin); prints one JSON line per query:\n"
    "                   {\"query\":..., \"total\":..., \"hits\":[...]}\n"
    "  --no-snippets    leave snippets out (faster)\n";

/* Options of one search run. */
typedef struct search_opts {
    const fg_plugin_api_t *api;
    fg_handle_t *h;
    fg_search_options_t so;
    bool json;
} search_opts_t;

/* The JSON object of one hit. */
static json_t *hit_json(const fg_hit_t *hit) {
    return json_pack("{s:s, s:s, s:I, s:f, s:i, s:s}", "path", hit->path, "title", hit->title,
                     "rank", (json_int_t)hit->rank, "score", hit->score, "percent", hit->percent,
                     "snippet", hit->snippet);
}

/* Prints one JSON value on a line of its own; returns 0 or 1 on failure. */
static int print_json(json_t *j) {
    if (!j)
        return 1;
    int rc = json_dumpf(j, stdout, JSON_COMPACT) == 0 ? 0 : 1;
    fputc('\n', stdout);
    json_decref(j);
    return rc;
}

/* Prints results for people. */
static void print_human(const fg_results_t *r, const search_opts_t *o, bool tty) {
    if (r->count == 0) {
        printf("No documents found.\n");
        return;
    }
    printf("%llu document%s found (showing %u-%zu):\n\n", (unsigned long long)r->total_estimate,
           r->total_estimate == 1 ? "" : "s", o->so.offset + 1, o->so.offset + r->count);
    for (size_t i = 0; i < r->count; i++) {
        const fg_hit_t *hit = FG_RESULTS_HIT(r, i);
        const char *title = hit->title[0] ? hit->title : hit->path;
        if (tty)
            printf("%u. \033[1m%s\033[0m  (%d%%)\n   \033[2m%s\033[0m\n", hit->rank, title,
                   hit->percent, hit->path);
        else
            printf("%u. %s  (%d%%)\n   %s\n", hit->rank, title, hit->percent, hit->path);
        if (hit->snippet[0])
            printf("   %s\n", hit->snippet);
        printf("\n");
    }
}

/* Runs one query; prints it as the options say.  Returns an exit code. */
static int run_query(search_opts_t *o, const char *query, bool batch) {
    fg_results_t *r = NULL;
    int st = o->api->search(o->h, query, &o->so, &r);
    if (st != FG_OK) {
        cli_error("search '%s': %s", query, o->api->last_error(o->h));
        if (batch) /* keep one line per query so the output stays aligned */
            print_json(json_pack("{s:s, s:s}", "query", query, "error", o->api->last_error(o->h)));
        return 1;
    }
    const char *warning = o->api->last_error(o->h);
    if (warning[0])
        cli_error("%s", warning);
    int rc = 0;
    if (batch) {
        json_t *hits = json_array();
        for (size_t i = 0; i < r->count; i++)
            json_array_append_new(hits, hit_json(FG_RESULTS_HIT(r, i)));
        rc = print_json(json_pack("{s:s, s:I, s:o}", "query", query, "total",
                                  (json_int_t)r->total_estimate, "hits", hits));
    } else if (o->json) {
        for (size_t i = 0; i < r->count && rc == 0; i++) {
            json_t *j = hit_json(FG_RESULTS_HIT(r, i));
            if (j)
                json_object_set_new(j, "total", json_integer((json_int_t)r->total_estimate));
            rc = print_json(j);
        }
    } else {
        print_human(r, o, isatty(STDOUT_FILENO) != 0);
    }
    o->api->results_free(r);
    return rc;
}

/* Runs every line of a batch file as a query. */
static int run_batch(search_opts_t *o, const char *file) {
    FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (!in) {
        cli_error("--batch %s: cannot open: %m", file);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        if (run_query(o, line, true) != 0)
            rc = 1;
    }
    free(line);
    if (in != stdin)
        fclose(in);
    return rc;
}

/* Parses a non-negative number option; -1 when it is not one. */
static long parse_count(const char *s) {
    char *end;
    long v = strtol(s, &end, 10);
    return (*s && !*end && v >= 0 && v <= 1000000) ? v : -1;
}

/* `fundgrube search` (see search_usage). */
int cmd_search(int argc, char **argv) {
    static const struct option opts[] = {
        {"index", required_argument, NULL, 'i'},  {"config", required_argument, NULL, 'c'},
        {"limit", required_argument, NULL, 'n'},  {"offset", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},         {"batch", required_argument, NULL, 'b'},
        {"no-snippets", no_argument, NULL, 'S'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *index_dir = NULL, *config_path = NULL, *batch = NULL;
    search_opts_t o = {0};
    o.so.struct_size = sizeof o.so;
    o.so.limit = 10;
    int c;
    long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:c:n:o:jb:Sh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index_dir = optarg; break;
        case 'c': config_path = optarg; break;
        case 'n':
        case 'o':
            if ((v = parse_count(optarg)) < 0 || (c == 'n' && (v == 0 || v > 10000))) {
                cli_error("search: bad --%s '%s'", c == 'n' ? "limit" : "offset", optarg);
                return EXIT_USAGE;
            }
            if (c == 'n')
                o.so.limit = (uint32_t)v;
            else
                o.so.offset = (uint32_t)v;
            break;
        case 'j': o.json = true; break;
        case 'b': batch = optarg; break;
        case 'S': o.so.flags |= FG_SEARCH_NO_SNIPPETS; break;
        case 'h': fputs(search_usage, stdout); return 0;
        default: fputs(search_usage, stderr); return EXIT_USAGE;
        }
    }
    if (!batch && optind >= argc) {
        cli_error("search: no QUERY given");
        fputs(search_usage, stderr);
        return EXIT_USAGE;
    }
    if (batch && optind < argc) {
        cli_error("search: give either --batch FILE or a QUERY, not both");
        return EXIT_USAGE;
    }
    bool tty = isatty(STDOUT_FILENO) != 0;
    if (!o.json && !batch && tty) {
        o.so.hl_start = "\033[1;31m";
        o.so.hl_end = "\033[0m";
    }

    fg_config_t cfg;
    if (cli_load_config(&cfg, config_path, index_dir) != 0)
        return 1;
    if (config_path)
        setenv("FUNDGRUBE_CONFIG", config_path, 1); /* the plugin reads [ranking] too */
    void *so = NULL;
    o.api = cli_load_plugin(&so);
    if (!o.api) {
        fg_config_free(&cfg);
        return 1;
    }
    char err[1024];
    int rc = 0;
    if (o.api->open(cfg.index_path, &o.h, err, sizeof err) != FG_OK) {
        cli_error("%s", err);
        rc = 1;
    } else if (batch) {
        rc = run_batch(&o, batch);
    } else {
        size_t len = 0;
        for (int i = optind; i < argc; i++)
            len += strlen(argv[i]) + 1;
        char *query = calloc(1, len + 1);
        if (!query) {
            cli_error("out of memory");
            rc = 1;
        } else {
            for (int i = optind; i < argc; i++) {
                if (i > optind)
                    strcat(query, " ");
                strcat(query, argv[i]);
            }
            rc = run_query(&o, query, false);
            free(query);
        }
    }
    o.api->close(o.h);
    dlclose(so);
    fg_config_free(&cfg);
    return rc;
}
