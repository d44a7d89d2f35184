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
}
