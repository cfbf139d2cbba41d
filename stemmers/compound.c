/*
 * compound.c - German compound splitting: the splitter (see compound.h);
 * the dictionary it looks words up in is compound_dict.c.
 *
 * Splitting.  A dynamic programme over the character boundaries of the
 * folded word finds the cheapest sequence of modifiers followed by one head.
 * A modifier is a span whose lemma is in the dictionary: the span minus a
 * genitive-like Fuge (-ens, -es, -s: "partnerschafts" -> "partnerschaft") or
 * the span itself (whichever is the more productive modifier: "haus" beats
 * "hau", "bundes" and "bund" tie and the Fuge goes), else the span minus a
 * plural-like Fuge (-en, -er, -n, -e) when the span is no word, else the span
 * plus an elided -e ("schul" -> "schule").  The head is the rest of the word,
 * a dictionary word as it stands (inflected forms are listed).  Each part
 * costs a constant minus the logarithm of its productivity, plus penalties
 * for short parts, Fugen, elision, heads that are no nouns and parts that
 * occur in no compound of the list; so fewer, productive parts win.
 *
 * The unsplit word competes (Koehn & Knight's "the whole word competes",
 * productivity standing in for frequency): with a fixed cost when it is not
 * a dictionary word, else with a cost that falls with its own productivity;
 * parts beyond two do not count against the split there, only in choosing
 * between splits.  A part shorter than 7 characters must be productive
 * itself ("tor" of "generator" and "ard" of "standard" are not).  A listed
 * word that is only ever written in lower case (a verb, adjective or adverb
 * form: "aktiviert", "folgenden", "zusammen") is never split.  Never split
 * off: bound derivational suffixes as heads (-schaft, -heit, -keit, -ung,
 * -ling, -tum, -nis, -lich, -isch, -bar, -sam, -los, -haft, -ion, -rinnen
 * ...); verb prefixes, particles and function words as modifiers (ver-,
 * zer-, aus-, ein-, über- ...); a first modifier that is a verb prefix plus
 * one or two letters when the word minus the prefix is a word ("verb|rauch"
 * is ver+brauch, "bein|halten" be+inhalten).  A dictionary word derived from
 * a verb ("gründung" from "gründen") only splits where its head is derived
 * the same way (kranken+versicherung, not grün+dung).
 *
 * Measured (ngerman, Release build): opening 0.05 ms, 10.7 MB mapped; some
 * 70,000 uncached splits a second; the gold list
 * tests/stemmers/compounds-gold.tsv is split with precision 0.98 and recall
 */
#include <math.h>
#include <string.h>

#include "stemmers/compound.h"
#include "stemmers/compound_internal.h"
#include "stemmers/internal.h"

/* ------------------------------------------------------------ splitting */

/* Scoring constants (costs; lower wins).  See the top of the file. */
#define PART_COST 12.0        /* every part */
#define LOG_WEIGHT 1.0        /* times log(1 + productivity) */
#define SHORT3 1.0            /* a part of 3 characters */
#define SHORT4 1.0            /* a part of 4 characters */
#define FUGE_COST 0.3         /* a Fuge stripped */
#define ELISION_COST 1.5      /* an -e added */
#define NOT_NOUN_HEAD 2.5     /* a head that is no noun */
#define VERB_HEAD_OF_NOUN 3.0 /* a head that is no noun, of a listed noun */
#define UNPRODUCTIVE 3.0      /* a part that occurs in no compound of the list */
#define WHOLE_KNOWN 24.0      /* the unsplit word, when it is a dictionary word, */
#define WHOLE_WEIGHT 1.0      /* minus this times log(1 + its own productivity) */
#define WHOLE_UNKNOWN 26.0    /* the unsplit word, when it is not */
#define LONG_PART 7           /* parts shorter than this (characters) ... */
#define MIN_SHORT 1.75        /* ... need log(1 + productivity) - short penalty >= this */

/* Penalty for a part of c characters. */
static double short_cost(size_t c) {
    return c <= 3 ? SHORT3 : c == 4 ? SHORT4 : 0.0;
}

/* True when the dictionary word w is derived from a verb of the dictionary:
 * w + "en"/"n" is a lower-case-only word (verbrauch), or w ends in "ung" and
 * its base + "en"/"n" is one (gründung). */
static bool deverbal(const fg_compound_dict_t *d, const char *w, size_t len) {
    static const char *const inf[] = {"en", "n"};
    for (size_t k = 0; k < 2; k++) {
        const unsigned char *e = fg_cdict_find_plus(d, w, len, inf[k]);
        if (e && (e[1] & (F_LOWER | F_CAP)) == F_LOWER)
            return true;
        if (len > 3 && memcmp(w + len - 3, "ung", 3) == 0 && fg_cdict_nchars(w, len - 3) >= 3) {
            e = fg_cdict_find_plus(d, w, len - 3, inf[k]);
            if (e && (e[1] & (F_LOWER | F_CAP)) == F_LOWER)
                return true;
        }
    }
    return false;
}

