/*
 * cmd_search.c - `fundgrube search`: ranked search through the plugin, for
 * people (highlighted snippets) and programs (--json, --batch).
 */
#include <dlfcn.h>
#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/safe.h"

static const char search_usage[] =
    N_("Usage: fundgrube search [--index DIR] [--config FILE] [--limit N] [--offset N]\n"
       "                        [--sort=relevance|date] [--json] [--html] [--facets]\n"
       "                        [--all-duplicates] [--no-snippets] [--max-wildcard N]\n"
       "                        [--time-limit MS] QUERY...\n"
       "       fundgrube search [options] --similar DOCID\n"
       "       fundgrube search [options] --batch FILE\n"
       "\n"
       "Ranked search.  The words of QUERY are joined by spaces.  Query language:\n"
       "  Wort Wort        documents matching more of the words rank higher\n"
       "  \"ein Satz\"       the words in this order (inflected forms match)\n"
       "  a AND b / a UND b, a OR b / a ODER b, a NOT b / a NICHT b, ( )\n"
       "  +muss -nicht     must / must not contain the word\n"
       "  a NEAR/3 b       a and b at most 3 words apart (NEAR: 10; also NAH/3)\n"
       "  Verzeich*        words starting with \"verzeich\" (at most --max-wildcard words)\n"
       "  title:Wort, title:\"zwei Worte\"   in the title (also titel:)\n"
       "  dir:~/Dokumente, path:.      in this folder and below (also pfad:, ordner:)\n"
       "  ext:md, type:pdf, ext:docx,odt  by type, as the content says (also typ:)\n"
       "  author:Müller, author:\"Hans Müller\"  by the author a document names (also autor:)\n"
       "  from:Müller, from:hans@example.de  mail by its sender (also von:)\n"
       "  to:Schmidt, an:\"Eva Schmidt\"     mail by a recipient of To or Cc\n"
       "  date:2024, date:2024-07, date:2024-07..2024-12, date:..2023, date:2023..\n"
       "                   by document date (else modification date; also datum:)\n"
       "\n"
       "  --limit N        hits per page (default 10)\n"
       "  --offset N       skip the first N hits (paging)\n"
       "  --sort=date      newest first (ties by relevance); default: relevance\n"
       "  --json           one JSON object per hit: path, title, rank, score, percent,\n"
       "                   snippet, date, docid, type, author, page and attachment (when\n"
       "                   known), total\n"
       "                   (the estimate of all hits) and, for\n"
       "                   duplicates, \"duplicates\": [paths]; then, when there are facets\n"
       "                   a suggestion or a time-out, one final object without \"path\":\n"
       "                   {\"total\":N, \"suggestion\":\"...\", "
       "\"facets\":{\"type\":[{\"value\":\"md\",\n"
       "                   \"count\":3},...], \"year\":[...], \"folder\":[...]}}\n"
       "  --batch FILE     one query per line (- for stdin); prints one JSON line per query:\n"
       "                   {\"query\":..., \"total\":..., \"hits\":[...]} (+ \"suggestion\",\n"
       "                   \"facets\" as above)\n"
       "  --html           snippets HTML-escaped, matches in <mark></mark>\n"
       "  --markers S,E    put S before and E after each match in snippets\n"
       "  --facets         count the hits by type, year, top folder (the first folder\n"
       "                   below the folder all hits share) and author\n"
       "  --all-duplicates list files of identical content as hits of their own (default:\n"
       "                   one hit, the other paths listed under it)\n"
       "  --similar DOCID  documents like the hit with this docid (--json shows docids)\n"
       "  --max-wildcard N words a wildcard may expand to (default: [search] max_wildcard,\n"
       "                   1000)\n"
       "  --no-snippets    leave snippets out (faster)\n"
       "  --time-limit MS  end the search after MS milliseconds with the hits found\n"
       "                   until then (a warning says so; JSON: \"timed_out\":true)\n"
       "A query word that matches nothing gets a suggestion (\"Meinten Sie: ...\") when a\n"
       "close word is in the index.\n");

