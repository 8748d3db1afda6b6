// Collection built-ins used the way lessons use them.
var accuracies: [Double] = []
for epoch in 1...3 {
    accuracies.append(0.5 + Double(epoch) / 10)
}
print(accuracies.count, accuracies.map { String(format: "%.1f", $0) }.joined(separator: ", "))
// expect: 3 0.6, 0.7, 0.8
let best = accuracies.enumerated().max { $0.element < $1.element }!
print(best.offset, best.element)                     // expect: 2 0.8
print(accuracies.reduce(0, +) / Double(accuracies.count) > 0.69)   // expect: true
let shapes = [[1, 6, 28, 28], [1, 6, 14, 14], [1, 16, 10, 10]]
print(shapes.map { $0.reduce(1, *) })                // expect: [4704, 1176, 1600]
print(zip(["conv1", "pool1"], shapes).map { "\($0.0): \($0.1)" })
// expect: ["conv1: [1, 6, 28, 28]", "pool1: [1, 6, 14, 14]"]
print(stride(from: 0, to: 20, by: 5).filter { $0 % 10 == 0 }, Array(0..<3).reversed())
// expect: [0, 10] [2, 1, 0]
var queue = [3, 1, 2]
queue.sort()
print(queue, queue.contains(2), queue.firstIndex(of: 3)!)
// expect: [1, 2, 3] true 2
var counts: [String: Int] = [:]
for word in ["cat", "dog", "cat"] {
    counts[word] = (counts[word] ?? 0) + 1
}
print(counts, counts.keys.sorted(), (1..<10).count)  // expect: ["cat": 2, "dog": 1] ["cat", "dog"] 9
