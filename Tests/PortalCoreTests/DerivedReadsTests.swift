import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalRender
@testable import PortalSupport

/// The search index and the glossary read what they derive from the paragraphs (the kept
/// openings, the acronyms used), so an edit that changes neither renders neither again; one that
/// does renders them, and either way the output is the bytes of a build from nothing.
@Suite("Derived reads")
struct DerivedReadsTests {
    /// A paragraph longer than the search index keeps.
    static let longText = String(repeating: "The force keeps its plans under review. ", count: 60)
    static let beta = """
        ---
        title: Beta threat
        order: 2
        summary: Beta.
        ---

        4. Beta relies on [drones](capability:drones) as well, under [the board](board:alpha-board). \(longText)End.
        """

    func rebuild(after edit: (String) -> String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> Set<String>
    {
        let fixture = try SiteFixture(overriding: ["Content/threats/beta.md": Self.beta])
        guard case .success = fixture.build() else { throw BuildFailure.write("first build failed") }
        Thread.sleep(forTimeInterval: 0.01)
        try fixture.write(edit(Self.beta), to: "Content/threats/beta.md")
        guard case .success(let report) = fixture.build() else { throw BuildFailure.write("rebuild failed") }
        #expect(report.incremental == "1 changed file", sourceLocation: sourceLocation)
        let fresh = fixture.root.appendingPathComponent("fresh-output")
        guard case .success = build(BuildOptions(root: fixture.root, output: fresh, incremental: false)) else {
            throw BuildFailure.write("full build failed")
        }
        #expect(
            snapshot(of: fixture.output).mapValues(\.0) == snapshot(of: fresh).mapValues(\.0),
            "incremental output differs from a full build", sourceLocation: sourceLocation)
        return Set(report.write.written)
    }

    @Test func anEditPastTheKeptOpeningWithNoAcronymRendersNeither() throws {
        let written = try rebuild { $0.replacingOccurrences(of: "End.", with: "End, with more words.") }
        #expect(written.contains("threats/beta.html"))
        #expect(!written.contains(searchIndexPath))
        #expect(!written.contains("reference/glossary.html"))
    }

    @Test func anEditInTheKeptOpeningRendersTheSearchIndex() throws {
        let written = try rebuild { $0.replacingOccurrences(of: "Beta relies", with: "Beta still relies") }
        #expect(written.contains(searchIndexPath))
        #expect(!written.contains("reference/glossary.html"))
    }

    @Test func anAcronymUseRendersTheGlossary() throws {
        let written = try rebuild { $0.replacingOccurrences(of: "End.", with: "End, said the ACC.") }
        #expect(written.contains("reference/glossary.html"))
        #expect(!written.contains(searchIndexPath))
    }
}

/// A rebuild makes a body's links when a page first shows it: the same links a full build makes
/// for every body up front.
@Suite("Body link table")
struct BodyLinkTableTests {
    @Test func linksAreTheOnesAFullBuildMakes() throws {
        let fixture = try SiteFixture()
        let graph = try #require(loadAndResolve(root: fixture.root).0)
        let table = BodyLinkTable(graph)
        for section in graph.sections {
            let made = try #require(table.links(of: section.source.file))
            let expected = bodyLinks(section.links, section: section.slug, graph: graph)
            #expect(made.hrefs == expected.hrefs && made.embeds == expected.embeds)
            // Asked again, the same.
            #expect(table.links(of: section.source.file)?.hrefs == expected.hrefs)
        }
        for capability in graph.capabilities {
            let expected = bodyLinks(capability.links, section: nil, graph: graph)
            #expect(table.links(of: capability.source.file)?.hrefs == expected.hrefs)
        }
        #expect(table.links(of: "Content/threats/none.md") == nil)
    }
}
