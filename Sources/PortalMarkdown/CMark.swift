import CCmarkGFM
import CPortalSystem
import Foundation
import PortalSupport

/// The cmark-gfm extensions every document is parsed and rendered with, registered once.
struct CMarkExtensions: @unchecked Sendable {
    static let names = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    /// Built once per process; cmark's registry is global, and this list only ever is read.
    static let shared = CMarkExtensions()

    let extensions: [OpaquePointer]
    let list: UnsafeMutablePointer<cmark_llist>?
    /// The table extension's node type, known once the extensions are registered.
    let tableType: cmark_node_type
    /// cmark-gfm keeps one process-wide table of the characters its extensions react to (`:` for
    /// autolinks, `~` for strikethrough) and clears it at the end of every parse, so two parses at
    /// once would make each other miss links at random. The portal replaces the library's
    /// function that sets and clears it (CPortalSystem/cmark_special_characters.c) so the table is
    /// set once and never cleared. Until that is confirmed, after the first parse, parses take
    /// turns under this lock; from then on they run on every core.
    let parseLock = NSLock()
    /// True once the table is set for good and parses need not take turns.
    static var parsesInParallel: Bool { portal_cmark_special_characters_pinned() != 0 }

    private init() {
        cmark_gfm_core_extensions_ensure_registered()
        var found: [OpaquePointer] = []
        var list: UnsafeMutablePointer<cmark_llist>? = nil
        for name in Self.names {
            guard let ext = cmark_find_syntax_extension(name) else { continue }
            found.append(ext)
            list = cmark_llist_append(cmark_get_default_mem_allocator(), list, UnsafeMutableRawPointer(ext))
        }
        extensions = found
        self.list = list
        // Read once here, after registration; the library never changes it afterwards.
        tableType = portal_table_node_type()
    }
}

/// A parsed Markdown document: cmark's AST, owned by this object and freed with it.
/// Each file is parsed exactly once; later stages read and rewrite the same tree.
public final class MarkdownDocument: @unchecked Sendable {
    let root: MarkdownNode

    /// Parses with smart punctuation and the GFM extensions.
    public init(_ text: String, smart: Bool = true) {
        let extensions = CMarkExtensions.shared
        let options = smart ? CMARK_OPT_SMART : CMARK_OPT_DEFAULT
        let parser = cmark_parser_new(options)!
        defer { cmark_parser_free(parser) }
        for ext in extensions.extensions { cmark_parser_attach_syntax_extension(parser, ext) }
        func parse() -> MarkdownNode {
            text.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
            return MarkdownNode(cmark_parser_finish(parser)!)
        }
        root = CMarkExtensions.parsesInParallel ? parse() : extensions.parseLock.withLock(parse)
    }

    deinit { cmark_node_free(root.raw) }
}

