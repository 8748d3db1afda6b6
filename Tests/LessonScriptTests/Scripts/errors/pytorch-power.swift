// Python's `**` is not Swift: the error shows the lessonbook spelling (issue 13).
let x = tensor([1.0, 2.0])
let stars = "**"
print(stars, x.pow(2))   // expect: ** tensor([1., 4.])
// --- cell ---
let y = x ** 2           // error: '**' is not an operator in Swift @ 6:11
