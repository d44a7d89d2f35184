import PortalSupport

/// Templates by name, for partials and pages.
public struct TemplateLibrary: Sendable {
    var templates: [String: Template] = [:]

    public init() {}

    public mutating func register(_ template: Template, named name: String) { templates[name] = template }

    public func template(named name: String) -> Template? { templates[name] }

    /// Renders a template by name, or nil if there is none.
    public func render(_ value: TemplateValue, template name: String) -> String? {
        renderBytes(value, template: name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The same, as UTF-8 bytes: pages go straight to files without a round trip through String.
    /// `capacity`: what the output is expected to need, so a large page is not copied as it grows.
    public func renderBytes(_ value: TemplateValue, template name: String, capacity: Int = 32_768) -> [UInt8]? {
        guard let template = templates[name] else { return nil }
        assert(
            undeclaredNames(in: value, template: name).isEmpty,
            "page context of '\(name)' has names the template variable catalog does not give it "
                + "(Sources/PortalTemplates/TemplateVariables.swift): "
                + "\(undeclaredNames(in: value, template: name))")
        var output: [UInt8] = []
        output.reserveCapacity(capacity)
        var renderer = TemplateRenderer(library: self, stack: [value], loops: [])
        renderer.render(template.nodes, into: &output)
        return output
    }
}

private struct TemplateRenderer {
    let library: TemplateLibrary
    var stack: [TemplateValue]
    /// Position in each list being iterated, innermost last, for `first()`, `last()`, `index()`.
    var loops: [(index: Int, count: Int)]

    mutating func render(_ nodes: [TemplateNode], into output: inout [UInt8]) {
        for position in nodes.indices {
            switch nodes[position] {
            case .text(let bytes): output.append(contentsOf: bytes)
            case .variable(let name, let escaped):
                guard let value = resolve(name) else { continue }
                switch value {
                case .text(let text):
                    escaped ? appendEscaped(text.utf8, to: &output) : output.append(contentsOf: text.utf8)
                case .html(let bytes): escaped ? appendEscaped(bytes, to: &output) : output.append(contentsOf: bytes)
                case .number(let number): output.append(contentsOf: String(number).utf8)
                case .bool(let bool): output.append(contentsOf: (bool ? "true" : "false").utf8)
                case .list, .object: break
                }
            case .section(let name, let inverted, let children):
                let value = resolve(name)
                if inverted {
                    if !(value?.isTruthy ?? false) { render(children, into: &output) }
                    continue
                }
                guard let value, value.isTruthy else { continue }
                switch value {
                case .list(let items):
                    for (index, item) in items.enumerated() {
                        stack.append(item)
                        loops.append((index, items.count))
                        render(children, into: &output)
                        loops.removeLast()
                        stack.removeLast()
                    }
                case .bool:
                    render(children, into: &output)
                default:
                    stack.append(value)
                    render(children, into: &output)
                    stack.removeLast()
                }
            case .partial(let name):
                // A missing partial or a cycle of partials is an error when the theme is loaded.
                if let template = library.template(named: name.source) { render(template.nodes, into: &output) }
            }
        }
    }

    func resolve(_ name: TemplateName) -> TemplateValue? {
        if let transform = name.transform {
            switch transform {
            case "first": return loops.last.map { .bool($0.index == 0) }
            case "last": return loops.last.map { .bool($0.index == $0.count - 1) }
            case "index": return loops.last.map { .number($0.index) }
            case "empty":
                guard let value = lookup(name) else { return .bool(true) }
                if case .list(let items) = value { return .bool(items.isEmpty) }
                return .bool(!value.isTruthy)
            case "count":
                if case .list(let items)? = lookup(name) { return .number(items.count) }
                return .number(0)
            default: return nil
            }
        }
        return lookup(name)
    }

    /// The first part is looked up from the innermost context out; the rest descend from it.
    func lookup(_ name: TemplateName) -> TemplateValue? {
        if name.isCurrent { return stack.last }
        let parts = name.parts
        guard let first = parts.first else { return nil }
        var value: TemplateValue?
        // By position, innermost first: iterating a reversed copy of the stack retained every
        // context on every look-up, and a page makes thousands.
        var depth = stack.count
        while depth > 0 {
            depth -= 1
            if let found = stack[depth].child(first) {
                value = found
                break
            }
        }
        if parts.count > 1 {
            for index in 1..<parts.count { value = value?.child(parts[index]) }
        }
        return value
    }
}

/// Same escapes as `escapeHTML`, appended straight to the output bytes: runs of ordinary bytes
/// are copied whole, so escaping costs little where nothing needs escaping.
private func appendEscaped(_ bytes: some Collection<UInt8>, to output: inout [UInt8]) {
    let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
        var run = 0
        for index in 0..<buffer.count where isEscapedInHTML(buffer[index]) {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[run..<index]))
            appendEscapedHTML(buffer[index], to: &output)
            run = index + 1
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[run..<buffer.count]))
    }
    if done == nil {
        for byte in bytes { appendEscapedHTML(byte, to: &output) }
    }
}
