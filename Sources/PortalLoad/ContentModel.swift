import PortalMarkdown
import PortalSupport

/// What the Load stage produces: every input parsed and typed, nothing cross-checked yet.

public struct SiteConfig: Sendable {
    public var title: String
    public var organisation: String
    public var language: String
    public var theme: Located<String>
    /// Raw HTML in Markdown is dropped unless this is on.
    public var allowRawHTML: Bool
    /// The full report on one page (`report/index.html`), for reading through and printing.
    /// On by default; a site of thousands of sections may turn it off.
    public var fullReport: Bool = true
    public var report: ReportInfo
    /// The kinds of section the report has, in the order the home page shows them.
    public var sectionKinds: [SectionKind] = SectionKind.defaults
    /// The levels a capability may have, in the order the capability index lists them.
    public var capabilityLevels: [String] = SiteConfig.defaultLevels
    /// Where the site is served on the web server (`/spr/`), for pages that cannot link
    /// relatively: the not-found page, served for a missing address at any depth.
    public var basePath: String?
    public static let defaultLevels = ["local", "regional", "national"]

    public static let allowedKeys = [
        "title", "organisation", "language", "theme", "allow_raw_html", "full_report", "report", "section_kinds",
        "capability_levels", "base_path",
    ]

    public func sectionKind(_ id: String) -> SectionKind? { sectionKinds.first { $0.id == id } }
}

public struct ReportInfo: Sendable {
    public var title: String?
    /// One or two sentences under the home page's title: what the report is for.
    public var summary: String?
    /// The report's own date, where the content states it: shown in "About this report" and
    /// the date its commitments are read against.
    public var date: PartialDate?
    public var board: String?
    public var recipient: String?
    public var agendaItem: String?
    public var meetingDate: String?
    public var updates: String?
    /// The date of the briefing this report updates, shown after `updates` in the one date style.
    public var updatesDate: PartialDate?
    public var updatesParagraph: Located<Int>?

    static let allowedKeys = [
        "title", "summary", "date", "board", "recipient", "agenda_item", "meeting_date", "updates", "updates_date",
        "updates_paragraph",
    ]
}

/// A kind of section (`kind:` in a section's front matter), named by the site: the SPR report's
/// sections are national threats and context, another report's may be findings or appendices.
public struct SectionKind: Sendable, Hashable {
    public var id: String
    /// One section of this kind, as a tag or in a sentence: "national threat".
    public var label: String
    /// Several, as in "The 7 national threats at a glance".
    public var plural: String
    /// Shown on the home page as a card each (with lead, boards and key figures), rather than
    /// as a plain list of links.
    public var cards: Bool
    /// The id of its block on the home page.
    public var anchor: String

    /// What a site gets without `section_kinds:` in site.yaml.
    public static let defaults = [
        SectionKind(id: "threat", label: "threat", plural: "threats", cards: true, anchor: "threats"),
        SectionKind(id: "context", label: "context section", plural: "context", cards: false, anchor: "context"),
    ]

    static let allowedKeys = ["id", "label", "plural", "cards"]
}

/// A figure the report states, with the paragraph that states it.
public struct Figure: Sendable {
    public var label: String
    public var value: FigureValue
    public var unit: String?
    public var target: Number?
    public var targetLabel: String?
    public var paragraph: Located<Int>

    static let allowedKeys = ["label", "value", "unit", "target", "target_label", "paragraph"]
}

public enum FigureValue: Sendable {
    case number(Number)
    case text(String)
}

public struct Inspection: Sendable {
    public var body: String
    public var status: String
    public var date: String?
    public var paragraph: Located<Int>?

    static let allowedKeys = ["body", "status", "date", "paragraph"]
}

/// A report section (`Content/sections/<slug>.md`, or `Content/threats/<slug>.md`): one of the
/// report's parts, of a kind the site names (threat, context, appendix ...).
/// A class: every stage passes sections around thousands of times, and a reference is one
/// retain where a copy of every field was a dozen.
public final class SectionSource: Sendable {
    public let file: String
    public let slug: String
    /// The content folder it came from, which is also its URL folder (`threats`, `sections`).
    public let folder: String
    public let title: Located<String>
    public let order: Located<Int>
    /// The id of its `SectionKind`.
    public let kind: String
    public let summary: String
    public let lead: String?
    public let boards: [Located<String>]
    public let capabilities: [Located<String>]
    public let inspection: Inspection?
    public let keyFigures: [Figure]
    public let body: ParsedBody
    /// Fingerprint of what other pages depend on (front matter and the body's structure).
    public let interface: String

