// Arrays, dictionaries and tensors are values: a copy never changes the original.
var a = [1, 2, 3]
var b = a
b[0] = 100
b.append(4)
print(a, b)                 // expect: [1, 2, 3] [100, 2, 3, 4]
var grid = [[0, 0], [0, 0]]
grid[1][0] = 5
grid[0].append(9)
print(grid)                 // expect: [[0, 0, 9], [5, 0]]
var counts: [String: Int] = [:]
for w in ["a", "b", "a"] { counts[w] = (counts[w] ?? 0) + 1 }
print(counts)               // expect: ["a": 2, "b": 1]
counts["a"] = nil
print(counts, counts["zzz"] == nil)   // expect: ["b": 1] true
var xs = [Int]()
for i in 0..<5 { xs.append(i * i) }
print(xs[1..<3], xs[3...])  // expect: [1, 4] [9, 16]
xs[0..<2] = [7]
print(xs)                   // expect: [7, 4, 9, 16]
var t = zeros(2, 2)
let u = t
t[0, 0] = 1
print(t.sum().item(), u.sum().item())   // expect: 1.0 0.0
struct Box { var items: [Int] = [] }
var box = Box()
box.items.append(1)
box.items += [2, 3]
print(box)                  // expect: Box(items: [1, 2, 3])
