// `func forward` is the call of a layer written in a cell, as in PyTorch, and a method may
// read `isTraining` without `self.` (issue 13).
class Noisy: Module {
    var scale = ones(1)
    func forward(_ x: Tensor) -> Tensor {
        isTraining ? x * scale + 1 : x * scale
    }
}
let layer = Noisy()
print(layer(ones(2)))          // expect: tensor([2., 2.], grad_fn=<AddBackward0>)
layer.eval()
print(layer(ones(2)).detach()) // expect: tensor([1., 1.])
let net = Sequential(Noisy(), ReLU())
print(net(zeros(1)).detach())  // expect: tensor([1.])