/* Options of one search run. */
typedef struct search_opts {
    const fg_plugin_api_t *api;
    fg_handle_t *h;
    fg_search_options_t so;
    bool json;
    bool facets;
} search_opts_t;

/* The JSON object of one hit. */
/* True when the plugin's hits have the fields of ABI 1.3 (type, author,
 * page): an older plugin's hits are shorter. */
static bool hits_have_13(const fg_results_t *r) {
    return r->hit_size >= offsetof(fg_hit_t, page) + sizeof(uint32_t);
}

/* True when the hits have the field of ABI 1.5 (attachment). */
static bool hits_have_15(const fg_results_t *r) {
    return r->hit_size >= offsetof(fg_hit_t, attachment) + sizeof(const char *);
}

static json_t *hit_json(const fg_results_t *r, const fg_hit_t *hit) {
    /* text from files through cli_json_string(): a name that is not UTF-8
     * must not drop the hit */
    json_t *j =
        json_pack("{s:o, s:o, s:I, s:f, s:i, s:o, s:o, s:I}", "path", cli_json_string(hit->path),
                  "title", cli_json_string(hit->title), "rank", (json_int_t)hit->rank, "score",
                  hit->score, "percent", hit->percent, "snippet", cli_json_string(hit->snippet),
                  "date", cli_json_string(hit->date), "docid", (json_int_t)hit->docid);
    if (j && hit->n_duplicates) {
        json_t *d = json_array();
        for (size_t i = 0; i < hit->n_duplicates; i++)
            json_array_append_new(d, cli_json_string(hit->duplicates[i]));
        json_object_set_new(j, "duplicates", d);
    }
    if (j && hits_have_13(r)) {
        json_object_set_new(j, "type", cli_json_string(hit->type));
        if (hit->author[0])
            json_object_set_new(j, "author", cli_json_string(hit->author));
        if (hit->page)
            json_object_set_new(j, "page", json_integer(hit->page));
    }
    if (j && hits_have_15(r) && hit->attachment[0])
        json_object_set_new(j, "attachment", cli_json_string(hit->attachment));
    return j;
}

/* The line under a hit's path saying what it is: "PDF · Hans Müller · S. 12"
 * (type in capitals, author, page), or nothing for a plain text without
 * author. */
static void print_about(const fg_results_t *r, const fg_hit_t *hit) {
    if (!hits_have_13(r) ||
        (!hit->author[0] && !hit->page &&
         (strcmp(hit->type, "txt") == 0 || strcmp(hit->type, "md") == 0 || !hit->type[0])))
        return;
    printf("   ");
    for (const char *t = hit->type; *t; t++)
        putchar(*t >= 'a' && *t <= 'z' ? *t - 'a' + 'A' : *t);
    if (hit->author[0]) {
        printf(" \xC2\xB7 ");
        cli_put_safe(stdout, hit->author);
    }
    if (hit->page)
        printf(" \xC2\xB7 S. %u", hit->page);
    if (hits_have_15(r) && hit->attachment[0]) {
        printf(" \xC2\xB7 Anhang: ");
        cli_put_safe(stdout, hit->attachment);
    }
    printf("\n");
}

/* The facets as one JSON object: {"type": [{"value":..., "count":...}], ...}. */
static json_t *facets_json(const fg_results_t *r) {
    json_t *j = json_object();
    for (size_t f = 0; f < r->n_facets; f++) {
        json_t *a = json_array();
        for (size_t k = 0; k < r->facets[f].count; k++)
            json_array_append_new(a, json_pack("{s:o, s:I}", "value",
                                               cli_json_string(r->facets[f].values[k].value),
                                               "count", (json_int_t)r->facets[f].values[k].count));
        json_object_set_new(j, r->facets[f].name, a);
    }
    return j;
}

/* True when the time limit ended r's search (ABI 1.5). */
static bool timed_out(const fg_results_t *r) {
    return r->struct_size >= offsetof(fg_results_t, timed_out) + sizeof(int) && r->timed_out;
}

