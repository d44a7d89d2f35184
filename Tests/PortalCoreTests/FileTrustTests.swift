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

/// Files from outside the site, theme mistakes and odd inputs: each is one error at its path
/// (and line and column where it has them), found by `check` and `build` alike, and the previous
/// output stays byte- and time-identical.
@Suite("File trust")
struct FileTrustTests {
    /// Builds the valid site, applies the change, and expects exactly one error, the given one,
    /// from both check and build, with Public/ untouched.
    @discardableResult
    func expectOneError(
        _ change: (SiteFixture) throws -> Void, code: String, file: String, line: Int = 1, column: Int = 1,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic? {
        guard let (fixture, before) = try SiteFixture.builtThenChanged(change, sourceLocation: sourceLocation) else {
            return nil
        }
        let built = fixture.failingBuild(sourceLocation: sourceLocation).errors
        let checked = check(root: fixture.root).errors
        #expect(built.map(\.code) == [code], "build: \(built)", sourceLocation: sourceLocation)
        #expect(checked.map(\.description) == built.map(\.description), sourceLocation: sourceLocation)
        let error = built.first
        #expect(
            error?.location == SourceLocation(file: file, line: line, column: column), sourceLocation: sourceLocation)
        #expect(error?.hint?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(sameSnapshot(before, snapshot(of: fixture.output)), "Public/ changed", sourceLocation: sourceLocation)
        return error
    }

    /// Puts text before the start of a theme template.
    func prepend(_ text: String, to template: String, in fixture: SiteFixture) throws {
        let path = "Themes/default/templates/\(template).mustache"
        let old = try String(contentsOf: fixture.root.appendingPathComponent(path), encoding: .utf8)
        try fixture.write(text + old, to: path)
    }

