/* The no-op floor: stat() every input and output file of the fleet and nothing else.
 *
 * Usage: statfloor LIST   (LIST: one path per line, as the harness writes it)
 * Prints how many paths it stat()ed and how many were missing; exits 0 either way, because the floor
 * measures the cost of looking, not the state of the tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s LIST\n", argv[0]);
        return 2;
    }
    FILE *list = fopen(argv[1], "r");
    if (!list) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    long checked = 0, missing = 0;
    struct stat st;
    while ((length = getline(&line, &capacity, list)) > 0) {
        if (line[length - 1] == '\n') line[length - 1] = '\0';
        if (line[0] == '\0') continue;
        checked++;
        if (stat(line, &st) != 0) missing++;
    }
    free(line);
    fclose(list);
    printf("statfloor: %ld paths, %ld missing\n", checked, missing);
    return 0;
}
