/*
 * watch.c - recursive inotify watches turned into queue operations
 * (see watch.h).
 */
#include "daemon/watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/path.h"
#include "daemon/log.h"
#include "daemon/options.h"
#include "feed/feed.h"

#define WATCH_MASK                                                                                 \
    (IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF |       \
     IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK)

#define MOVE_WAIT_MS 10  /* how long an IN_MOVED_FROM waits for its IN_MOVED_TO */
#define HOOK_DROP_MS 300 /* the overflow test hook's window of dropped events */

/* One watched folder. */
typedef struct wentry {
    int wd;
    size_t root; /* index into roots */
    char *path;
    struct wentry *next; /* hash chain */
} wentry_t;

/* One watched root. */
typedef struct root {
    char *path;
    bool present; /* watched; false while it does not exist */
} root_t;

/* An IN_MOVED_FROM waiting for its partner. */
typedef struct pending_move {
    uint32_t cookie;
    char *path;
    bool dir, admitted;
    size_t root;
} pending_move_t;

struct fgd_watcher {
    uv_loop_t *loop;
    fg_config_t cfg;
    fgd_queue_t *q;
    fgd_status_t *status;
    int fd;
    uv_poll_t *poll; /* heap: replaced when the watches are set up afresh */
    uv_timer_t move_timer, rescan_timer, hook_timer;
    int open_handles; /* handles not yet closed, while closing */
    bool closing;

    wentry_t **buckets; /* wd -> folder */
    size_t nbuckets, nwatches;
    root_t *roots;
    size_t nroots;
    char **polled; /* folders without watches, rescanned periodically */
    size_t npolled;
    bool limit_logged;
    pending_move_t *moves;
    size_t nmoves, capmoves;

    /* a change could not be queued (out of memory): a full rescan is owed
     * and queued as soon as that is possible (owe_rescan()) */
    bool rescan_owed;
    /* test hooks */
    uint64_t hook_overflow_after, events_seen;
    bool hook_dropping;
    uint64_t hook_max_watches;
};

static void on_readable(uv_poll_t *h, int status, int events);

/* ------------------------------------------------------------ wd table */

/* The entry of wd, or NULL. */
static wentry_t *wt_get(fgd_watcher_t *w, int wd) {
    for (wentry_t *e = w->buckets[(size_t)wd & (w->nbuckets - 1)]; e; e = e->next)
        if (e->wd == wd)
            return e;
    return NULL;
}

/* Doubles the table when crowded (failure is harmless). */
static void wt_grow(fgd_watcher_t *w) {
    if (w->nwatches < w->nbuckets)
        return;
    size_t n = w->nbuckets * 2;
    wentry_t **b = calloc(n, sizeof *b);
    if (!b)
        return;
    for (size_t i = 0; i < w->nbuckets; i++) {
        wentry_t *e = w->buckets[i];
        while (e) {
            wentry_t *nx = e->next;
            e->next = b[(size_t)e->wd & (n - 1)];
            b[(size_t)e->wd & (n - 1)] = e;
            e = nx;
        }
    }
    free(w->buckets);
    w->buckets = b;
    w->nbuckets = n;
}

/* Records (or updates) wd -> path.  Returns 0 or -ENOMEM. */
static int wt_put(fgd_watcher_t *w, int wd, const char *path, size_t root) {
    wentry_t *e = wt_get(w, wd);
    char *copy = strdup(path);
    if (!copy)
        return -ENOMEM;
    if (e) {
        free(e->path);
        e->path = copy;
        e->root = root;
        return 0;
    }
    e = calloc(1, sizeof *e);
    if (!e) {
        free(copy);
        return -ENOMEM;
    }
    e->wd = wd;
    e->path = copy;
    e->root = root;
    size_t k = (size_t)wd & (w->nbuckets - 1);
    e->next = w->buckets[k];
    w->buckets[k] = e;
    w->nwatches++;
    wt_grow(w);
    return 0;
}