/* The warnings of r (ABI 1.6: shards left out), one per line; NULL when none. */
static const char *warnings_of(const fg_results_t *r) {
    if (r->struct_size < offsetof(fg_results_t, warnings) + sizeof r->warnings)
        return NULL;
    return r->warnings && r->warnings[0] ? r->warnings : NULL;
}

/* The lines of text as a JSON array of strings. */
static json_t *lines_json(const char *text) {
    json_t *a = json_array();
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t len = nl ? (size_t)(nl - text) : strlen(text);
        json_array_append_new(a, json_stringn(text, len));
        text += len + (nl ? 1 : 0);
    }
    return a;
}

/* Adds "suggestion", "facets", "timed_out" and "warnings" to j as far as r
 * has them. */
static void add_extras(json_t *j, const fg_results_t *r, const search_opts_t *o) {
    if (!j)
        return;
    if (timed_out(r))
        json_object_set_new(j, "timed_out", json_true());
    if (warnings_of(r))
        json_object_set_new(j, "warnings", lines_json(warnings_of(r)));
    if (r->suggestion)
        json_object_set_new(j, "suggestion", json_string(r->suggestion));
    if (o->facets)
        json_object_set_new(j, "facets", facets_json(r));
}

/* Prints the facets for people: one line each. */
static void print_facets(const fg_results_t *r) {
    static const char *const labels[] = {"Typ", "Jahr", "Ordner", "Autor"};
    for (size_t f = 0; f < r->n_facets; f++) {
        const fg_facet_t *fc = &r->facets[f];
        if (fc->count == 0)
            continue;
        printf("%-7s", f < 4 ? labels[f] : fc->name);
        for (size_t k = 0; k < fc->count && k < 10; k++) {
            fputs(k ? ", " : " ", stdout);
            cli_put_safe(stdout, fc->values[k].value);
            printf(" (%llu)", (unsigned long long)fc->values[k].count);
        }
        if (fc->count > 10)
            printf(", ...");
        printf("\n");
    }
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
    if (r->suggestion) {
        fputs("Meinten Sie: ", stdout);
        cli_put_safe(stdout, r->suggestion);
        fputs("\n\n", stdout);
    }
    if (r->count == 0) {
        printf(_("No documents found.\n"));
        return;
    }
    printf(ngettext("%llu document found (showing %u-%zu):\n\n",
                    "%llu documents found (showing %u-%zu):\n\n",
                    (unsigned long)(r->total_estimate > 1000000 ? 1000000 : r->total_estimate)),
           (unsigned long long)r->total_estimate, o->so.offset + 1, o->so.offset + r->count);
    for (size_t i = 0; i < r->count; i++) {
        const fg_hit_t *hit = FG_RESULTS_HIT(r, i);
        const char *title = hit->title[0] ? hit->title : hit->path;
        /* everything that comes from a file goes through cli_put_safe() */
        printf("%u. %s", hit->rank, tty ? "\033[1m" : "");
        cli_put_safe(stdout, title);
        printf("%s  (%d%%)\n   %s", tty ? "\033[0m" : "", hit->percent, tty ? "\033[2m" : "");
        cli_put_safe(stdout, hit->path);
        printf("%s\n", tty ? "\033[0m" : "");
        print_about(r, hit);
        if (hit->snippet[0]) {
            fputs("   ", stdout);
            cli_put_safe(stdout, hit->snippet);
            fputs("\n", stdout);
        }
        for (size_t k = 0; k < hit->n_duplicates; k++) {
            fputs("   = ", stdout);
            cli_put_safe(stdout, hit->duplicates[k]);
            fputs("\n", stdout);
        }
        printf("\n");
    }
    if (o->facets)
        print_facets(r);
}

/* Prints the results of a --batch query as one JSON line:
 * {"query":..., "total":..., "hits":[...]} plus suggestion and facets.
 * Returns 0 or 1 on failure. */
