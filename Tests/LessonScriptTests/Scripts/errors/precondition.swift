// A precondition that holds does nothing; one that fails stops at the call with its message.
func side(_ t: Tensor) -> Int {
    guard t.shape[2] == t.shape[3] else { preconditionFailure("not square") }
    return t.shape[2]
}
precondition(side(ones(1, 1, 3, 3)) == 3, "never shown")
assert(true)
print("ok") // expect: ok
let sizes = [2, 3]
precondition(sizes.count == 3, "expected \(sizes.count + 1) sizes")
// error: precondition failed: expected 3 sizes @ 10:1