/* Forgets wd. */
static void wt_del(fgd_watcher_t *w, int wd) {
    wentry_t **pp = &w->buckets[(size_t)wd & (w->nbuckets - 1)];
    while (*pp && (*pp)->wd != wd)
        pp = &(*pp)->next;
    if (*pp) {
        wentry_t *e = *pp;
        *pp = e->next;
        free(e->path);
        free(e);
        w->nwatches--;
    }
}

/* Forgets every entry. */
static void wt_clear(fgd_watcher_t *w) {
    for (size_t i = 0; i < w->nbuckets; i++) {
        wentry_t *e = w->buckets[i];
        while (e) {
            wentry_t *nx = e->next;
            free(e->path);
            free(e);
            e = nx;
        }
        w->buckets[i] = NULL;
    }
    w->nwatches = 0;
}

/* ------------------------------------------------------------ status */

/* Hands the roots, watch count and polled folders to the status record. */
static void publish(fgd_watcher_t *w) {
    const char **folders = calloc(w->nroots + 1, sizeof *folders);
    const char **states = calloc(w->nroots + 1, sizeof *states);
    if (folders && states) {
        for (size_t i = 0; i < w->nroots; i++) {
            folders[i] = w->roots[i].path;
            states[i] = w->roots[i].present ? "watching" : "missing";
        }
        fgd_status_set_watch(w->status, folders, states, w->nroots, w->nwatches,
                             (const char *const *)w->polled, w->npolled);
    }
    free(folders);
    free(states);
}

/* ------------------------------------------------------------ watching */

/* Adds path to the folders rescanned periodically (once). */
static void polled_add(fgd_watcher_t *w, const char *path) {
    for (size_t i = 0; i < w->npolled; i++)
        if (fg_path_at_or_below(path, w->polled[i]))
            return;
    char **p = realloc(w->polled, (w->npolled + 1) * sizeof *p);
    if (!p)
        return;
    w->polled = p;
    if ((w->polled[w->npolled] = strdup(path)) != NULL)
        w->npolled++;
}

/* Reads the current watch limit for the log message. */
static void read_watch_limit(char *buf, size_t len) {
    snprintf(buf, len, "?");
    FILE *f = fopen("/proc/sys/fs/inotify/max_user_watches", "r");
    if (!f)
        return;
    if (fgets(buf, (int)len, f))
        buf[strcspn(buf, "\n")] = '\0';
    fclose(f);
}

/* Watches one folder.  Returns the wd, or -1 (logged; on ENOSPC the folder
 * becomes a polled one). */
static int add_watch(fgd_watcher_t *w, size_t root, const char *path) {
    int wd;
    if (w->hook_max_watches && w->nwatches >= w->hook_max_watches) {
        wd = -1;
        errno = ENOSPC;
    } else {
        wd = inotify_add_watch(w->fd, path, WATCH_MASK);
    }
    if (wd < 0) {
        int e = errno;
        if (e == ENOSPC) {
            if (!w->limit_logged) {
                char limit[32];
                read_watch_limit(limit, sizeof limit);
                fgd_log(FGD_WARNING,
                        "inotify watch limit reached at %s (fs.inotify.max_user_watches = %s); "
                        "raise it, e.g. with 'sudo sysctl fs.inotify.max_user_watches=524288' "
                        "(and a file in /etc/sysctl.d/ to keep it); until then folders without "
                        "a watch are rescanned every --rescan-interval seconds",
                        path, limit);
                w->limit_logged = true;
            } else {
                fgd_log(FGD_DEBUG, "no watch for %s: limit reached, polled", path);
            }
            polled_add(w, path);
        } else if (e != ENOENT && e != ENOTDIR) {
            fgd_log(FGD_WARNING, "cannot watch %s: %s", path, strerror(e));
        }
        return -1;
    }
    if (wt_put(w, wd, path, root) != 0) {
        inotify_rm_watch(w->fd, wd);
        return -1;
    }
    return wd;
}

