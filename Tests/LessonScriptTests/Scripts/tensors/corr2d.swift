// The textbook cross-correlation: two nested loops and a slice per output element.
func corr2d(_ x: Tensor, _ k: Tensor) -> Tensor {
    let (h, w) = (k.shape[0], k.shape[1])
    var y = zeros(x.shape[0] - h + 1, x.shape[1] - w + 1)
    for i in 0..<y.shape[0] {
        for j in 0..<y.shape[1] {
            y[i, j] = (x[i..<i + h, j..<j + w] * k).sum()
        }
    }
    return y
}
let x = tensor([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
let k = tensor([[0.0, 1.0], [2.0, 3.0]])
let y = corr2d(x, k)
print(y.flatten().toArray())      // expect: [19.0, 25.0, 37.0, 43.0]
// Edge detection: a vertical edge gives +1 and -1 columns.
var img = ones(6, 8)
img[0..<6, 2..<6] = zeros(6, 4)
let edge = corr2d(img, tensor([[1.0, -1.0]]))
print(edge[0].toArray())          // expect: [0.0, 1.0, 0.0, 0.0, 0.0, -1.0, 0.0]
print(edge.shape)                 // expect: [6, 7]
img[..., 0] = full([6], 5.0)
print(img[0, 0].item(), img[5, ...].shape)   // expect: 5.0 [8]
for row in tensor([[1.0, 2.0], [3.0, 4.0]]) { print(row.sum().item()) }
// expect: 3.0
// expect: 7.0
