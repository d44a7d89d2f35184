import Foundation
import PortalBuild
import PortalLoad
import PortalSupport

/// `portal init DIR`: a small site that builds as it is and teaches by example, in plainly
/// placeholder words: every `site.yaml` key present and commented, a context section and a threat
/// section with numbered paragraphs, a capability cited from it, a table with a checked total and
/// a chart, and one entry in each data file. It needs no `Themes/` folder: the default theme is
/// built into the tool. Like `hugo new site`, it never overwrites: if any file it would write is
/// there already, it writes none.
public func initSite(at root: URL, copyTheme: Bool) -> Result<ScaffoldResult, ScaffoldError> {
    var files = starterSiteFiles
    if copyTheme {
        files += builtInThemeFiles.map { ("Themes/default/\($0.path)", $0.text) }
    }
    let created: [String]
    switch writeNewFiles(files, root: root, ifExists: "choose an empty or new folder: portal init NEW-FOLDER") {
    case .failure(let error): return .failure(error)
    case .success(let paths): created = paths
    }
    return .success(
        ScaffoldResult(
            created: created,
            next: [
                "cd \(root.path) && portal serve   (preview at http://127.0.0.1:8000/, rebuilt as you type)",
                "replace the placeholder text in Content/ with your report, then run 'portal check'",
                copyTheme
                    ? "edit Themes/default/ to change the look; delete any file you leave as it is"
                    : "to change the look, copy only the files you change into Themes/default/ "
                        + "(portal init --theme NEW-FOLDER shows them all)",
            ]))
}

/// An error's own words, without Foundation's domain and code.
func plainMessage(_ error: Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
        let text = String(validatingCString: strerror(Int32(underlying.code)))
    {
        return text
    }
    return nsError.localizedDescription
}

let starterSiteFiles: [(path: String, text: String)] = [
    (
        SitePath.siteFile,
        """
        # The site's settings. Every key is shown; the README's "site.yaml reference" explains each.
        title: Example assurance portal          # the site's name, in every page's header
        organisation: Example Constabulary       # who reports
        language: en-GB                          # the pages' lang attribute
        theme: default                           # built into portal; Themes/default/ overrides it file by file
        allow_raw_html: false                    # HTML written in Markdown is dropped unless true
        full_report: true                        # the whole report on one printable page (report/index.html)
        report:
          title: Example assurance report        # the paper's own title
          summary: "Example Constabulary reports to the board on how it meets its requirements, section by section."
          board: Example Scrutiny Board          # the board the paper goes to
          recipient: Police and Crime Commissioner
          agenda_item: 1
          meeting_date: 2025-03-12               # shown as 12 March 2025
          updates: the last briefing to the board   # what this paper updates, if it says
          updates_date: 2024-09-10               # and when that was
          updates_paragraph: 1                   # the paragraph that says so
        section_kinds:                           # the kinds of section, in the home page's order
          - id: threat
            label: threat                        # one section of this kind
            plural: threats                      # several: "The 1 threat at a glance"
            cards: true                          # a card each on the home page
          - id: context
            label: context section
            plural: context
            cards: false                         # a list of links on the home page
        capability_levels: [local, regional, national]   # the words a capability's level may take

        """
    ),
    (
        SitePath.inContent("sections/introduction.md"),
        """
        ---
        title: Introduction
        order: 1
        kind: context
        summary: "Placeholder: why this report comes to the board."
        boards: [example-board]
        ---

        1. Placeholder text: this report updates the board on how the force meets its requirements. Number
           paragraphs as the paper does; each gets an anchor, so [paragraph 2](para:2) links straight to it.

        2. Placeholder text: the [example threat section](section:example-threat) follows. Acronyms from
           the glossary, such as PCC, are spelled out for readers the first time a page uses them.

        """
    ),
    (
        SitePath.inContent("sections/example-threat.md"),
        """
        ---
        title: Example threat
        order: 2
        kind: threat
        summary: "Placeholder: the board's question about this threat."
        lead: "Placeholder: the lead officer's role"
        boards: [example-board]
        capabilities: [example-capability]
        key_figures:
          - {label: "Example figure", value: 120, paragraph: 3}
        ---

        3. Placeholder text: the force relies on its [example capability](capability:example-capability)
           for this threat, and [Operation Example](operation:example) is under way with
           [an example partner](partner:example-partner).

        4. Placeholder text: the figures are in the table below, and their total is checked on every build.

           ![Example figures](table:example-figures)

        5. Placeholder text: the force will report progress to the [board](board:example-board) by the
           date in the commitments file.

        """
    ),
    (
        SitePath.inContent("capabilities/example-capability.md"),
        """
        ---
        title: Example capability
        summary: "Placeholder: one sentence of what the report says about this capability."
        level: local
        threats: [example-threat]
        figures:
          - {label: "Officers trained", value: 40, target: 50, target_label: "target", paragraph: 3}
        ---

        Placeholder text. This page lists by itself every paragraph that cites the capability.

        """
    ),
    (
        SitePath.table("example-figures", "csv"),
        """
        Area,First quarter,Second quarter,Total
        North,10,20,30
        South,40,50,90

        """
    ),
    (
        SitePath.table("example-figures", "yaml"),
        """
        caption: "Example figures by area (placeholder)"
        paragraphs: [4]             # the paragraphs that state these figures
        units: {}                   # e.g. {Amount: "£", Rate: "%"}
        totals:                     # checked on every build: a wrong total fails it
          - column: Total
            sum_of: [First quarter, Second quarter]
        chart:
          title: "Example figures by area"
          columns: [First quarter, Second quarter]

        """
    ),
    (
        SitePath.data("glossary.yaml"),
        """
        # Acronyms the report uses; `paragraph` is where the report spells one out.
        - {term: PCC, expansion: "Police and Crime Commissioner"}

        """
    ),
    (
        SitePath.data("boards.yaml"),
        """
        # Governance boards the report names; chair and level only where the report states them.
        - id: example-board
          name: "Example Scrutiny Board"
          chair: "Placeholder: the chair's role"
          threats: [introduction, example-threat]
          paragraphs: [5]

        """
    ),
    (
        SitePath.data("partners.yaml"),
        """
        # Organisations the report names as partners.
        - id: example-partner
          name: "Example Partner Organisation"
          threats: [example-threat]
          paragraphs: [3]

        """
    ),
    (
        SitePath.data("operations.yaml"),
        """
        # Named operations, in the report's words.
        - id: example
          name: "Operation Example"
          description: "Placeholder: what the report says the operation does."
          threats: [example-threat]
          paragraphs: [3]

        """
    ),
    (
        SitePath.data("commitments.yaml"),
        """
        # Dated commitments the report makes; `due` at the precision the report gives.
        - id: example-progress-report
          what: "Placeholder: report progress to the board"
          due: 2025-06
          due_text: "June 2025"
          paragraph: 5
          threat: example-threat

        """
    ),
    (
        ".gitignore",
        """
        /Public/
        /.portal-cache/

        """
    ),
]
