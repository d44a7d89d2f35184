#ifndef PORTAL_SYSTEM_H
#define PORTAL_SYSTEM_H

/// Atomically swaps two paths (Linux renameat2 with RENAME_EXCHANGE). Returns 0 on success,
/// -1 with errno set where the kernel or file system cannot do it.
int portal_exchange_paths(const char *first, const char *second);

#endif
