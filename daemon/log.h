/*
 * log.h - the daemon's log: one line per message on stderr, with a level.
 *
 *   fundgrubed[1234]: warning: /home/u/x.txt: Permission denied
 *
 * Under systemd (JOURNAL_STREAM set) each line starts with the syslog
 * priority in angle brackets ("<4>"), which journald turns into the entry's
 * level.  Lines are written with one write(2), so threads do not interleave.
 */
#ifndef FGD_LOG_H
#define FGD_LOG_H

/* Levels, with syslog's numbers. */
typedef enum fgd_level {
    FGD_ERROR = 3,   /* the daemon cannot go on, or a request failed for good */
    FGD_WARNING = 4, /* something was left out or will be retried */
    FGD_NOTICE = 5,  /* normal but significant: start, stop, reload, rescan */
    FGD_INFO = 6,    /* progress: reconciliation done, commits of bulk work */
    FGD_DEBUG = 7    /* every event and document */
} fgd_level_t;

/* Sets the most verbose level printed (default FGD_INFO) and decides, from
 * the environment, whether to print systemd priority prefixes. */
void fgd_log_init(fgd_level_t max_level);

/* True when messages of level lvl are printed (to skip costly formatting). */
int fgd_log_enabled(fgd_level_t lvl);

/* Prints one message (printf format) at level lvl. */
void fgd_log(fgd_level_t lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
