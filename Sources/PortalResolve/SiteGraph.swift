import Foundation
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
/// reference is one retain where a copy of every field was dozens. What every page reads of
/// every section (file, slug, page, title) is held outright; the rest may wait until a page asks
/// (`SourceSlot`): a text-only rebuild (`resolveTextEdit`) reads the sources and relations of
/// only the pages it renders.
public final class Section: Sendable {
    public let file: String
    public let slug: String
    public let page: PageID
    public let title: String
    private let slot: SourceSlot<Details>
    public var source: SectionSource { slot.value.source }
    public var paragraphs: [Paragraph] { slot.value.paragraphs }
    public var headings: [Heading] { slot.value.headings }
    /// Capabilities the section relies on: listed in its front matter or cited in its text.
    public var capabilities: [String] { slot.value.capabilities }
    public var boards: [String] { slot.value.boards }
    public var tables: [String] { slot.value.tables }
    /// Where each link of the body points, in the body's link order (nil: not resolved).
    public var links: [LinkTarget?] { slot.value.links }

    /// Everything but the names: one object, so a page reading a field retains one reference.
    final class Details: Sendable {
        let source: SectionSource
        let paragraphs: [Paragraph]
        let headings: [Heading]
        let capabilities: [String]
        let boards: [String]
        let tables: [String]
        let links: [LinkTarget?]

        init(
            source: SectionSource, headings: [Heading], capabilities: [String], boards: [String], tables: [String],
            links: [LinkTarget?]
        ) {
            self.source = source
            self.paragraphs = source.body.paragraphs.map {
                Paragraph(number: $0.number, section: source.slug, location: $0.location, storedText: $0.storedText)
            }
            self.headings = headings
            self.capabilities = capabilities
            self.boards = boards
            self.tables = tables
            self.links = links
        }
    }

    convenience init(
        source: SectionSource, headings: [Heading], capabilities: [String], boards: [String], tables: [String],
        links: [LinkTarget?]
    ) {
        self.init(
            file: source.file, slug: source.slug, page: source.page, title: source.title.value,
            slot: .loaded(
                Details(
                    source: source, headings: headings, capabilities: capabilities, boards: boards, tables: tables,
                    links: links)))
    }

    init(file: String, slug: String, page: PageID, title: String, slot: SourceSlot<Details>) {
        self.file = file
        self.slug = slug
        self.page = page
        self.title = title
        self.slot = slot
    }
}

/// A resolved capability; a class for the same reason as `Section`, held the same way.
public final class Capability: Sendable {
    public let file: String
    public let slug: String
    public let title: String
    private let slot: SourceSlot<Details>
    public var source: CapabilitySource { slot.value.source }
    /// Sections that rely on it, in report order.
    public var sections: [String] { slot.value.sections }
    public var headings: [Heading] { slot.value.headings }
    public var links: [LinkTarget?] { slot.value.links }

    final class Details: Sendable {
        let source: CapabilitySource
        let sections: [String]
        let headings: [Heading]
        let links: [LinkTarget?]

        init(source: CapabilitySource, sections: [String], headings: [Heading], links: [LinkTarget?]) {
            self.source = source
            self.sections = sections
            self.headings = headings
            self.links = links
        }
    }

    convenience init(source: CapabilitySource, sections: [String], headings: [Heading], links: [LinkTarget?]) {
        self.init(
            file: source.file, slug: source.slug, title: source.title.value,
            slot: .loaded(Details(source: source, sections: sections, headings: headings, links: links)))
    }

    init(file: String, slug: String, title: String, slot: SourceSlot<Details>) {
        self.file = file
        self.slug = slug
        self.title = title
        self.slot = slot
    }
}

/// Paragraph number to the slug of the section holding it, in number order: two arrays rather
/// than a dictionary, so a rebuild reads the last build's from its snapshot without hashing
/// 100,000 numbers.
public struct ParagraphIndex: Sendable {
    /// Ascending.
    public let numbers: [Int]
    private let slugs: [String]

    init(numbers: [Int], slugs: [String]) {
        self.numbers = numbers
        self.slugs = slugs
    }

    init(_ table: [Int: String]) {
        let numbers = table.keys.sorted()
        self.init(numbers: numbers, slugs: numbers.map { table[$0]! })
    }

    public var count: Int { numbers.count }

    public subscript(number: Int) -> String? {
        var low = 0
        var high = numbers.count
        while low < high {
            let middle = (low + high) / 2
            if numbers[middle] < number { low = middle + 1 } else { high = middle }
        }
        return low < numbers.count && numbers[low] == number ? slugs[low] : nil
    }

    /// Each number with its section's slug, in number order.
    public var entries: Zip2Sequence<[Int], [String]> { zip(numbers, slugs) }
}

/// A source as the graph holds it: loaded, or read from the load cache the first time a page
/// asks, from any thread, and kept.
enum SourceSlot<Value>: @unchecked Sendable {
    case loaded(Value)
    case deferred(DeferredValue<Value>)

    var value: Value {
        switch self {
        case .loaded(let value): return value
        case .deferred(let deferred): return deferred.value
        }
    }
}

/// A value made once, on first use, by whichever thread asks first.
final class DeferredValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    private let make: () -> Value

    init(_ make: @escaping () -> Value) { self.make = make }

    var value: Value {
        lock.withLock {
            if let made { return made }
            let value = make()
            made = value
            return value
        }
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
    public var paragraphIndex: ParagraphIndex
    /// What cites each thing, in report order.
    public var citations: [CitedThing: [Citation]] { citationSlot.value }
    var citationSlot: SourceSlot<[CitedThing: [Citation]]>
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
