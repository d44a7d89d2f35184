import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalMarkdown
@testable import PortalPublish
@testable import PortalRender
@testable import PortalResolve
@testable import PortalScaffold
@testable import PortalServe
@testable import PortalSupport
@testable import PortalTemplates
@testable import PortalWrite

/// Incremental builds: a no-op does nothing, a text-only edit renders again just the pages that
/// read the text, and every result is byte-identical to a full build of the same content.
@Suite("Incremental builds")
struct IncrementalTests {
    func built(_ fixture: SiteFixture, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> BuildReport
    {
        switch fixture.build() {
        case .success(let report): return report
        case .failure(let failure):
            Issue.record("build failed: \(failure)", sourceLocation: sourceLocation)
            throw failure
        }
    }

    /// A site built once, then one capability's text edited (its interface kept).
    func builtThenTextEdited() throws -> SiteFixture {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        Thread.sleep(forTimeInterval: 0.01)
        try fixture.write(
            SiteFixture.validFiles["Content/capabilities/drones.md"]!.replacingOccurrences(
                of: "Drones are described", with: "Drones are well described"), to: "Content/capabilities/drones.md")
        return fixture
    }

    /// The same content built from nothing, to compare with what the incremental build left.
    func expectSameAsFullBuild(_ fixture: SiteFixture, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let fresh = fixture.root.appendingPathComponent("fresh-output")
        guard case .success = build(BuildOptions(root: fixture.root, output: fresh, incremental: false)) else {
            Issue.record("full build failed", sourceLocation: sourceLocation)
            return
        }
        let a = snapshot(of: fixture.output).mapValues(\.0)
        let b = snapshot(of: fresh).mapValues(\.0)
        #expect(a == b, "incremental output differs from a full build", sourceLocation: sourceLocation)
    }

    @Test func noOpRebuildTouchesNothing() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        let before = snapshot(of: fixture.output)
        let report = try built(fixture)
        #expect(report.incremental == "up to date")
        #expect(report.write.written.isEmpty)
        #expect(sameSnapshot(before, snapshot(of: fixture.output)))
    }

    @Test func textEditRewritesOnlyThePagesShowingIt() throws {
        let fixture = try builtThenTextEdited()
        let report = try built(fixture)
        #expect(report.incremental == "1 changed file")
        #expect(report.write.written == ["capabilities/drones.html"])
        #expect(try fixture.read("capabilities/drones.html").contains("well described"))
        expectSameAsFullBuild(fixture)
    }

