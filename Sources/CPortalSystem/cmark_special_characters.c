#define _GNU_SOURCE
#include "portal_system.h"
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

// cmark-gfm keeps the characters its extensions react to (`~`, `:`, `w`) in one process-wide
// table. Each parse adds them as its inline pass starts and clears them as it ends, so a parse
// on another thread can lose them half-way (github/cmark-gfm#176, still open). Every parser the
// portal makes attaches the same extensions, so the table never needs clearing: this function
// takes the place of the library's own (the library calls it through its PLT), adds the
// characters once, and ignores every request to clear them.
typedef void (*manage_function)(void *parser, int add);

static atomic_int pinned = 0;

void cmark_manage_extensions_special_characters(void *parser, int add) {
    if (!add || atomic_load(&pinned)) return;
    manage_function library = (manage_function)dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters");
    if (library == NULL) {
        // Cannot happen while the library calls this name; parsing on without the characters
        // would quietly drop autolinks and strikethrough, so stop instead.
        fputs("portal: cmark-gfm's cmark_manage_extensions_special_characters not found\n", stderr);
        abort();
    }
    library(parser, 1);
    atomic_store(&pinned, 1);
}

int portal_cmark_special_characters_pinned(void) {
    return atomic_load(&pinned);
}
