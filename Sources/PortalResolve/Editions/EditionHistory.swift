import PortalLoad
import PortalSupport

/// Editions: every report the board has received stays readable. A recorded edition is a frozen
/// copy of `Content/` (`Editions/<id>/Content/`, ARCHITECTURE.md says why); each build loads and
/// resolves it with the current tool and theme (or reuses what the last build kept, as its files
/// cannot change) and keeps what it stated as an `EditionSnapshot`: that is all the current
/// edition needs of it, for `edition:` references, renumbering checks and "what changed".

/// What one edition states, in the terms editions are compared in: numbered paragraphs with their
/// text, key figures, table cells and dated commitments. Codable, so a recorded edition's is kept
/// between builds.
public struct EditionSnapshot: Sendable, Codable, Equatable {
    public struct Section: Sendable, Codable, Equatable {
        public var slug: String
        public var title: String
        /// The section's page, relative to the edition's root: `threats/terrorism.html`.
        public var path: String
    }

    public struct Paragraph: Sendable, Codable, Equatable {
        public var number: Int
        /// The slug of the section holding it.
        public var section: String
        /// Plain text, as the search index and excerpts read it.
        public var text: String
    }

    /// A key figure of a section. Figures have no id; within a section, the label names one.
    public struct Figure: Sendable, Codable, Equatable {
        public var section: String
        public var label: String
        /// As the page shows it (`13.3%`, `£20m to £40m`).
        public var value: String
        /// The number, where the figure is one (for trends).
        public var number: Double?
        public var paragraph: Int
    }

    /// One cell of a data table, named by its table, its row's label and its column's header.
    public struct Cell: Sendable, Codable, Equatable {
        public var table: String
        public var caption: String
        public var row: String
        public var column: String
        /// As the author wrote it.
        public var value: String
        public var number: Double?
    }

    public struct Commitment: Sendable, Codable, Equatable {
        public var id: String
        public var what: String
        public var section: String?
        public var paragraph: Int
        /// The due date at the precision the report gives (`2024-01`, `2024`), or nil.
        public var due: String?
        public var dueText: String?
        /// What the content says of it (`status:` in commitments.yaml), never guessed.
        public var status: String?
    }

    public var sections: [Section] = []
    /// In number order.
    public var paragraphs: [Paragraph] = []
    public var figures: [Figure] = []
    public var cells: [Cell] = []
    public var commitments: [Commitment] = []
    /// Every citation of a paragraph by its number, as "who\tnumber": who is the citing file or
    /// data entry (`Content/threats/terrorism.md`, `table:rocu-establishment`). A citation the next
    /// edition still makes, of a number that now holds other words, was likely not updated.
    public var citations: [String] = []

    public init() {}
}

/// The recorded editions a build knows, oldest first, and which of them (if any) it is building.
public struct EditionHistory: Sendable {
    public struct Recorded: Sendable {
        public var info: EditionInfo
        public var snapshot: EditionSnapshot
        public init(info: EditionInfo, snapshot: EditionSnapshot) {
            self.info = info
            self.snapshot = snapshot
        }
    }

    /// Every recorded edition, oldest first (by date, then id).
    public var recorded: [Recorded]
    /// The edition this graph is: nil for the current content, else a recorded one.
    public var building: EditionInfo?
    /// When building a recorded edition: the current edition's pages (paths from the site root),
    /// so its banner can link to the same page in the current one where there is one.
    public var currentPages: Set<String> = []

    public init(recorded: [Recorded] = [], building: EditionInfo? = nil) {
        self.recorded = recorded
        self.building = building
    }

    /// No editions recorded: the site has only its current content.
    public static let none = EditionHistory()

    /// The editions before the one being built, oldest first: all of them for the current one.
    public var earlier: [Recorded] {
        guard let building else { return recorded }
        return Array(recorded.prefix { $0.info.id != building.id })
    }

    /// The edition the one being built is compared with: the one just before it.
    public var previous: Recorded? { earlier.last }

    public func edition(_ id: String) -> Recorded? { recorded.first { $0.info.id == id } }
}
