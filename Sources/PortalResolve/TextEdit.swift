import PortalLoad
import PortalSupport

/// A text-only rebuild's Resolve: every changed source kept its interface (front matter,
/// paragraph numbers, headings, links), so everything Resolve derives from interfaces is as the
/// last build left it (`GraphSnapshot`). The graph is that structure with the changed sources in
/// their places, every other source deferred to the load cache (`DeferredSources`) and each
/// part of the snapshot decoded when a page first reads it; the data files, which a text edit
/// does not touch, are resolved as always. Nil when a changed source is not where the snapshot
/// has it, or took another slug or title: the build then resolves everything.
package func resolveTextEdit(_ loaded: LoadedSite, snapshot: GraphSnapshot, deferred: DeferredSources) -> SiteGraph? {
    let changedSections = Dictionary(loaded.sections.map { ($0.file, $0) }) { first, _ in first }
    let changedCapabilities = Dictionary(loaded.capabilities.map { ($0.file, $0) }) { first, _ in first }
    var placed = 0
    let sections = snapshot.sections.map { shell -> Section in
        let changed = changedSections[shell.file].flatMap {
            $0.slug == shell.slug && $0.title.value == shell.title ? $0 : nil
        }
        if changed != nil { placed += 1 }
        let details = DeferredValue { () -> Section.Details in
            let rest = snapshot.sectionRest(shell)
            if rest == nil { deferred.fail(shell.file) }
            return Section.Details(
                source: changed ?? deferred.section(shell.file), headings: rest?.headings ?? [],
                capabilities: rest?.capabilities ?? [], boards: rest?.boards ?? [], tables: rest?.tables ?? [],
                links: rest?.links ?? [])
        }
        return Section(
            file: shell.file, slug: shell.slug, page: shell.page, title: shell.title, slot: .deferred(details))
    }
    let capabilities = snapshot.capabilities.map { shell -> Capability in
        let changed = changedCapabilities[shell.file].flatMap {
            $0.slug == shell.slug && $0.title.value == shell.title ? $0 : nil
        }
        if changed != nil { placed += 1 }
        let details = DeferredValue { () -> Capability.Details in
            let rest = snapshot.capabilityRest(shell)
            if rest == nil { deferred.fail(shell.file) }
            return Capability.Details(
                source: changed ?? deferred.capability(shell.file), sections: rest?.sections ?? [],
                headings: rest?.headings ?? [], links: rest?.links ?? [])
        }
        return Capability(file: shell.file, slug: shell.slug, title: shell.title, slot: .deferred(details))
    }
    guard placed == changedSections.count + changedCapabilities.count, loaded.unloaded.isEmpty else { return nil }
    let citations = DeferredValue { () -> [CitedThing: [Citation]] in
        guard let citations = snapshot.decodedCitations() else {
            deferred.fail("citations")
            return [:]
        }
        return citations
    }
    // The data's problems are the snapshot's: the same files, resolved against the same interfaces.
    var same: [Diagnostic] = []
    let (registerEntries, _) = uniqueRegisterEntries(loaded.registerEntries, diagnostics: &same)
    let tables = verifiedTables(loaded.tables, paragraphIndex: snapshot.paragraphIndex, diagnostics: &same)
    // Git's history is the snapshot's: HEAD has not moved since (or the build would be full).
    var loaded = loaded
    loaded.history = snapshot.history
    return assembledGraph(
        loaded, sections: sections, capabilities: capabilities, tables: tables, registerEntries: registerEntries,
        commitments: commitmentsByDueDate(loaded.commitments, paragraphIndex: snapshot.paragraphIndex),
        paragraphIndex: snapshot.paragraphIndex, citations: .deferred(citations),
        referenceCount: snapshot.referenceCount, editions: .none)
}
