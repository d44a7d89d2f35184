import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalRender
@testable import PortalResolve
@testable import PortalScaffold
@testable import PortalSupport

/// "What changed" on three editions made from the real report (`ThreeEditions`): exactly the
/// edits made are reported, renumbered paragraphs as moved, and the pages link to both editions.
@Suite struct EditionChangesTests {
    static let fixture = Result { try ThreeEditions() }

    func editions() throws -> ThreeEditions { try Self.fixture.get() }

    /// "kind old>new" for every change a reader is shown.
    func visible(_ changes: EditionChanges) -> [String] {
        changes.visibleParagraphs.map { "\($0.kind.rawValue) \($0.old?.number ?? 0)>\($0.new?.number ?? 0)" }
    }

    @Test func theFirstEditionHasNothingToCompareWith() throws {
        let editions = try editions()
        #expect(editions.a.changes == nil)
        #expect(changesPages(editions.a).isEmpty)
    }

    @Test func renumberingIsMovedNotChanged() throws {
        let changes = try #require(try editions().b.changes)
        #expect(visible(changes) == ["changed 31>31", "added 0>148", "moved 148>149", "moved 149>150"])
        let edited = changes.paragraphs.first { $0.new?.number == 31 }!
        #expect(edited.difference.last == WordRun(.inserted, ThreeEditions.paragraph31Addition))
        #expect(edited.difference.filter { $0.kind == .deleted }.isEmpty)
        #expect(changes.counts(inSection: "cross-cutting-capabilities") == (changed: 0, added: 1, removed: 0, moved: 2))
        #expect(changes.counts(inSection: "terrorism") == (changed: 1, added: 0, removed: 0, moved: 0))
    }