/* Watches the folder in buf (length len, capacity PATH_MAX) and every
 * admitted folder below it. */
static void add_tree_buf(fgd_watcher_t *w, size_t root, char *buf, size_t len) {
    if (add_watch(w, root, buf) < 0)
        return;
    DIR *d = opendir(buf);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        bool dir = de->d_type == DT_DIR;
        if (de->d_type == DT_UNKNOWN) {
            struct stat sb;
            dir = fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode);
        }
        size_t nlen = strlen(name);
        if (!dir || len + 1 + nlen + 1 > PATH_MAX)
            continue;
        buf[len] = '/';
        memcpy(buf + len + 1, name, nlen + 1);
        if (fg_feed_admits_folder(&w->cfg, w->roots[root].path, buf))
            add_tree_buf(w, root, buf, len + 1 + nlen);
        buf[len] = '\0';
    }
    closedir(d);
}

/* Watches the folder path and every admitted folder below it. */
static void add_tree(fgd_watcher_t *w, size_t root, const char *path) {
    char *buf = malloc(PATH_MAX);
    size_t len = strlen(path);
    if (buf && len < PATH_MAX) {
        memcpy(buf, path, len + 1);
        add_tree_buf(w, root, buf, len);
    }
    free(buf);
}

/* Removes the watches of path and every folder below it. */
static void rm_tree(fgd_watcher_t *w, const char *path) {
    for (size_t i = 0; i < w->nbuckets; i++) {
        wentry_t *e = w->buckets[i];
        while (e) {
            wentry_t *nx = e->next;
            if (fg_path_at_or_below(e->path, path)) {
                inotify_rm_watch(w->fd, e->wd);
                wt_del(w, e->wd);
            }
            e = nx;
        }
    }
    for (size_t i = 0; i < w->npolled;) {
        if (fg_path_at_or_below(w->polled[i], path)) {
            free(w->polled[i]);
            w->polled[i] = w->polled[--w->npolled];
        } else {
            i++;
        }
    }
}

/* Rewrites the paths of the watches at and below from to lie below to. */
static void rename_tree(fgd_watcher_t *w, const char *from, const char *to, size_t root) {
    size_t flen = strlen(from);
    for (size_t i = 0; i < w->nbuckets; i++) {
        for (wentry_t *e = w->buckets[i]; e; e = e->next) {
            char *np = NULL;
            if (fg_path_at_or_below(e->path, from) &&
                asprintf(&np, "%s%s", to, e->path + flen) >= 0) {
                free(e->path);
                e->path = np;
                e->root = root;
            }
        }
    }
}

/* The index of the root that path lies in (the longest), or w->nroots. */
static size_t root_of(const fgd_watcher_t *w, const char *path) {
    size_t best = w->nroots, best_len = 0;
    for (size_t i = 0; i < w->nroots; i++) {
        size_t n = strlen(w->roots[i].path);
        if (fg_path_at_or_below(path, w->roots[i].path) && n >= best_len) {
            best = i;
            best_len = n;
        }
    }
    return best;
}

/* Watches every root that exists (afresh or again: inotify returns the
 * existing watch of a folder). */
static void add_roots(fgd_watcher_t *w) {
    for (size_t i = 0; i < w->nroots; i++) {
        struct stat sb;
        bool present = stat(w->roots[i].path, &sb) == 0 && S_ISDIR(sb.st_mode);
        if (!present && w->roots[i].present)
            fgd_log(FGD_WARNING, "watched folder %s is missing", w->roots[i].path);
        w->roots[i].present = present;
        if (present)
            add_tree(w, i, w->roots[i].path);
    }
}

/* ------------------------------------------------------------ queueing */

/* Queues a rescan of everything; when memory runs out, the rescan is owed
 * and pay_rescan() queues it later. */
static void queue_rescan(fgd_watcher_t *w) {
    if (fgd_queue_rescan(w->q) == 0) {
        w->rescan_owed = false;
        return;
    }
    if (!w->rescan_owed)
        fgd_log(FGD_ERROR, "out of memory queueing a rescan; trying again at the next event");
    w->rescan_owed = true;
}

