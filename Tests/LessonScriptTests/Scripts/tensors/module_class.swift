// A Module class used inside Sequential: its parameters and children are registered.
manualSeed(0)
class Residual: Module {
    var conv1: Conv2d
    var conv2: Conv2d
    var scale: Tensor
    init(_ channels: Int) {
        conv1 = Conv2d(channels, channels, kernelSize: 3, padding: 1)
        conv2 = Conv2d(channels, channels, kernelSize: 3, padding: 1)
        scale = ones(1)
        super.init()
    }
    func callAsFunction(_ x: Tensor) -> Tensor {
        let y = relu(conv1(x))
        return relu(conv2(y) * scale + x)
    }
}
let block = Residual(2)
print(block.parameters.count)                      // expect: 5
let net = Sequential(Conv2d(1, 2, kernelSize: 3, padding: 1), block, Flatten(), Linear(2 * 4 * 4, 3))
let out = net(rand(5, 1, 4, 4))
print(out.shape)                                   // expect: [5, 3]
print(net.parameters.count)                        // expect: 9
print(block)
// expect: Residual(
// expect:   (conv1): Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
// expect:   (conv2): Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
// expect: )
block.eval()
print(block.conv1.isTraining)                      // expect: false
let before = block.scale.item()
let opt = SGD(net.parameters, lr: 0.1)
let loss = net(rand(5, 1, 4, 4)).sum()
loss.backward()
opt.step()
print(block.scale.item() != before)                // expect: true
block.scale = full([1], 2.0)
print(block.scale.item(), block.parameters.count)  // expect: 2.0 5
