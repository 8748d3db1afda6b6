// PyTorch's in-place `_` methods have no lessonbook member: the error says what to write.
var w = tensor([1.0, 2.0])
w.zero_()             // error: has no member 'zero_' @ 3:1