    func link(_ fixture: SiteFixture, _ path: String, to target: String) throws {
        let url = fixture.root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// A folder beside the site (outside it), holding one file.
    func outsideFile(_ fixture: SiteFixture, named name: String, text: String) throws -> URL {
        let folder = fixture.root.deletingLastPathComponent().appendingPathComponent(
            "\(fixture.root.lastPathComponent)-outside")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    // MARK: files from outside the site

    @Test func aThemeAssetLinkedToASystemFileIsRefused() throws {
        let error = try expectOneError(
            { try link($0, "Themes/default/assets/passwd.css", to: "/etc/passwd") }, code: "symlink-outside",
            file: "Themes/default/assets/passwd.css")
        #expect(error?.message.contains("/etc/passwd") == true)
    }

    @Test func aContentFileLinkedOutsideIsRefused() throws {
        try expectOneError(
            { fixture in
                let outside = try outsideFile(
                    fixture, named: "gamma.md", text: "---\ntitle: Gamma\norder: 3\nsummary: G.\n---\n\n5. Text.\n")
                try link(fixture, "Content/threats/gamma.md", to: outside.path)
            }, code: "symlink-outside", file: "Content/threats/gamma.md")
    }

    @Test func aLinkedFolderOutsideIsRefused() throws {
        try expectOneError(
            { fixture in
                let outside = try outsideFile(fixture, named: "site.css", text: "body {}\n")
                try link(fixture, "Themes/default/assets/more", to: outside.deletingLastPathComponent().path)
            }, code: "symlink-outside", file: "Themes/default/assets/more")
    }

    @Test func aSiteYAMLLinkedOutsideIsRefusedWithoutReadingIt() throws {
        try expectOneError(
            { fixture in
                let outside = try outsideFile(fixture, named: "site.yaml", text: "title: Elsewhere\n")
                try fixture.remove("Content/site.yaml")
                try link(fixture, "Content/site.yaml", to: outside.path)
            }, code: "symlink-outside", file: "Content/site.yaml")
    }

    @Test func symbolicLinkLoopsAreErrorsNotHangs() throws {
        try expectOneError(
            { try link($0, "Content/threats/again", to: "../threats") }, code: "symlink-loop",
            file: "Content/threats/again")
        try expectOneError(
            { try link($0, "Content/threats/self.md", to: "self.md") }, code: "symlink-loop",
            file: "Content/threats/self.md")
    }

    @Test func aLinkInsideTheFolderIsFollowed() throws {
        let fixture = try SiteFixture()
        try link(fixture, "Themes/default/assets/copy.css", to: "site.css")
        guard case .success = fixture.build() else {
            Issue.record("a link inside the theme must build")
            return
        }
        #expect(try fixture.read("assets/copy.css") == fixture.read("assets/site.css"))
    }

    @Test func aLinkedThemesFolderIsTheSitesOwnSetup() throws {
        // As the benchmark's generated sites have it: Themes -> the repository's Themes.
        let fixture = try SiteFixture(theme: .builtIn)
        try link(fixture, "Themes", to: repositoryRoot.appendingPathComponent("Themes").path)
        guard case .success(let report) = fixture.build() else {
            Issue.record("a linked Themes folder must build")
            return
        }
        #expect(report.warnings.isEmpty)
        #expect(try fixture.read("assets/site.css").contains("body"))
    }

    @Test func aThemeNameIsASlug() throws {
        for name in ["../../x", "/etc", "default/../default", "Default"] {
            let error = try expectOneError(
                { fixture in
                    try fixture.write(
                        SiteFixture.validFiles["Content/site.yaml"]! + "\ntheme: \(name)\n", to: "Content/site.yaml")
                }, code: "invalid-theme", file: "Content/site.yaml", line: 7, column: 8)
            #expect(error?.message.contains(name) == true)
        }
    }

    @Test func pathsInMarkdownNeverReachFilesOutside() throws {
        // Images are never copied: a path is a link to resolve, and these resolve to nothing.
        for (link, code) in [
            ("![x](../../etc/passwd)", "invalid-link"), ("![x](/etc/passwd)", "invalid-link"),
            ("![x](table:../../etc/passwd)", "unknown-reference"), ("[x](../../../etc/passwd.md)", "unknown-reference"),
        ] {
            try expectOneError(
                {
                    try $0.write(
                        "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. See \(link).\n",
                        to: "Content/threats/beta.md")
                }, code: code, file: "Content/threats/beta.md", line: 7, column: 8)
        }
    }

    // MARK: theme mistakes

    @Test func aPartialThatIncludesItselfIsAnErrorNotACrash() throws {
        let error = try expectOneError(
            { try $0.write("<p>{{> loop}}</p>\n", to: "Themes/default/templates/loop.mustache") },
            code: "partial-cycle", file: "Themes/default/templates/loop.mustache", line: 1, column: 4)
        #expect(error?.message.contains("loop → loop") == true)
    }

    @Test func twoPartialsThatIncludeEachOtherAreOneError() throws {
        try expectOneError(
            { fixture in
                try fixture.write("a {{> pb}}\n", to: "Themes/default/templates/pa.mustache")
                try fixture.write("b\n  {{> pa}}\n", to: "Themes/default/templates/pb.mustache")
                try prepend("{{> pa}}", to: "home", in: fixture)
            }, code: "partial-cycle", file: "Themes/default/templates/pb.mustache", line: 2, column: 3)
    }

    @Test func aMissingPartialIsAnError() throws {
        try expectOneError(
            { try prepend("x {{> footer}}\n", to: "not-found", in: $0) }, code: "partial-missing",
            file: "Themes/default/templates/not-found.mustache", line: 1, column: 3)
    }

    @Test func aMisspelledNameIsAnErrorWithASuggestion() throws {
        let error = try expectOneError(
            { try prepend("<!-- {{titel}} -->\n", to: "layout", in: $0) }, code: "template-unknown-name",
            file: "Themes/default/templates/layout.mustache", line: 1, column: 6)
        #expect(error?.hint == "did you mean 'title'?")
    }

    @Test func namesFromOuterContextsAndOptionalFieldsAreNotErrors() throws {
        // `lead` and `inspection` are absent from every page of the fixture; `site_title` comes
        // from the outer context inside a section.
        let fixture = try SiteFixture()
        try prepend(
            "{{#threats}}{{site_title}}{{#lead}}{{lead}}{{/lead}}{{inspection.status}}{{/threats}}\n", to: "home",
            in: fixture)
        #expect(!check(root: fixture.root).hasErrors)
        guard case .success = fixture.build() else {
            Issue.record("optional and outer names must build")
            return
        }
    }

    @Test func anUnknownTransformIsAnError() throws {
        try expectOneError(
            { try prepend("{{#emtpy(x)}}{{/emtpy(x)}}", to: "search", in: $0) }, code: "template-unknown-name",
            file: "Themes/default/templates/search.mustache", line: 1, column: 1)
    }

    // MARK: empty or odd inputs

    @Test func aFIFOInPlaceOfAFileIsRefusedAtOnce() throws {
        // A new section file, so that no other page's links depend on it.
        for path in ["Content/site.yaml", "Content/threats/gamma.md", "Themes/default/templates/home.mustache"] {
            try expectOneError(
                { fixture in
                    try? fixture.remove(path)
                    #expect(mkfifo(fixture.root.appendingPathComponent(path).path, 0o644) == 0)
                }, code: "not-a-file", file: path)
        }
    }

    @Test func aFolderWhereAFileIsExpectedIsAnError() throws {
        try expectOneError(
            { fixture in
                try fixture.remove("Content/data/glossary.yaml")
                try FileManager.default.createDirectory(
                    at: fixture.root.appendingPathComponent("Content/data/glossary.yaml"),
                    withIntermediateDirectories: true)
            }, code: "not-a-file", file: "Content/data/glossary.yaml")
        // Reading a folder as a file says so, and never blocks.
        guard case .failure(let error) = readRegularFile("/tmp") else {
            Issue.record("a folder must not read as a file")
            return
        }
        #expect(error.description == "is a folder, not a regular file")
    }

    @Test func anEmptyFileIsOneDiagnostic() throws {
        // An empty site.yaml is one error that says what it needs (FigureTrustTests).
        try expectOneError(
            { try $0.write("\n", to: "Content/threats/gamma.md") }, code: "empty-file", file: "Content/threats/gamma.md"
        )
        let fixture = try SiteFixture(overriding: ["Content/data/partners.yaml": ""])
        try fixture.write(" \n", to: "Themes/default/templates/not-found.mustache")
        guard case .success(let report) = fixture.build() else {
            Issue.record("an empty data file or page template is a warning")
            return
        }
        #expect(
            report.warnings.filter { $0.code == "empty-file" }.map(\.location.file) == [
                "Content/data/partners.yaml", "Themes/default/templates/not-found.mustache",
            ])
    }

    @Test func anUnreadableFileSaysWhyAndWhatToDo() {
        // Tests run as root, which reads a chmod 000 file anyway: the message is checked directly.
        let denied = FileReadError(code: EACCES)
        #expect(denied.description == "cannot be read: Permission denied")
        #expect(denied.hint == "make it readable (chmod a+r)")
        guard case .failure(let missing) = readRegularFile("/nonexistent/portal-file") else {
            Issue.record("a missing file must not read")
            return
        }
        #expect(missing.description == "cannot be read: No such file or directory")
    }

    @Test func markdownWithAnotherExtensionIsAnError() throws {
        for name in ["gamma.MD", "gamma.markdown", "gamma.Markdown"] {
            let error = try expectOneError(
                { try $0.write("---\ntitle: G\norder: 3\nsummary: G.\n---\n\n5. G.\n", to: "Content/threats/\(name)") },
                code: "wrong-extension", file: "Content/threats/\(name)")
            #expect(error?.hint == "rename it to gamma.md")
        }
        try expectOneError(
            { try $0.write("A,B\nx,1\n", to: "Content/data/tables/extra.CSV") }, code: "wrong-extension",
            file: "Content/data/tables/extra.CSV")
    }

    @Test func hiddenEditorAndStrayFilesAreWarnings() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/.beta.md.swp": "swap", "Content/threats/beta.md~": "backup",
            "Content/threats/.notes": "hidden", "Content/threats/.gitkeep": "", "Content/.DS_Store": "junk",
            "Content/images/logo.png": "png", "Content/threats/notes.txt": "notes",
            "Content/data/board.yaml": "- id: x\n",
        ])
        guard case .success(let report) = fixture.build() else {
            Issue.record("warnings must not stop the build")
            return
        }
        let found = Dictionary(report.warnings.map { ($0.location.file, $0.code) }) { first, _ in first }
        #expect(found["Content/threats/.beta.md.swp"] == "editor-file")
        #expect(found["Content/threats/beta.md~"] == "editor-file")
        #expect(found["Content/threats/.notes"] == "hidden-file")
        #expect(found["Content/images/logo.png"] == "unexpected-file")
        #expect(found["Content/threats/notes.txt"] == "unexpected-file")
        #expect(found["Content/data/board.yaml"] == "unexpected-file")
        #expect(found["Content/threats/.gitkeep"] == nil)
        #expect(found["Content/.DS_Store"] == nil)
        #expect(
            report.warnings.first { $0.location.file == "Content/data/board.yaml" }?.hint
                == "did you mean 'boards.yaml'?")
    }

    @Test func aFileNameThatIsNotUTF8IsAnError() throws {
        try expectOneError(
            { fixture in
                let folder = fixture.root.appendingPathComponent("Content/capabilities").path
                let name = Array(folder.utf8) + Array("/caf".utf8) + [0xE9] + Array(".md".utf8) + [0]
                let descriptor = name.withUnsafeBufferPointer { buffer in
                    buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: name.count) {
                        open($0, O_WRONLY | O_CREAT, 0o644)
                    }
                }
                #expect(descriptor >= 0)
                close(descriptor)
            }, code: "file-name-not-utf8", file: "Content/capabilities/caf\u{FFFD}.md")
    }

    @Test func aWriteErrorIsOnePlainLine() throws {
        let fixture = try SiteFixture()
        try fixture.write("not a folder", to: "blocker")
        let options = BuildOptions(root: fixture.root, output: fixture.root.appendingPathComponent("blocker/site"))
        guard case .failure(.write(let message)) = build(options) else {
            Issue.record("expected a write failure")
            return
        }
        #expect(!message.contains("NSCocoaErrorDomain"))
        #expect(!message.contains("\n"))
        #expect(message.hasPrefix("error: cannot create folder \(fixture.root.path)/blocker: Not a directory ("))
    }
}