/* A change could not be queued: nothing is lost if everything is looked at
 * again, so a full rescan is queued (or owed). */
static void owe_rescan(fgd_watcher_t *w, const char *what) {
    fgd_log(FGD_ERROR, "out of memory queueing %s; a full rescan follows", what);
    queue_rescan(w);
}

/* Queues the rescan owed since memory ran out, if there is one. */
static void pay_rescan(fgd_watcher_t *w) {
    if (w->rescan_owed)
        queue_rescan(w);
}

/* Queues a sync of path (out of memory: a full rescan, see owe_rescan()). */
static void queue_sync(fgd_watcher_t *w, const char *path) {
    fgd_log(FGD_DEBUG, "queue sync %s", path);
    if (fgd_queue_sync(w->q, path) != 0)
        owe_rescan(w, path);
}

/* A file or folder moved out of the tree (or into an excluded place). */
static void moved_out(fgd_watcher_t *w, const pending_move_t *m) {
    if (m->dir)
        rm_tree(w, m->path);
    if (m->admitted)
        queue_sync(w, m->path);
}

/* A file or folder moved into the tree. */
static void moved_in(fgd_watcher_t *w, const char *path, bool dir, bool admitted, size_t root) {
    if (!admitted)
        return;
    if (dir)
        add_tree(w, root, path);
    queue_sync(w, path);
}

/* A file or folder moved within the tree: from (m) -> to. */
static void moved_within(fgd_watcher_t *w, const pending_move_t *m, const char *to, bool dir,
                         bool admitted, size_t root) {
    if (dir) {
        rename_tree(w, m->path, to, root);
        if (admitted)
            add_tree(w, root, to); /* folders made meanwhile */
        else
            rm_tree(w, to);
    }
    if (m->admitted && admitted) {
        fgd_log(FGD_DEBUG, "queue move %s -> %s", m->path, to);
        if (fgd_queue_move(w->q, m->path, to) != 0)
            owe_rescan(w, "a move");
        return;
    }
    if (m->admitted)
        queue_sync(w, m->path);
    if (admitted)
        queue_sync(w, to);
}

/* Treats every IN_MOVED_FROM still waiting as moved out. */
static void flush_moves(fgd_watcher_t *w) {
    for (size_t i = 0; i < w->nmoves; i++) {
        moved_out(w, &w->moves[i]);
        free(w->moves[i].path);
    }
    w->nmoves = 0;
}

/* Timer: the partners of waiting IN_MOVED_FROM events did not come. */
static void on_move_timer(uv_timer_t *t) {
    fgd_watcher_t *w = t->data;
    flush_moves(w);
    publish(w);
}

