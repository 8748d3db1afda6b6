// fatalError in a guard's else does not fall through; it stops the cell inside the function.
func check(_ loss: Double) -> Double {
    guard loss >= 0 else { fatalError("negative loss \(loss)") }
    return loss
}
print(check(0.5)) // expect: 0.5
print(check(-1.5))
// error: fatal error: negative loss -1.5 @ 3:28
