func add(_ a: Int, _ b: Int) -> Int { return a + b }
print(add(2, 3))                             // expect: 5
func greet(person name: String, greeting: String = "Hello") -> String {
    "\(greeting), \(name)!"
}
print(greet(person: "Ada"))                  // expect: Hello, Ada!
print(greet(person: "Alan", greeting: "Hi")) // expect: Hi, Alan!
func fact(_ n: Int) -> Int { n <= 1 ? 1 : n * fact(n - 1) }
print(fact(10))                              // expect: 3628800
func half(_ x: Double) -> Double { x / 2 }
print(half(3))                               // expect: 1.5
func sum(_ xs: Int...) -> Int {
    var t = 0
    for x in xs { t += x }
    return t
}
print(sum(1, 2, 3))                          // expect: 6
func noReturn() { print("side effect") }
noReturn()                                   // expect: side effect
func isEven(_ n: Int) -> Bool { n == 0 ? true : isOdd(n - 1) }
func isOdd(_ n: Int) -> Bool { n == 0 ? false : isEven(n - 1) }
print(isEven(10))                            // expect: true
func outer() -> Int {
    func inner(_ x: Int) -> Int { x + 1 }
    return inner(41)
}
print(outer())                               // expect: 42
let f = add
print(f(1, 1))                               // expect: 2
