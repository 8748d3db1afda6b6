import XCTest
@testable import TensorEngine

final class OptimizerTests: XCTestCase {
    /// Runs `optimizer` over the gradient sequence and returns the parameter after each step.
    private func trajectory(_ parameter: Parameter, _ optimizer: Optimizer, _ gradients: [[Float]]) throws -> [[Float]] {
        try gradients.map { g in
            parameter.grad = try Tensor(shape: [2], scalars: g)
            try optimizer.step()
            return parameter.value.scalars
        }
    }

    // Expected values computed with torch.optim from p = [1, −2].

    func testSGDWithMomentumDampeningAndWeightDecay() throws {
        let p = Parameter(try Tensor(shape: [2], scalars: [1, -2]))
        let sgd = try SGD(parameters: [p], lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01)
        let steps = try trajectory(p, sgd, [[0.5, -1], [0.2, 0.3]])
        assertClose(steps[0], [0.949, -1.898], accuracy: 1e-6)
        assertClose(steps[1], [0.88424587, -1.83149183], accuracy: 1e-6)
    }

    func testSGDNesterov() throws {
        let p = Parameter(try Tensor(shape: [2], scalars: [1, -2]))
        let sgd = try SGD(parameters: [p], lr: 0.1, momentum: 0.9, nesterov: true)
        let steps = try trajectory(p, sgd, [[0.5, -1], [0.2, 0.3]])
        assertClose(steps[0], [0.905, -1.81], accuracy: 1e-6)
        assertClose(steps[1], [0.8265, -1.786], accuracy: 1e-6)
    }

    func testPlainSGDAndZeroGrad() throws {
        let p = Parameter(try Tensor(shape: [2], scalars: [1, -2]))
        let sgd = try SGD(parameters: [p], lr: 0.5)
        _ = try trajectory(p, sgd, [[0.5, -1]])
        XCTAssertEqual(p.value.scalars, [0.75, -1.5])
        sgd.zeroGrad()
        XCTAssertNil(p.grad)
        try sgd.step()  // no gradient: nothing moves
        XCTAssertEqual(p.value.scalars, [0.75, -1.5])
        XCTAssertTrue(p.value.requiresGrad)
        assertThrowsMessage("Nesterov momentum requires a momentum") { try SGD(parameters: [p], lr: 0.1, nesterov: true) }
        assertThrowsMessage("invalid learning rate") { try SGD(parameters: [p], lr: -1) }
    }

    func testAdam() throws {
        let p = Parameter(try Tensor(shape: [2], scalars: [1, -2]))
        let adam = try Adam(parameters: [p], lr: 0.1, betas: (0.9, 0.99), eps: 1e-8, weightDecay: 0.1)
        let steps = try trajectory(p, adam, [[0.5, -1], [0.2, 0.3], [-0.4, 0.1]])
        assertClose(steps[0], [0.9, -1.9], accuracy: 1e-5)
        assertClose(steps[1], [0.80715078, -1.83993649], accuracy: 1e-5)
        assertClose(steps[2], [0.77006865, -1.78905034], accuracy: 1e-5)
    }

    func testTrainingStepReducesLoss() throws {
        manualSeed(0)
        let net = Sequential(try Linear(3, 8), ReLU(), try Linear(8, 2))
        let x = try sampleTensor([16, 3])
        let y = try Tensor(shape: [16], scalars: (0..<16).map { Float($0 % 2) })
        let optimizer = try SGD(parameters: net.parameters, lr: 0.1, momentum: 0.9)
        var losses: [Float] = []
        for _ in 0..<30 {
            optimizer.zeroGrad()
            let loss = try crossEntropy(net(x), y)
            try loss.backward()
            try optimizer.step()
            losses.append(try loss.item())
        }
        XCTAssertLessThan(losses.last!, losses.first! * 0.9)
    }
}