/* Keeps an IN_MOVED_FROM until its partner comes. */
static void remember_move(fgd_watcher_t *w, uint32_t cookie, const char *path, bool dir,
                          bool admitted, size_t root) {
    if (w->nmoves == w->capmoves) {
        size_t cap = w->capmoves ? w->capmoves * 2 : 16;
        pending_move_t *m = realloc(w->moves, cap * sizeof *m);
        if (!m) {
            pending_move_t tmp = {cookie, (char *)path, dir, admitted, root};
            moved_out(w, &tmp);
            return;
        }
        w->moves = m;
        w->capmoves = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return;
    w->moves[w->nmoves++] = (pending_move_t){cookie, copy, dir, admitted, root};
}

/* Takes the waiting IN_MOVED_FROM with cookie into *out; false if none. */
static bool take_move(fgd_watcher_t *w, uint32_t cookie, pending_move_t *out) {
    for (size_t i = 0; i < w->nmoves; i++) {
        if (w->moves[i].cookie == cookie) {
            *out = w->moves[i];
            w->moves[i] = w->moves[--w->nmoves];
            return true;
        }
    }
    return false;
}

/* ------------------------------------------------------------ events */

/* A watched root vanished (deleted or moved away): its documents go. */
static void root_lost(fgd_watcher_t *w, size_t r, const char *how) {
    if (!w->roots[r].present)
        return;
    fgd_log(FGD_WARNING,
            "watched folder %s was %s; its documents are removed and the folder "
            "is looked for again at every rescan",
            w->roots[r].path, how);
    w->roots[r].present = false;
    rm_tree(w, w->roots[r].path);
    queue_sync(w, w->roots[r].path);
    publish(w);
}

/* Handles one inotify event. */
static void handle_event(fgd_watcher_t *w, const struct inotify_event *ev) {
    if (ev->mask & IN_Q_OVERFLOW) {
        fgd_watcher_rescan(w, "inotify queue overflow (events were lost)");
        return;
    }
    wentry_t *e = wt_get(w, ev->wd);
    if (!e)
        return;
    if (ev->mask & IN_IGNORED) {
        wt_del(w, ev->wd);
        return;
    }
    size_t r = e->root;
    bool is_root = strcmp(e->path, w->roots[r].path) == 0;
    if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)) {
        if (is_root && (ev->mask & IN_UNMOUNT)) {
            fgd_log(FGD_WARNING, "watched folder %s was unmounted; its documents are kept",
                    w->roots[r].path);
            w->roots[r].present = false;
            publish(w);
        } else if (is_root) {
            root_lost(w, r, ev->mask & IN_DELETE_SELF ? "deleted" : "moved away");
        }
        return;
    }
    if (ev->len == 0 || ev->name[0] == '\0')
        return;
    char *path = NULL;
    if (asprintf(&path, "%s/%s", e->path, ev->name) < 0)
        return;
    bool dir = (ev->mask & IN_ISDIR) != 0;
    const char *rp = w->roots[r].path;
    bool admitted =
        dir ? fg_feed_admits_folder(&w->cfg, rp, path) : fg_feed_admits(&w->cfg, rp, path);
    if (fgd_log_enabled(FGD_DEBUG))
        fgd_log(FGD_DEBUG, "event 0x%x %s%s%s", ev->mask, path, dir ? " (folder)" : "",
                admitted ? "" : " (not admitted)");

    if (ev->mask & IN_MOVED_FROM) {
        remember_move(w, ev->cookie, path, dir, admitted, r);
    } else if (ev->mask & IN_MOVED_TO) {
        pending_move_t m;
        if (take_move(w, ev->cookie, &m)) {
            moved_within(w, &m, path, dir, admitted, r);
            free(m.path);
        } else {
            moved_in(w, path, dir, admitted, r);
        }
    } else if (ev->mask & IN_CREATE) {
        struct stat sb;
        if (dir && admitted) {
            add_tree(w, r, path);
            queue_sync(w, path);
        } else if (admitted && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_nlink > 1) {
            queue_sync(w, path); /* a hard link: complete, no IN_CLOSE_WRITE follows */
        }
    } else if (ev->mask & (IN_CLOSE_WRITE | IN_DELETE)) {
        if (admitted)
            queue_sync(w, path);
    }
    free(path);
}

/* Timer of the overflow test hook: the dropped window ends, as an overflow. */
static void on_hook_timer(uv_timer_t *t) {
    fgd_watcher_t *w = t->data;
    w->hook_dropping = false;
    fgd_watcher_rescan(w, "simulated inotify queue overflow (test hook)");
}