    @Test func theCurrentEditionAgainstTheOneBefore() throws {
        let changes = try #require(try editions().c.changes)
        #expect(visible(changes) == ["changed 73>73", "added 0>151"])
        let edited = try #require(changes.paragraphs.first { $0.new?.number == 73 })
        #expect(
            edited.difference.prefix(2) == [
                WordRun(.equal, "Some examples of this"),
                WordRun(.inserted, ", in Test edition C,", spaceBefore: false),
            ])
    }

    @Test func figuresAndCellsThatChanged() throws {
        let editions = try editions()
        let ctsfo = ValueChange.Item.figure(section: "terrorism", label: "CTSFOs in force (establishment 56)")
        let b = try #require(editions.b.changes)
        #expect(b.figures.map(\.item) == [ctsfo])
        #expect((b.figures[0].old, b.figures[0].new) == ("42", "44"))
        #expect(
            b.cells.map(\.item) == [
                .cell(table: "fast-parcel-referrals", row: "Current (YTD)", column: "Fast Parcel referrals")
            ])
        #expect((b.cells[0].old, b.cells[0].new) == ("5500", "5600"))
        let c = try #require(editions.c.changes)
        #expect(c.figures.map { "\($0.old ?? "-")>\($0.new ?? "-")" } == ["44>47"])
        #expect(c.cells.isEmpty)
    }

    @Test func aTrendForTheFigureThatChangesInAllThree() throws {
        let editions = try editions()
        let trends = try #require(editions.c.changes).trends
        #expect(trends.count == 2)
        #expect(trends[0].item == .figure(section: "terrorism", label: "CTSFOs in force (establishment 56)"))
        #expect(trends[0].points.map(\.edition) == ["2023-12", "2024-03", currentEditionLabel])
        #expect(trends[0].points.map(\.value) == ["42", "44", "47"])
        #expect(trends[1].points.map(\.number) == [5500, 5600, 5600])
        // Two editions make no trend.
        #expect(try #require(editions.b.changes).trends.isEmpty)
    }

    @Test func datedCommitmentsWithWhatTheNextEditionSays() throws {
        let editions = try editions()
        let followUps = try #require(editions.b.changes).commitments
        let dated = editions.a.commitments.filter { $0.source.due != nil }
        #expect(followUps.map(\.commitment.id) == dated.map(\.source.id.value))
        #expect(followUps.allSatisfy { $0.stillListed })
        // Only the one the content gives a status says anything; nothing is guessed for the rest.
        #expect(followUps.compactMap(\.status) == [ThreeEditions.status])
        #expect(followUps.first { $0.status != nil }?.commitment.id == "vawg-strategy-2024-2027")
        // The shipped content states no status at all.
        #expect(editions.a.commitments.allSatisfy { $0.source.status == nil })
    }

    @Test func renumberingCheckForTheLead() throws {
        let changes = try #require(try editions().b.changes)
        #expect(changes.renumbering(of: 31) == nil)
        #expect(changes.renumbering(of: 147) == nil)
        let renumbered = try #require(changes.renumbering(of: 148))
        #expect(renumbered.currentText == ThreeEditions.inserted148)
        #expect(renumbered.previousTextNowAt == 149)
        #expect(changes.renumbering(of: 149)?.previousTextNowAt == 150)
    }

    /// The threshold's reason, on the real report: no two of its paragraphs are as alike as an
    /// edited paragraph is to itself, so an unrelated paragraph is never taken for an edit.
    @Test func noTwoParagraphsOfTheReportPassTheThreshold() throws {
        let paragraphs = try editions().a.sections.flatMap(\.paragraphs)
        let counts = paragraphs.map { paragraph in
            paragraph.text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).reduce(
                into: [String: Int]()
            ) { $0[String($1), default: 0] += 1 }
        }
        var highest = 0.0
        for i in counts.indices {
            for j in counts.indices where j > i { highest = max(highest, diceCoefficient(counts[i], counts[j])) }
        }
        #expect(highest < similarityThreshold, "highest \(highest)")
    }

    // MARK: Pages

    /// Every file of the three editions as a site has them: A and B under `editions/<id>/`.
    static let site: Result<[String: String], Error> = Result {
        let editions = try ThreeEditions()
        var files: [String: String] = [:]
        for (graph, folder) in [
            (editions.a, ThreeEditions.a.folder), (editions.b, ThreeEditions.b.folder), (editions.c, ""),
        ] {
            var graph = graph
            graph.editions.currentPages = Set(allPages(editions.c).map(\.path))
            let (rendered, diagnostics) = renderSite(graph)
            if diagnostics.hasErrors { throw ThreeEditions.EditFailed(description: "\(diagnostics)") }
            for file in rendered where file.path.hasSuffix(".html") {
                files[folder + file.path] = String(decoding: file.bytes, as: UTF8.self)
            }
        }
        return files
    }

    @Test func everyChangesPageLinkAndFragmentResolves() throws {
        let site = try Self.site.get()
        let pages = site.keys.filter { $0.contains("changes/") }.sorted()
        #expect(pages.contains("changes/index.html"))
        #expect(pages.contains("editions/2024-03/changes/index.html"))
        #expect(!pages.contains("editions/2023-12/changes/index.html"))
        // One per section of either edition, changed or not.
        #expect(pages.filter { !$0.hasPrefix("editions/") }.count == 10)
        var checked = 0
        for page in pages {
            for href in attributeValues("href", in: site[page]!) where !href.hasPrefix("http") {
                let (path, fragment) = resolve(href, from: page)
                guard path.hasSuffix(".html") else { continue }
                let target = try #require(site[path], "\(page) links to \(href): no such page")
                if let fragment {
                    #expect(target.contains("id=\"\(fragment)\""), "\(page) links to \(href): no #\(fragment)")
                }
                checked += 1
            }
        }
        #expect(checked > 100)
    }

    @Test func sectionPagesLinkToBothEditionsParagraphs() throws {
        let site = try Self.site.get()
        let terrorism = try #require(site["editions/2024-03/changes/terrorism.html"])
        #expect(terrorism.contains("href=\"../../2023-12/threats/terrorism.html#p31\""))
        #expect(terrorism.contains("href=\"../threats/terrorism.html#p31\""))
        #expect(terrorism.contains("<ins><span class=\"visually-hidden\">added: </span>Test edition B:"))
        #expect(terrorism.contains(">Changed</span>"))
        let crossCutting = try #require(site["editions/2024-03/changes/cross-cutting-capabilities.html"])
        #expect(crossCutting.contains(">Moved from 148 to 149</span>"))
        #expect(crossCutting.contains(">Added</span>"))
        let crime = try #require(site["changes/serious-and-organised-crime.html"])
        #expect(crime.contains("href=\"../editions/2024-03/threats/serious-and-organised-crime.html#p73\""))
        #expect(crime.contains("href=\"../threats/serious-and-organised-crime.html#p73\""))
        #expect(
            crime.contains(
                "Some examples of this<ins><span class=\"visually-hidden\">added: </span>, in Test edition C,</ins> are;"
            ))
        let unchanged = try #require(site["changes/public-disorder.html"])
        #expect(unchanged.contains("No numbered paragraph of this section changed since 2024-03."))
    }

    @Test func theReportPageShowsFiguresTrendsAndCommitments() throws {
        let site = try Self.site.get()
        let page = try #require(site["changes/index.html"])
        #expect(page.contains("<h1>What changed since Test edition B (2024-03)</h1>"))
        #expect(page.contains("<th scope=\"row\">CTSFOs in force (establishment 56)</th>"))
        #expect(page.contains("<td class=\"num\">44</td><td class=\"num\">47</td>"))
        #expect(page.contains("role=\"img\""))
        #expect(page.contains("<desc id=\"trend-1-svg-desc\">42 in 2023-12, 44 in 2024-03, 47 in Current</desc>"))
        #expect(page.contains(ThreeEditions.status))
        #expect(page.contains("No status given"))
        let older = try #require(site["editions/2024-03/changes/index.html"])
        #expect(older.contains("<td class=\"num\">42</td><td class=\"num\">44</td>"))
        #expect(!older.contains("role=\"img\""))  // two editions: no trend
        #expect(site["index.html"]!.contains("What changed since Test edition B (2024-03)</a>"))
        #expect(
            site["threats/terrorism.html"]!.contains("href=\"../changes/terrorism.html\">What changed in this section"))
        #expect(!site["editions/2023-12/index.html"]!.contains("What changed since"))
    }

    @Test func differencesAreMarkedInWordsNotOnlyByColour() {
        let runs = wordDifference(from: "Due in March <2024>.", to: "Due in May <2024>, as planned.")
        #expect(
            differenceHTML(runs)
                == "Due in <del><span class=\"visually-hidden\">removed: </span>March</del> "
                + "<ins><span class=\"visually-hidden\">added: </span>May</ins> &lt;2024&gt;"
                + "<ins><span class=\"visually-hidden\">added: </span>, as planned</ins>.")
    }

    /// Paragraphs are matched across the report, so a text-only edit of one section can change
    /// another section's changes page: an incremental rebuild gives what a full build gives.
    @Test func anEditElsewhereThatTakesASectionsOldTextRebuildsItsPage() throws {
        let beta =
            SiteFixture.validFiles["Content/threats/beta.md"]!
            + "\n\n5. Beta's plain paragraph says the budget will grow next year.\n"
        let gamma = """
            ---
            title: Gamma threat
            order: 3
            summary: Gamma.
            ---

            6. Gamma's plain paragraph is about something else entirely.

            """
        let fixture = try SiteFixture(overriding: ["Content/threats/beta.md": beta, "Content/threats/gamma.md": gamma])
        guard
            case .success = recordEdition(
                folders: SiteFolders(root: fixture.root), id: "2023-12", title: "December paper", date: nil)
        else {
            Issue.record("recording failed")
            return
        }
        try fixture.write(
            beta.replacingOccurrences(of: "will grow", with: "will grow a little"), to: "Content/threats/beta.md")
        guard case .success = fixture.build() else {
            Issue.record("the next paper must build")
            return
        }
        #expect(try fixture.read("changes/beta.html").contains("Changed"))
        // Gamma's paragraph now says what beta's paragraph 5 said: a text-only edit of gamma.
        try fixture.write(
            gamma.replacingOccurrences(
                of: "Gamma's plain paragraph is about something else entirely.",
                with: "Beta's plain paragraph says the budget will grow next year."),
            to: "Content/threats/gamma.md")
        guard case .success(let rebuild) = fixture.build() else {
            Issue.record("the edit must build")
            return
        }
        #expect(rebuild.incremental != nil, "\(rebuild.fullBuildReason ?? "")")
        let full = fixture.root.appendingPathComponent("full")
        guard case .success = PortalBuild.build(BuildOptions(root: fixture.root, output: full, incremental: false))
        else {
            Issue.record("the full build must succeed")
            return
        }
        let expected = try String(contentsOf: full.appendingPathComponent("changes/beta.html"), encoding: .utf8)
        #expect(expected.contains("Moved from 5 to 6, to Gamma threat"))
        #expect(try fixture.read("changes/beta.html") == expected)
    }

    /// `href="..."` values, entities decoded as far as links here use them.
    private func attributeValues(_ name: String, in html: String) -> [String] {
        html.components(separatedBy: "\(name)=\"").dropFirst().compactMap {
            $0.split(separator: "\"", maxSplits: 1).first.map { $0.replacingOccurrences(of: "&amp;", with: "&") }
        }
    }

    /// A relative link from a page, as a path from the site's root and a fragment.
    private func resolve(_ href: String, from page: String) -> (String, String?) {
        let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var folders = page.split(separator: "/").dropLast().map(String.init)
        if parts[0].isEmpty { return (page, parts.count > 1 ? parts[1] : nil) }
        for part in parts[0].split(separator: "/") {
            if part == ".." { folders.removeLast() } else if part != "." { folders.append(String(part)) }
        }
        return (folders.joined(separator: "/"), parts.count > 1 ? parts[1] : nil)
    }
}
