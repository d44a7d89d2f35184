import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalResolve
@testable import PortalSupport

/// The links cache (`LinkStore`): a body's resolved links are reused only for the same links
/// against the same index, give exactly what resolving gives, and anything damaged or foreign is
/// no store at all.
@Suite("Link store")
struct LinkStoreTests {
    func loaded(_ fixture: SiteFixture) throws -> LoadedSite {
        try #require(loadSite(folders: SiteFolders(root: fixture.root)).0)
    }

    func source(_ fixture: SiteFixture, _ path: String) throws -> String {
        try String(contentsOf: fixture.root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Everything resolving links gives the graph, as one comparable value.
    func summary(_ resolved: (SiteGraph?, [Diagnostic])) -> [String] {
        summary((resolved.0, resolved.1, nil))
    }

    func summary(_ resolved: (graph: SiteGraph?, diagnostics: [Diagnostic], links: LinkStore?)) -> [String] {
        guard let graph = resolved.graph else { return ["no graph"] + resolved.diagnostics.map(\.description) }
        var lines: [String] = graph.sections.map { "\($0.source.file) \($0.links) \($0.capabilities)" }
        lines += graph.capabilities.map { "\($0.slug) \($0.links) \($0.sections)" }
        let citations: [String] = graph.citations.map { "\($0.key) \($0.value)" }
        lines += citations.sorted()
        lines.append("\(graph.referenceCount)")
        lines += resolved.diagnostics.map(\.description)
        return lines
    }

    @Test func aStoredBodyGivesBackWhatResolvingGives() throws {
        let fixture = try SiteFixture()
        let site = try loaded(fixture)
        let plain = resolveSite(site, editions: .none, links: nil)
        let first = resolveSite(site, editions: .none, links: LinkStore(buildID: "test"))
        let store = try #require(first.links)
        #expect(store.entries.count == site.sections.count + site.capabilities.count)
        let read = LinkStore(bytes: store.encoded(), buildID: "test")
        #expect(read.reusable == store.entries.count)
        let reused = resolveSite(site, editions: .none, links: read)
        #expect(summary(plain) == summary(first))
        #expect(summary(plain) == summary(reused))
        // What was reused is kept for the next build as it was.
        #expect(reused.links?.encoded() == store.encoded())
    }

    @Test(arguments: ["another binary", "truncated", "flipped", "empty"])
    func aDamagedOrForeignStoreIsNone(damage: String) throws {
        let fixture = try SiteFixture()
        let site = try loaded(fixture)
        var bytes = try #require(resolveSite(site, editions: .none, links: LinkStore(buildID: "test")).links)
            .encoded()
        var buildID = "test"
        switch damage {
        case "another binary": buildID = "other"
        case "truncated": bytes.removeLast(9)
        case "flipped": bytes[bytes.count / 2] ^= 0x20
        default: bytes = []
        }
        let read = LinkStore(bytes: bytes, buildID: buildID)
        #expect(read.reusable == 0)
        #expect(summary(resolveSite(site, editions: .none, links: read)) == summary(resolveSite(site)))
    }

    /// A body that did not change still has its links resolved again when what they point at
    /// did: here the paragraph `threat:beta#p4` names is renumbered.
    @Test func anUnchangedBodyIsResolvedAgainWhenItsTargetsChange() throws {
        let fixture = try SiteFixture()
        guard case .success = fixture.build() else { throw BuildFailure.write("first build failed") }
        Thread.sleep(forTimeInterval: 0.01)
        let beta = try source(fixture, "Content/threats/beta.md")
        try fixture.write(beta.replacingOccurrences(of: "4. Beta", with: "5. Beta"), to: "Content/threats/beta.md")
        let problems = fixture.failingBuild()
        #expect(
            problems.contains {
                $0.location.file == "Content/threats/alpha.md" && $0.location.line == 17
                    && $0.code == "unknown-paragraph"
            }, "\(problems)")
    }

    /// A text edit that moves a link keeps the interface, but the link's warning moves with it.
    @Test func aMovedLinkIsReportedWhereItIsNow() throws {
        let image = "Content/threats/alpha.md"
        let fixture = try SiteFixture(overriding: [
            image: SiteFixture.validFiles[image]!.replacingOccurrences(
                of: "![Drone numbers](table:drone-numbers)", with: "![](table:drone-numbers)")
        ])
        guard case .success(let first) = fixture.build() else { throw BuildFailure.write("first build failed") }
        let line = try #require(first.warnings.first { $0.code == "image-alt-missing" }).location.line
        Thread.sleep(forTimeInterval: 0.01)
        try fixture.write(
            try source(fixture, image).replacingOccurrences(
                of: "2. The table below shows the figures.", with: "2. The table below shows\n   the figures."),
            to: image)
        guard case .success(let second) = fixture.build() else { throw BuildFailure.write("second build failed") }
        #expect(second.incremental == "1 changed file")
        #expect(second.warnings.first { $0.code == "image-alt-missing" }?.location.line == line + 1)
        let fresh = fixture.root.appendingPathComponent("fresh-output")
        guard case .success = build(BuildOptions(root: fixture.root, output: fresh, incremental: false)) else {
            throw BuildFailure.write("full build failed")
        }
        #expect(snapshot(of: fixture.output).mapValues(\.0) == snapshot(of: fresh).mapValues(\.0))
    }
}
