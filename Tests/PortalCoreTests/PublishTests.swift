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

/// `portal publish` into local folders with the real rsync (`.ci/install-deps test` installs it).
@Suite("Publish", .enabled(if: findExecutable("rsync") != nil))
struct PublishTests {
    func destination(_ fixture: SiteFixture) -> URL {
        // Beside the site, not inside it: publishing into the site's own folder is refused.
        fixture.root.deletingLastPathComponent().appendingPathComponent("\(fixture.root.lastPathComponent)-published")
    }

    func publishing(_ fixture: SiteFixture, dryRun: Bool = false, rsync: String = "rsync") -> Result<
        PublishReport, PublishFailure
    > {
        publish(
            PublishOptions(
                build: BuildOptions(root: fixture.root), destination: destination(fixture).path, dryRun: dryRun,
                rsync: rsync))
    }

    func report(
        _ result: Result<PublishReport, PublishFailure>, sourceLocation: Testing.SourceLocation = #_sourceLocation
    )
        -> PublishReport?
    {
        switch result {
        case .success(let report): return report
        case .failure(let failure):
            Issue.record("publish failed: \(failure)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Earlier editions travel with the site and are never deleted at the destination, even when
    /// the site is published from a checkout that lacks one; an edit sends only the current pages.
    @Test func editionsArePublishedAndNeverDeleted() throws {
        let fixture = try SiteFixture()
        _ = recordEdition(folders: SiteFolders(root: fixture.root), id: "2023-12", title: nil, date: nil)
        _ = try #require(report(publishing(fixture)))
        let old = destination(fixture).appendingPathComponent("editions/2023-12/threats/beta.html")
        #expect(FileManager.default.fileExists(atPath: old.path))
        try fixture.write(
            SiteFixture.validFiles["Content/threats/beta.md"]!.replacingOccurrences(
                of: "Beta relies", with: "Beta now relies"),
            to: "Content/threats/beta.md")
        let edit = try #require(report(publishing(fixture)))
        #expect(!edit.sent.isEmpty)
        #expect(edit.sent.allSatisfy { !$0.path.hasPrefix("editions/") })
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Editions"))
        let without = try #require(report(publishing(fixture)))
        #expect(without.deleted.allSatisfy { !$0.path.hasPrefix("editions/") })
        #expect(FileManager.default.fileExists(atPath: old.path))
    }

    @Test func aPublishCopiesTheSiteAndASecondSendsNothing() throws {
        let fixture = try SiteFixture()
        let first = try #require(report(publishing(fixture)))
        let site = snapshot(of: fixture.output).filter { $0.key != ".portal-output" }
        let published = snapshot(of: destination(fixture)).filter { $0.key != publishMarker }
        #expect(!site.isEmpty)
        #expect(Set(published.keys) == Set(site.keys))
        #expect(published.allSatisfy { site[$0.key]?.0 == $0.value.0 })
        #expect(Set(first.sent.map(\.path)) == Set(site.keys))
        #expect(first.sent.first { $0.path == "index.html" }?.bytes == site["index.html"]?.0.count)
        #expect(first.summary.hasPrefix("published to \(destination(fixture).path): \(site.count) files sent ("))

        let second = try #require(report(publishing(fixture)))
        #expect(second.sent.isEmpty)
        #expect(second.deleted.isEmpty)
        #expect(second.summary.hasSuffix(": 0 files sent (0 bytes), 0 deleted"))
        #expect(sameSnapshot(published, snapshot(of: destination(fixture)).filter { $0.key != publishMarker }))
    }

    @Test func onlyChangedFilesTravelAndRemovedOnesAreDeleted() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/capabilities/spare.md": "---\ntitle: Spare\nsummary: Not cited yet.\n---\n"
        ])
        _ = try #require(report(publishing(fixture)))
        #expect(
            FileManager.default.fileExists(
                atPath: destination(fixture).appendingPathComponent("capabilities/spare.html").path))
        try fixture.remove("Content/capabilities/spare.md")
        let source = try String(
            contentsOf: fixture.root.appendingPathComponent("Content/threats/beta.md"), encoding: .utf8)
        try fixture.write(
            source.replacingOccurrences(of: "summary: Beta.", with: "summary: Beta, revised."),
            to: "Content/threats/beta.md")
        let after = try #require(report(publishing(fixture)))
        #expect(after.deleted.map(\.path) == ["capabilities/spare.html"])
        #expect(after.sent.map(\.path).contains("threats/beta.html"))
        // Pages the edit did not touch stay where they were.
        #expect(!after.sent.map(\.path).contains("threats/alpha.html"))
        #expect(
            !FileManager.default.fileExists(
                atPath: destination(fixture).appendingPathComponent("capabilities/spare.html").path))
    }

    @Test func aDryRunShowsWhatWouldChangeAndChangesNothing() throws {
        let fixture = try SiteFixture()
        _ = try #require(report(publishing(fixture)))
        let before = snapshot(of: destination(fixture))
        let source = try String(
            contentsOf: fixture.root.appendingPathComponent("Content/threats/beta.md"), encoding: .utf8)
        try fixture.write(
            source.replacingOccurrences(of: "summary: Beta.", with: "summary: Beta, revised."),
            to: "Content/threats/beta.md")
        let dry = try #require(report(publishing(fixture, dryRun: true)))
        #expect(dry.sent.map(\.path).contains("threats/beta.html"))
        #expect(dry.lines.contains { $0.hasPrefix("would send threats/beta.html (") })
        #expect(dry.summary.hasSuffix("would be deleted; nothing was changed"))
        #expect(sameSnapshot(before, snapshot(of: destination(fixture))))
    }

    @Test func aFailingEditPublishesNothing() throws {
        let fixture = try SiteFixture()
        _ = try #require(report(publishing(fixture)))
        let before = snapshot(of: destination(fixture))
        let builtBefore = snapshot(of: fixture.output)
        try fixture.write(
            "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. [x](capability:drone).\n", to: "Content/threats/beta.md"
        )
        guard case .failure(.content(let diagnostics)) = publishing(fixture) else {
            Issue.record("expected the publish to stop on content errors")
            return
        }
        #expect(diagnostics.errors.map(\.description).contains { $0.contains("unknown capability 'drone'") })
        #expect(sameSnapshot(before, snapshot(of: destination(fixture))))
        #expect(sameSnapshot(builtBefore, snapshot(of: fixture.output)))
    }

    @Test func aRaggedTableOrBadYAMLPublishesNothing() throws {
        for broken in [
            ["Content/data/tables/drone-numbers.csv": "Measure,North,South,Total\nDrones,2,3\n"],
            ["Content/site.yaml": "title: [unclosed\n"],
        ] {
            let fixture = try SiteFixture(overriding: broken)
            guard case .failure(.content(let diagnostics)) = publishing(fixture) else {
                Issue.record("expected \(broken.keys) to stop the publish")
                continue
            }
            #expect(diagnostics.hasErrors)
            #expect(!FileManager.default.fileExists(atPath: destination(fixture).path))
        }
    }

    @Test func aRollbackFromAFreshCheckoutSendsOnlyWhatDiffersWithChecksum() throws {
        let published = try SiteFixture()
        _ = try #require(report(publishing(published)))
        // The same content built in a new folder, as `git worktree add` gives: every file has a new
        // time (made an hour later here, so the test does not depend on the clock's second).
        let fresh = try SiteFixture()
        guard case .success = fresh.build() else {
            Issue.record("fixture did not build")
            return
        }
        let later = Date().addingTimeInterval(3600)
        for path in snapshot(of: fresh.output).keys {
            try FileManager.default.setAttributes(
                [.modificationDate: later], ofItemAtPath: fresh.output.appendingPathComponent(path).path)
        }
        let target = destination(published).path
        let byTime = try #require(
            report(publish(PublishOptions(build: BuildOptions(root: fresh.root), destination: target, dryRun: true))))
        #expect(byTime.sent.count == snapshot(of: fresh.output).count - 1)
        let byContent = try #require(
            report(
                publish(
                    PublishOptions(build: BuildOptions(root: fresh.root), destination: target, checksum: true))))
        #expect(byContent.sent.isEmpty)
        #expect(byContent.deleted.isEmpty)
    }

    @Test func aMissingRsyncSaysHowToInstallIt() throws {
        let fixture = try SiteFixture()
        guard case .failure(.failed(let error)) = publishing(fixture, rsync: "/nonexistent/rsync") else {
            Issue.record("expected a missing rsync to fail")
            return
        }
        #expect(error.description.hasPrefix("error: rsync was not found at '/nonexistent/rsync'"))
        #expect(error.description.contains("apt-get install rsync"))
        #expect(!FileManager.default.fileExists(atPath: destination(fixture).path))
        // Found before anything is built.
        #expect(!FileManager.default.fileExists(atPath: fixture.output.path))
    }

    @Test func aFailingRsyncReportsItsExitCode() throws {
        let fixture = try SiteFixture()
        let options = PublishOptions(
            build: BuildOptions(root: fixture.root), destination: "/nonexistent-portal-\(UUID().uuidString)/site")
        guard case .failure(.failed(let error)) = publish(options) else {
            Issue.record("expected rsync to fail")
            return
        }
        #expect(error.description.hasPrefix("error: rsync failed with exit code "))
        #expect(!error.description.contains("\n"))
    }

    @Test func dangerousDestinationsAreRefused() throws {
        let fixture = try SiteFixture()
        for target in [
            "/", "", fixture.root.path, fixture.root.appendingPathComponent("Content").path, fixture.output.path,
            fixture.root.deletingLastPathComponent().path, "host:", "user@host:~", "user@host:/",
        ] {
            let options = PublishOptions(build: BuildOptions(root: fixture.root), destination: target)
            guard case .failure(.refused) = publish(options) else {
                Issue.record("'\(target)' was not refused")
                continue
            }
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.output.path))
    }

    /// An rsync that only records its arguments (one line per call) and prints `listing` for
    /// `--list-only`, so a test can prove which destinations it was never run for.
    func fakeRsync(_ fixture: SiteFixture, listing: String = "") throws -> (program: String, log: URL) {
        let folder = fixture.root.deletingLastPathComponent().appendingPathComponent(
            "\(fixture.root.lastPathComponent)-fake-rsync")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("calls.log")
        let program = folder.appendingPathComponent("rsync")
        try """
        #!/bin/sh
        echo "$*" >> '\(log.path)'
        case "$1" in --list-only) printf '%s' '\(listing)';; esac
        exit 0
        """.write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        return (program.path, log)
    }

    @Test func destinationsNotMadeByPublishAreRefusedBeforeRsyncRuns() throws {
        let fixture = try SiteFixture()
        let (rsync, log) = try fakeRsync(fixture)
        let occupied = fixture.root.deletingLastPathComponent().appendingPathComponent(
            "\(fixture.root.lastPathComponent)-occupied")
        try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
        try "keep me".write(to: occupied.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let before = snapshot(of: occupied)
        let home = URL(fileURLWithPath: NSHomeDirectory())
        for target in [
            "/usr/", "/etc", "/home", home.deletingLastPathComponent().path, home.path + "/..", occupied.path,
            occupied.appendingPathComponent("notes.txt").path, "host:/.", "host://", "host:/etc/..", "host:/home",
            "rsync://host/", "rsync://host", "rsync://host/module/..", "rsync://host/../x", "user@host:~/..",
            "host:..", "host::", "host::..", "host:~other", "host:/./home/",
            "-e sh -c 'touch /tmp/x'", "--delete",
        ] {
            let options = PublishOptions(build: BuildOptions(root: fixture.root), destination: target, rsync: rsync)
            guard case .failure(.refused(let error)) = publish(options) else {
                Issue.record("'\(target)' was not refused")
                continue
            }
            #expect(error.description.hasPrefix("error: refusing"), "\(target): \(error)")
            #expect(!FileManager.default.fileExists(atPath: log.path), "rsync ran for '\(target)'")
        }
        #expect(sameSnapshot(before, snapshot(of: occupied)))
        #expect(!FileManager.default.fileExists(atPath: fixture.output.path))
    }

    @Test func remoteSitesFoldersPassTheFirstGuard() {
        #expect(remotePath("web@intranet:/var/www/spr") == "/var/www/spr")
        #expect(remotePath("web@intranet:/var//www/./spr/") == "/var/www/spr")
        #expect(remotePath("web@intranet:www") == "www")
        #expect(remotePath("web@intranet:~/www") == "www")
        #expect(remotePath("rsync://intranet/site") == "/site")
        #expect(remotePath("intranet::site/spr") == "site/spr")
    }

    @Test func aRemoteFolderIsListedAndRefusedWithoutItsMarker() throws {
        let fixture = try SiteFixture()
        let occupied = "drwxr-xr-x          4,096 2024/01/01 12:00:00 .\n-rw-r--r--  9 2024/01/01 12:00:00 notes.txt\n"
        let (rsync, log) = try fakeRsync(fixture, listing: occupied)
        let options = PublishOptions(
            build: BuildOptions(root: fixture.root), destination: "web@intranet:/srv/www", rsync: rsync)
        guard case .failure(.refused(let error)) = publish(options) else {
            Issue.record("an occupied remote folder without the marker must be refused")
            return
        }
        #expect(error.message.contains("no .portal-publish"))
        #expect(try String(contentsOf: log, encoding: .utf8) == "--list-only -- web@intranet:/srv/www/\n")

        let marked = try fakeRsync(fixture, listing: occupied + "-rw-r--r--  29 1970/01/01 00:00:00 .portal-publish\n")
        try FileManager.default.removeItem(at: marked.log)
        let allowed = PublishOptions(
            build: BuildOptions(root: fixture.root), destination: "web@intranet:/srv/www", rsync: marked.program)
        guard case .success = publish(allowed) else {
            Issue.record("a remote folder with the marker must be published into")
            return
        }
        let calls = try String(contentsOf: marked.log, encoding: .utf8).split(separator: "\n")
        #expect(calls.count == 2)
        #expect(calls.last?.contains("--delete-after") == true)
        #expect(calls.last?.hasSuffix("/ web@intranet:/srv/www") == true)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: CommandLineTests.binary.path)))
    func anOptionLikeDestinationIsAUsageError() throws {
        let fixture = try SiteFixture()
        let (rsync, log) = try fakeRsync(fixture)
        for arguments in [
            ["publish", "--root", fixture.root.path, "--rsync", rsync, "-e sh -c 'touch /tmp/x'"],
            ["publish", "--root", fixture.root.path, "--rsync", rsync, "--", "-e"],
            ["publish", "--root", fixture.root.path, "--rsync", rsync, "--", "--delete"],
        ] {
            let result = try CommandLineTests().run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(!result.stdout.contains("USAGE"), "\(arguments) printed help")
            #expect(result.stderr.hasPrefix("error: "))
        }
        #expect(!FileManager.default.fileExists(atPath: log.path))
    }

    @Test func rsyncArgumentsAndItemizedOutput() {
        let arguments = rsyncArguments(
            source: URL(fileURLWithPath: "/site/Public"), destination: "web@intranet:/var/www/spr", dryRun: true)
        #expect(arguments.contains("--archive"))
        #expect(arguments.contains("--delete-after"))
        #expect(arguments.contains("--delay-updates"))
        #expect(arguments.contains("--exclude=/.portal-output"))
        #expect(arguments.contains("--exclude=/README.md"))
        #expect(arguments.contains("--filter=protect /editions/***"))
        #expect(arguments.contains("--dry-run"))
        #expect(!arguments.contains("--checksum"))
        #expect(Array(arguments.suffix(3)) == ["--", "/site/Public/", "web@intranet:/var/www/spr"])

        let changes = parseRsyncOutput(
            """
            created directory /tmp/x
            cd+++++++++|4096|./
            >f+++++++++|120|index.html
            <f.st......|2048|threats/alpha.html
            .d..t......|4096|threats/
            *deleting  |0|old.html
            """)
        #expect(changes.filter { $0.kind == .sent }.map(\.path) == ["index.html", "threats/alpha.html"])
        #expect(changes.filter { $0.kind == .sent }.map(\.bytes) == [120, 2048])
        #expect(changes.filter { $0.kind == .deleted }.map(\.path) == ["old.html"])
        #expect(changes.filter { $0.kind == .other }.count == 2)
        #expect(isRemoteDestination("user@host:/var/www"))
        #expect(isRemoteDestination("host:site"))
        #expect(!isRemoteDestination("./a:b"))
        #expect(!isRemoteDestination("/srv/www/spr"))
        #expect(formatCount(1_234_567) == "1,234,567")
        #expect(formatCount(999) == "999")
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: CommandLineTests.binary.path)))
    func theCommandPrintsWhatItSentAndExitsOneOnErrors() throws {
        let fixture = try SiteFixture()
        let target = destination(fixture).path
        let first = try CommandLineTests().run(["publish", "--root", fixture.root.path, target])
        #expect(first.status == 0)
        #expect(first.stdout.contains("\nsent index.html ("))
        #expect(first.stdout.contains("published to \(target): "))
        let again = try CommandLineTests().run(["publish", "--root", fixture.root.path, target])
        #expect(again.stdout.hasSuffix("published to \(target): 0 files sent (0 bytes), 0 deleted\n"))

        let before = snapshot(of: destination(fixture))
        try fixture.write(
            "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. [x](capability:drone).\n", to: "Content/threats/beta.md"
        )
        let failed = try CommandLineTests().run(["publish", "--root", fixture.root.path, target])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("Content/threats/beta.md:7:4: error: unknown capability 'drone'"))
        #expect(failed.stderr.hasSuffix("publish stopped: 1 error in the content; nothing was published\n"))
        #expect(sameSnapshot(before, snapshot(of: destination(fixture))))

        let missing = try CommandLineTests().run([
            "publish", "--root", fixture.root.path, "--rsync", "/nope/rsync", target,
        ])
        #expect(missing.status == 1)
        #expect(missing.stderr.split(separator: "\n").count == 1)
        #expect(try CommandLineTests().run(["publish", "--root", fixture.root.path, "/"]).status == 2)
        #expect(try CommandLineTests().run(["publish", "--root", fixture.root.path]).status == 2)
    }
}
