import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad

/// The core tests' own theme stands in for the whole real theme, and the real theme is tested
/// on its own: the fixture site through it, as a site's folder and as built in.
@Suite("Fixture theme")
struct FixtureThemeTests {
    @Test func theMinimalThemeOverridesEveryFileOfTheBuiltInTheme() {
        let missing = Set(builtInThemeFiles.map(\.path)).subtracting(minimalThemeFiles.keys)
        #expect(missing.isEmpty, "the real theme would show through the fixture theme: \(missing.sorted())")
    }

    @Test func fixturesBuildWithNothingOfTheRealTheme() throws {
        let fixture = try SiteFixture()
        guard case .success(let report) = fixture.build() else {
            Issue.record("the fixture must build: \(fixture.failingBuild())")
            return
        }
        #expect(report.warnings.isEmpty, "\(report.warnings)")
        let realCSS = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Themes/default/assets/site.css"), encoding: .utf8)
        #expect(try fixture.read("assets/site.css") == minimalThemeFiles["assets/site.css"])
        #expect(try fixture.read("assets/site.css") != realCSS)
        for page in ["index.html", "threats/alpha.html", "capabilities/drones.html", "search/index.html"] {
            let html = try fixture.read(page)
            #expect(!html.contains("class=\"skip-link\""), "\(page) has the real layout")
            #expect(html.contains("<main>"), "\(page) is not in the fixture layout")
        }
    }

    @Test func theRealThemeBuildsTheFixtureSiteTheSameFromItsFolderAndBuiltIn() throws {
        let folder = try SiteFixture(theme: .real)
        let builtIn = try SiteFixture(theme: .builtIn)
        for fixture in [folder, builtIn] {
            guard case .success(let report) = fixture.build() else {
                Issue.record("the real theme must build the fixture site: \(fixture.failingBuild())")
                return
            }
            #expect(report.warnings.isEmpty, "\(report.warnings)")
        }
        let pages = snapshot(of: folder.output)
        #expect(pages.keys.sorted() == snapshot(of: builtIn.output).keys.sorted())
        for (path, (bytes, _)) in snapshot(of: builtIn.output) {
            #expect(pages[path]?.0 == bytes, "\(path) differs between Themes/default and the built-in theme")
        }
        let alpha = try folder.read("threats/alpha.html")
        #expect(alpha.contains("<a class=\"skip-link\" href=\"#main-content\">"))
        #expect(alpha.contains("<nav class=\"pager\""))
    }

    @Test func aFixtureRemovesItsFolderAndTheFoldersBesideIt() throws {
        var fixture: SiteFixture? = try SiteFixture()
        let root = try #require(fixture?.root)
        let beside = URL(fileURLWithPath: root.path + "-published")
        try FileManager.default.createDirectory(at: beside, withIntermediateDirectories: true)
        #expect(FileManager.default.fileExists(atPath: root.path))
        fixture = nil
        #expect(!FileManager.default.fileExists(atPath: root.path))
        #expect(!FileManager.default.fileExists(atPath: beside.path))
        #expect(root.path.hasPrefix(testScratchFolder.path + "/"))
    }
}