/* Verb prefixes that make words of their own ("ver" + "brauch"). */
static const char *const verb_prefixes[] = {"be", "emp", "ent", "er", "ge", "miss", "ver", "zer"};

/*
 * True when a first modifier ending at byte m is a verb prefix plus fewer
 * than min_part characters and the word minus that prefix is a dictionary
 * word: "bein|halten" is be+inhalten, "verb|rauch" ver+brauch, "ente|wicklung"
 * ent+wicklung.  Such a split would cut through a derivation.
 */
static bool prefix_artifact(const fg_compound_dict_t *d, const char *w, size_t len, size_t m,
                            unsigned min_part) {
    for (size_t k = 0; k < NELEM(verb_prefixes); k++) {
        size_t pl = strlen(verb_prefixes[k]);
        if (pl < m && memcmp(w, verb_prefixes[k], pl) == 0 &&
            fg_cdict_nchars(w + pl, m - pl) < min_part && fg_cdict_find(d, w + pl, len - pl))
            return true;
    }
    return false;
}

/* One split in progress: the word, its character boundaries, how the
 * unsplit word competes, and the dynamic programme's tables. */
typedef struct splitter {
    const fg_compound_dict_t *d;
    const char *w;
    size_t len;
    unsigned min_part;
    size_t b[FG_COMPOUND_MAX_WORD + 1]; /* byte offset of each character boundary */
    size_t n;                           /* characters */
    bool whole_deverbal;                /* the word is a listed noun derived from a verb */
    bool noun_whole;                    /* a listed noun: it has a noun head */
    bool lower_whole;                   /* a listed lower-case word: it may have any head */
    double whole_cost;                  /* what the unsplit word costs */
    /* best[j]: cheapest way to cover characters [0, j) with modifiers */
    double best[FG_COMPOUND_MAX_WORD + 1];
    unsigned char from[FG_COMPOUND_MAX_WORD + 1], nparts[FG_COMPOUND_MAX_WORD + 1];
    fg_cdict_lemma_t lem[FG_COMPOUND_MAX_WORD + 1];
} splitter_t;

/* Fills s->b and s->n with the character boundaries of the word.  Returns
 * false when the word holds a character no German word has (digits,
 * apostrophes, upper case). */
static bool find_boundaries(splitter_t *s) {
    s->n = 0;
    for (size_t i = 0; i < s->len; i++) {
        unsigned char c = (unsigned char)s->w[i];
        if ((c & 0xC0) != 0x80)
            s->b[s->n++] = i;
        if (c < 0x80 && !(c >= 'a' && c <= 'z'))
            return false;
    }
    s->b[s->n] = s->len;
    return true;
}

/* Looks the unsplit word up and sets how it competes with its splits.
 * Returns false when it is never split: a listed verb, adjective or adverb
 * form ("aktiviert", "folgenden"). */
static bool weigh_whole(splitter_t *s) {
    const unsigned char *whole = fg_cdict_find(s->d, s->w, s->len);
    if (whole && !(whole[1] & F_CAP))
        return false;
    s->whole_deverbal = whole && deverbal(s->d, s->w, s->len);
    s->noun_whole = whole && (whole[1] & F_CAP);
    s->lower_whole = whole && !(whole[1] & F_CAP);
    /* Koehn & Knight: the whole word competes, the more the more productive it is */
    s->whole_cost = whole ? WHOLE_KNOWN - WHOLE_WEIGHT * log1p((double)fg_cdict_get16(whole + 2) +
                                                               fg_cdict_get16(whole + 4))
                          : WHOLE_UNKNOWN;
    return true;
}

/* The dynamic programme: fills s->best, from, nparts and lem with the
 * cheapest sequence of modifiers covering each prefix of the word that
 * leaves room for a head. */
static void cover_modifiers(splitter_t *s) {
    const unsigned min_part = s->min_part;
    for (size_t j = 0; j <= s->n; j++)
        s->best[j] = INFINITY;
    s->best[0] = 0;
    s->nparts[0] = 0;
    for (size_t j = min_part; j + min_part <= s->n; j++) {
        for (size_t i = 0; i + min_part <= j; i++) {
            if (s->best[i] == INFINITY || s->nparts[i] + 2 > FG_COMPOUND_MAX_PARTS)
                continue;
            fg_cdict_lemma_t m =
                fg_cdict_modifier_lemma(s->d, s->w + s->b[i], s->b[j] - s->b[i], min_part, true);
            if (m.e && i == 0 && prefix_artifact(s->d, s->w, s->len, s->b[j], min_part))
                continue;
            if (!m.e)
                continue;
            unsigned cnt = fg_cdict_get16(m.e + 2);
            double c = PART_COST - LOG_WEIGHT * log1p((double)cnt) +
                       short_cost(fg_cdict_nchars((const char *)m.e + ENTRY_HEAD, m.e[0])) +
                       (m.fuge ? FUGE_COST : 0) + (m.add_e ? ELISION_COST : 0) +
                       (cnt == 0 ? UNPRODUCTIVE : 0);
            if (s->best[i] + c < s->best[j]) {
                s->best[j] = s->best[i] + c;
                s->from[j] = (unsigned char)i;
                s->nparts[j] = (unsigned char)(s->nparts[i] + 1);
                s->lem[j] = m;
            }
        }
    }
}

