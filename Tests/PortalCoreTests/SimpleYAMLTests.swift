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

    /// The shipped report's files in these folders whose names end so, with their texts.
    func reportFiles(in folders: [String], ending: String) throws -> [(folder: String, name: String, text: String)] {
        try folders.flatMap { folder in
            let url = repositoryRoot.appendingPathComponent(folder)
            return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(ending) }.map {
                (folder, $0, try String(contentsOf: url.appendingPathComponent($0), encoding: .utf8))
            }
        }
    }

    @Test func everyFrontMatterOfTheRealReportIsReadQuicklyAndAsYamsReadsIt() throws {
        let files = try reportFiles(in: ["Content/threats", "Content/capabilities"], ending: ".md")
        for (folder, name, text) in files {
            let split = try splitFrontMatter(text, file: name).get()
            let yaml = try #require(split.yaml)
            let quick = parseSimpleYAML(yaml, file: "f.md", firstLine: split.yamlFirstLine)
            #expect(quick != nil, "\(folder)/\(name) fell back to Yams")
            #expect(describe(quick) == yams(yaml, firstLine: split.yamlFirstLine), "\(folder)/\(name)")
        }
        #expect(files.count > 40)
    }

    @Test func everyTableSidecarAndDataFileOfTheRealReportIsReadQuicklyAndAsYamsReadsIt() throws {
        var quickly = 0
        for (folder, name, text) in try reportFiles(in: ["Content/data/tables", "Content/data"], ending: ".yaml") {
            let quick = parseSimpleYAML(text, file: "f.md", firstLine: 1)
            // Sidecars all take the quick path; a data file may step aside (an empty value, whose
            // place Yams gives its own way) but never reads differently.
            if folder.hasSuffix("tables") { #expect(quick != nil, "\(name) fell back to Yams") }
            if quick == nil { continue }
            #expect(describe(quick) == yams(text), "\(name)")
            quickly += 1
        }
        #expect(quickly >= 10)
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
            // Table sidecars: nested block maps, lists of maps, an empty map.
            "a:\n  b: c\n",
            "caption: \"T\"\nunits: {}\ntotals:\n  - column: Total\n    sum_of: [North, South]\n  - column: B\n    sum_of: [x]\n",
            "chart:\n  title: \"C\"\n  rows: [\"a\", \"b\"]\n\n  overview: true\nafter: 1\n",
            "a:\n  b:\n    c: 1\n    d: [2]\n  e: 3\nf: 4\n",
            "a:\n- k: v\n  l: w\n- plain\nb: x\n",
            "a:\n  -   k: v\n      l: w\n",
            "units: { }\nb: {x: 1}\n",
            "units:\n  Vacancy rate: \"%\"\n  Cost per head: £\nc: {Two words: 1}\n",
            "a:\n- two words: x\n",
            // Data files: a list at the top.
            "- just\n- a list\n",
            "# terms\n- {term: PCC, expansion: \"Police and Crime Commissioner\"}\n- {term: A&E}\n",
            "- id: b1\n  name: B\n- id: b2\n",
            "- {id: o001, name: \"Operation 1\", paragraphs: [121, 431]}\n- {id: o2, paragraphs: []}\n",
        ]
        for text in cases {
            let quick = parseSimpleYAML(text, file: "f.md", firstLine: 3)
            #expect(quick != nil, "\(text)")
            #expect(describe(quick) == yams(text, firstLine: 3), "\(text)")
        }
    }

    /// Random documents of the pieces sidecars and front matter are made of, indented at random:
    /// whatever the quick reader accepts, Yams must read the same. Seeded, so a failure repeats.
    @Test func randomNestedDocumentsReadQuicklyOnlyAsYamsReadsThem() {
        var random = SeededRandom(seed: 12)
        let keys = ["a", "b", "caption", "Two words", "sum_of", "-x", "- y", "k-2"]
        let values = [
            "1", "x", "\"q\"", "'s'", "[a, b]", "{}", "{k: v}", "", "a: b", "# c", "-", "- z", "[x", "{k: [a, 'b']}",
            "{k: [a, [b]]}", "{k: [}",
        ]
        var quick = 0
        for _ in 0..<20000 {
            var text = ""
            for _ in 0..<random.next(upTo: 6) + 1 {
                let indent = String(repeating: " ", count: [0, 0, 2, 4, 6, 1][random.next(upTo: 6)])
                let dash = random.next(upTo: 4) == 0 ? "- " : ""
                let key = keys[random.next(upTo: keys.count)]
                let value = values[random.next(upTo: values.count)]
                text +=
                    random.next(upTo: 8) == 0
                    ? "\n" : indent + dash + key + ":" + (value.isEmpty ? "" : " " + value) + "\n"
            }
            guard let node = parseSimpleYAML(text, file: "f.md", firstLine: 1) else { continue }
            quick += 1
            #expect(describe(node) == yams(text), "\(text)")
        }
        // Enough of them take the quick path for the comparison to mean something.
        #expect(quick > 300)
    }

    @Test func anythingElseIsLeftToYams() {
        let fallBack = [
            "a: b: c\n",  // a mapping inside a value
            "title: x # a comment\n",
            "a:\n  b: c\n    d: e\n",  // a deeper line after a value
            "a:\n  b: c\n - d\n",
            "a:\n  - k: v\n     l: w\n",  // keys of a list's map out of line
            "a:\n  - k:\n  - l\n",
            "a:\n  b: 1\n  b: 2\n",
            "a :\n",
            "a: 1\n- b: 2\n",
            "- a\nb: 1\n",
            "- a\n  - b\n",
            "two  spaces: x\n",
            "a:\n  b : c\n",
            "a:\n  b:\n    c:\n      d:\n        e:\n          f: 1\n",  // deeper than the quick reader goes
            "a: &anchor 1\nb: *anchor\n",
            "a: 'two\n  lines'\n",
            "a: 1\na: 2\n",  // duplicate keys: Yams reports them
            "a: -5\n",
            "a:b\n",
            "a:\tb\n",
            "a: x\r\nb: y\r\n",
            "a: \"\\u00e9\"\n",
            "a:\n",
            "",
            "a: [x, [y]]\n",
            "a: {k: [x, [y]]}\n",
            "a: {k: {j: 1}}\n",
            "a: plain\n  continued\n",
        ]
        for text in fallBack {
            #expect(parseSimpleYAML(text, file: "f.md", firstLine: 1) == nil, "\(text)")
        }
    }
}

/// A small seeded generator (SplitMix64), so a random test fails the same way every run.
struct SeededRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(upTo bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
