#define _GNU_SOURCE
#include "portal_system.h"
#ifdef __linux__
#include <sys/prctl.h>
#endif

// jemalloc asks for its memory in transparent huge pages (malloc_conf, release_free_memory.c),
// which pays on a build that loads the whole site and costs a small one: every fresh 2 MB page
// is zeroed whole, and after an idle wait the VM's host hands each back slowly. A one-page edit
// at 10,000 pages touched 86 MB with them and 68 MB without, and took 160 ms against 105 ms
// (medians of 6 alternating edits after `sync; sleep 8`). So a process starts without them,
// before `main`, and a build turns them on once it knows it loads the whole site
// (`portal_allow_huge_pages`). The flag only decides how later page faults are served.
#ifdef __linux__
__attribute__((constructor)) static void portal_start_without_huge_pages(void) {
    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
}
#endif

void portal_allow_huge_pages(void) {
#ifdef __linux__
    prctl(PR_SET_THP_DISABLE, 0, 0, 0, 0);
#endif
}
