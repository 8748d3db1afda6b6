// Optimisers need parameters, not a tensor value.
let w = randn(3)
let opt = SGD(w, lr: 0.1)
// error: SGD: expected parameters (net.parameters), got a Tensor @ 3:11
