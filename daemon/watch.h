/*
 * watch.h - inotify over whole folder trees, on the event loop.
 *
 * A watcher puts an inotify watch on every admitted folder below the watched
 * roots (fg_feed_admits_folder(): hidden and excluded folders are not
 * watched; symbolic links are not followed) and turns events into queue
 * operations (queue.h):
 *
 *   IN_CLOSE_WRITE of a file           sync the file (never IN_MODIFY: a file
 *                                      still being written is not indexed)
 *   IN_CREATE of a folder              watch it and everything below, sync it
 *                                      (files may be there before the watch)
 *   IN_DELETE                          sync (the document(s) go)
 *   IN_MOVED_FROM + IN_MOVED_TO        paired by cookie: a move within the
 *                                      tree (watch paths follow a folder)
 *   IN_MOVED_FROM alone                moved out: after a short wait (10 ms)
 *                                      for its partner, treated as deleted
 *   IN_MOVED_TO alone                  moved in: like a new file or folder
 *   IN_DELETE_SELF/IN_MOVE_SELF        of a root: its documents go; the root
 *                                      is looked for again at every rescan tick
 *   IN_Q_OVERFLOW                      logged; all watches are set up afresh
 *                                      and every root is rescanned
 *
 * When inotify_add_watch() fails with ENOSPC (fs.inotify.max_user_watches
 * reached) the message names the sysctl to raise, and the folder is rescanned
 * every rescan interval instead (trying to watch it again each time).
 *
 * Test hooks (environment, for the test suite only):
 *   FUNDGRUBED_TEST_OVERFLOW_AFTER=N  after N events, drop every event for
 *                                     300 ms, then act as on IN_Q_OVERFLOW
 *   FUNDGRUBED_TEST_MAX_WATCHES=N     behave as if the watch limit were N
 */
#ifndef FGD_WATCH_H
#define FGD_WATCH_H

#include <uv.h>

#include "config/config.h"
#include "daemon/queue.h"
#include "daemon/status.h"

typedef struct fgd_watcher fgd_watcher_t;

/*
 * Starts watching the roots of cfg (copied) on loop: sets up the watches and
 * starts polling.  Returns 0 or a negative errno (inotify unavailable; the
 * message is logged).  Roots that do not exist are logged and looked for
 * again every rescan_interval_s seconds.
 */
int fgd_watcher_start(uv_loop_t *loop, const fg_config_t *cfg, fgd_queue_t *q, fgd_status_t *status,
                      unsigned rescan_interval_s, fgd_watcher_t **out);

/* Replaces the configuration (roots, globs): all watches are set up afresh.
 * The caller queues the writer's reload.  Returns 0 or a negative errno. */
int fgd_watcher_reload(fgd_watcher_t *w, const fg_config_t *cfg);

/* Sets up all watches afresh and queues a rescan of every root (used after an
 * overflow; why is logged). */
void fgd_watcher_rescan(fgd_watcher_t *w, const char *why);

/* Stops watching and closes every handle; the watcher is freed once libuv has
 * closed them (the loop must run on).  NULL is allowed. */
void fgd_watcher_close(fgd_watcher_t *w);

#endif
