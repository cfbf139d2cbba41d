/*
 * tcpsrv.c - xapian-tcpsrv servers for the shard suites (see tcpsrv.h).
 */
#include "tcpsrv.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* True when something accepts connections on 127.0.0.1:port. */
static bool listening(unsigned port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    close(fd);
    return ok;
}

/* A port nobody listens on now (the kernel's pick of a free one). */
static unsigned free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    unsigned port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* Starts one server on port; true once it listens (see tcpsrv.h). */
static bool start_on(tcpsrv_t *s, const char *folder, unsigned port) {
    char portarg[16];
    snprintf(portarg, sizeof portarg, "%u", port);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        setsid(); /* xapian-tcpsrv 1.4 answers SIGTERM by killing its process group */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDERR_FILENO); /* "write failed" as each client goes */
        execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--port", portarg, folder,
               (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return false; /* it ended: the port is taken, or no xapian-tcpsrv */
        if (listening(port)) {
            s->pid = pid;
            s->port = port;
            return true;
        }
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return false;
}

/* Starts a server (see tcpsrv.h); a port of 0 tries a few free ones. */
bool tcpsrv_start(tcpsrv_t *s, const char *folder, unsigned port) {
    s->pid = -1;
    if (port)
        return start_on(s, folder, port);
    for (int attempt = 0; attempt < 5; attempt++)
        if (start_on(s, folder, free_port()))
            return true;
    return false;
}

/* Stops a server by its pid (see tcpsrv.h). */
void tcpsrv_stop(tcpsrv_t *s) {
    if (s->pid <= 0)
        return;
    kill(-s->pid, SIGCONT); /* its session's group, in case a test stopped it */
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    s->pid = -1;
}
