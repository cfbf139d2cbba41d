/*
 * shards.cc - an index that is several: a shard list, Xapian's stub file
 * format (one shard per line: "auto FOLDER" for a local index folder,
 * "remote HOST:PORT" for one that xapian-tcpsrv serves), searched as one
 * database.  Xapian sums the statistics of the shards (document count,
 * lengths, term frequencies), so BM25 ranks as over one combined index, and
 * interleaves the docids: docid d of shard s (of S) is (d - 1) * S + s + 1.
 *
 * The list comes from a file (an index path naming a regular file) or from
 * the [cluster] section (fg_index_open_cluster()).  We read the format
 * ourselves, not through Xapian's stub reader, to open each remote shard with
 * our timeouts and on its own:
 *
 * Faults.  A shard that cannot be opened (a server down, a timeout, a folder
 * gone) is replaced by an empty in-memory database in its place, so that the
 * others keep their docids, and named in idx->warnings; the search goes on
 * over the rest.  Xapian 1.4 throws NetworkError on every later use of a
 * database whose connection broke, and reopen() does not mend it: then
 * fg_with_retry() calls fg_shards_refresh(idx, true), which opens every shard
 * again, on its own, and the operation runs again.  A shard that is missing
 * is tried again at a refresh (every search) once opts.retry_ms have passed
 * since it failed; when it answers, the set is opened again with it.  When no
 * shard can be opened, the open (or search) fails.
 *
 * A shard list is read-only.  Local shards keep their generations (gen-N)
 * behind their own stubs, which the writer swaps at a merge; a reader of
 * the list notices that by the stubs' contents and opens the list again.
 * Remote shards are searched by Xapian's matcher on each server (rank.cc's
 * term-at-a-time ranker would fetch every document length over the
 * network).
 */
#include "index/index-private.h"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

/* True when path names a regular file: a shard list, not an index folder. */
bool fg_is_shard_list(const std::string &path) {
    struct stat sb;
    return stat(path.c_str(), &sb) == 0 && S_ISREG(sb.st_mode);
}

/* The text of the shard list: the file's contents, or the [cluster] text. */
static std::string list_text(const fg_index_t *idx) {
    if (idx->cluster)
        return idx->cluster_text;
    std::ifstream in(idx->path);
    if (!in)
        throw Xapian::DatabaseOpeningError("cannot read the shard list " + idx->path);
    std::ostringstream all;
    all << in.rdbuf();
    return all.str();
}

/* The folder relative shard paths are taken from: the list file's folder
 * ("." for [cluster], whose paths are absolute). */
static std::string list_base(const fg_index_t *idx) {
    if (idx->cluster)
        return ".";
    size_t slash = idx->path.rfind('/');
    return slash == std::string::npos ? std::string(".") : idx->path.substr(0, slash);
}

/* Parses the list text into shards (not opened): "auto"/"glass" FOLDER and
 * "remote HOST:PORT" lines; blank lines and '#' comments are skipped.
 * Throws DatabaseOpeningError for any other line or an empty list. */
static std::vector<fg_shard> parse_list(const fg_index_t *idx, const std::string &text) {
    std::vector<fg_shard> out;
    std::istringstream lines(text);
    std::string line, base = list_base(idx);
    unsigned lineno = 0;
    while (std::getline(lines, line)) {
        lineno++;
        std::istringstream words(line);
        std::string kind, where, extra;
        words >> kind >> where >> extra;
        if (kind.empty() || kind[0] == '#')
            continue;
        fg_shard s;
        if ((kind == "auto" || kind == "glass") && !where.empty() && extra.empty()) {
            s.remote = false;
            s.where = where[0] == '/' ? where : base + "/" + where;
            s.name = s.where;
        } else if (kind == "remote" && extra.empty() && where.rfind(':') != std::string::npos &&
                   where[0] != ':') {
            size_t colon = where.rfind(':');
            char *end = NULL;
            unsigned long port = strtoul(where.c_str() + colon + 1, &end, 10);
            if (!end || *end || port == 0 || port > 65535)
                throw Xapian::DatabaseOpeningError(idx->path + ":" + std::to_string(lineno) +
                                                   ": bad port in '" + line + "'");
            s.remote = true;
            s.where = where.substr(0, colon);
            s.port = static_cast<unsigned>(port);
            s.name = where;
        } else {
            throw Xapian::DatabaseOpeningError(
                idx->path + ":" + std::to_string(lineno) +
                ": expected 'auto FOLDER' or 'remote HOST:PORT', not '" + line + "'");
        }
        out.push_back(s);
    }
    if (out.empty())
        throw Xapian::DatabaseOpeningError("the shard list " + idx->path + " names no shard");
    return out;
}

/* What the shard list says now: its text and the contents of the local
 * shards' own stubs (their generations). */
static std::string list_state(const std::string &text, const std::vector<fg_shard> &shards) {
    std::string state = text + "\n";
    for (const fg_shard &s : shards) {
        if (s.remote)
            continue;
        std::ifstream stub(s.where + "/" FG_STUB_FILE);
        std::string gen;
        std::getline(stub, gen);
        state += s.where + "=" + gen + "\n";
    }
    return state;
}

/* Opens one shard on its own: a local folder (Xapian follows its stub) or a
 * connection to its server with the handle's timeouts.  Throws Xapian
 * errors. */
