// Regression (#15): an infinite target trapped while the error message was being built.
let logits = zeros(2, 3)
print(crossEntropy(logits, tensor([Double.infinity, 0.0])))
// error: crossEntropy: target inf is out of bounds for 3 classes @ 3:7
