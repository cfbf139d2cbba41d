/*
 * tcpsrv.h - xapian-tcpsrv servers for the shard suites: started in a
 * session of their own (1.4's tcpsrv answers SIGTERM with killpg(0)),
 * stopped by their pid only.
 */
#ifndef FG_TESTS_TCPSRV_H
#define FG_TESTS_TCPSRV_H

#include <stdbool.h>
#include <sys/types.h>

/* A running server: its pid (the leader of its session) and port. */
typedef struct tcpsrv {
    pid_t pid;
    unsigned port;
} tcpsrv_t;

/*
 * Starts xapian-tcpsrv serving folder on port (0: a free one is picked) and
 * waits until it accepts connections.  Returns false when it did not start
 * within about 5 s (then nothing is left running).
 */
bool tcpsrv_start(tcpsrv_t *s, const char *folder, unsigned port);

/* Stops the server (SIGTERM to its pid; it takes its connection children
 * along) and waits for it.  pid <= 0 is allowed (nothing happens). */
void tcpsrv_stop(tcpsrv_t *s);

#endif