/* The inotify descriptor is readable: reads and handles every event. */
static void on_readable(uv_poll_t *h, int status, int events) {
    (void)events;
    fgd_watcher_t *w = h->data;
    if (status < 0) {
        fgd_log(FGD_ERROR, "polling inotify: %s", uv_strerror(status));
        return;
    }
    pay_rescan(w);
    char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
    int fd = w->fd;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            p += sizeof *ev + ev->len;
            if (w->hook_overflow_after) {
                if (w->hook_dropping)
                    continue;
                if (++w->events_seen == w->hook_overflow_after) {
                    fgd_log(FGD_NOTICE, "test hook: dropping events for %d ms", HOOK_DROP_MS);
                    w->hook_dropping = true;
                    w->hook_overflow_after = 0;
                    uv_timer_start(&w->hook_timer, on_hook_timer, HOOK_DROP_MS, 0);
                    continue;
                }
            }
            handle_event(w, ev);
            if (w->fd != fd)
                return; /* the watches were set up afresh: the rest is stale */
        }
    }
    if (w->nmoves > 0)
        uv_timer_start(&w->move_timer, on_move_timer, MOVE_WAIT_MS, 0);
}

/* ------------------------------------------------------------ set-up */

/* Frees a poll handle once libuv let go of it. */
static void free_poll(uv_handle_t *h) {
    free(h);
}

/* Closes the inotify descriptor and its poll handle (the kernel drops the
 * watches), and forgets the watch table. */
static void close_inotify(fgd_watcher_t *w) {
    if (w->poll) {
        uv_poll_stop(w->poll);
        uv_close((uv_handle_t *)w->poll, free_poll);
        w->poll = NULL;
    }
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    wt_clear(w);
    for (size_t i = 0; i < w->nmoves; i++)
        free(w->moves[i].path);
    w->nmoves = 0;
    for (size_t i = 0; i < w->npolled; i++)
        free(w->polled[i]);
    w->npolled = 0;
}

/* Opens a new inotify descriptor, watches every root and starts polling.
 * Returns 0 or a negative errno (logged). */
static int open_inotify(fgd_watcher_t *w) {
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0) {
        int e = errno;
        fgd_log(FGD_ERROR, "inotify_init1: %s", strerror(e));
        return -e;
    }
    w->poll = malloc(sizeof *w->poll);
    int rc = w->poll ? uv_poll_init(w->loop, w->poll, w->fd) : UV_ENOMEM;
    if (rc != 0) {
        free(w->poll);
        w->poll = NULL;
        close(w->fd);
        w->fd = -1;
        fgd_log(FGD_ERROR, "polling inotify: %s", uv_strerror(rc));
        return rc;
    }
    w->poll->data = w;
    add_roots(w);
    uv_poll_start(w->poll, UV_READABLE, on_readable);
    publish(w);
    return 0;
}

/* Sets the roots from cfg's watch folders.  Returns 0 or -ENOMEM. */
static int set_roots(fgd_watcher_t *w) {
    for (size_t i = 0; i < w->nroots; i++)
        free(w->roots[i].path);
    free(w->roots);
    w->nroots = 0;
    w->roots = calloc(w->cfg.watch_folders.count + 1, sizeof *w->roots);
    if (!w->roots)
        return -ENOMEM;
    for (size_t i = 0; i < w->cfg.watch_folders.count; i++) {
        w->roots[i].path = strdup(w->cfg.watch_folders.items[i]);
        w->roots[i].present = true; /* so that a missing one is logged */
        if (!w->roots[i].path)
            return -ENOMEM;
        w->nroots++;
    }
    return 0;
}

