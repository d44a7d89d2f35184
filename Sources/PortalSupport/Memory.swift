import CPortalSystem

/// Gives the memory freed so far back to the system instead of keeping it for reuse. Called
/// between stages: what Load's parse and Resolve's working tables freed would otherwise still
/// count while the next stage grows, at the top of a large build's memory.
package func releaseFreeMemory() {
    portal_release_free_memory()
}