/* Picks the head: the character at which the cheapest split's head starts,
 * its total cost in *cost; 0 when no dictionary word may head the word. */
static size_t choose_head(const splitter_t *s, double *cost) {
    size_t head_at = 0;
    double best_raw = INFINITY;
    for (size_t i = s->min_part; i + s->min_part <= s->n; i++) {
        if (s->best[i] == INFINITY)
            continue;
        const char *hw = s->w + s->b[i];
        size_t hl = s->len - s->b[i];
        if (!fg_cdict_head_ok(hw, hl))
            continue;
        const unsigned char *h = fg_cdict_find(s->d, hw, hl);
        if (!h || (s->whole_deverbal && !deverbal(s->d, hw, hl)))
            continue; /* gründ|ung is no grün+dung; kranken+versicher|ung is fine */
        unsigned cnt = fg_cdict_get16(h + 4);
        double c = s->best[i] + PART_COST - LOG_WEIGHT * log1p((double)cnt) + short_cost(s->n - i) +
                   ((h[1] & F_NOUN) || s->lower_whole ? 0
                    : s->noun_whole                   ? VERB_HEAD_OF_NOUN
                                                      : NOT_NOUN_HEAD) +
                   (cnt == 0 && (h[1] & F_NOUN) ? UNPRODUCTIVE : 0);
        if (c < best_raw) {
            best_raw = c;
            head_at = i;
        }
    }
    *cost = best_raw;
    return head_at;
}

/* True when every part of the split with its head at head_at that is
 * shorter than LONG_PART is productive: "tor" of "generator", "ren" of
 * "autoren" are not. */
static bool short_parts_productive(const splitter_t *s, size_t head_at) {
    const unsigned char *he = fg_cdict_find(s->d, s->w + s->b[head_at], s->len - s->b[head_at]);
    if (s->n - head_at < LONG_PART &&
        log1p((double)fg_cdict_get16(he + 4)) - short_cost(s->n - head_at) < MIN_SHORT)
        return false;
    for (size_t j = head_at; j > 0; j = s->from[j]) {
        size_t c = fg_cdict_nchars((const char *)s->lem[j].e + ENTRY_HEAD, s->lem[j].e[0]);
        if (c < LONG_PART &&
            log1p((double)fg_cdict_get16(s->lem[j].e + 2)) - short_cost(c) < MIN_SHORT)
            return false;
    }
    return true;
}

/* Writes the k parts of the split with its head at head_at into parts[]. */
static void emit_parts(const splitter_t *s, size_t head_at, size_t k, fg_compound_part_t *parts) {
    parts[k - 1] = (fg_compound_part_t){.off = (uint8_t)s->b[head_at],
                                        .used = (uint8_t)(s->len - s->b[head_at]),
                                        .end = (uint8_t)s->len};
    for (size_t j = head_at, p = k - 1; j > 0; j = s->from[j]) {
        p--;
        size_t i = s->from[j];
        parts[p] = (fg_compound_part_t){.off = (uint8_t)s->b[i],
                                        .used = (uint8_t)s->lem[j].used,
                                        .end = (uint8_t)s->b[j],
                                        .add_e = s->lem[j].add_e};
    }
}

/* Splits a folded word (see compound.h): the cheapest modifiers-and-head
 * split, when it beats the unsplit word and its short parts are productive. */
size_t fg_compound_split(const fg_compound_dict_t *d, const char *w, size_t len, unsigned min_part,
                         fg_compound_part_t *parts) {
    if (!d || len == 0 || len > FG_COMPOUND_MAX_WORD)
        return 0;
    splitter_t s = {.d = d, .w = w, .len = len, .min_part = min_part < 2 ? 2 : min_part};
    if (!find_boundaries(&s) || s.n < 2 * (size_t)s.min_part)
        return 0;
    if (!weigh_whole(&s))
        return 0;
    cover_modifiers(&s);
    double cost;
    size_t head_at = choose_head(&s, &cost);
    if (!head_at)
        return 0;
    size_t k = s.nparts[head_at] + 1u;
    /* the whole word competes as if the split had two parts: the part cost
     * only makes fewer parts win */
    if (cost - (double)(k - 2) * PART_COST >= s.whole_cost)
        return 0;
    if (!short_parts_productive(&s, head_at))
        return 0;
    emit_parts(&s, head_at, k, parts);
    return k;
}
