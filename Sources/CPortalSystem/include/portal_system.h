#ifndef PORTAL_SYSTEM_H
#define PORTAL_SYSTEM_H

/// Atomically swaps two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 on success,
/// -1 with errno set where the kernel or file system cannot do it.
int portal_exchange_paths(const char *first, const char *second);


#include <stddef.h>

/// The first occurrence of `needle` in `haystack` (glibc's memmem, which Swift's Glibc module
/// does not expose), or NULL.
const void *portal_find_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

/// 1 once cmark-gfm's table of extension characters is set for good (see
/// cmark_special_characters.c): from then on documents can be parsed on every thread at once.
/// 0 while it is not, or if the library does not route through the portal's replacement.
int portal_cmark_special_characters_pinned(void);

#endif
