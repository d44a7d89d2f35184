/// A dictionary's entries by key, in `order` when that lists exactly its keys (the order some
/// earlier listing of the same keys was sorted into, read back from a file); sorted otherwise.
/// A rebuild that keeps all but a few of 10,000 keys checks them with one look-up each instead
/// of sorting them again, and gets the same order.
package func entriesSorted<Value>(_ dictionary: [String: Value], listedIn order: [String]?) -> [(
    key: String, value: Value
)] {
    if let order, order.count == dictionary.count {
        var listed: [(key: String, value: Value)] = []
        listed.reserveCapacity(order.count)
        for key in order {
            guard let value = dictionary[key] else { break }
            listed.append((key, value))
        }
        if listed.count == dictionary.count { return listed }
    }
    return dictionary.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
}