    /// An edit no page shows (white space Markdown ignores) renders the pages that read the file
    /// and writes none of them.
    @Test func editNoPageShowsWritesNothing() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        let before = snapshot(of: fixture.output)
        let drones = SiteFixture.validFiles["Content/capabilities/drones.md"]!
        try fixture.write(drones + "\n\n", to: "Content/capabilities/drones.md")
        let report = try built(fixture)
        #expect(report.incremental == "1 changed file")
        #expect(report.write.written.isEmpty)
        #expect(sameSnapshot(before, snapshot(of: fixture.output)))
        expectSameAsFullBuild(fixture)
    }

    @Test func structuralEditFallsBackToAFullBuild() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        try fixture.write(
            SiteFixture.validFiles["Content/capabilities/drones.md"]!.replacingOccurrences(
                of: "title: Drones", with: "title: Aerial drones"), to: "Content/capabilities/drones.md")
        let report = try built(fixture)
        #expect(report.incremental == nil)
        #expect(report.write.written.contains("capabilities/drones.html"))
        #expect(report.write.written.contains("threats/alpha.html"))  // lists the capability by title
        expectSameAsFullBuild(fixture)
    }

    @Test func dataEditFallsBackToAFullBuild() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        try fixture.write("- id: alpha-board\n  name: Alpha Oversight Board\n", to: "Content/data/boards.yaml")
        let report = try built(fixture)
        #expect(report.incremental == nil)
        #expect(try fixture.read("reference/boards.html").contains("Alpha Oversight Board"))
        expectSameAsFullBuild(fixture)
    }

    @Test func failedBuildThenFixRecovers() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        let good = SiteFixture.validFiles["Content/capabilities/drones.md"]!
        let before = snapshot(of: fixture.output)
        try fixture.write(good + "\nSee [x](capability:nope).\n", to: "Content/capabilities/drones.md")
        guard case .failure = fixture.build() else {
            Issue.record("a broken link must fail the incremental build too")
            return
        }
        #expect(sameSnapshot(before, snapshot(of: fixture.output)), "a failed rebuild touched the output")
        try fixture.write(
            good.replacingOccurrences(of: "are described", with: "are now described"),
            to: "Content/capabilities/drones.md")
        _ = try built(fixture)
        #expect(try fixture.read("capabilities/drones.html").contains("now described"))
        expectSameAsFullBuild(fixture)
    }

    @Test func deletedOutputIsRebuilt() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        try FileManager.default.removeItem(at: fixture.output)
        let report = try built(fixture)
        #expect(report.incremental == nil)
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("index.html").path))
    }

    @Test func stateRoundTrips() throws {
        var state = BuildState(
            executable: "x", output: "/o", global: "g", marker: FileStamp(size: 1, modified: 2), sources: SourceTable(),
            warnings: [],
            summary: BuildCounts(pages: 3, capabilities: 1, tables: 1, paragraphs: 4, references: 5, files: 9))
        state.sources.append(
            "Content/threats/a.md",
            // Nanosecond times have 19 digits.
            BuildState.SourceState(stamp: FileStamp(size: 10, modified: 1_764_340_000_123_456_789), interface: "abc"))
        state.warnings = [.warning("w", "message", hint: "hint", at: .init(file: "f"))]
        let decoded = try #require(BuildState.decode(state.encoded()))
        #expect(decoded.warnings.first?.hint == "hint")
        #expect(decoded.summary == state.summary)
        #expect(decoded.sources == state.sources)
        #expect(BuildState.decode(Array(state.encoded().dropLast(5))) == nil)
        let garbled = String(decoding: state.encoded(), as: UTF8.self).replacingOccurrences(
            of: "\t10\t", with: "\t1x\t")
        #expect(BuildState.decode(Array(garbled.utf8)) == nil)
    }

    @Test func recordedInputsRoundTrip() throws {
        let inputs = RecordedInputs(
            reads: [
                "threats/a.html": [.site, .body("Content/threats/a.md")],
                "capabilities/c.html": [.site, .body("Content/capabilities/c.md"), .paragraph(12)],
                "search/index.js": [.site, .paragraphs("Content/threats/a.md"), .searchTexts("Content/threats/a.md")],
                "reference/glossary.html": [.site, .acronymUses("Content/threats/a.md")],
                "home.html": [.site],
            ],
            facts: [
                "Content/threats/a.md": .init(body: 0xdead_beef, paragraphs: [12: 7, 13: 0xffff_ffff_ffff_ffff]),
                "Content/capabilities/c.md": .init(body: 1, paragraphs: [:]),
            ],
            derived: [.searchTexts("Content/threats/a.md"): 3, .acronymUses("Content/threats/a.md"): 0])
        let encoded = inputs.encoded()
        #expect(RecordedInputs.decode(encoded) == inputs)
        #expect(RecordedInputs.decode(Array(encoded.dropLast(4))) == nil)
        // Any byte changed, or another version's file, is no record at all.
        for position in stride(from: 0, to: encoded.count, by: 7) {
            var flipped = encoded
            flipped[position] ^= 0x20
            #expect(RecordedInputs.decode(flipped) == nil)
        }
        #expect(RecordedInputs.decode(Array("portal-inputs 1\nend\n".utf8)) == nil)
    }

    /// Facts read back stay as bytes until asked for; a rebuild sets a few and writes the rest
    /// back as they were, in path order, so reading again gives every fact as set.
    @Test func recordedFactsUpdatedAfterReadingRoundTrip() throws {
        var expected: [String: RecordedInputs.SourceFacts] = [:]
        for n in 0..<50 {
            expected["Content/threats/t\(n * 2).md"] = .init(body: UInt64(n), paragraphs: [n: UInt64(n) * 3, 99: 1])
        }
        let read = try #require(RecordedInputs.decode(RecordedInputs(facts: RecordedFacts(expected)).encoded()))
        #expect(read.facts == RecordedFacts(expected))
        #expect(read.facts["Content/threats/t8.md"] == expected["Content/threats/t8.md"])
        #expect(read.facts["Content/threats/t9.md"] == nil)
        var updated = read
        // One changed, one new between two read ones, one new after them all.
        for (file, body) in [("Content/threats/t8.md", 800), ("Content/threats/t81.md", 81), ("Content/z.md", 7)] {
            let fact = RecordedInputs.SourceFacts(body: UInt64(body), paragraphs: [1: 2])
            updated.facts[file] = fact
            expected[file] = fact
        }
        let again = try #require(RecordedInputs.decode(updated.encoded()))
        #expect(again.facts == RecordedFacts(expected))
        #expect(again.facts["Content/threats/t81.md"]?.body == 81)
        #expect(again.facts["Content/threats/t10.md"] == expected["Content/threats/t10.md"])
    }

    /// Reads read back are searched as bytes: the pages found are those whose sets meet the
    /// inputs, and pages rendered again replace theirs when written back.
    @Test func recordedReadsSearchedAndUpdatedAfterReadingRoundTrip() throws {
        var expected: [String: Set<PageInput>] = [:]
        for n in 0..<40 {
            expected["threats/t\(n).html"] = [.site, .body("Content/threats/t\(n).md"), .paragraph(n)]
        }
        expected["search/index.js"] = [.site, .searchTexts("Content/threats/t3.md")]
        expected["home.html"] = [.site]
        let read = try #require(RecordedInputs.decode(RecordedInputs(reads: RecordedReads(expected)).encoded()))
        #expect(read.reads == RecordedReads(expected))
        for inputs: Set<PageInput> in [
            [.paragraph(7)], [.body("Content/threats/t12.md"), .searchTexts("Content/threats/t3.md")],
            [.paragraphs("Content/threats/t1.md")], [.site],
        ] {
            let sets = Set(expected.filter { !$0.value.isDisjoint(with: inputs) }.keys)
            #expect(read.reads.pages(readingAnyOf: inputs) == sets, "\(inputs)")
        }
        var updated = read
        let rendered: [String: Set<PageInput>] = [
            "threats/t7.html": [.site, .body("Content/threats/t7.md")], "threats/t7b.html": [.site, .paragraph(70)],
        ]
        updated.reads.merge(rendered)
        expected.merge(rendered) { _, new in new }
        let again = try #require(RecordedInputs.decode(updated.encoded()))
        #expect(again.reads == RecordedReads(expected))
        #expect(again.reads.pages(readingAnyOf: [.paragraph(7)]).isEmpty)
        #expect(again.reads.pages(readingAnyOf: [.paragraph(70)]) == ["threats/t7b.html"])
    }

    /// A rebuild writes only what it changed, against the file it read (`inputs-changes`); read
    /// back over that file it gives every entry as set, over another file or damaged nothing,
    /// and changes grown large are written whole instead.
    @Test func recordedChangesApplyOnlyToTheFileTheyWereMadeAgainst() throws {
        var facts: [String: RecordedInputs.SourceFacts] = [:]
        var reads: [String: Set<PageInput>] = [:]
        for n in 0..<200 {
            facts["Content/threats/t\(n).md"] = .init(body: UInt64(n), paragraphs: [n: UInt64(n) * 3])
            reads["threats/t\(n).html"] = [.site, .body("Content/threats/t\(n).md"), .paragraph(n)]
        }
        let whole = RecordedInputs(
            reads: RecordedReads(reads), facts: RecordedFacts(facts),
            derived: [.searchTexts("Content/threats/t1.md"): 9])
        #expect(whole.encodedChanges() == nil, "inputs not read from a file are written whole")
        let read = try #require(RecordedInputs.decode(whole.encoded()))
        var updated = read
        updated.facts["Content/threats/t7.md"] = .init(body: 70, paragraphs: [7: 1])
        updated.facts["Content/threats/new.md"] = .init(body: 1, paragraphs: [:])
        updated.reads.merge(["threats/t7.html": [.site, .paragraph(700)]])
        updated.derived[.searchTexts("Content/threats/t1.md")] = 10
        let changes = try #require(updated.encodedChanges())
        let applied = try #require(read.applying(changes: changes))
        #expect(applied == updated)
        #expect(applied.reads.pages(readingAnyOf: [.paragraph(700)]) == ["threats/t7.html"])
        #expect(applied.reads.pages(readingAnyOf: [.paragraph(7)]).isEmpty)
        // Changed again, then written whole: the same entries as the changes gave.
        var twice = applied
        twice.facts["Content/threats/t8.md"] = .init(body: 80, paragraphs: [:])
        let twiceChanges = try #require(twice.encodedChanges())
        let again = try #require(read.applying(changes: twiceChanges))
        #expect(again == twice)
        #expect(RecordedInputs.decode(twice.encoded()) == twice)
        // Against another file, cut short or damaged: no record.
        var other = try #require(RecordedInputs.decode(updated.encoded()))
        other.facts["x"] = .init(body: 0, paragraphs: [:])
        #expect(other.applying(changes: changes) == nil)
        #expect(read.applying(changes: Array(changes.dropLast(3))) == nil)
        var flipped = changes
        flipped[flipped.count / 2] ^= 0x20
        #expect(read.applying(changes: flipped) == nil)
        // Changes past an eighth of the file (and 64 KB): written whole.
        var most = read
        let paragraphs = Dictionary(uniqueKeysWithValues: (0..<20).map { ($0, UInt64($0)) })
        for n in 0..<1000 { most.facts["Content/threats/n\(n).md"] = .init(body: 1, paragraphs: paragraphs) }
        #expect(most.encodedChanges() == nil)
    }

    /// Pages record what they read as they are rendered: their own body, the paragraphs they
    /// quote, every paragraph for the search index and the glossary.
    @Test func pagesRecordWhatTheyRead() throws {
        let fixture = try SiteFixture()
        let graph = try #require(loadAndResolve(root: fixture.root).0)
        let output = renderSiteStreaming(graph) { _ in }
        let alpha = "Content/threats/alpha.md"
        #expect(output.reads["threats/alpha.html"] == [.site, .body(alpha)])
        #expect(output.reads["capabilities/drones.html"]?.contains(.body("Content/capabilities/drones.md")) == true)
        // The search index and the glossary read what they derive from the texts, not the texts.
        let sections = Set(graph.sections.map { PageInput.searchTexts($0.source.file) })
        #expect(output.reads[searchIndexPath] == sections.union([.site]))
        let uses = Set(graph.sections.map { PageInput.acronymUses($0.source.file) })
        #expect(output.reads["reference/glossary.html"] == uses.union([.site]))
        // Each recorded with the fingerprint the next build compares with.
        let index = AbbreviationIndex(graph.glossary)
        for section in graph.sections {
            for (input, hash) in sectionReadFacts(section, graph: graph, index: index) {
                #expect(output.fingerprints[input] == hash, "\(input)")
            }
        }
        // Every capability page that quotes a paragraph recorded that paragraph, and nothing else.
        for capability in graph.capabilities {
            let quoted = Set((graph.citations[.capability(capability.slug)] ?? []).compactMap(\.paragraph))
            let recorded = Set(
                (output.reads[PageID.capability(capability.slug).path] ?? []).compactMap { input -> Int? in
                    if case .paragraph(let number) = input { return number }
                    return nil
                })
            #expect(recorded == quoted, "\(capability.slug)")
        }
    }
}

