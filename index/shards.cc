/*
 * shards.cc - an index that is several: a shard list, Xapian's stub file
 * format (one shard per line: "auto FOLDER" for a local index folder,
 * "remote HOST:PORT" for one that xapian-tcpsrv serves), searched as one
 * database.  Xapian sums the statistics of the shards (document count,
 * lengths, term frequencies), so BM25 ranks as over one combined index, and
 * interleaves the docids: docid d of shard s (of S) is (d - 1) * S + s + 1.
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

/* What the shard list at path says now: whether it names a remote shard,
 * and the contents of the local shards' own stubs (their generations). */
static std::string shard_state(const std::string &path, bool *remote) {
    std::ifstream in(path);
    std::string line, state;
    *remote = false;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string kind, where;
        words >> kind >> where;
        if (kind == "remote")
            *remote = true;
        if (kind != "auto" && kind != "glass")
            continue;
        if (!where.empty() && where[0] != '/') { /* relative to the list's folder */
            size_t slash = path.rfind('/');
            where = (slash == std::string::npos ? std::string(".") : path.substr(0, slash)) + "/" +
                    where;
        }
        std::ifstream stub(where + "/XAPIANDB");
        std::string gen;
        std::getline(stub, gen);
        state += where + "=" + gen + "\n";
    }
    return state;
}

/* Opens or refreshes idx->db on the shard list idx->path (see
 * index-private.h).  Throws Xapian errors. */
void fg_shards_refresh(fg_index_t *idx) {
    bool remote = false;
    std::string state = shard_state(idx->path, &remote);
    if (idx->opened && state == idx->gen) {
        idx->db.reopen();
        return;
    }
    Xapian::Database db(idx->path); /* Xapian reads the stub format */
    idx->db = db;
    idx->gen = state;
    idx->remote = remote;
    idx->opened = true;
}