static int print_batch_line(const fg_results_t *r, const search_opts_t *o, const char *query) {
    json_t *hits = json_array();
    for (size_t i = 0; i < r->count; i++)
        json_array_append_new(hits, hit_json(r, FG_RESULTS_HIT(r, i)));
    json_t *j = json_pack("{s:s, s:I, s:o}", "query", query, "total", (json_int_t)r->total_estimate,
                          "hits", hits);
    add_extras(j, r, o);
    return print_json(j);
}

/* Prints the results for --json: one object per hit with the total, then,
 * when there are facets, a suggestion or warnings, one final object without
 * "path".
 * Returns 0 or 1 on failure. */
static int print_json_hits(const fg_results_t *r, const search_opts_t *o) {
    int rc = 0;
    for (size_t i = 0; i < r->count && rc == 0; i++) {
        json_t *j = hit_json(r, FG_RESULTS_HIT(r, i));
        if (j)
            json_object_set_new(j, "total", json_integer((json_int_t)r->total_estimate));
        rc = print_json(j);
    }
    if (rc == 0 && (o->facets || r->suggestion || timed_out(r) || warnings_of(r))) {
        json_t *j = json_pack("{s:I}", "total", (json_int_t)r->total_estimate);
        add_extras(j, r, o);
        rc = print_json(j);
    }
    return rc;
}

/* Runs one query (or, with query NULL, the documents like docid); prints
 * the results as the options say.  Returns an exit code. */
static int run_query(search_opts_t *o, const char *query, uint32_t docid, bool batch) {
    fg_results_t *r = NULL;
    char similar[64];
    int st;
    if (!query) {
        snprintf(similar, sizeof similar, "similar to %u", docid);
        st = o->api->similar(o->h, docid, &o->so, &r);
        query = similar;
    } else {
        st = o->api->search(o->h, query, &o->so, &r);
    }
    if (st != FG_OK) {
        cli_error(_("search '%s': %s"), query, o->api->last_error(o->h));
        if (batch) /* keep one line per query so the output stays aligned */
            print_json(json_pack("{s:s, s:s}", "query", query, "error", o->api->last_error(o->h)));
        return 1;
    }
    const char *warning = o->api->last_error(o->h);
    if (warning[0])
        cli_error("%s", warning);
    for (const char *w = warnings_of(r); w && *w;) { /* a shard left out: a line each */
        const char *nl = strchr(w, '\n');
        int len = nl ? (int)(nl - w) : (int)strlen(w);
        cli_error(_("warning: %.*s"), len, w);
        w += len + (nl ? 1 : 0);
    }
    if (timed_out(r))
        cli_error(_("warning: '%s' took longer than --time-limit %u ms: the hits are those "
                    "found until then"),
                  query, o->so.time_limit_ms);
    int rc = 0;
    if (batch)
        rc = print_batch_line(r, o, query);
    else if (o->json)
        rc = print_json_hits(r, o);
    else
        print_human(r, o, isatty(STDOUT_FILENO) != 0);
    o->api->results_free(r);
    return rc;
}