extension IncrementalTests {
    /// The real report: editing the text of paragraph 66 changes exactly the pages that show it.
    @Test func oneParagraphEditOnTheRealContent() throws {
        let root = scratchFolder("portal-real")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["Content", "Themes"] {
            try FileManager.default.copyItem(
                at: repositoryRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        let options = BuildOptions(root: root)
        guard case .success = build(options) else {
            Issue.record("the real content must build")
            return
        }
        let file = root.appendingPathComponent("Content/threats/terrorism.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "currently sit at 42,", with: "currently sit at 42 (as of December),")
        #expect(edited != text)
        try edited.write(to: file, atomically: true, encoding: .utf8)

        guard case .success(let report) = build(options) else {
            Issue.record("the edited content must build")
            return
        }
        #expect(report.incremental == "1 changed file")
        #expect(
            report.write.written == [
                "capabilities/armed-policing.html", "report/index.html", "search/index.js", "threats/terrorism.html",
            ])
        let fresh = root.appendingPathComponent("fresh")
        guard case .success = build(BuildOptions(root: root, output: fresh, incremental: false)) else {
            Issue.record("full build failed")
            return
        }
        let a = snapshot(of: root.appendingPathComponent("Public")).mapValues(\.0)
        let b = snapshot(of: fresh).mapValues(\.0)
        // No page carries splice markers any more: rebuilds render pages, they do not patch them.
        let marked = b.filter { String(decoding: $0.value, as: UTF8.self).contains("<!--portal") }.keys
        #expect(marked.isEmpty, "pages with markers: \(marked.sorted())")
        #expect(
            a == b,
            "incremental output differs from a full build: \(Set(a.keys).symmetricDifference(b.keys)) \(a.keys.filter { a[$0] != b[$0] })"
        )
    }
}

/// Edits that keep a file's size and put its modification time back, as `cp -p`, `rsync -t`,
/// `tar x` and backup restores do: stamps hold a hash of the bytes, so each is still seen.
extension IncrementalTests {
    /// Replaces `old` with `new` (same length) in a file and sets its times back to what they were.
    func editKeepingSizeAndTime(
        _ fixture: SiteFixture, _ path: String, replacing old: String, with new: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws {
        #expect(old.utf8.count == new.utf8.count, sourceLocation: sourceLocation)
        let full = fixture.root.appendingPathComponent(path).path
        var info = stat()
        #expect(stat(full, &info) == 0, sourceLocation: sourceLocation)
        let text = try String(contentsOfFile: full, encoding: .utf8)
        let edited = text.replacingOccurrences(of: old, with: new)
        #expect(edited != text && edited.utf8.count == text.utf8.count, sourceLocation: sourceLocation)
        try fixture.write(edited, to: path)
        var times = [info.st_atim, info.st_mtim]
        #expect(utimensat(AT_FDCWD, full, &times, 0) == 0, sourceLocation: sourceLocation)
        var after = stat()
        _ = stat(full, &after)
        #expect(after.st_size == info.st_size, sourceLocation: sourceLocation)
        #expect(
            after.st_mtim.tv_sec == info.st_mtim.tv_sec && after.st_mtim.tv_nsec == info.st_mtim.tv_nsec,
            sourceLocation: sourceLocation)
    }

