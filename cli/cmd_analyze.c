/*
 * cmd_analyze.c - `fundgrube analyze`: shows what the analysis pipeline makes
 * of a text, token by token (like Elasticsearch's _analyze).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "stemmers/analysis.h"

static const char analyze_usage[] =
    N_("Usage: fundgrube analyze [--config FILE] [--json] TEXT...\n"
       "\n"
       "Analyses TEXT with the [analysis] settings of the configuration and prints\n"
       "each token: byte offset, position, the text, its folded form, its stem and\n"
       "flags: stop (stop word), number, part (of a hyphenated word), joined (the\n"
       "parts joined), compound-part (a part of the compound word above it),\n"
       "variant (another spelling of the word above it: \"bürger\" of\n"
       "\"Bürger*innen\"), weak (a looser spelling that counts less: \"muller\" of\n"
       "\"Müller\").  Variants and compound parts share the word's position.\n"
       "Try settings before reindexing: --config FILE with another [analysis].\n");

/* Context of the token callback. */
typedef struct analyze_ctx {
    const char *text;
    bool json;
    json_t *array;
} analyze_ctx_t;

/* The flags of a token as words. */
static void flag_text(unsigned flags, char *buf, size_t len) {
    snprintf(buf, len, "%s%s%s%s%s%s%s", flags & FG_TOKEN_STOP ? "stop " : "",
             flags & FG_TOKEN_NUMBER ? "number " : "", flags & FG_TOKEN_PART ? "part " : "",
             flags & FG_TOKEN_JOINED ? "joined " : "",
             flags & FG_TOKEN_COMPOUND_PART ? "compound-part " : "",
             flags & FG_TOKEN_VARIANT ? "variant " : "", flags & FG_TOKEN_WEAK ? "weak " : "");
    size_t n = strlen(buf);
    if (n)
        buf[n - 1] = '\0';
}

/* Prints or collects one token. */
static int on_token(void *ctx, const fg_token_t *tok) {
    analyze_ctx_t *c = ctx;
    char flags[128];
    flag_text(tok->flags, flags, sizeof flags);
    if (c->json) {
        json_t *j =
            json_pack("{s:I, s:I, s:I, s:s%, s:s, s:s?, s:b, s:b, s:b, s:b, s:s}", "offset",
                      (json_int_t)tok->offset, "length", (json_int_t)tok->length, "position",
                      (json_int_t)tok->position, "text", c->text + tok->offset, tok->length, "term",
                      tok->term, "stem", tok->stem, "stop", (tok->flags & FG_TOKEN_STOP) != 0,
                      "compound_part", (tok->flags & FG_TOKEN_COMPOUND_PART) != 0, "variant",
                      (tok->flags & FG_TOKEN_VARIANT) != 0, "weak",
                      (tok->flags & FG_TOKEN_WEAK) != 0, "flags", flags);
        json_array_append_new(c->array, j);
    } else {
        printf("%6zu %4u  %-24.*s %-24s %-20s %s\n", tok->offset, tok->position, (int)tok->length,
               c->text + tok->offset, tok->term, tok->stem ? tok->stem : "-", flags);
    }
    return 0;
}

/* `fundgrube analyze` (see analyze_usage). */
int cmd_analyze(int argc, char **argv) {
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"index", required_argument, NULL, 'i'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = NULL;
    analyze_ctx_t ctx = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:i:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config_path = optarg; break;
        case 'i': break; /* accepted for symmetry; analysis comes from the configuration */
        case 'j': ctx.json = true; break;
        case 'h': fputs(_(analyze_usage), stdout); return 0;
        default: fputs(_(analyze_usage), stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error(_("analyze: no TEXT given"));
        fputs(_(analyze_usage), stderr);
        return EXIT_USAGE;
    }
    fg_config_t cfg;
    if (cli_load_config(&cfg, config_path, NULL) != 0)
        return 1;
    char err[1024];
    fg_analyzer_t *a = NULL;
    if (fg_analyzer_new(&cfg.analysis, &a, err, sizeof err) != FG_OK) {
        cli_error("%s", err);
        fg_config_free(&cfg);
        return 1;
    }
    size_t len = 0;
    for (int i = optind; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *raw = calloc(1, len + 1), *text = NULL;
    size_t text_len = 0;
    int rc = 1;
    if (!raw)
        goto out;
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            strcat(raw, " ");
        strcat(raw, argv[i]);
    }
    if (fg_text_decode(raw, strlen(raw), &text, &text_len, NULL) != FG_OK)
        goto out;
    ctx.text = text;
    if (ctx.json) {
        ctx.array = json_array();
        fg_analyze(a, text, text_len, 1, on_token, &ctx, NULL);
        json_dumpf(ctx.array, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(ctx.array);
    } else {
        printf("%6s %4s  %-24s %-24s %-20s %s\n", "offset", "pos", "text", "term", "stem", "flags");
        fg_analyze(a, text, text_len, 1, on_token, &ctx, NULL);
    }
    rc = 0;
out:
    if (rc)
        cli_error(_("analyze: out of memory"));
    free(raw);
    free(text);
    fg_analyzer_free(a);
    fg_config_free(&cfg);
    return rc;
}
