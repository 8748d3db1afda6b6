class Loop: Module {
    var inner: [Module] = []
    func forward(_ x: Tensor) -> Tensor { x }
}
let m = Loop()
m.inner.append(m)
print(m)
print(m.parameters.count)