    @Test(
        arguments: [
            // A text-only edit of a capability: a rebuild of the pages that read it.
            ("Content/capabilities/drones.md", "are described", "are DEscribed", "capabilities/drones.html"),
            // A section's text, and its heading: a rebuild, then a full build.
            ("Content/threats/beta.md", "as well", "AS WELL", "threats/beta.html"),
            ("Content/threats/alpha.md", "## Later questions", "## Later QUESTIONS", "threats/alpha.html"),
            // Front matter, data, a table cell, the theme.
            ("Content/threats/beta.md", "summary: Beta.", "summary: Zeta.", "index.html"),
            ("Content/data/boards.yaml", "Alpha Board", "Omega Board", "reference/boards.html"),
            (
                "Content/data/tables/drone-numbers.csv", "Pilots,4,1.5,5.5", "Pilots,3,2.5,5.5",
                "tables/drone-numbers.html"
            ),
            ("Themes/default/templates/layout.mustache", "</body>", "</BODY>", "index.html"),
        ])
    func sameSizeEditWithRestoredTimeIsSeen(path: String, old: String, new: String, page: String) throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        let before = try fixture.read(page)
        try editKeepingSizeAndTime(fixture, path, replacing: old, with: new)
        let report = try built(fixture)
        #expect(report.incremental != "up to date")
        #expect(try fixture.read(page) != before, "\(page) kept the old content")
        expectSameAsFullBuild(fixture)
    }

