/// Snapshot records of the built-in layers and optimisers: each layer's configuration, its
/// parameters (by record, so an optimiser restored beside it updates the same objects),
/// buffers (batch-norm running statistics) and training flag; each optimiser's
/// hyper-parameters, parameters and state (momentum buffers, Adam moments and step counts).
extension SnapshotArchiveWriter {
    /// The record of a module. Layers the engine does not know go to `customModule`.
    public func module(_ m: any Module) throws -> Int {
        if let id = existingReference(m) { return id }
        guard let kind = Self.builtinKind(m) else {
            if let id = try customModule?(self, m) { return id }
            throw SnapshotUnsupported("a module of type \(m.typeName)")
        }
        var owned: [Parameter] = []
        let id = try reference(m, kind: kind) { w in
            w.bool(m.isTraining)
            switch m {
            case let c as Conv2d:
                w.int(c.inChannels); w.int(c.outChannels)
                for s in [c.kernelSize, c.stride, c.padding, c.dilation] { Self.size(s, &w) }
                w.int(c.groups)
                w.bool(c.biasParameter != nil)
            case let l as Linear:
                w.int(l.inFeatures); w.int(l.outFeatures)
                w.bool(l.biasParameter != nil)
            case let p as MaxPool2d:
                for s in [p.kernelSize, p.stride, p.padding, p.dilation] { Self.size(s, &w) }
                w.bool(p.ceilMode)
            case let p as AvgPool2d:
                for s in [p.kernelSize, p.stride, p.padding] { Self.size(s, &w) }
                w.bool(p.ceilMode); w.bool(p.countIncludePad)
            case let p as AdaptiveAvgPool2d:
                Self.size(p.outputSize, &w)
            case let f as Flatten:
                w.int(f.startDim); w.int(f.endDim)
            case let d as Dropout:
                w.float(d.p)
            case let b as BatchNorm:
                try batchNorm(b, &w)
            case let s as Sequential:
                w.int(s.layers.count)
                for layer in s.layers { w.int(try module(layer)) }
            default:
                break
            }
            owned = m.ownParameters.map(\.parameter)
            w.int(owned.count)
            for p in owned { w.int(try parameter(p)) }
        }
        for p in owned { if let pid = existingReference(p) { own(pid, by: id) } }
        return id
    }

    private func batchNorm(_ s: BatchNorm, _ w: inout ByteWriter) throws {
        w.int(s.numFeatures); w.float(s.eps); w.optionalFloat(s.momentum)
        w.bool(s.affine); w.bool(s.trackRunningStats)
        for buffer in [s.runningMean, s.runningVar] {
            w.bool(buffer != nil)
            if let buffer { try tensor(buffer, into: &w) }
        }
        w.int(s.numBatchesTracked)
    }

    private static func size(_ s: Size2, _ w: inout ByteWriter) {
        w.int(s.h); w.int(s.w); w.bool(s.isScalar)
    }

    private static func builtinKind(_ m: any Module) -> Kind? {
        switch m {
        case is Conv2d: return EngineKind.conv2d
        case is Linear: return EngineKind.linear
        case is MaxPool2d: return EngineKind.maxPool2d
        case is AvgPool2d: return EngineKind.avgPool2d
        case is AdaptiveAvgPool2d: return EngineKind.adaptiveAvgPool2d
        case is ReLU: return EngineKind.relu
        case is Sigmoid: return EngineKind.sigmoid
        case is Tanh: return EngineKind.tanh
        case is Flatten: return EngineKind.flatten
        case is Dropout: return EngineKind.dropout
        case is BatchNorm1d: return EngineKind.batchNorm1d
        case is BatchNorm2d: return EngineKind.batchNorm2d
        case is Sequential: return EngineKind.sequential
        default: return nil
        }
    }

    /// The record of an optimiser (SGD or Adam).
    public func optimizer(_ o: any Optimizer) throws -> Int {
        switch o {
        case let sgd as SGD:
            return try reference(sgd, kind: EngineKind.sgd) { w in
                w.int(sgd.parameters.count)
                for p in sgd.parameters { w.int(try parameter(p)) }
                w.float(sgd.learningRate); w.float(sgd.momentum); w.float(sgd.dampening)
                w.float(sgd.weightDecay); w.bool(sgd.nesterov)
                for buffer in sgd.buffers {
                    w.bool(buffer != nil)
                    if let buffer { w.floats(buffer) }
                }
            }
        case let adam as Adam:
            return try reference(adam, kind: EngineKind.adam) { w in
                w.int(adam.parameters.count)
                for p in adam.parameters { w.int(try parameter(p)) }
                w.float(adam.learningRate); w.float(adam.betas.0); w.float(adam.betas.1)
                w.float(adam.eps); w.float(adam.weightDecay)
                for i in adam.parameters.indices {
                    w.int(adam.steps[i])
                    for moment in [adam.firstMoments[i], adam.secondMoments[i]] {
                        w.bool(moment != nil)
                        if let moment { w.floats(moment) }
                    }
                }
            }
        default:
            throw SnapshotUnsupported("an optimiser of type \(type(of: o))")
        }
    }
}

