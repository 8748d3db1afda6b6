/// The weight and optional bias of an affine layer (`Conv2d`, `Linear`), initialised as
/// PyTorch does: kaiming-uniform with a = √5 for the weight, uniform ±1/√fan_in for the bias.
struct AffineParameters {
    let weightParameter: Parameter
    private(set) var biasParameter: Parameter?

    init(weightShape: [Int], bias: Bool) throws {
        let initial = try Initialization.defaultLayerParameters(weightShape: weightShape, bias: bias)
        weightParameter = Parameter(initial.weight)
        biasParameter = initial.bias.map(Parameter.init)
    }

    /// Assigning keeps the parameter (and its gradient).
    var weight: Tensor {
        get { weightParameter.value }
        nonmutating set { weightParameter.value = newValue }
    }

    /// nil for a layer made with `bias: false`; assigning a tensor to it adds a bias.
    var bias: Tensor? {
        get { biasParameter?.value }
        set {
            if let newValue {
                if let biasParameter { biasParameter.value = newValue } else { biasParameter = Parameter(newValue) }
            } else {
                biasParameter = nil
            }
        }
    }

    var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weightParameter)] + (biasParameter.map { [("bias", $0)] } ?? [])
    }
}