    /// The same when the last build came well after the files last changed, so its stamps are
    /// trusted without reading the files: the change time the edit leaves gives it away.
    @Test func sameSizeEditWithRestoredTimeIsSeenWhenStampsAreTrusted() throws {
        let fixture = try SiteFixture()
        sleep(2)  // the files now changed well before the state the build writes
        _ = try built(fixture)
        #expect(try built(fixture).incremental == "up to date")
        let before = try fixture.read("capabilities/drones.html")
        try editKeepingSizeAndTime(
            fixture, "Content/capabilities/drones.md", replacing: "Unmanned aircraft.", with: "Unmanned airships.")
        let report = try built(fixture)
        #expect(report.incremental != "up to date")
        #expect(try fixture.read("capabilities/drones.html") != before, "the old page was kept")
        expectSameAsFullBuild(fixture)
    }

    /// A first build reads each source once and stamps it with the hash of those bytes: the state
    /// it saves holds, for every source, what a stamp that reads the file gives.
    @Test func aFirstBuildStampsEachSourceWithTheBytesItRead() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        let state = try #require(BuildState.read(root: fixture.root))
        #expect(!state.sources.isEmpty)
        for (path, source) in state.sources.all {
            let read = try #require(
                FileStamp.ofSource(fixture.root.path + "/" + path, previous: nil, trustedBefore: nil))
            #expect(source.stamp == read, "\(path)")
            #expect(source.stamp.content != 0, "\(path)")
        }
        let stamps = InputStamps.take(root: fixture.root)
        #expect(!stamps.hashed)
        #expect(stamps.stamps.allSatisfy { $0?.content == 0 })
        #expect(try built(fixture).incremental == "up to date")
    }

    /// The state's lines are kept as they were read: replacing one gives what a table made
    /// afresh would, and a source is found wherever the hint points.
    @Test func aSourceTableReplacesOneLineAndKeepsTheRest() throws {
        let sources = (0..<3).map { number in
            (
                "Content/threats/t\(number).md",
                BuildState.SourceState(
                    stamp: FileStamp(size: Int64(number), modified: 5, content: 7), interface: "i\(number)")
            )
        }
        var table = SourceTable()
        for (path, source) in sources { table.append(path, source) }
        let changed = BuildState.SourceState(stamp: FileStamp(size: 99, modified: -6, content: 8), interface: "new")
        let replaced = table.replacing([1: (sources[1].0, changed)])
        var fresh = SourceTable()
        for (position, (path, source)) in sources.enumerated() { fresh.append(path, position == 1 ? changed : source) }
        #expect(replaced == fresh)
        #expect(replaced.source(sources[1].0, near: 1) == changed)
        #expect(replaced.source(sources[2].0, near: 0) == sources[2].1)
        #expect(replaced.source("Content/threats/t9.md", near: 1) == nil)
        var state = BuildState(
            executable: "x", output: "/o", global: "g", marker: nil, sources: replaced, warnings: [],
            summary: BuildCounts())
        state.marker = FileStamp(size: 1, modified: 2)
        let decoded = try #require(BuildState.decode(state.encoded()))
        #expect(decoded.sources == replaced)
        #expect(decoded.sources.all.map(\.path) == sources.map(\.0))
    }

    /// A state that lists the sources in another order than the walk (an older portal's, sorted)
    /// is still compared file by file: the edit is found, and the state saved after it is in the
    /// walk's order again.
    @Test func aStateInAnotherOrderStillFindsTheEdit() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        let path = BuildState.folder(root: fixture.root).appendingPathComponent("state").path
        var state = try #require(BuildState.read(root: fixture.root))
        var reversed = SourceTable()
        for (file, source) in state.sources.all.reversed() { reversed.append(file, source) }
        state.sources = reversed
        try writeFileAtomically(state.encoded(), to: path)
        let walk = ContentFiles(root: fixture.root).markdown
        #expect(state.sources.all.map(\.path) != walk)
        Thread.sleep(forTimeInterval: 0.01)
        try fixture.write(
            SiteFixture.validFiles["Content/capabilities/drones.md"]!.replacingOccurrences(
                of: "Drones are described", with: "Drones are well described"), to: "Content/capabilities/drones.md")
        #expect(try built(fixture).incremental == "1 changed file")
        #expect(try #require(BuildState.read(root: fixture.root)).sources.all.map(\.path) == walk)
        #expect(try built(fixture).incremental == "up to date")
        expectSameAsFullBuild(fixture)
    }

    /// A rebuild keeps the last state's sources but for the files it found changed: what it saves
    /// is what a full build of the same files records.
    @Test func aRebuildSavesTheStateAFullBuildWould() throws {
        let fixture = try builtThenTextEdited()
        #expect(try built(fixture).incremental == "1 changed file")
        let rebuilt = try #require(BuildState.read(root: fixture.root))
        guard case .success = build(BuildOptions(root: fixture.root, output: fixture.output, incremental: false))
        else {
            Issue.record("full build failed")
            return
        }
        let full = try #require(BuildState.read(root: fixture.root))
        #expect(rebuilt.sources == full.sources)
        #expect(rebuilt.sources["Content/capabilities/drones.md"] != nil)
    }

    /// A rebuild writes the recorded inputs' changes beside the file the last full build wrote,
    /// which it leaves as it was; the next rebuild reads both and finds its edit; a full build
    /// writes the whole again and removes the changes.
    @Test func aRebuildWritesOnlyTheChangesToTheRecordedInputs() throws {
        let fixture = try builtThenTextEdited()
        let paths = RecordedInputs.Paths(folder: BuildState.folder(root: fixture.root))
        let whole = try #require(readFileBytes(paths.whole))
        #expect(FileStamp.of(paths.changes) == nil)
        #expect(try built(fixture).incremental == "1 changed file")
        #expect(readFileBytes(paths.whole) == whole)
        #expect(FileStamp.of(paths.changes) != nil)
        Thread.sleep(forTimeInterval: 0.01)
        try fixture.write(
            SiteFixture.validFiles["Content/capabilities/drones.md"]!.replacingOccurrences(
                of: "Drones are described", with: "Drones are very well described"),
            to: "Content/capabilities/drones.md")
        #expect(try built(fixture).incremental == "1 changed file")
        #expect(readFileBytes(paths.whole) == whole)
        expectSameAsFullBuild(fixture)
        #expect(FileStamp.of(paths.changes) == nil)
        #expect(readFileBytes(paths.whole) != nil)
    }

    /// A text-only edit takes the graph's structure from the last build's snapshot, loading only
    /// the changed file, and writes what a full build would.
    @Test func aTextEditTakesTheGraphFromTheSnapshot() throws {
        let fixture = try builtThenTextEdited()
        let report = try built(fixture)
        #expect(report.incremental == "1 changed file")
        #expect(report.stages.map(\.stage).contains("load and resolve the changed files"))
        #expect(!report.stages.map(\.stage).contains("load"))
        expectSameAsFullBuild(fixture)
    }

    /// A text edit in a git checkout runs no git process: the history is the snapshot's, which
    /// a commit would have replaced (HEAD moves, and the build is full). The dates stay.
    @Test func aTextEditKeepsGitsDatesFromTheSnapshot() throws {
        let fixture = try SiteFixture()
        guard git(["init", "-q"], in: fixture.root) else { return }  // no git here: nothing to test
        #expect(git(["add", "Content"], in: fixture.root))
        #expect(
            git(
                ["-c", "user.name=Jane Smith", "-c", "user.email=j@example.org", "commit", "-q", "-m", "Content"],
                in: fixture.root, date: "2024-03-05T10:00:00+00:00"))
        _ = try built(fixture)
        Thread.sleep(forTimeInterval: 0.01)
        try fixture.write(
            SiteFixture.validFiles["Content/capabilities/drones.md"]!.replacingOccurrences(
                of: "Drones are described", with: "Drones are well described"), to: "Content/capabilities/drones.md")
        let report = try built(fixture)
        #expect(report.stages.map(\.stage).contains("load and resolve the changed files"))
        let page = try fixture.read("capabilities/drones.html")
        #expect(page.contains("well described") && page.contains("5 March 2024</time> by Jane Smith"))
        expectSameAsFullBuild(fixture)
    }

    /// A snapshot that does not decode (damaged, or of another state) is never used: the rebuild
    /// loads and resolves everything, and its output is still a full build's.
    @Test func aDamagedSnapshotMeansEverythingIsResolved() throws {
        let fixture = try builtThenTextEdited()
        let path = fixture.root.appendingPathComponent(".portal-cache/graph").path
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        let report = try built(fixture)
        #expect(report.incremental == "1 changed file")
        #expect(report.stages.map(\.stage).contains("load"))
        expectSameAsFullBuild(fixture)
    }

    /// A part of the snapshot that does not decode when a page first reads it (here the edited
    /// capability's links, in a snapshot whose checksum holds) makes the build discard what it
    /// rendered and run again in full: what it writes is still a full build's.
    @Test func aSnapshotPartThatDoesNotDecodeRunsTheBuildAgain() throws {
        let fixture = try builtThenTextEdited()
        let path = fixture.root.appendingPathComponent(".portal-cache/graph").path
        var bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
        let snapshot = try #require(decodedSnapshot(bytes, buildID: executableStamp()))
        let shell = try #require(snapshot.capabilities.first { $0.file == "Content/capabilities/drones.md" })
        bytes[shell.rest.lowerBound] = 0x7F
        let body = bytes.count - 8
        let sum = bytes[..<body].withUnsafeBytes(contentHash)
        withUnsafeBytes(of: sum.littleEndian) { bytes.replaceSubrange(body..., with: $0) }
        #expect(decodedSnapshot(bytes, buildID: executableStamp()) != nil)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let report = try built(fixture)
        #expect(report.incremental == "1 changed file")
        #expect(report.stages.map(\.stage).contains("load"))
        expectSameAsFullBuild(fixture)
    }

    /// Files added to or removed from the theme or the data, whatever their times.
    @Test func addedAndRemovedInputsAreSeen() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        try fixture.write(
            "Measure,Count\nBoats,7\n", to: "Content/data/tables/boats.csv")
        try fixture.write("caption: Boats\nparagraphs: [4]\n", to: "Content/data/tables/boats.yaml")
        #expect(try built(fixture).incremental == nil)
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("tables/boats.html").path))
        try fixture.remove("Content/data/tables/boats.csv")
        try fixture.remove("Content/data/tables/boats.yaml")
        #expect(try built(fixture).incremental == nil)
        #expect(
            !FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("tables/boats.html").path))
        expectSameAsFullBuild(fixture)
    }

    /// An output folder put back from a copy that kept times (an older build, say) is not trusted
    /// as the last build's: its marker has a new inode and change time.
    @Test func outputRestoredFromACopyIsRebuilt() throws {
        let fixture = try SiteFixture()
        _ = try built(fixture)
        let copy = fixture.root.appendingPathComponent("copy")
        let drones = "Content/capabilities/drones.md"
        try fixture.write(
            SiteFixture.validFiles[drones]!.replacingOccurrences(of: "are described", with: "are newly described"),
            to: drones)
        _ = try built(fixture)
        // Public/ as the first build left it, restored with its times.
        try fixture.write(SiteFixture.validFiles[drones]!, to: drones)
        _ = try built(fixture)
        let cp = Process()
        cp.executableURL = URL(fileURLWithPath: "/bin/cp")
        cp.arguments = ["-a", fixture.output.path, copy.path]
        try cp.run()
        cp.waitUntilExit()
        try fixture.write(
            SiteFixture.validFiles[drones]!.replacingOccurrences(of: "are described", with: "are newly described"),
            to: drones)
        _ = try built(fixture)
        try FileManager.default.removeItem(at: fixture.output)
        try FileManager.default.moveItem(at: copy, to: fixture.output)
        let report = try built(fixture)
        #expect(report.incremental == nil)
        #expect(try fixture.read("capabilities/drones.html").contains("newly described"))
    }
}

