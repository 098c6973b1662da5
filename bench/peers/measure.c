/* Runs one command and reports its wall time, CPU time and peak RSS, the way the benchmark counts them.
 *
 * Usage: measure REPORT COMMAND [ARG...]
 * Writes "wall_seconds cpu_seconds max_rss_kb exit_status user_seconds" to REPORT. CPU time is user + system
 * of the command and every descendant it waited for (user_seconds: the user part alone, which issue 13's cold
 * targets name); peak RSS is that of the largest process in the tree.
 * A small wrapper of its own (rather than the harness forking directly) keeps the harness's memory out of
 * the child's peak RSS, which Linux carries across exec. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s REPORT COMMAND [ARG...]\n", argv[0]);
        return 2;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "measure: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            perror("wait4");
            return 2;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double wall = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    FILE *report = fopen(argv[1], "w");
    if (!report) {
        perror(argv[1]);
        return 2;
    }
    fprintf(report, "%.6f %.6f %ld %d %.6f\n", wall, seconds(usage.ru_utime) + seconds(usage.ru_stime),
            usage.ru_maxrss, code, seconds(usage.ru_utime));
    fclose(report);
    return 0;
}