/* Timer: missing roots and folders without watches are looked at again. */
static void on_rescan_timer(uv_timer_t *t) {
    fgd_watcher_t *w = t->data;
    pay_rescan(w);
    for (size_t i = 0; i < w->nroots; i++) {
        struct stat sb;
        if (!w->roots[i].present && stat(w->roots[i].path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            fgd_log(FGD_NOTICE, "watched folder %s is back", w->roots[i].path);
            w->roots[i].present = true;
            add_tree(w, i, w->roots[i].path);
            queue_sync(w, w->roots[i].path);
        }
    }
    size_t n = w->npolled;
    char **polled = w->polled;
    w->polled = NULL;
    w->npolled = 0;
    for (size_t i = 0; i < n; i++) {
        size_t r = root_of(w, polled[i]);
        if (r < w->nroots) {
            add_tree(w, r, polled[i]); /* back on the list if still no watch */
            queue_sync(w, polled[i]);
        }
        free(polled[i]);
    }
    free(polled);
    publish(w);
}

/* Reads a numeric test hook from the environment (0 when unset); always 0
 * in a build without FG_TEST_HOOKS. */
static uint64_t hook_value(const char *name) {
#ifdef FG_TEST_HOOKS
    const char *v = getenv(name);
    return v && v[0] ? strtoull(v, NULL, 10) : 0;
#else
    (void)name;
    return 0;
#endif
}

/* Starts a watcher (see watch.h). */
int fgd_watcher_start(uv_loop_t *loop, const fg_config_t *cfg, fgd_queue_t *q, fgd_status_t *status,
                      unsigned rescan_interval_s, fgd_watcher_t **out) {
    *out = NULL;
    fgd_watcher_t *w = calloc(1, sizeof *w);
    if (!w)
        return -ENOMEM;
    w->loop = loop;
    w->q = q;
    w->status = status;
    w->fd = -1;
    w->nbuckets = 1024;
    w->buckets = calloc(w->nbuckets, sizeof *w->buckets);
    w->hook_overflow_after = hook_value("FUNDGRUBED_TEST_OVERFLOW_AFTER");
    w->hook_max_watches = hook_value("FUNDGRUBED_TEST_MAX_WATCHES");
    if (!w->buckets || fg_config_copy(&w->cfg, cfg) != FG_OK || set_roots(w) != 0) {
        fg_config_free(&w->cfg);
        for (size_t i = 0; i < w->nroots; i++)
            free(w->roots[i].path);
        free(w->roots);
        free(w->buckets);
        free(w);
        return -ENOMEM;
    }
    uv_timer_init(loop, &w->move_timer);
    uv_timer_init(loop, &w->rescan_timer);
    uv_timer_init(loop, &w->hook_timer);
    w->move_timer.data = w->rescan_timer.data = w->hook_timer.data = w;
    uint64_t every = (uint64_t)rescan_interval_s * 1000;
    uv_timer_start(&w->rescan_timer, on_rescan_timer, every, every);
    int rc = open_inotify(w);
    *out = w; /* even on failure: fgd_watcher_close() frees it */
    return rc;
}

/* Sets up every watch afresh and queues a full rescan (see watch.h). */
void fgd_watcher_rescan(fgd_watcher_t *w, const char *why) {
    fgd_log(FGD_WARNING, "%s: watching everything afresh and rescanning", why);
    close_inotify(w);
    if (open_inotify(w) == 0)
        queue_rescan(w);
}

/* Replaces the configuration (see watch.h). */
int fgd_watcher_reload(fgd_watcher_t *w, const fg_config_t *cfg) {
    fg_config_t copy;
    if (fg_config_copy(&copy, cfg) != FG_OK)
        return -ENOMEM;
    close_inotify(w);
    fg_config_free(&w->cfg);
    w->cfg = copy;
    int rc = set_roots(w);
    return rc != 0 ? rc : open_inotify(w);
}

/* Counts closed handles; frees the watcher after the last. */
static void on_closed(uv_handle_t *h) {
    fgd_watcher_t *w = h->data;
    if (--w->open_handles > 0)
        return;
    for (size_t i = 0; i < w->nroots; i++)
        free(w->roots[i].path);
    free(w->roots);
    free(w->moves);
    free(w->polled);
    free(w->buckets);
    fg_config_free(&w->cfg);
    free(w);
}

/* Stops watching and closes the handles (see watch.h). */
void fgd_watcher_close(fgd_watcher_t *w) {
    if (!w || w->closing)
        return;
    w->closing = true;
    flush_moves(w);
    close_inotify(w);
    w->open_handles = 3;
    uv_close((uv_handle_t *)&w->move_timer, on_closed);
    uv_close((uv_handle_t *)&w->rescan_timer, on_closed);
    uv_close((uv_handle_t *)&w->hook_timer, on_closed);
}
