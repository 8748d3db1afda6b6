// Everyday Swift spellings a ported lesson reaches for (issue 13).
var counts: [String: Int] = [:]
for word in ["cat", "dog", "cat"] { counts[word, default: 0] += 1 }
print(counts, counts["bird", default: 0])          // expect: ["cat": 2, "dog": 1] 0
print(counts.mapValues { $0 * 10 })                // expect: ["cat": 20, "dog": 10]
print("T-shirt/top".prefix(7), "Sneaker".suffix(3), String("Bag".prefix(10)))   // expect: T-shirt ker Bag
func twice(_ f: @escaping (Int) -> Int) -> (Int) -> Int { { f(f($0)) } }
print(twice { $0 * 3 }(2))                          // expect: 18
func outputSize() -> (h: Int, w: Int) { (h: 24, w: 24) }
let size = outputSize()
print(size.h * size.w)                              // expect: 576
// A closure is a layer in Sequential (d2l's Lambda).
let net = Sequential(Linear(2, 2), { x in relu(x) }, { $0 * 2 })
print(net[1].typeName, net.parameterCount, net(ones(3, 2)).shape)   // expect: Lambda 6 [3, 2]
let broken = Sequential({ _ in 1 })
broken(ones(1))                                     // error: a closure in Sequential must return a Tensor @ 16:1
