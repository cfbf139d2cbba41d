/*
 * schema.h - what an index holds and under which name: the term prefixes,
 * the value slots, the metadata keys and the keys of the document data.
 *
 * The one owner of these names: the document builder (feed/docbuild.c)
 * writes them, the query builder (plugin/query*.c) and the hit reader
 * (plugin/) read them, index/ uses them for duplicates and paths.  Which
 * weighted terms (the first group of prefixes) a token gives on either side,
 * with which wdf and query weight, is the table of index/termkinds.h.  The
 * prefixes follow Omega's where Omega has one (Xapian's "omindex" scheme);
 * Omega leaves the prefixes starting with X to its users.
 */
#ifndef FG_INDEX_SCHEMA_H
#define FG_INDEX_SCHEMA_H

/* ------------------------------------------------------------ metadata */

#define FG_INDEX_FORMAT "1"
#define FG_META_FORMAT "fundgrube.format"     /* FG_INDEX_FORMAT of the index */
#define FG_META_ANALYSIS "fundgrube.analysis" /* the analysis settings that built it */

/* ------------------------------------------------------------ value slots */

/* Omega uses 0 for the modification time as well. */
#define FG_VALUE_MTIME 0 /* sortable_serialise(mtime seconds) */
#define FG_VALUE_CHECKSUM                                                                          \
    1                     /* content checksum (FNV-1a, 16 hex digits), for collapsing duplicates */
#define FG_VALUE_SIZE 2   /* sortable_serialise(size in bytes) */
#define FG_VALUE_DATE 3   /* "YYYYMMDD": document date, else mtime's date */
#define FG_VALUE_INODE 4  /* sortable_serialise(inode) */
#define FG_VALUE_EXT 5    /* lower-case extension without the dot (facets) */
#define FG_VALUE_FOLDER 6 /* the file's folder, absolute, no trailing '/' (facets) */
#define FG_VALUE_TEXT                                                                              \
    7                     /* the body text of a document format (PDF, ODT, ...), packed            \
                             by index/textstore.h: snippets never re-run a parser */
#define FG_VALUE_AUTHOR 8 /* the document's author as it states it (facets) */

/* ------------------------------------------------------------ term prefixes */

/* The ways a word is indexed (with positions unless said; see index/termkinds.h). */
#define FG_PREFIX_EXACT ""        /* a body word, case-folded */
#define FG_PREFIX_STEM "Z"        /* the stem of a body word */
#define FG_PREFIX_TITLE "S"       /* a title word, case-folded (no positions) */
#define FG_PREFIX_TITLE_STEM "ZS" /* the stem of a title word (no positions) */
#define FG_PREFIX_PART "XC"       /* the stem of a part of a compound word */
#define FG_PREFIX_WEAK "XV"       /* weak spelling variant (umlauts dropped) */
#define FG_PREFIX_LEAD "XL"       /* stem of a word among the first FG_LEAD_WORDS of the body */

/* How many words at the start of a body count as its lead. */
#define FG_LEAD_WORDS 60

/* Boolean terms (no positions, no weight). */
#define FG_PREFIX_UID "Q" /* the document's unique id: its path (hashed past FG_TERM_MAX) */
#define FG_PREFIX_PATH                                                                             \
    "P" /* the path and every folder above it ("P/home/a/b.txt",                                   \
         * "P/home/a", "P/home", "P/") */
#define FG_PREFIX_HASH                                                                             \
    "XH" /* the content checksum (the FG_VALUE_CHECKSUM text): finds                               \
          * the duplicates of a document without reading values */
#define FG_PREFIX_EXT                                                                              \
    "E"                      /* the extension, lower case (the detected type of a document         \
                                format: "pdf" for a PDF named .txt) */
#define FG_PREFIX_AUTHOR "A" /* each word of the author, case-folded (author:, autor:) */
#define FG_PREFIX_FROM "XMF" /* mail: each word of the sender, case-folded (from:, von:) */
#define FG_PREFIX_TO "XMT"   /* mail: each word of To and Cc, case-folded (to:, an:) */
#define FG_PREFIX_YEAR "Y"   /* YYYY of the document date */
#define FG_PREFIX_MONTH "M"  /* YYYYMM */
#define FG_PREFIX_DAY "D"    /* YYYYMMDD, when the day is known */
#define FG_PREFIX_FAILED                                                                           \
    "XF" /* the one term of a failure stub: a document-format file                                 \
          * the extractor could not read (crash, timeout, memory                                   \
          * limit, encrypted, corrupt; feed/failed.c), kept with                                   \
          * its Q term, stamp values and data so it is not retried                                 \
          * until it changes.  A stub gets no P term                                               \
          * (fg_index_replace() leaves them out) nor any other, so                                 \
          * no search or filter finds it */

/* ------------------------------------------------------------ document data */

/* Omega-style "key=value" lines (see index/docdata.h). */
#define FG_DATA_URL "url"           /* the file's absolute path */
#define FG_DATA_CAPTION "caption"   /* its title */
#define FG_DATA_TYPE "type"         /* MIME type */
#define FG_DATA_MODTIME "modtime"   /* mtime, seconds since the epoch */
#define FG_DATA_SIZE "size"         /* bytes */
#define FG_DATA_DATE "date"         /* the date the content states (YYYY-MM[-DD]), if any */
#define FG_DATA_ENCODING "encoding" /* the encoding the text was decoded from */
#define FG_DATA_SAMPLE "sample"     /* the first FG_SAMPLE_MAX bytes of the body */
#define FG_DATA_FORMAT "format"     /* the detected type, "txt" .. "pdf" (FG_PREFIX_EXT's text) */
#define FG_DATA_AUTHOR "author"     /* the author, when the document names one */
#define FG_DATA_PAGES                                                                              \
    "pages"                   /* PDF: body offset of each page, comma-separated;                   \
                               * mail: page 1 the message, then one per attachment */
#define FG_DATA_FROM "from"   /* mail: the sender as written ("Name <address>") */
#define FG_DATA_TO "to"       /* mail: the recipients of To and Cc */
#define FG_DATA_PARTS "parts" /* mail: the attachments' names, one a line (page 2 on) */
#define FG_DATA_FAILED                                                                             \
    "failed" /* a failure stub (FG_PREFIX_FAILED): why the file could                              \
                not be read ("crashed: SIGSEGV", "encrypted") */

/* Bytes of body text stored in the document data as FG_DATA_SAMPLE. */
#define FG_SAMPLE_MAX 300

#endif
