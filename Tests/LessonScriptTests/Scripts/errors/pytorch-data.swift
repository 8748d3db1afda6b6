// `w.data -= ...` is PyTorch's manual update; in lessonbook the tensor itself is updated.
var w = tensor([1.0, 2.0], requiresGrad: true)
(w * w).sum().backward()
noGrad { w.data -= 0.1 * w.grad! }   // error: cannot assign to 'data' @ 4:10
