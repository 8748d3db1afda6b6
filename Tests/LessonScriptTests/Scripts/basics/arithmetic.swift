// Integer and floating arithmetic, with Swift's precedence.
let a = 7
let b = 2
print(a + b * 3)        // expect: 13
print((a + b) * 3)      // expect: 27
print(a / b, a % b)     // expect: 3 1
print(-a / b)           // expect: -3
print(7.0 / 2)          // expect: 3.5
print(a - b - 1)        // expect: 4
print(1.0, 0.1, 1e-3)   // expect: 1.0 0.1 0.001
print(0x1F, 1_000_000)  // expect: 31 1000000
let x: Double = 3
print(x)                // expect: 3.0
print(x / 2)            // expect: 1.5
print(2 * x + 1)        // expect: 7.0
var n = 10
n += 5
n -= 3
n *= 2
n /= 4
print(n)                // expect: 6
n %= 4
print(n)                // expect: 2
print(true && !false)   // expect: true
print(1 < 2 && 2 <= 2 || false)  // expect: true
print(3 == 3.0, 3 != 4) // expect: true true
print("ab" + "cd", "b" < "c")    // expect: abcd true
