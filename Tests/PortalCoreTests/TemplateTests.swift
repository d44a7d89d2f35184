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

@Suite("Templates")
struct TemplateTests {
    func render(_ template: String, _ context: TemplateObject, partials: [String: String] = [:]) throws -> String {
        var library = TemplateLibrary()
        library.register(try Template(template), named: "page")
        for (name, text) in partials { library.register(try Template(text), named: name) }
        return library.render(.object(context), template: "page") ?? "<missing>"
    }

    @Test func variablesAreEscapedUnlessTriple() throws {
        let context: TemplateObject = ["x": "<b>'a' & \"b\"</b>", "n": 42]
        #expect(
            try render("{{x}}|{{{x}}}|{{& x}}|{{n}}", context)
                == "&lt;b&gt;&#39;a&#39; &amp; &quot;b&quot;&lt;/b&gt;|<b>'a' & \"b\"</b>|<b>'a' & \"b\"</b>|42")
    }

    @Test func sectionsIterateListsAndPushObjects() throws {
        let context: TemplateObject = [
            "items": [["name": "a"], ["name": "b"]], "report": ["board": "SPCB"], "yes": true, "no": false,
            "title": "outer",
        ]
        #expect(try render("{{#items}}{{name}}{{title}};{{/items}}", context) == "aouter;bouter;")
        #expect(try render("{{#report}}{{board}}{{/report}} {{report.board}}", context) == "SPCB SPCB")
        #expect(
            try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}{{^missing}}m{{/missing}}", context) == "Ynm")
        #expect(
            try render("{{#items}}{{.}}{{/items}}{{#title}}[{{.}}]{{/title}}", ["items": ["x", "y"], "title": "t"])
                == "xy[t]")
    }

    @Test func emptyTextAndEmptyListsAreFalse() throws {
        #expect(try render("{{#a}}A{{/a}}{{^a}}-{{/a}}{{#l}}L{{/l}}{{^l}}-{{/l}}", ["a": "", "l": []]) == "--")
    }

    @Test func transforms() throws {
        let context: TemplateObject = ["boards": ["a", "b", "c"], "none": []]
        #expect(try render("{{#boards}}{{.}}{{^last()}}, {{/last()}}{{/boards}}", context) == "a, b, c")
        #expect(try render("{{#boards}}{{#first()}}>{{/first()}}{{index()}}{{/boards}}", context) == ">012")
        #expect(
            try render("{{^empty(boards)}}has{{/empty(boards)}}{{#empty(none)}} none{{/empty(none)}}", context)
                == "has none")
        #expect(try render("{{count(boards)}}", context) == "3")
    }

    @Test func objectsSetLikeDictionaries() throws {
        var object: TemplateObject = ["a": "1", "b": 2]
        object["a"] = "one"
        object["c"] = true
        object["b"] = nil
        object["missing"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(try render("{{a}}|{{b}}|{{c}}", object) == "one||true")
        #expect(try render("{{n}} {{s}}", ["n": 7, "s": "x\(7)y"]) == "7 x7y")
    }

    @Test func standaloneTagsRemoveTheirLines() throws {
        let template = "<ul>\n  {{#items}}\n<li>{{.}}</li>\n  {{/items}}\n{{! note }}\n</ul>\n"
        #expect(try render(template, ["items": ["a", "b"]]) == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
        let adjacent = "a\n{{#x}}\n{{/x}}\n{{^x}}\nnone\n{{/x}}\nb\n"
        #expect(try render(adjacent, ["x": false]) == "a\nnone\nb\n")
    }

    @Test func partials() throws {
        #expect(try render("[{{> item}}]", ["name": "n"], partials: ["item": "<{{name}}>"]) == "[<n>]")
    }

    @Test func errorsSayWhere() {
        #expect(throws: TemplateError.self) { try Template("a\n{{#x}}\nb") }
        do {
            _ = try Template("line one\n  {{#x}}{{/y}}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.contains("{{#x}}"))
        }
        #expect(throws: TemplateError.self) { try Template("{{ unclosed") }
    }

    func check(_ templates: [String: String]) throws -> [Diagnostic] {
        var library = TemplateLibrary()
        for (name, text) in templates { library.register(try Template(text), named: name) }
        return checkTemplates(library, folder: "T")
    }

    @Test func aCycleOfPartialsIsFoundOnceAtTheTagThatClosesIt() throws {
        let found = try check([
            "home": "{{> a}}", "a": "{{> b}}", "b": "{{> c}}", "c": "x\n  {{> a}}{{> gone}}",
        ])
        #expect(found.map(\.code).sorted() == ["partial-cycle", "partial-missing"])
        let cycle = found.first { $0.code == "partial-cycle" }
        #expect(cycle?.message.contains("a → b → c → a") == true)
        #expect(cycle?.location == SourceLocation(file: "T/c.mustache", line: 2, column: 3))
        #expect(found.first { $0.code == "partial-missing" }?.location.column == 10)
    }

    @Test func namesAreCheckedAgainstThePageTemplateThroughItsPartials() throws {
        let found = try check([
            "glossary": "{{#entries}}{{term}}{{> row}}{{/entries}}{{^empty(entries)}}{{count}}{{/empty(entries)}}",
            "row": "{{expansion}} {{.}} {{#last()}}{{/last()}} {{titel}}",
        ])
        #expect(
            found.map(\.description) == [
                "T/row.mustache:1:44: error: 'titel' is not a name this template's pages ever have, so it would always be empty (did you mean 'title'?)"
            ])
        // Templates that are neither pages nor included are not checked for names.
        #expect(try check(["spare": "{{anything}}"]).isEmpty)
    }
}
