import XCTest
@testable import TensorEngine

/// Expected strings are PyTorch 2.x's output for the same tensors with default print options.
final class PrintingTests: XCTestCase {
    func testWholeFloats() throws {
        XCTAssertEqual(try Tensor(shape: [2, 2], scalars: [19, 25, 37, 43]).description,
                       "tensor([[19., 25.],\n        [37., 43.]])")
        XCTAssertEqual(try Tensor([-1, 2]).description, "tensor([-1.,  2.])")
        XCTAssertEqual(try Tensor([0, 10]).description, "tensor([ 0., 10.])")
        XCTAssertEqual(try Tensor.zeros([3]).description, "tensor([0., 0., 0.])")
        XCTAssertEqual(try Tensor.arange(8, dtype: .float32).reshape(2, 2, 2).description,
                       "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])")
    }

    func testDecimals() throws {
        XCTAssertEqual(try Tensor([0.1, 2.5]).description, "tensor([0.1000, 2.5000])")
        XCTAssertEqual(try Tensor([-1.5, 2]).description, "tensor([-1.5000,  2.0000])")
        XCTAssertEqual(try Tensor([0, 0.5]).description, "tensor([0.0000, 0.5000])")
        XCTAssertEqual(Tensor(3.5).description, "tensor(3.5000)")
        XCTAssertEqual(Tensor(19).description, "tensor(19.)")
    }

    func testScientific() throws {
        XCTAssertEqual(try Tensor([0.00001, 1000]).description, "tensor([1.0000e-05, 1.0000e+03])")
        XCTAssertEqual(try Tensor([0.00001, 0.5]).description, "tensor([1.0000e-05, 5.0000e-01])")
        XCTAssertEqual(try Tensor([1e9, 1]).description, "tensor([1.0000e+09, 1.0000e+00])")
        XCTAssertEqual(try Tensor([1, 1001]).description, "tensor([1.0000e+00, 1.0010e+03])")
        XCTAssertEqual(try Tensor([1, 1000]).description, "tensor([   1., 1000.])")
    }

    func testNonFinite() throws {
        XCTAssertEqual(try Tensor([.nan, 1]).description, "tensor([nan, 1.])")
        XCTAssertEqual(try Tensor([-.infinity, 0.5]).description, "tensor([  -inf, 0.5000])")
    }

    func testIntegersAndBooleans() throws {
        XCTAssertEqual(try Tensor([9, 0, 3], dtype: .int64).description, "tensor([9, 0, 3])")
        XCTAssertEqual(try Tensor([-12, 5], dtype: .int64).description, "tensor([-12,   5])")
        XCTAssertEqual(try (Tensor([1, 0]) .> Tensor(0.5)).description, "tensor([ True, False])")
        XCTAssertEqual(try (Tensor([1, 2]) .> Tensor(0.5)).description, "tensor([True, True])")
        XCTAssertEqual(Tensor(3, dtype: .int64).description, "tensor(3)")
        XCTAssertEqual(try Tensor.arange(4).argmax().description, "tensor(3)")
    }

    func testEmptyAndMeta() throws {
        XCTAssertEqual(try Tensor.zeros([0]).description, "tensor([])")
        XCTAssertEqual(try Tensor.zeros([2, 0]).description, "tensor([], size=(2, 0))")
        XCTAssertEqual(try Tensor.arange(0).description, "tensor([], dtype=torch.int64)")
        XCTAssertEqual(try Tensor(metaShape: [2, 3]).description, "tensor(..., device='meta', size=(2, 3))")
    }

    func testLineWrapping() throws {
        XCTAssertEqual(try Tensor.arange(20, dtype: .float32).description,
                       "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n        14., 15., 16., 17., 18., 19.])")
    }

    func testSummarisation() throws {
        XCTAssertEqual(try Tensor.arange(2000, dtype: .float32).description,
                       "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])")
        XCTAssertEqual(try Tensor.arange(1001).description, "tensor([   0,    1,    2,  ...,  998,  999, 1000])")
        XCTAssertEqual(try Tensor.arange(1000).description.contains("..."), false)
        let row = "[0., 0., 0.,  ..., 0., 0., 0.]"
        let expected = "tensor([" + [row, row, row, "...", row, row, row].joined(separator: ",\n        ") + "])"
        XCTAssertEqual(try Tensor.zeros([40, 40]).description, expected)
    }

    func testAutogradSuffixes() throws {
        let x = try Tensor([1, 2]).requiringGrad()
        XCTAssertEqual(x.description, "tensor([1., 2.], requires_grad=True)")
        XCTAssertEqual(try (x * 2).description, "tensor([2., 4.], grad_fn=<MulBackward0>)")
        XCTAssertEqual(try (x + x).sum().description, "tensor(6., grad_fn=<SumBackward0>)")
        XCTAssertEqual(try x.reshape(2, 1).description, "tensor([[1.],\n        [2.]], grad_fn=<ViewBackward0>)")
        let long = try Tensor.arange(14, dtype: .float32).requiringGrad()
        XCTAssertEqual(long.description,
                       "tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n       requires_grad=True)")
        XCTAssertEqual(try x.detach().description, "tensor([1., 2.])")
    }

    func testShapeDescription() throws {
        XCTAssertEqual(shapeDescription(try Tensor.zeros([1, 6, 28, 28]).shape), "[1, 6, 28, 28]")
    }
}
