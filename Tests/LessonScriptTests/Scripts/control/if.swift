let n = 7
if n > 5 {
    print("big")          // expect: big
} else {
    print("small")
}
if n < 5 { print("a") } else if n < 10 { print("b") } else { print("c") }  // expect: b
let label = n % 2 == 0 ? "even" : "odd"
print(label)              // expect: odd
let maybe: Int? = 3
if let m = maybe, m > 2 {
    print("got", m)       // expect: got 3
}
let none: Int? = nil
if let v = none { print(v) } else { print("none") }   // expect: none
func check(_ x: Int?) -> Int {
    guard let x else { return -1 }
    guard x > 0 else { return 0 }
    return x * 2
}
print(check(nil), check(-3), check(4))   // expect: -1 0 8
let shorthand: Int? = 5
if let shorthand { print(shorthand + 1) }   // expect: 6
print(3 is Int, 3.0 is Int)                 // expect: true false