/// A borrowed view of one cmark node. Valid while its document lives.
/// Sendable because each tree is read or changed by one task at a time: parsing, resolving and
/// rendering a page never share a document between threads at once.
struct MarkdownNode: Hashable, @unchecked Sendable {
    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }
    init?(_ raw: OpaquePointer?) {
        guard let raw else { return nil }
        self.raw = raw
    }

    var type: cmark_node_type { cmark_node_get_type(raw) }
    /// Extension node types are assigned at registration; the table's is read once then.
    var isTable: Bool { type == CMarkExtensions.shared.tableType }

    var parent: MarkdownNode? { MarkdownNode(cmark_node_parent(raw)) }
    var firstChild: MarkdownNode? { MarkdownNode(cmark_node_first_child(raw)) }
    var next: MarkdownNode? { MarkdownNode(cmark_node_next(raw)) }
    var previous: MarkdownNode? { MarkdownNode(cmark_node_previous(raw)) }

    var children: [MarkdownNode] {
        var result: [MarkdownNode] = []
        var child = firstChild
        while let node = child {
            result.append(node)
            child = node.next
        }
        return result
    }

    /// Every node below this one, in document order (this node first).
    var descendants: [MarkdownNode] {
        var result: [MarkdownNode] = []
        let iterator = cmark_iter_new(raw)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER { result.append(MarkdownNode(cmark_iter_get_node(iterator))) }
        }
        return result
    }

    var literal: String? {
        get { cmark_node_get_literal(raw).map { String(cString: $0) } }
        nonmutating set { _ = cmark_node_set_literal(raw, newValue) }
    }

    var url: String {
        get { cmark_node_get_url(raw).map { String(cString: $0) } ?? "" }
        nonmutating set { _ = cmark_node_set_url(raw, newValue) }
    }

    var title: String {
        get { cmark_node_get_title(raw).map { String(cString: $0) } ?? "" }
        nonmutating set { _ = cmark_node_set_title(raw, newValue) }
    }

    var headingLevel: Int { Int(cmark_node_get_heading_level(raw)) }
    var isOrderedList: Bool { type == CMARK_NODE_LIST && cmark_node_get_list_type(raw) == CMARK_ORDERED_LIST }

    var startLine: Int { Int(cmark_node_get_start_line(raw)) }
    var startColumn: Int { Int(cmark_node_get_start_column(raw)) }
    var endLine: Int { Int(cmark_node_get_end_line(raw)) }
    /// A code block opened by backticks or tildes, not by four spaces of indentation.
    var isFencedCode: Bool {
        var length: Int32 = 0
        var offset: Int32 = 0
        var character: CChar = 0
        return cmark_node_get_fenced(raw, &length, &offset, &character) != 0
    }

    /// HTML for this node and its children. Unsafe mode is right here: the author's raw HTML has
    /// already been removed from the tree (unless the site allows it), so every HTML node left is
    /// one the portal built itself and escaped.
    func renderHTML() -> String {
        withRenderedHTML { String(decoding: $0, as: UTF8.self) }
    }

    /// The node's HTML as cmark's own bytes, valid only inside `body`: no copy on the way in.
    func withRenderedHTML<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard let html = cmark_render_html(raw, CMARK_OPT_UNSAFE, CMarkExtensions.shared.list) else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        defer { free(html) }
        return body(
            UnsafeBufferPointer(start: UnsafeRawPointer(html).assumingMemoryBound(to: UInt8.self), count: strlen(html)))
    }

    /// The node's HTML less its own opening and closing tags (`<li>` and `</li>\n`): one call into
    /// cmark instead of one per child.
    func renderHTML(unwrapping open: String, _ close: String) -> String {
        withRenderedHTML { bytes in
            var start = 0
            var end = bytes.count
            if bytes.starts(with: open.utf8) {
                start = open.utf8.count
                if start < end, bytes[start] == ASCII.newline { start += 1 }
            }
            let closeCount = close.utf8.count
            if end - start >= closeCount, bytes[(end - closeCount)..<end].elementsEqual(close.utf8) {
                end -= closeCount
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// The visible text, for excerpts, search and heading ids.
    var plainText: String {
        var text = ""
        for node in descendants {
            switch node.type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE:
                if node.type != CMARK_NODE_HTML_INLINE { text += node.literal ?? "" }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
                if !text.isEmpty && text.last != " " { text += " " }
            default: break
            }
        }
        // Trimmed by hand: Foundation's trimming goes through NSString, costly on every paragraph.
        while text.last == " " { text.removeLast() }
        while text.first == " " { text.removeFirst() }
        return text
    }

    static func html(_ html: String, block: Bool) -> MarkdownNode {
        let node = MarkdownNode(cmark_node_new(block ? CMARK_NODE_HTML_BLOCK : CMARK_NODE_HTML_INLINE)!)
        node.literal = html
        return node
    }

    static func text(_ text: String) -> MarkdownNode {
        let node = MarkdownNode(cmark_node_new(CMARK_NODE_TEXT)!)
        node.literal = text
        return node
    }

    /// Replaces this node in the tree and frees it.
    func replace(with other: MarkdownNode) {
        _ = cmark_node_replace(raw, other.raw)
        cmark_node_free(raw)
    }

    func insertBefore(_ other: MarkdownNode) { _ = cmark_node_insert_before(raw, other.raw) }

    /// Puts HTML in place of this node's own tags, keeping its children where they are, and
    /// frees the node.
    func unwrap(opening: String, closing: String) {
        insertBefore(.html(opening, block: false))
        while let child = firstChild { insertBefore(child) }
        insertBefore(.html(closing, block: false))
        remove()
    }

    /// Removes this node (and its children) from the tree and frees it.
    func remove() {
        cmark_node_unlink(raw)
        cmark_node_free(raw)
    }
}
