import PortalLoad
import PortalSupport

/// What the Resolve stage produces: the site graph with every reference resolved, backlinks
/// computed and data verified. Render reads it; nothing after this point can fail on content.

/// A numbered paragraph of the report (`75. ...` in a section file), anchored as `#p75`.
public struct Paragraph: Sendable {
    public var number: Int
    public var section: String
    public var location: SourceLocation
    /// Plain text, for excerpts on capability pages and the search index.
    public var text: String { storedText.value }
    /// The text, or where it waits in the load cache (`DeferredText`).
    package var storedText: DeferredText

    init(number: Int, section: String, location: SourceLocation, storedText: DeferredText) {
        self.number = number
        self.section = section
        self.location = location
        self.storedText = storedText
    }
}

/// Where a resolved link points.
public enum LinkTarget: Hashable, Sendable {
    /// A page of the site, with an optional fragment (`p75`).
    case page(PageID, fragment: String?)
    /// A same-page fragment.
    case fragment(String)
    /// An address outside the site, left as written.
    case external(String)
    /// `![caption](table:id)`: the table itself is drawn in place.
    case embedTable(String)
    /// A page of a recorded edition (`edition:2023-12/para:75`), by its path from the site's
    /// root: `editions/2023-12/threats/terrorism.html`.
    case edition(String, fragment: String?)
}

/// Something that can be cited, to collect backlinks for it.
public enum CitedThing: Hashable, Sendable {
    case section(String)
    case capability(String)
    case table(String)
    case registerEntry(Register, String)
}

/// One place that cites something: a page, and the report paragraph the link sits in.
public struct Citation: Hashable, Sendable {
    public var page: PageID
    public var paragraph: Int?
    public var location: SourceLocation
}

/// A resolved section. A class, not a struct: pages look sections up thousands of times, and a
/// reference is one retain where a copy of every field was dozens.
public final class Section: Sendable {
    public let source: SectionSource
    public var slug: String { source.slug }
    public var page: PageID { source.page }
    public var title: String { source.title.value }
    public let paragraphs: [Paragraph]
    public let headings: [Heading]
    /// Capabilities the section relies on: listed in its front matter or cited in its text.
    public let capabilities: [String]
    public let boards: [String]
    public let tables: [String]
    /// Where each link of the body points, in the body's link order (nil: not resolved).
    public let links: [LinkTarget?]

    init(
        source: SectionSource, paragraphs: [Paragraph], headings: [Heading], capabilities: [String], boards: [String],
        tables: [String], links: [LinkTarget?]
    ) {
        self.source = source
        self.paragraphs = paragraphs
        self.headings = headings
        self.capabilities = capabilities
        self.boards = boards
        self.tables = tables
        self.links = links
    }
}

/// A resolved capability; a class for the same reason as `Section`.
public final class Capability: Sendable {
    public let source: CapabilitySource
    public var slug: String { source.slug }
    public var title: String { source.title.value }
    /// Sections that rely on it, in report order.
    public let sections: [String]
    public let headings: [Heading]
    public let links: [LinkTarget?]

    init(source: CapabilitySource, sections: [String], headings: [Heading], links: [LinkTarget?]) {
        self.source = source
        self.sections = sections
        self.headings = headings
        self.links = links
    }
}

/// A heading in a Markdown body, with the id the contents list links to.
public struct Heading: Sendable {
    public var level: Int
    public var text: String
    public var id: String
}

/// A verified table: its cells typed, its totals checked.
public struct DataTable: Sendable {
    public var source: TableSource
    public var id: String { source.id }
    /// For each column, whether every stated cell is a number (those are right-aligned).
    public var numericColumns: [Bool]
    /// Cells that do not add up, keyed by row and column index, with the figure they sum to.
    public var discrepancies: [TableCellKey: Discrepancy]
    /// How many stated totals the build verified.
    public var verifiedTotals: Int
    /// The section that holds the table's source paragraph, if any.
    public var section: String?
}

public struct TableCellKey: Hashable, Sendable {
    public var row: Int
    public var column: Int

    package init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}

public struct RegisterEntry: Sendable {
    public var source: RegisterEntrySource
    public var id: String { source.id.value }
    public var anchor: String { "\(source.register.rawValue)-\(source.id.value)" }
}

public struct Commitment: Sendable {
    public var source: CommitmentSource
    /// The section the commitment belongs to (named, or derived from its paragraph).
    public var section: String?
}

/// The resolved site.
public struct SiteGraph: Sendable {
    public var config: SiteConfig
    public var theme: Theme
    public var folders: SiteFolders
    /// Git's "last updated" dates, as Load read them.
    public var history: GitHistory
    /// Report sections in report order.
    public var sections: [Section]
    /// Capabilities sorted by title.
    public var capabilities: [Capability]
    public var tables: [DataTable]
    public var glossary: [GlossaryEntry]
    public var registerEntries: [RegisterEntry]
    /// Commitments soonest first; undated ones last.
    public var commitments: [Commitment]
    /// Paragraph number to the section holding it.
    public var paragraphIndex: [Int: String]
    public var citations: [CitedThing: [Citation]]
    public var referenceCount: Int
    /// The recorded editions, and which one this graph is (`Editions/`; none for most sites).
    public var editions: EditionHistory = .none
    /// What changed since the edition before this one (`editions.previous`); nil without one.
    public var changes: EditionChanges?
    package var sectionIndex: [String: Int]
    var capabilityIndex: [String: Int]
    var tableIndex: [String: Int]
    /// Position in `registerEntries`, by kind and id.
    var registerEntryIndex: [Register: [String: Int]] = [:]

    public func section(_ slug: String) -> Section? { sectionIndex[slug].map { sections[$0] } }
    /// The page of the section with this slug, wherever its folder is.
    public func sectionPage(_ slug: String) -> PageID? { section(slug)?.page }
    public func capability(_ slug: String) -> Capability? { capabilityIndex[slug].map { capabilities[$0] } }
    public func table(_ id: String) -> DataTable? { tableIndex[id].map { tables[$0] } }
    public func registerEntry(_ kind: Register, _ id: String) -> RegisterEntry? {
        registerEntryIndex[kind]?[id].map { registerEntries[$0] }
    }

    public func paragraph(_ number: Int) -> Paragraph? {
        guard let slug = paragraphIndex[number] else { return nil }
        return section(slug)?.paragraphs.first { $0.number == number }
    }
}
