/*
 * protected_german.c - the built-in protected words (the format and what
 * each kind of line does are described in protected.c).
 *
 * How the list was built (general collisions of Snowball's German stemmer,
 * not words of any test or evaluation query):
 *   1. Stop-word collisions: every word of /usr/share/dict/ngerman (case-
 *      folded) was stemmed and compared with the stems of the built-in
 *      Snowball stop-word list.  A content word whose stem is a stop word's
 *      stem matches that stop word in every document ("Sicherheit" -> "sich",
 *      "ändern" -> "and" of "andere", "Wille" -> "will", "Kanne" -> "kann",
 *      "Sonde" -> "sond" of "sondern").  Content words of another meaning got
 *      an entry; forms of the stop word itself ("hintere", "unsere", "viele")
 *      did not.
 *   2. Umlaut collisions: Snowball replaces ä/ö/ü by a/o/u, so a word family
 *      with the umlaut and one without can share a stem.  The same word list
 *      was grouped by stem, and the groups holding both a family whose stem
 *      keeps an umlaut in the word and one without were listed (about 4,500
 *      groups).  Most are inflection or derivation (Haus/Häuser, alt/älter,
 *      Vertrag/verträglich: kept together).  Entries were made for the
 *      families of clearly different meaning among the productive ones, with
 *      the well-known cases first: schön/schon, zählen/zahlen,
 *      drücken/drucken, Bürger/Burg, führen/fuhren, Gerät/geraten,
 *      Küche/Kuchen, Händler/Handler, fördern/fordern, lösen/los.
 *   3. Snowball's over-stemming of "-heit" and "-er" words onto short stems
 *      ("sicher" -> "sich"): the stop-word scan of step 1 found them.
 * An umlaut entry keeps the umlaut for every word Snowball gives the same
 * stem, so an entry whose family reaches a common word was left out: "müll"
 * (Müll/Mull) would have taken "Müller" away from "Muller".
 * Users add their own in settings.protected_file.
 */
#include "stemmers/internal.h"

const char *const fg_protected_german[] = {
    /* "sicher", "Sicherheit" -> "sich" (a stop word); compounds follow:
       "Datensicherheit", "unsicher", "versichern" */
    "sicher sicher", "sichere sicher", "sicherem sicher", "sicheren sicher", "sicherer sicher",
    "sicheres sicher", "sichern sicher", "sicherlich sicher", "sicherheit sicherheit",
    "sicherheiten sicherheit",
    /* "Bürger" -> "burg" (= Burg); also "burger" (the weak variant) */
    "bürger bürger", "bürgern bürger", "bürgers bürger", "bürge bürge",
    /* other content words whose stem is a stop word's */
    "wille wille", "willen wille", "willens wille", "kanne kanne", "kannen kanne", "sonde sonde",
    "sonden sonde", "manchester manchester", "rate rate",
    /* umlaut families apart from the family without the umlaut; each line
       keeps the umlaut in every word Snowball stems alike */
    "ändern",     /* and(ere) */
    "nächste",    /* nach */
    "öder",       /* oder */
    "schön",      /* schon */
    "zählen",     /* zahlen, Zahl; also Zähler */
    "zählt",      /* zahlt */
    "drücken",    /* drucken; also Drücker */
    "drückt",     /* druckt */
    "führen",     /* fuhren; also Führer */
    "gerät",      /* geraten; also Geräte */
    "küche",      /* Kuchen */
    "händler",    /* Handler */
    "fördern",    /* fordern */
    "förderung",  /* Forderung */
    "lösen",      /* los, losen */
    "löst",       /* lost */
    "schwül",     /* schwul */
    "spülen",     /* spulen */
    "säge",       /* sagen */
    "rösten",     /* rosten */
    "bären",      /* Bar */
    "lügen",      /* lugen */
    "spüren",     /* Spuren */
    "bewähren",   /* bewahren */
    "bewährt",    /* bewahrt */
    "benötigen",  /* benoten */
    "belästigen", /* belasten */
    "zügig",      /* zugig */
    "würde",      /* wurde */
};

const size_t fg_protected_german_count = sizeof fg_protected_german / sizeof fg_protected_german[0];