extension IncrementalTests {
    /// Every change of one byte, at every offset of buffers around the 8- and 32-byte steps of
    /// the hash, changes the hash; equal bytes hash equal; length counts.
    @Test func contentHashSeesEveryOneByteChange() {
        for count in [0, 1, 7, 8, 9, 31, 32, 33, 64, 100] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let hash = bytes.withUnsafeBytes(contentHash)
            #expect(hash == Array(bytes).withUnsafeBytes(contentHash))
            #expect(hash != (bytes + [0]).withUnsafeBytes(contentHash), "length \(count) + a zero byte")
            for offset in 0..<count {
                var edited = bytes
                edited[offset] ^= 0x20
                #expect(hash != edited.withUnsafeBytes(contentHash), "length \(count), offset \(offset)")
            }
        }
    }
}

extension IncrementalTests {
    /// A number is combined as its decimal spelling, exactly as that string would be: stored
    /// keys and fingerprints do not change with how the digits are made.
    @Test func aNumberHashesAsItsDecimalText() {
        for number in [0, 1, -1, 9, 10, 99, 100, 12345, -67890, Int.max, Int.min, Int.max - 1, Int.min + 1] {
            var byNumber = StableHasher()
            byNumber.combine(number)
            byNumber.combine(7)
            var byText = StableHasher()
            byText.combine(String(number))
            byText.combine("7")
            #expect(byNumber.value == byText.value, "\(number)")
        }
    }
}

