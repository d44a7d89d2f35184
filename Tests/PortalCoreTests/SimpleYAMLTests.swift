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

/// The quick front-matter reader must give exactly Yams's tree, or step aside.
@Suite("Simple YAML")
struct SimpleYAMLTests {
    /// Values, quoting, lines and columns, as one comparable text.
    func describe(_ node: YAMLNode?) -> String {
        guard let node else { return "nil" }
        let at = "@\(node.location.line):\(node.location.column)"
        switch node.value {
        case .scalar(let text): return "\(node.isPlainScalar ? "plain" : "quoted")(\(text))\(at)"
        case .sequence(let items): return "[\(items.map(describe).joined(separator: ", "))]\(at)"
        case .mapping(let pairs):
            return "{\(pairs.map { describe($0.key) + ": " + describe($0.value) }.joined(separator: ", "))}\(at)"
        }
    }

    func yams(_ text: String, firstLine: Int = 1) -> String {
        var problems: [Diagnostic] = []
        guard
            case .success(let node) = parseYAMLWithYams(
                text, file: "f.md", firstLine: firstLine, valueProblems: &problems), problems.isEmpty
        else {
            return "error"
        }
        return describe(node)
    }

    @Test func everyFrontMatterOfTheRealReportIsReadQuicklyAndAsYamsReadsIt() throws {
        var files = 0
        for folder in ["Content/threats", "Content/capabilities"] {
            let url = repositoryRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where name.hasSuffix(".md") {
                let text = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
                let split = try splitFrontMatter(text, file: name).get()
                let yaml = try #require(split.yaml)
                let quick = parseSimpleYAML(yaml, file: "f.md", firstLine: split.yamlFirstLine)
                #expect(quick != nil, "\(folder)/\(name) fell back to Yams")
                #expect(describe(quick) == yams(yaml, firstLine: split.yamlFirstLine), "\(folder)/\(name)")
                files += 1
            }
        }
        #expect(files > 40)
    }

    @Test func theShapesFrontMatterUsesMatchYams() {
        let cases = [
            "title: \"Hate crime (1)\"\norder: 1\nkind: threat\nboards: [b002]\ncapabilities: [c0001, c0011, c0019]\n",
            "key_figures:\n  - {label: \"Plans\", value: 1702, paragraph: 3}\n  - {label: 'It''s', value: \"30 to 40\"}\n",
            "boards: []\ncapabilities: [ a , b ]\n",
            "list:\n- one\n- two words\nnext: x\n",
            "label: the region’s share\nafter: “quoted” £20m\nvalue: 55 %\n",
            "summary: \"with \\\"escapes\\\" and \\\\ and a/b\"\n",
            "# a comment\n\ntitle: x\n\n# another\nlevel: local\n",
            "a: 1.5\nb: ~\nc: null\nd: (x)\ne: $5\nf: a:b\ng: x-y_z\n",
            "url: https://example.org/a?b=c\n",
            "a:   spaced value   \nb: x\n",
        ]
        for text in cases {
            let quick = parseSimpleYAML(text, file: "f.md", firstLine: 3)
            #expect(quick != nil, "\(text)")
            #expect(describe(quick) == yams(text, firstLine: 3), "\(text)")
        }
    }

    @Test func anythingElseIsLeftToYams() {
        let fallBack = [
            "a: b: c\n",  // a mapping inside a value
            "title: x # a comment\n",
            "a:\n  b: c\n",  // nested block mapping
            "a: &anchor 1\nb: *anchor\n",
            "a: 'two\n  lines'\n",
            "a: 1\na: 2\n",  // duplicate keys: Yams reports them
            "a: -5\n",
            "a:b\n",
            "a:\tb\n",
            "a: x\r\nb: y\r\n",
            "a: \"\\u00e9\"\n",
            "- just\n- a list\n",
            "a:\n",
            "",
            "a: [x, [y]]\n",
            "a: plain\n  continued\n",
        ]
        for text in fallBack {
            #expect(parseSimpleYAML(text, file: "f.md", firstLine: 1) == nil, "\(text)")
        }
    }
}
