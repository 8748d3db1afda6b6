let double = { (x: Int) -> Int in x * 2 }
print(double(4))                        // expect: 8
let add: (Int, Int) -> Int = { a, b in a + b }
print(add(1, 2))                        // expect: 3
let square = { $0 * $0 }
print(square(5))                        // expect: 25
func apply(_ f: (Int) -> Int, to x: Int) -> Int { f(x) }
print(apply({ $0 + 1 }, to: 1))         // expect: 2
func twice(_ x: Int, _ f: (Int) -> Int) -> Int { f(f(x)) }
print(twice(3) { $0 * 10 })             // expect: 300
// Capture by reference, like Swift.
func makeCounter() -> () -> Int {
    var count = 0
    return {
        count += 1
        return count
    }
}
let next = makeCounter()
_ = next()
print(next())                           // expect: 2
var total = 0
let addToTotal = { (x: Int) in total += x }
addToTotal(5)
addToTotal(6)
print(total)                            // expect: 11
var fs: [() -> Int] = []
for i in 0..<3 { fs.append { i * 10 } }
print(fs[2]())                          // expect: 20
print([1, 2, 3].map { $0 * 2 })         // expect: [2, 4, 6]
print([1, 2, 3, 4].filter { x in x % 2 == 0 })   // expect: [2, 4]
func counterPair() -> (() -> Void, () -> Int) {
    var n = 0
    return ({ n += 1 }, { n })
}
let (inc, get) = counterPair()
inc(); inc()
print(get())                            // expect: 2
