import CPortalSystem

/// Gives the memory freed so far back to the system instead of keeping it for reuse. Called
/// between stages: what Load's parse and Resolve's working tables freed would otherwise still
/// count while the next stage grows, at the top of a large build's memory.
package func releaseFreeMemory() {
    portal_release_free_memory()
}

/// From here on the process takes its memory in huge pages (`huge_pages.c`): for a build that
/// loads and resolves the whole site, hundreds of megabytes, not for a small rebuild.
package func allowHugePages() {
    portal_allow_huge_pages()
}
