/*
 * stopwords_german.c - the Snowball project's German stop-word list.
 *
 * The list published with the Snowball German stemmer (algorithms/german/
 * stop.txt), 231 words, in its order: articles, pronouns, auxiliaries,
 * prepositions, conjunctions and particles.  It is written here as published
 * (with "daß"); fg_analyzer_new() case-folds every entry, so "daß" matches
 * the folded "dass".
 */
#include "stemmers/internal.h"

/* The words, UTF-8 NFC. */
const char *const fg_stopwords_german[] = {
    "aber",     "alle",      "allem",    "allen",     "aller",     "alles",     "als",
    "also",     "am",        "an",       "ander",     "andere",    "anderem",   "anderen",
    "anderer",  "anderes",   "anderm",   "andern",    "anderr",    "anders",    "auch",
    "auf",      "aus",       "bei",      "bin",       "bis",       "bist",      "da",
    "damit",    "dann",      "der",      "den",       "des",       "dem",       "die",
    "das",      "daß",       "derselbe", "derselben", "denselben", "desselben", "demselben",
    "dieselbe", "dieselben", "dasselbe", "dazu",      "dein",      "deine",     "deinem",
    "deinen",   "deiner",    "deines",   "denn",      "derer",     "dessen",    "dich",
    "dir",      "du",        "dies",     "diese",     "diesem",    "diesen",    "dieser",
    "dieses",   "doch",      "dort",     "durch",     "ein",       "eine",      "einem",
    "einen",    "einer",     "eines",    "einig",     "einige",    "einigem",   "einigen",
    "einiger",  "einiges",   "einmal",   "er",        "ihn",       "ihm",       "es",
    "etwas",    "euer",      "eure",     "eurem",     "euren",     "eurer",     "eures",
    "für",      "gegen",     "gewesen",  "hab",       "habe",      "haben",     "hat",
    "hatte",    "hatten",    "hier",     "hin",       "hinter",    "ich",       "mich",
    "mir",      "ihr",       "ihre",     "ihrem",     "ihren",     "ihrer",     "ihres",
    "euch",     "im",        "in",       "indem",     "ins",       "ist",       "jede",
    "jedem",    "jeden",     "jeder",    "jedes",     "jene",      "jenem",     "jenen",
    "jener",    "jenes",     "jetzt",    "kann",      "kein",      "keine",     "keinem",
    "keinen",   "keiner",    "keines",   "können",    "könnte",    "machen",    "man",
    "manche",   "manchem",   "manchen",  "mancher",   "manches",   "mein",      "meine",
    "meinem",   "meinen",    "meiner",   "meines",    "mit",       "muss",      "musste",
    "nach",     "nicht",     "nichts",   "noch",      "nun",       "nur",       "ob",
    "oder",     "ohne",      "sehr",     "sein",      "seine",     "seinem",    "seinen",
    "seiner",   "seines",    "selbst",   "sich",      "sie",       "ihnen",     "sind",
    "so",       "solche",    "solchem",  "solchen",   "solcher",   "solches",   "soll",
    "sollte",   "sondern",   "sonst",    "über",      "um",        "und",       "uns",
    "unse",     "unsem",     "unsen",    "unser",     "unses",     "unter",     "viel",
    "vom",      "von",       "vor",      "während",   "war",       "waren",     "warst",
    "was",      "weg",       "weil",     "weiter",    "welche",    "welchem",   "welchen",
    "welcher",  "welches",   "wenn",     "werde",     "werden",    "wie",       "wieder",
    "will",     "wir",       "wird",     "wirst",     "wo",        "wollen",    "wollte",
    "würde",    "würden",    "zu",       "zum",       "zur",       "zwar",      "zwischen",
};

/* Number of words in fg_stopwords_german. */
const size_t fg_stopwords_german_count = sizeof fg_stopwords_german / sizeof fg_stopwords_german[0];
