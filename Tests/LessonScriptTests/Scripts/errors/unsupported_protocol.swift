protocol Shape {
    func area() -> Double
}
// error: not supported in lesson cells: protocol declarations @ 1:1