static Xapian::Database open_shard(const fg_index_t *idx, const fg_shard &s) {
    if (!s.remote)
        return Xapian::Database(s.where);
    Xapian::Database db = Xapian::Remote::open(s.where, s.port, idx->cluster_opts.timeout_ms,
                                               idx->cluster_opts.connect_timeout_ms);
    db.get_doccount(); /* the handshake has answered */
    return db;
}

/* An empty database standing in for a missing shard, so that the others
 * keep their place (and docids).  In the first place it carries the
 * metadata of live (Xapian reads metadata from the first shard only). */
static Xapian::Database placeholder(const Xapian::Database *live) {
    Xapian::WritableDatabase empty(std::string(), Xapian::DB_BACKEND_INMEMORY);
    if (live)
        for (Xapian::TermIterator k = live->metadata_keys_begin(); k != live->metadata_keys_end();
             ++k)
            empty.set_metadata(*k, live->get_metadata(*k));
    return empty;
}

/* Opens every shard of shards on its own, missing ones replaced (see the
 * top), into idx->db; sets idx->warnings.  Throws when none opens. */
static void open_set(fg_index_t *idx, std::vector<fg_shard> &shards) {
    std::vector<Xapian::Database> dbs(shards.size());
    std::vector<bool> ok(shards.size(), false);
    std::string warnings, first_why;
    const Xapian::Database *first_live = NULL;
    double now = fg_now_ms();
    for (size_t i = 0; i < shards.size(); i++) {
        fg_shard &s = shards[i];
        try {
            dbs[i] = open_shard(idx, s);
            ok[i] = true;
            s.down = false;
            if (!first_live)
                first_live = &dbs[i];
        } catch (const Xapian::Error &e) {
            s.down = true;
            s.failed_ms = now;
            s.why = e.get_type() + std::string(": ") + e.get_msg();
            warnings += "shard " + s.name + " is not available (" + s.why +
                        "): its documents are missing from the results\n";
            if (first_why.empty())
                first_why = s.why;
        }
    }
    if (!first_live)
        throw Xapian::NetworkError("no shard of " + idx->path + " can be opened (" + first_why +
                                   ")");
    Xapian::Database set;
    for (size_t i = 0; i < shards.size(); i++)
        set.add_database(ok[i] ? dbs[i] : placeholder(i == 0 ? first_live : NULL));
    idx->db = set;
    if (!warnings.empty())
        warnings.pop_back();
    idx->warnings = warnings;
}

/* Tries again each missing shard of idx whose retry_ms have passed: true
 * when one answers now (the set is then to be opened again), else false
 * with their failure times renewed. */
static bool probe_missing(fg_index_t *idx) {
    double now = fg_now_ms();
    bool back = false;
    for (fg_shard &s : idx->shard_list) {
        if (!s.down || now - s.failed_ms < idx->cluster_opts.retry_ms)
            continue;
        try {
            open_shard(idx, s);
            back = true;
        } catch (const Xapian::Error &) {
            s.failed_ms = fg_now_ms();
        }
    }
    return back;
}

/* Opens or refreshes idx->db on the shard list (see index-private.h).
 * Throws Xapian errors. */
void fg_shards_refresh(fg_index_t *idx, bool again) {
    std::string text = list_text(idx);
    std::vector<fg_shard> shards = parse_list(idx, text);
    std::string state = list_state(text, shards);
    if (idx->opened && !again && state == idx->gen && !probe_missing(idx)) {
        try {
            idx->db.reopen();
            return;
        } catch (const Xapian::NetworkError &) {
            /* a connection broke since: open the set again below */
        } catch (const Xapian::DatabaseOpeningError &) {
            if (!idx->remote)
                throw;
            /* a server's reopen met its generation removed (a merge
             * swapped it): new connections open the live one */
        } catch (const Xapian::DatabaseModifiedError &) {
            if (!idx->remote)
                throw;
        }
    }
    bool remote = false;
    for (const fg_shard &s : shards)
        remote = remote || s.remote;
    open_set(idx, shards);
    idx->shard_list = shards;
    idx->gen = state;
    idx->remote = remote;
    idx->opened = true;
}

/* Opens the shards of the [cluster] section, or of the list at dir, with
 * the timeouts of o (see index.h). */
extern "C" fg_status_t fg_index_open_cluster(const char *dir, const fg_cluster_opts_t *o,
                                             fg_index_t **out, char *err, size_t errlen) {
    fg_cluster_opts_t opts = {NULL, 10000, 10000, 1000};
    if (o)
        opts = *o;
    if (!o || (!opts.shards && (!dir || !fg_is_shard_list(dir))))
        return fg_index_open_readonly(dir, out, err, errlen);
    if (!out)
        return fg_set_error(err, errlen, FG_INVALID, "fg_index_open_cluster: out is NULL");
    *out = NULL;
    fg_index_t *idx = NULL;
    try {
        idx = new fg_index_t();
        idx->path = opts.shards ? "[cluster] shards" : dir;
        idx->cluster = opts.shards != NULL;
        idx->cluster_text = opts.shards ? opts.shards : "";
        idx->cluster_opts = opts;
        idx->cluster_opts.shards = NULL; /* the text is kept in cluster_text */
        idx->writable = false;
        idx->lock_fd = -1;
        idx->shards = true;
        fg_status_t st = fg_index_finish_open(idx, err, errlen);
        if (st == FG_OK)
            *out = idx;
        return st;
    } catch (const std::bad_alloc &) {
        delete idx;
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    }
}

/* The warnings of the handle's last search or open (see index.h). */
extern "C" const char *fg_index_warnings(const fg_index_t *idx) {
    return idx ? idx->warnings.c_str() : "";
}