    init(
        file: String, slug: String, folder: String, title: Located<String>, order: Located<Int>, kind: String,
        summary: String,
        lead: String?, boards: [Located<String>], capabilities: [Located<String>], inspection: Inspection?,
        keyFigures: [Figure], body: ParsedBody, interface: String
    ) {
        self.file = file
        self.slug = slug
        self.folder = folder
        self.title = title
        self.order = order
        self.kind = kind
        self.summary = summary
        self.lead = lead
        self.boards = boards
        self.capabilities = capabilities
        self.inspection = inspection
        self.keyFigures = keyFigures
        self.body = body
        self.interface = interface
    }

    static let allowedKeys = [
        "title", "order", "kind", "summary", "lead", "boards", "capabilities", "inspection", "key_figures",
    ]
}

/// A capability (`Content/capabilities/<slug>.md`); a class for the same reason as `SectionSource`.
public final class CapabilitySource: Sendable {
    public let file: String
    public let slug: String
    public let title: Located<String>
    public let summary: String
    /// One of the site's `capability_levels`, as the report puts it.
    public let level: String?
    /// The sections that rely on it: front matter `threats:`, the word the shipped report's
    /// authors use (code and docs say "section"; a threat is one kind of section).
    public let sections: [Located<String>]
    public let figures: [Figure]
    public let aliases: [String]
    public let body: ParsedBody
    public let interface: String

    init(
        file: String, slug: String, title: Located<String>, summary: String, level: String?,
        sections: [Located<String>], figures: [Figure], aliases: [String], body: ParsedBody, interface: String
    ) {
        self.file = file
        self.slug = slug
        self.title = title
        self.summary = summary
        self.level = level
        self.sections = sections
        self.figures = figures
        self.aliases = aliases
        self.body = body
        self.interface = interface
    }

    static let allowedKeys = ["title", "summary", "level", "threats", "figures", "aliases"]
}

public struct GlossaryEntry: Sendable {
    public var term: String
    public var expansion: String
    public var paragraph: Located<Int>?
    public var location: SourceLocation

    static let allowedKeys = ["term", "expansion", "paragraph"]
}

extension AbbreviationIndex {
    /// The glossary's acronyms, for Markdown (first use in a body) and Render (text from data).
    package init(_ glossary: [GlossaryEntry]) {
        self.init(
            terms: glossary.map {
                Abbreviation(term: $0.term, expansion: $0.expansion, paragraph: $0.paragraph?.value)
            })
    }
}

/// The registers shown under `reference/`: boards, partners and operations share one shape, a
/// named thing the report mentions.
public enum Register: String, Sendable, CaseIterable {
    case board, partner, operation

    public var file: String {
        switch self {
        case .board: return "boards.yaml"
        case .partner: return "partners.yaml"
        case .operation: return "operations.yaml"
        }
    }

    var allowedKeys: [String] {
        switch self {
        case .board: return ["id", "name", "chair", "level", "threats", "paragraphs"]
        case .partner: return ["id", "name", "threats", "paragraphs"]
        case .operation: return ["id", "name", "description", "scope", "threats", "paragraphs"]
        }
    }
}

/// One entry of a register (`Content/data/boards.yaml` …), shown under `reference/`.
public struct RegisterEntrySource: Sendable {
    public var register: Register
    public var id: Located<String>
    public var name: String
    public var description: String?
    public var chair: String?
    /// Board level or operation scope, as the report puts it.
    public var scope: String?
    /// The sections it works on: `threats:` in the data, as for a capability.
    public var sections: [Located<String>]
    public var paragraphs: [Located<Int>]
}

/// A date at the precision the report gives: a year, a month or a day.
public struct PartialDate: Sendable, Comparable, Hashable {
    public var year: Int
    public var month: Int?
    public var day: Int?