/* Runs every line of a batch file as a query. */
static int run_batch(search_opts_t *o, const char *file) {
    FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
    if (!in) {
        cli_error(_("--batch %s: cannot open: %m"), file);
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
        if (run_query(o, line, 0, true) != 0)
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

/* ------------------------------------------------------------ the command */

/* What the command line asks of one `fundgrube search`. */
typedef struct search_args {
    search_opts_t o;
    const char *index_dir, *config_path, *batch;
    char *markers; /* --markers START,END (in argv) */
    bool html;
    long similar;   /* --similar DOCID, or -1 */
    int first_word; /* argv index of the first QUERY word (argc when none) */
} search_args_t;

static const struct option search_options[] = {{"index", required_argument, NULL, 'i'},
                                               {"config", required_argument, NULL, 'c'},
                                               {"limit", required_argument, NULL, 'n'},
                                               {"offset", required_argument, NULL, 'o'},
                                               {"json", no_argument, NULL, 'j'},
                                               {"batch", required_argument, NULL, 'b'},
                                               {"no-snippets", no_argument, NULL, 'S'},
                                               {"help", no_argument, NULL, 'h'},
                                               {"sort", required_argument, NULL, 's'},
                                               {"html", no_argument, NULL, 'H'},
                                               {"facets", no_argument, NULL, 'F'},
                                               {"all-duplicates", no_argument, NULL, 'D'},
                                               {"similar", required_argument, NULL, 'm'},
                                               {"max-wildcard", required_argument, NULL, 'w'},
                                               {"markers", required_argument, NULL, 'M'},
                                               {"time-limit", required_argument, NULL, 'T'},
                                               {NULL, 0, NULL, 0}};

/* Applies the option c (getopt_long's value) with its argument arg to a.
 * Returns -1 to go on, else the exit code (0 after --help, EXIT_USAGE). */
static int apply_option(search_args_t *a, int c, char *arg) {
    search_opts_t *o = &a->o;
    long v;
    switch (c) {
    case 'i': a->index_dir = arg; break;
    case 'c': a->config_path = arg; break;
    case 'n':
    case 'o':
        if ((v = parse_count(arg)) < 0 || (c == 'n' && (v == 0 || v > 10000))) {
            cli_error(_("search: bad --%s '%s'"), c == 'n' ? "limit" : "offset", arg);
            return EXIT_USAGE;
        }
        if (c == 'n')
            o->so.limit = (uint32_t)v;
        else
            o->so.offset = (uint32_t)v;
        break;
    case 'j': o->json = true; break;
    case 'b': a->batch = arg; break;
    case 'S': o->so.flags |= FG_SEARCH_NO_SNIPPETS; break;
    case 's':
        if (strcmp(arg, "date") == 0) {
            o->so.sort = FG_SORT_DATE;
        } else if (strcmp(arg, "relevance") == 0) {
            o->so.sort = FG_SORT_RELEVANCE;
        } else {
            cli_error(_("search: bad --sort '%s' (relevance or date)"), arg);
            return EXIT_USAGE;
        }
        break;
    case 'H': a->html = true; break;
    case 'F': o->facets = true, o->so.flags |= FG_SEARCH_FACETS; break;
    case 'D': o->so.flags &= ~FG_SEARCH_COLLAPSE; break;
    case 'm':
    case 'w':
        if ((v = parse_count(arg)) <= 0) {
            cli_error(_("search: bad --%s '%s'"), c == 'm' ? "similar" : "max-wildcard", arg);
            return EXIT_USAGE;
        }
        if (c == 'm')
            a->similar = v;
        else
            o->so.max_wildcard = (uint32_t)v;
        break;
    case 'M': a->markers = arg; break;
    case 'T':
        if ((v = parse_count(arg)) <= 0) {
            cli_error(_("search: bad --time-limit '%s' (milliseconds, 1 to 1000000)"), arg);
            return EXIT_USAGE;
        }
        o->so.time_limit_ms = (uint32_t)v;
        break;
    case 'h': fputs(_(search_usage), stdout); return 0;
    default: fputs(_(search_usage), stderr); return EXIT_USAGE;
    }
    return -1;
}

/* Sets the match markers of the snippets: <mark> for --html, bold red on
 * a terminal, or those of --markers.  Returns -1 to go on, or EXIT_USAGE. */
static int set_markers(search_args_t *a) {
    search_opts_t *o = &a->o;
    bool tty = isatty(STDOUT_FILENO) != 0;
    if (a->html) {
        o->so.flags |= FG_SEARCH_HTML;
        o->so.hl_start = "<mark>";
        o->so.hl_end = "</mark>";
    } else if (!o->json && !a->batch && tty) {
        o->so.hl_start = "\033[1;31m";
        o->so.hl_end = "\033[0m";
    }
    char *comma = a->markers ? strchr(a->markers, ',') : NULL;
    if (a->markers && !comma) {
        cli_error(_("search: --markers wants START,END"));
        return EXIT_USAGE;
    }
    if (comma) {
        *comma = '\0';
        o->so.hl_start = a->markers;
        o->so.hl_end = comma + 1;
    }
    return -1;
}

/* Parses the command line into a: the options, then what to search (one
 * of --batch, --similar, a QUERY), then the markers.  Returns -1 to go on,
 * else the exit code. */
static int parse_args(search_args_t *a, int argc, char **argv) {
    *a = (search_args_t){.similar = -1};
    a->o.so.struct_size = sizeof a->o.so;
    a->o.so.limit = 10;
    a->o.so.flags = FG_SEARCH_COLLAPSE | FG_SEARCH_SUGGEST;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:c:n:o:jb:Sh", search_options, NULL)) != -1) {
        int rc = apply_option(a, c, optarg);
        if (rc >= 0)
            return rc;
    }
    a->first_word = optind;
    if (!a->batch && a->similar < 0 && optind >= argc) {
        cli_error(_("search: no QUERY given"));
        fputs(_(search_usage), stderr);
        return EXIT_USAGE;
    }
    if ((a->batch != NULL) + (a->similar >= 0) + (optind < argc) > 1) {
        cli_error(_("search: give one of --batch FILE, --similar DOCID or a QUERY"));
        return EXIT_USAGE;
    }
    return set_markers(a);
}

/* Opens the index through the loaded plugin o->api with the analysis and
 * search settings of cfg (*settings, for the caller to free).  Returns 0,
 * or 1 with a message. */
static int open_index(search_opts_t *o, const fg_config_t *cfg, char ***settings) {
    char err[1024];
    if (o->api->struct_size < FG_PLUGIN_API_MIN_SIZE(open_with)) {
        cli_error(_("search: the plugin is too old (ABI %u.%u)"), o->api->abi_major,
                  o->api->abi_minor);
        return 1;
    }
    if (!(*settings = fg_config_search_settings(cfg))) {
        cli_error("search: %s", fg_status_str(FG_NOMEM));
        return 1;
    }
    if (o->api->open_with(cfg->index_path, (const char *const *)*settings, &o->h, err,
                          sizeof err) != FG_OK) {
        cli_error("%s", err);
        return 1;
    }
    return 0;
}

/* Joins argv[first..argc) with spaces into a new string; NULL when out of
 * memory.  The caller frees it. */
static char *join_words(int argc, char **argv, int first) {
    size_t len = 0;
    for (int i = first; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *query = calloc(1, len + 1);
    if (!query)
        return NULL;
    for (int i = first; i < argc; i++) {
        if (i > first)
            strcat(query, " ");
        strcat(query, argv[i]);
    }
    return query;
}

/* Runs what a asks for on the open index: the batch file, the documents
 * like --similar's, or the QUERY.  Returns an exit code. */
static int run_search(search_args_t *a, int argc, char **argv) {
    if (a->batch)
        return run_batch(&a->o, a->batch);
    if (a->similar >= 0)
        return run_query(&a->o, NULL, (uint32_t)a->similar, false);
    char *query = join_words(argc, argv, a->first_word);
    if (!query) {
        cli_error(_("out of memory"));
        return 1;
    }
    int rc = run_query(&a->o, query, 0, false);
    free(query);
    return rc;
}

/* `fundgrube search` (see search_usage). */
int cmd_search(int argc, char **argv) {
    search_args_t a;
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    fg_config_t cfg;
    if (cli_load_config(&cfg, a.config_path, a.index_dir) != 0)
        return 1;
    if (a.o.so.max_wildcard == 0)
        a.o.so.max_wildcard = cfg.max_wildcard; /* [search] max_wildcard */
    void *so = NULL;
    a.o.api = cli_load_plugin(&so);
    if (!a.o.api) {
        fg_config_free(&cfg);
        return 1;
    }
    char **settings = NULL;
    rc = open_index(&a.o, &cfg, &settings);
    if (rc == 0)
        rc = run_search(&a, argc, argv);
    a.o.api->close(a.o.h);
    fg_config_search_settings_free(settings);
    dlclose(so);
    fg_config_free(&cfg);
    return rc;
}
