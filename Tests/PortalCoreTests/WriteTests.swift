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

@Suite("Write")
struct WriteTests {
    func temporaryFolder() -> URL {
        scratchFolder("portal-write").appendingPathComponent("Public")
    }

    @Test func unchangedFilesKeepTheirBytesAndTimes() throws {
        let output = temporaryFolder()
        let files = [OutputFile(path: "a.html", text: "A"), OutputFile(path: "sub/b.html", text: "B")]
        let first = try writeSite(files, to: output)
        #expect(first.written == ["a.html", "sub/b.html"])
        let before = snapshot(of: output)
        Thread.sleep(forTimeInterval: 0.02)
        let second = try writeSite(files, to: output)
        #expect(second.written.isEmpty)
        #expect(sameSnapshot(before, snapshot(of: output)))
    }

    @Test func changedAndRemovedFilesAreReported() throws {
        let output = temporaryFolder()
        _ = try writeSite([OutputFile(path: "a.html", text: "A"), OutputFile(path: "old.html", text: "O")], to: output)
        let summary = try writeSite([OutputFile(path: "a.html", text: "A2")], to: output)
        #expect(summary.written == ["a.html"])
        #expect(summary.removed == ["old.html"])
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("old.html").path))
        #expect(
            !FileManager.default.fileExists(
                atPath: output.deletingLastPathComponent().appendingPathComponent(".Public.staging").path))
    }

    @Test func placeholderReadmeIsKept() throws {
        let output = temporaryFolder()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("placeholder".utf8).write(to: output.appendingPathComponent("README.md"))
        _ = try writeSite([OutputFile(path: "index.html", text: "x")], to: output)
        #expect(
            FileManager.default.contents(atPath: output.appendingPathComponent("README.md").path)
                == Data("placeholder".utf8))
    }

    @Test func refusesToReplaceAFolderItDidNotMake() throws {
        let output = temporaryFolder()
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: output.appendingPathComponent("notes.txt"))
        #expect(throws: WriteError.self) { try writeSite([OutputFile(path: "index.html", text: "x")], to: output) }
        #expect(
            FileManager.default.contents(atPath: output.appendingPathComponent("notes.txt").path)
                == Data("precious".utf8))
    }

    let first = [
        OutputFile(path: "a.html", text: "A"), OutputFile(path: "sub/b.html", text: "B"),
        OutputFile(path: "old/gone.html", text: "G"),
    ]
    let second = [
        OutputFile(path: "a.html", text: "A2"), OutputFile(path: "sub/b.html", text: "B"),
        OutputFile(path: "new/c.html", text: "C"),
    ]

    /// A commit stopped as a crash would stop it after `step`, then what the next build finds.
    func stoppedCommit(after step: CommitStep) throws -> (output: URL, before: [String: (Data, Date)]) {
        let output = temporaryFolder()
        _ = try writeSite(first, to: output)
        let before = snapshot(of: output)
        Thread.sleep(forTimeInterval: 0.02)
        let writer = try SiteWriter(output: output)
        writer.stopAfter = step
        for file in second { writer.put(file) }
        #expect(throws: CommitStopped.self) { try writer.commit() }
        return (output, before)
    }

    /// Stopped before its journal is written, a commit leaves the output exactly as it was, times
    /// and all, and the next build clears what it staged.
    @Test func commitStoppedBeforeItsJournalLeavesTheOutputAlone() throws {
        let (output, before) = try stoppedCommit(after: .staged)
        #expect(sameSnapshot(before, snapshot(of: output)))
        let journal = output.deletingLastPathComponent().appendingPathComponent(".Public.journal").path
        #expect(!FileManager.default.fileExists(atPath: journal))
        try finishInterruptedCommit(output: output.path)
        #expect(sameSnapshot(before, snapshot(of: output)))
        #expect(try writeSite(first, to: output).written.isEmpty)
        #expect(sameSnapshot(before, snapshot(of: output)))
    }

    /// Stopped once its journal is written (before any file moved, or after one), a commit is
    /// finished by the next build: the output is then the new site exactly, unchanged files
    /// keeping their times, and neither journal nor staging folder is left.
    @Test(arguments: [CommitStep.journaled, .applying])
    func commitStoppedAfterItsJournalIsFinishedByTheNextBuild(step: CommitStep) throws {
        let (output, before) = try stoppedCommit(after: step)
        let parent = output.deletingLastPathComponent()
        if step == .journaled { #expect(sameSnapshot(before, snapshot(of: output))) }
        _ = try SiteWriter(output: output)
        let after = snapshot(of: output)
        #expect(Set(after.keys).subtracting([outputMarker]) == Set(second.map(\.path)))
        for file in second { #expect(after[file.path]?.0 == Data(file.bytes), "\(file.path)") }
        #expect(after["sub/b.html"]?.1 == before["sub/b.html"]?.1)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("old").path))
        for leftover in [".Public.journal", ".Public.journal.tmp"] {
            #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent(leftover).path))
        }
        #expect(try writeSite(second, to: output).written.isEmpty)
    }

    /// A rebuild's writer touches only the files it is given: the rest of the site stays.
    @Test func partialCommitTouchesOnlyWhatItIsGiven() throws {
        let output = temporaryFolder()
        _ = try writeSite(first, to: output)
        let before = snapshot(of: output)
        Thread.sleep(forTimeInterval: 0.02)
        let writer = try SiteWriter(output: output, partial: true)
        writer.put(OutputFile(path: "a.html", text: "A3"))
        writer.put(OutputFile(path: "sub/b.html", text: "B"))
        let summary = try writer.commit()
        #expect(summary.written == ["a.html"])
        #expect(summary.removed.isEmpty)
        let after = snapshot(of: output)
        #expect(after["a.html"]?.0 == Data("A3".utf8))
        for path in ["sub/b.html", "old/gone.html"] { #expect(after[path]?.1 == before[path]?.1, "\(path)") }
    }

    @Test func journalRoundTripsAndATornOneIsNotTrusted() {
        let journal = CommitJournal(puts: ["a.html", "sub/b c.html"], removals: ["old/gone.html"])
        #expect(CommitJournal.decode(journal.encoded()) == journal)
        #expect(CommitJournal.decode(Array(journal.encoded().dropLast(4))) == nil)
        #expect(CommitJournal.decode(Array("portal-journal 1\nput\ta\n".utf8)) == nil)
    }
}
