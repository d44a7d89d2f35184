#ifndef PORTAL_SYSTEM_H
#define PORTAL_SYSTEM_H

/// 1 once cmark-gfm's table of extension characters is set for good (see
/// cmark_special_characters.c): from then on documents can be parsed on every thread at once.
/// 0 while it is not, or if the library does not route through the portal's replacement.
int portal_cmark_special_characters_pinned(void);

/// Hands the memory the allocator keeps for reuse back to the system now
/// (release_free_memory.c); nothing without jemalloc.
void portal_release_free_memory(void);

/// Lets page faults from here on be served in transparent huge pages where the allocator asked
/// for them (huge_pages.c): a process starts without, and a build loading the whole site calls
/// this. Nothing on other systems.
void portal_allow_huge_pages(void);

#endif
