// A misspelt label names the built-in and suggests the right one.
let x = zeros(1, 1, 8, 8)
let y = conv2d(x, weight: ones(1, 1, 3, 3), paddding: 1)
// error: conv2d: unexpected argument label 'paddding'; did you mean 'padding'? @ 3:9
