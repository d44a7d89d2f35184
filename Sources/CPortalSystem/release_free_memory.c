#define _GNU_SOURCE
#include "portal_system.h"
#include <dlfcn.h>
#include <stddef.h>

// jemalloc (linked on Linux, see Package.swift) keeps pages it has been given back for seconds,
// for reuse; a build frees the parse's working memory at the end of Load and Resolve's at its
// end, and holding both while the next stage grows set the build's peak memory. This hands them
// back to the system at once. Found by name, so a binary without jemalloc (glibc's malloc, or
// macOS) simply does nothing here.
typedef int (*mallctl_function)(const char *name, void *old, size_t *old_length, void *new, size_t new_length);

void portal_release_free_memory(void) {
    mallctl_function mallctl = (mallctl_function)dlsym(RTLD_DEFAULT, "mallctl");
    if (mallctl == NULL) return;
    // 4096 is MALLCTL_ARENAS_ALL: every arena.
    mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
}

// jemalloc's options, read by jemalloc itself when it starts (the MALLOC_CONF environment
// variable still adds to them). Transparent huge pages for its memory and its own bookkeeping:
// a 10,000-page build touches about 400 MB once, and taking it in 4 KB pages made 120,000 page
// faults, whose kernel time varied from one to four seconds between builds on a shared VM; in
// 2 MB pages they are a tenth as many, and cold builds were faster in 13 of 15 alternating
// pairs (about 15 per cent in median wall time), for about 7 per cent more peak memory. A process
// starts with them turned off, and only a build that loads the whole site turns them on
// (huge_pages.c): small rebuilds paid for them. One arena per CPU rather than jemalloc's four per CPU:
// a build runs one worker per core, and memory freed by one worker was not reused by the next
// from another arena; a cold 10,000-page build peaked about 20 MB lower (413-425 against
// 432-447 MB in 5 alternating pairs) and was no slower (median 2.00 against 2.16 s). Ignored by
// glibc.
const char *malloc_conf = "thp:always,metadata_thp:always,percpu_arena:percpu";
