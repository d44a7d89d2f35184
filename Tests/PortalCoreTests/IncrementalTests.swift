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

/// Incremental builds: a no-op does nothing, a text-only edit rewrites just the pages that show
/// the text, and every result is byte-identical to a full build of the same content.
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
        let fixture = try SiteFixture()
        _ = try built(fixture)
        Thread.sleep(forTimeInterval: 0.01)
        try fixture.write(
            SiteFixture.validFiles["Content/capabilities/drones.md"]!.replacingOccurrences(
                of: "Drones are described", with: "Drones are well described"), to: "Content/capabilities/drones.md")
        let report = try built(fixture)
        #expect(report.incremental == "1 changed file")
        #expect(report.write.written == ["capabilities/drones.html"])
        #expect(try fixture.read("capabilities/drones.html").contains("well described"))
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
        try fixture.write(good + "\nSee [x](capability:nope).\n", to: "Content/capabilities/drones.md")
        guard case .failure = fixture.build() else {
            Issue.record("a broken link must fail the incremental build too")
            return
        }
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
            executable: "x", output: "/o", global: "g", marker: FileStamp(size: 1, modified: 2), sources: [:],
            warnings: [], summary: BuildCounts(pages: 3, capabilities: 1, tables: 1, paragraphs: 4, references: 5))
        state.sources["Content/threats/a.md"] = BuildState.SourceState(
            // Nanosecond times have 19 digits.
            stamp: FileStamp(size: 10, modified: 1_764_340_000_123_456_789), interface: "abc",
            entry: BuildState.SourceEntry(
                hrefs: ["../a.html", "#p1"], embeds: [1: "<table>\n</table>\n"], headingIDs: ["h"],
                bodyPages: ["threats/a.html"], excerpts: [.init(paragraph: 1, page: "capabilities/c.html")]))
        state.warnings = [
            .init(fromLoad: true, diagnostic: .warning("w", "message", hint: "hint", at: .init(file: "f")))
        ]
        let entries = state.encodeEntries()
        let decoded = try #require(BuildState.decode(state.encoded()))
        let range = try #require(decoded.sources["Content/threats/a.md"]?.entryRange)
        let entry = try #require(BuildState.decodeEntry(entries[range]))
        #expect(entry.embeds[1] == "<table>\n</table>\n")
        #expect(entry.excerpts.first?.page == "capabilities/c.html")
        #expect(entry.hrefs == ["../a.html", "#p1"])
        #expect(decoded.warnings.first?.diagnostic.hint == "hint")
        #expect(decoded.summary.references == 5)
        #expect(
            decoded.sources["Content/threats/a.md"]?.stamp == FileStamp(size: 10, modified: 1_764_340_000_123_456_789))
        #expect(decoded.sources["Content/threats/a.md"]?.interface == "abc")
        #expect(BuildState.decode(Array(state.encoded().dropLast(5))) == nil)
        let garbled = String(decoding: state.encoded(), as: UTF8.self).replacingOccurrences(
            of: "\t10\t", with: "\t1x\t")
        #expect(BuildState.decode(Array(garbled.utf8)) == nil)
    }

    /// The fingerprint an edit computes from one file's paragraphs is the one the full build took
    /// while writing the index: otherwise every edit would read the index, or worse, none would.
    @Test func searchLineFingerprintsAgreeWithTheIndex() throws {
        let graph = try #require(loadAndResolve(root: repositoryRoot).0)
        let (_, lines) = searchIndexFile(graph)
        let limit = searchTextLimit(paragraphs: graph.paragraphIndex.count)
        #expect(lines.count == graph.sections.count)
        for (section, line) in zip(graph.sections, lines) {
            let parsed = section.source.body.paragraphs.lazy.map { (number: $0.number, text: $0.text) }
            #expect(searchLinesFingerprint(parsed, limit: limit) == line, "\(section.slug)")
        }
        #expect(Set(lines).count == lines.count)
    }

    /// An edit rebuild rewrites only the changed sources' lines of the state, and the result is
    /// exactly what writing the whole state gives.
    @Test func stateEditedInPlaceEqualsStateWrittenWhole() throws {
        var state = BuildState(
            executable: "x", output: "/o", global: "g", marker: FileStamp(size: 1, modified: 2), sources: [:],
            warnings: [], summary: BuildCounts(pages: 3, capabilities: 1, tables: 1, paragraphs: 4, references: 5))
        for name in ["a", "b", "c"] {
            state.sources["Content/threats/\(name).md"] = BuildState.SourceState(
                stamp: FileStamp(size: 10, modified: 99), interface: "i-\(name)", entryRange: 5..<9)
        }
        let old = state.encoded()
        var edited = state
        edited.sources["Content/threats/b.md"]?.stamp = FileStamp(size: 12_345, modified: 1_764_340_000_123_456_789)
        let spliced = try #require(
            edited.encoded(editing: old, previousWarnings: state.warnings, changed: ["Content/threats/b.md"]))
        #expect(spliced == edited.encoded())
        // A new warning is more than a source line: the whole state is written instead.
        edited.warnings = [.init(fromLoad: true, diagnostic: .warning("w", "m", at: .init(file: "f")))]
        #expect(
            edited.encoded(editing: old, previousWarnings: state.warnings, changed: ["Content/threats/b.md"]) == nil)
    }

    @Test func spliceReplacesEveryMarkedFragment() {
        let html = "a<!--portal:k-->old<!--/portal-->b<!--portal:k-->old<!--/portal-->c"
        #expect(
            splice(html, key: "k", with: "<!--portal:k-->new<!--/portal-->")
                == "a<!--portal:k-->new<!--/portal-->b<!--portal:k-->new<!--/portal-->c")
        #expect(splice(html, key: "other", with: "x") == nil)
    }

    /// A source's paragraphs are consecutive lines of the search index: each is replaced in place,
    /// found from where the last one ended, and the note that texts were cut is read from the header.
    @Test func searchLinesAreReplacedInPlace() throws {
        func facts(_ number: Int, _ text: String) -> ParagraphFacts {
            ParagraphFacts(number: number, location: SourceLocation(file: "x.md"), text: text)
        }
        let header = "window.PORTAL_SEARCH = {\"sections\":[[\"threats/a.html\",\"A\"]],\n\"paragraphs\":[\n"
        var index = Array(
            (header + "[1,0,\"one\"],\n[2,0,\"two\"],\n[3,0,\"three\"]],\n\"entries\":[\n]};\n").utf8)
        let first = try #require(replaceSearchLine(in: &index, paragraph: facts(2, "deux"), limit: 2000, from: 0))
        let second = try #require(
            replaceSearchLine(in: &index, paragraph: facts(3, "trois \"quoted\""), limit: 2000, from: first))
        #expect(second > first)
        #expect(
            String(decoding: index, as: UTF8.self)
                == header + "[1,0,\"one\"],\n[2,0,\"deux\"],\n[3,0,\"trois \\\"quoted\\\"\"]],\n\"entries\":[\n]};\n")
        // Found from the start when the hint is past it; absent paragraphs are nil.
        #expect(replaceSearchLine(in: &index, paragraph: facts(1, "un"), limit: 2000, from: second) != nil)
        #expect(replaceSearchLine(in: &index, paragraph: facts(9, "nine"), limit: 2000, from: 0) == nil)
        // A text cut at a small limit needs the header's note; without it, a full build.
        let long = String(repeating: "word ", count: 60)
        #expect(replaceSearchLine(in: &index, paragraph: facts(1, long), limit: 120, from: 0) == nil)
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
            // A text-only edit of a capability: the splice path.
            ("Content/capabilities/drones.md", "are described", "are DEscribed", "capabilities/drones.html"),
            // A section's text, and its heading: splice, then a full build.
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
