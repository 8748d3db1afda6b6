// let, var, annotations, tuple patterns.
var count = 1
count = count + 1
print(count)                       // expect: 2
let (h, w) = (3, 4)
print(h * w)                       // expect: 12
let (p, (q, _)) = (1, (2, 3))
print(p, q)                        // expect: 1 2
var lr: Double = 1
lr /= 4
print(lr)                          // expect: 0.25
var losses: [Double] = [1, 2]
print(losses)                      // expect: [1.0, 2.0]
var a = 1, b = 2
(a, b) = (b, a)
print(a, b)                        // expect: 2 1
_ = a + b
import Foundation
var t = (1, 2)
t.0 = 10
print(t.0 + t.1)                   // expect: 12
let maybe: Int? = nil
print(maybe ?? 42)                 // expect: 42
print(3 ?? 4)                      // expect: 3