/// The recorder is complete: on the real report, an edit of a file's paragraph texts that keeps
/// its interface changes only pages that recorded reading that file's text. A page builder that
/// read text past `RenderContext` would show here as a changed page with no such record.
extension IncrementalTests {
    /// Every file the real report renders, as bytes, and what each page read.
    func renderedRealSite(root: URL) throws -> (
        files: [String: [UInt8]], reads: [String: Set<PageInput>], graph: SiteGraph
    ) {
        let graph = try #require(loadAndResolve(root: root).0)
        let collected = Collected()
        let output = renderSiteStreaming(graph) { collected.add($0) }
        return (collected.files, output.reads, graph)
    }

    /// A source's interface fingerprint in a graph.
    func interface(of file: String, in graph: SiteGraph) -> String? {
        graph.sections.first { $0.source.file == file }?.source.interface
            ?? graph.capabilities.first { $0.source.file == file }?.source.interface
    }

    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var gathered: [String: [UInt8]] = [:]
        var files: [String: [UInt8]] { lock.withLock { gathered } }
        func add(_ file: OutputFile) { lock.withLock { gathered[file.path] = file.bytes } }
    }

    @Test(arguments: [
        "Content/threats/terrorism.md", "Content/threats/public-disorder.md", "Content/threats/civil-emergencies.md",
        "Content/capabilities/armed-policing.md",
    ])
    func pagesThatChangeRecordedTheTextTheyRead(file: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("portal-reads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for folder in ["Content", "Themes"] {
            try FileManager.default.copyItem(
                at: repositoryRoot.appendingPathComponent(folder), to: root.appendingPathComponent(folder))
        }
        let before = try renderedRealSite(root: root)
        // Words (an acronym among them) added to the end of every numbered paragraph, or of every
        // plain line of a capability's body.
        let url = root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let parts = text.components(separatedBy: "\n---\n")
        let body = parts.dropFirst().joined(separator: "\n---\n")
        let numbered = file.contains("/threats/")
        let edited = body.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let plain = line.first.map { $0.isLetter } ?? false
            let isParagraph = line.range(of: #"^\d+\. "#, options: .regularExpression) != nil
            return (numbered ? isParagraph : plain) && !line.hasSuffix("|") ? line + " Also PCC review." : String(line)
        }
        try (parts[0] + "\n---\n" + edited.joined(separator: "\n")).write(to: url, atomically: true, encoding: .utf8)
        let after = try renderedRealSite(root: root)
        let changed = Set(after.files.keys.filter { after.files[$0] != before.files[$0] })
        #expect(!changed.isEmpty)
        // Text only: what every page reads through `.site` is as it was.
        #expect(interface(of: file, in: after.graph) == interface(of: file, in: before.graph))
        let graph = after.graph
        let numbers = Set(
            (graph.sections.first { $0.source.file == file }?.paragraphs ?? []).map { PageInput.paragraph($0.number) })
        var inputs = numbers.union([.body(file), .paragraphs(file)])
        // The derived reads count only where what they derive changed.
        if let old = before.graph.sections.first(where: { $0.source.file == file }),
            let new = graph.sections.first(where: { $0.source.file == file })
        {
            let was = sectionReadFacts(old, graph: before.graph, index: AbbreviationIndex(before.graph.glossary))
            let now = sectionReadFacts(new, graph: graph, index: AbbreviationIndex(graph.glossary))
            inputs.formUnion(now.keys.filter { was[$0] != now[$0] })
        }
        for page in changed {
            #expect(before.reads[page].map { !$0.isDisjoint(with: inputs) } == true, "\(page) changed unrecorded")
        }
    }
}