    package init(year: Int, month: Int?, day: Int?) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        year = parts[0]!
        month = parts.count > 1 ? parts[1] : nil
        day = parts.count > 2 ? parts[2] : nil
        guard (1000...9999).contains(year) else { return nil }
        if let month, !(1...12).contains(month) { return nil }
        if let day, !(1...31).contains(day) { return nil }
    }

    /// The earliest day the period covers, so "2024" sorts before "2024-03-31".
    var sortKey: (Int, Int, Int) { (year, month ?? 0, day ?? 0) }

    public static func < (a: PartialDate, b: PartialDate) -> Bool { a.sortKey < b.sortKey }

    /// "31 March 2024", "January 2024", "2024".
    public var formatted: String {
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        switch (month, day) {
        case (let month?, let day?): return "\(day) \(months[month - 1]) \(year)"
        case (let month?, nil): return "\(months[month - 1]) \(year)"
        default: return "\(year)"
        }
    }

    /// ISO form for `<time datetime>`.
    public var iso: String {
        var text = String(year)
        if let month { text += "-" + (month < 10 ? "0" : "") + String(month) }
        if let day { text += "-" + (day < 10 ? "0" : "") + String(day) }
        return text
    }
}

public struct CommitmentSource: Sendable {
    public var id: Located<String>
    public var what: String
    public var due: PartialDate?
    public var dueText: String?
    public var paragraph: Located<Int>
    /// The section it belongs to: `threat:` in the data, the word the shipped report's authors use.
    public var section: Located<String>?
    /// What this edition says of it (met, delayed ...), in the content's own words; nil when it
    /// says nothing, and then nothing is guessed.
    public var status: String? = nil

    static let allowedKeys = ["id", "what", "due", "due_text", "paragraph", "threat", "status"]
}

/// A table of figures: `Content/data/tables/<id>.csv` with its sidecar `<id>.yaml`.
public struct TableSource: Sendable {
    public var id: String
    public var csvFile: String
    public var sidecarFile: String
    public var caption: Located<String>
    public var description: String?
    public var paragraphs: [Located<Int>]
    public var units: [String: Located<String>]
    public var header: [Located<String>]
    public var rows: [[Located<String>]]
    /// What each cell of `rows` states, read once with the column's unit (column 0: the labels).
    package var readings: [[CellReading]]
    public var totals: [TotalCheck]
    public var discrepancies: [Discrepancy]
    public var csvText: String
    /// The sidecar's `chart:`, a bar chart drawn at build time beside the table.
    public var chart: ChartSpec? = nil

    static let allowedKeys = ["caption", "description", "paragraphs", "units", "totals", "discrepancies", "chart"]
}

/// A stated total the build verifies: a column that sums others (in every row), or a row that
/// sums or subtracts others (in every numeric column).
public struct TotalCheck: Sendable {
    public enum Target: Sendable {
        case column(String)
        case row(String)
    }
    public enum Operation: Sendable {
        case sum([String])
        case difference(String, String)
    }
    public var target: Target
    public var operation: Operation
    public var location: SourceLocation

    static let allowedKeys = ["column", "row", "sum_of", "difference_of"]
}

/// A figure the report states that does not add up, kept as stated and flagged to readers.
public struct Discrepancy: Sendable {
    public var row: String
    public var column: String
    public var expected: Number
    public var note: String
    public var location: SourceLocation

    static let allowedKeys = ["row", "column", "expected", "note"]
}

/// Everything read from `Content/` and the theme.
public struct LoadedSite: Sendable {
    public var folders: SiteFolders
    public var config: SiteConfig
    public var sections: [SectionSource]
    public var capabilities: [CapabilitySource]
    public var glossary: [GlossaryEntry]
    public var registerEntries: [RegisterEntrySource]
    public var commitments: [CommitmentSource]
    public var tables: [TableSource]
    public var theme: Theme
    /// When each source last changed, read here so later stages never run git.
    public var history = GitHistory()
    /// Sections and capabilities that failed to load, with what could still be read of them, so
    /// references to them are not reported as well as the cause.
    package var unloaded: [UnloadedSource] = []
    /// Data files with errors: ids they should define may be missing because of them.
    package var failedDataFiles: Set<String> = []
}

/// A Markdown source that has errors: its slug, and its body when the front matter could at
/// least be split off (nil when not, so any paragraph number may be in it).
package struct UnloadedSource: Sendable {
    package var file: String
    package var slug: String
    package var isSection: Bool
    package var body: ParsedBody?
}
