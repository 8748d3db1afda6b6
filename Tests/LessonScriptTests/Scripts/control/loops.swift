var s = 0
for i in 0..<5 { s += i }
print(s)                          // expect: 10
for i in 1...3 { print(i, terminator: " ") }
print()
// expect: 1 2 3 
for i in 0..<10 where i % 3 == 0 { print(i, terminator: ",") }
print("")
// expect: 0,3,6,9,
var k = 0
while k < 3 { k += 1 }
print(k)                          // expect: 3
repeat { k -= 1 } while k > 0
print(k)                          // expect: 0
for x in [10, 20, 30] {
    if x == 20 { continue }
    print(x)
}
// expect: 10
// expect: 30
for i in 0..<100 {
    if i == 2 { break }
    print("i =", i)
}
// expect: i = 0
// expect: i = 1
for (i, j) in [(1, 2), (3, 4)] { print(i + j) }
// expect: 3
// expect: 7
for _ in 0..<2 { print("x") }
// expect: x
// expect: x
for c in "hi" { print(c) }
// expect: h
// expect: i
for (key, value) in ["a": 1, "b": 2] { print(key, value) }
// expect: a 1
// expect: b 2
outerLoop()
func outerLoop() {
    for i in 0..<3 {
        for j in 0..<3 {
            if j > i { break }
            if i == 2 { return }
            print(i, j)
        }
    }
}
// expect: 0 0
// expect: 1 0
// expect: 1 1