extension SnapshotArchiveReader {
    /// The module of record `id`.
    public func module(_ id: Int) throws -> any Module {
        guard let m = try object(id) as? any Module else { throw SnapshotCorrupt("record \(id) is not a module") }
        return m
    }

    /// The optimiser of record `id`.
    public func optimizer(_ id: Int) throws -> any Optimizer {
        guard let o = try object(id) as? any Optimizer else { throw SnapshotCorrupt("record \(id) is not an optimiser") }
        return o
    }

    /// The parameter of record `id`.
    public func parameter(_ id: Int) throws -> Parameter { try object(id, as: Parameter.self) }

    private func size(_ r: inout ByteReader) throws -> Size2 {
        let h = try r.int(), w = try r.int()
        return try r.bool() ? Size2(h) : Size2(h, w)
    }

    func decodeModuleOrOptimizer(kind: SnapshotArchiveWriter.Kind, id: Int, _ r: inout ByteReader) throws -> AnyObject {
        if kind == EngineKind.sgd || kind == EngineKind.adam { return try decodeOptimizer(kind: kind, &r) }
        let training = try r.bool()
        let m: any Module
        switch kind {
        case EngineKind.conv2d:
            let inC = try r.int(), outC = try r.int()
            let k = try size(&r), s = try size(&r), p = try size(&r), d = try size(&r)
            m = try Conv2d(inC, outC, kernelSize: k, stride: s, padding: p, dilation: d, groups: try r.int(), bias: try r.bool())
        case EngineKind.linear:
            m = try Linear(try r.int(), try r.int(), bias: try r.bool())
        case EngineKind.maxPool2d:
            let k = try size(&r), s = try size(&r), p = try size(&r), d = try size(&r)
            m = MaxPool2d(kernelSize: k, stride: s, padding: p, dilation: d, ceilMode: try r.bool())
        case EngineKind.avgPool2d:
            let k = try size(&r), s = try size(&r), p = try size(&r)
            m = AvgPool2d(kernelSize: k, stride: s, padding: p, ceilMode: try r.bool(), countIncludePad: try r.bool())
        case EngineKind.adaptiveAvgPool2d: m = AdaptiveAvgPool2d(outputSize: try size(&r))
        case EngineKind.relu: m = ReLU()
        case EngineKind.sigmoid: m = Sigmoid()
        case EngineKind.tanh: m = Tanh()
        case EngineKind.flatten: m = Flatten(startDim: try r.int(), endDim: try r.int())
        case EngineKind.dropout: m = try Dropout(p: try r.float())
        case EngineKind.batchNorm1d, EngineKind.batchNorm2d:
            let n = try r.int(), eps = try r.float(), momentum = try r.optionalFloat()
            let affine = try r.bool(), track = try r.bool()
            var buffers: [Tensor?] = []
            for _ in 0..<2 { buffers.append(try r.bool() ? try tensor(&r) : nil) }
            let batches = try r.int()
            let b: BatchNorm = kind == EngineKind.batchNorm1d
                ? try BatchNorm1d(n, eps: eps, momentum: momentum, affine: affine, trackRunningStats: track)
                : try BatchNorm2d(n, eps: eps, momentum: momentum, affine: affine, trackRunningStats: track)
            b.runningMean = buffers[0]; b.runningVar = buffers[1]; b.numBatchesTracked = batches
            m = b
        case EngineKind.sequential:
            let sequential = Sequential([])
            // Registered first: a script layer inside may refer back to it.
            register(id, sequential)
            for _ in 0..<(try r.count()) { sequential.append(try module(try r.int())) }
            m = sequential
        default:
            throw SnapshotCorrupt("unknown record kind \(kind)")
        }
        // Not `train(_:)`: each child keeps its own saved flag.
        m.isTraining = training
        let own = m.ownParameters.map(\.parameter)
        let count = try r.count()
        guard count == own.count else { throw SnapshotCorrupt("\(m.typeName) has \(own.count) parameters, the snapshot \(count)") }
        register(id, m)
        for p in own { try bind(parameter: p, to: try r.int()) }
        return m
    }

    private func decodeOptimizer(kind: SnapshotArchiveWriter.Kind, _ r: inout ByteReader) throws -> AnyObject {
        let parameters = try (0..<(try r.count())).map { _ in try parameter(try r.int()) }
        if kind == EngineKind.sgd {
            let lr = try r.float(), momentum = try r.float(), dampening = try r.float(), decay = try r.float()
            let sgd = try SGD(parameters: parameters, lr: lr, momentum: momentum, dampening: dampening,
                              weightDecay: decay, nesterov: try r.bool())
            for i in parameters.indices { sgd.buffers[i] = try r.bool() ? try r.floats() : nil }
            return sgd
        }
        let lr = try r.float(), b1 = try r.float(), b2 = try r.float(), eps = try r.float(), decay = try r.float()
        let adam = try Adam(parameters: parameters, lr: lr, betas: (b1, b2), eps: eps, weightDecay: decay)
        for i in parameters.indices {
            adam.steps[i] = try r.int()
            adam.firstMoments[i] = try r.bool() ? try r.floats() : nil
            adam.secondMoments[i] = try r.bool() ? try r.floats() : nil
        }
        return adam
    }
}
