import TensorEngine

extension BuiltinLibrary {
    /// Rich outputs, recorded through `host.display` for the runner to draw:
    /// `summary(net, input: [1, 1, 28, 28])` (the shape table), `show(x, title:)` (a grayscale
    /// image, or a grid of feature maps), `plot(values, title:)` (a line chart, one or several
    /// series) and `table(rows, headers:)`.
    static func registerRichOutput(_ library: BuiltinLibrary) {
        library.defineFunction("summary") { arguments, context in
            let args = try ArgumentList(arguments, function: "summary", labels: ["input", "title", "depth"], maxPositional: 1)
            let value = try args.value(0, "module")
            guard case .module(let module) = value else { throw args.wrongType("module", expected: "a module", got: value) }
            let inputValue = try args.value("input")
            let shape: [Int]
            if case .tensor(let t) = inputValue { shape = t.shape } else if let s = Lib.shape(inputValue) { shape = s } else {
                throw args.wrongType("input", expected: "an input shape ([1, 1, 28, 28]) or a tensor", got: inputValue)
            }
            let depth = try args["depth"].map { try args.toInt($0, "depth") }
            if let depth, depth < 0 { throw ScriptRuntimeError("summary: depth must be 0 or more, got \(depth)") }
            let result = try TensorEngine.summary(module, inputShape: shape, maxDepth: depth)
            var rows = result.tableRows
            let footerStart = rows.count
            rows.append(["Total params", "", groupedThousands(result.totalParameters), ""])
            rows.append(["Trainable params", "", groupedThousands(result.trainableParameters), ""])
            rows.append(["Total mult-adds", "", "", groupedThousands(result.totalMultiplyAccumulates)])
            context.host.display(.table(OutputTable(title: try args.optionalString("title"), headers: ModelSummary.headers,
                                                    rows: rows, footerStart: footerStart)))
            return .void
        }

        library.defineFunction("show") { arguments, context in
            let args = try ArgumentList(arguments, function: "show", labels: ["title", "titles", "cmap", "vmin", "vmax"], maxPositional: 1)
            let value = try args.value(0, "image")
            var pixels: Tensor
            switch value {
            case .tensor(let t): pixels = t.detach()
            case .array(let items):
                // show([a, b]) draws several equally sized maps side by side.
                let maps = try items.map { try args.toTensor($0, "image").detach() }
                guard !maps.isEmpty else { throw ScriptRuntimeError("show: the array of images is empty") }
                pixels = try Tensor.stack(maps.map { $0.rank == 3 && $0.shape[0] == 1 ? $0.squeeze() : $0 }, dim: 0)
            default: throw args.wrongType("image", expected: "a Tensor", got: value)
            }
            if pixels.rank == 4 && pixels.shape[0] == 1 { pixels = try pixels.squeeze(dim: 0) }
            guard pixels.rank >= 2 && pixels.rank <= 4, !pixels.isMeta else {
                throw ScriptRuntimeError("show: expected an image [H, W], feature maps [C, H, W], or a batch or kernels [N, C, H, W], got \(shapeDescription(pixels.shape))")
            }
            guard pixels.count > 0 else { throw ScriptRuntimeError("show: the image \(shapeDescription(pixels.shape)) is empty") }
            guard pixels.count <= 4_000_000 else { throw ScriptRuntimeError("show: the image \(shapeDescription(pixels.shape)) is too large to draw") }
            if pixels.dtype != .float32 { pixels = try Lib.converted(pixels, to: .float32) }
            var colormap: OutputImage.Colormap?
            if let cmap = args["cmap"] {
                switch cmap {
                case .implicitMember(let name), .string(let name):
                    guard let map = OutputImage.Colormap(rawValue: name) else {
                        throw ScriptRuntimeError("show: unknown colormap '\(name)'", suggestion: "cmap: .gray or cmap: .diverging")
                    }
                    colormap = map
                default: throw args.wrongType("cmap", expected: ".gray or .diverging", got: cmap)
                }
            }
            let vmin = try args["vmin"].map { Float(try args.toDouble($0, "vmin")) }
            let vmax = try args["vmax"].map { Float(try args.toDouble($0, "vmax")) }
            if let vmin, let vmax, !(vmin < vmax) { throw ScriptRuntimeError("show: vmin (\(vmin)) must be less than vmax (\(vmax))") }
            // Signed data (an edge map) is drawn diverging unless asked otherwise: 0 stays white.
            if colormap == nil {
                let range = pixels.finiteRange
                colormap = range.map { $0.lowerBound < 0 && $0.upperBound > 0 } == true ? .diverging : .gray
            }
            var titles: [String]?
            if let value = args["titles"] {
                guard case .array(let items) = value else { throw args.wrongType("titles", expected: "an array of Strings", got: value) }
                titles = try items.map { try args.toString($0, "titles") }
                let maps = pixels.rank == 2 ? 1 : pixels.shape.dropLast(2).reduce(1, *)
                guard titles!.count == maps else {
                    throw ScriptRuntimeError("show: \(titles!.count) titles for \(maps) map\(maps == 1 ? "" : "s")")
                }
            }
            context.host.display(.image(OutputImage(title: try args.string("title", default: "") ?? "", pixels: pixels,
                                                    colormap: colormap ?? .gray, vmin: vmin, vmax: vmax, titles: titles)))
            return .void
        }

        library.defineFunction("plot") { arguments, context in
            let args = try ArgumentList(arguments, function: "plot", labels: ["x", "title", "xLabel", "yLabel", "label"], maxPositional: 1)
            let data = try args.value(0, "values")
            let title = try args.string("title", default: "") ?? ""
            let x = try args["x"].map { try Lib.numbers($0, "plot", what: "x") }
            var series: [OutputPlot.Series] = []
            if case .dictionary(let d) = data {
                for (key, v) in zip(d.keys, d.values) {
                    guard case .string(let name) = key else { throw ScriptRuntimeError("plot: series names must be Strings, got \(Lib.typeName(key))") }
                    series.append(try Lib.series(name, v, x: x))
                }
                guard !series.isEmpty else { throw ScriptRuntimeError("plot: no series to draw") }
            } else {
                series.append(try Lib.series(try args.string("label", default: "") ?? "", data, x: x))
            }
            context.host.display(.plot(OutputPlot(title: title, xLabel: try args.optionalString("xLabel"),
                                                  yLabel: try args.optionalString("yLabel"), series: series)))
            return .void
        }

        library.defineFunction("table") { arguments, context in
            let args = try ArgumentList(arguments, function: "table", labels: ["headers", "title"], maxPositional: 1)
            let rowsValue = try args.value(0, "rows")
            let headersValue = try args.value("headers")
            guard case .array(let headerItems) = headersValue else { throw args.wrongType("headers", expected: "an array of Strings", got: headersValue) }
            let headers = headerItems.map { Lib.cell($0, context) }
            guard case .array(let rowItems) = rowsValue else { throw args.wrongType("rows", expected: "an array of rows", got: rowsValue) }
            var rows: [[String]] = []
            for (i, row) in rowItems.enumerated() {
                let cells: [Value]
                switch row {
                case .array(let items), .tuple(let items, _): cells = items
                default: throw ScriptRuntimeError("table: row \(i) is \(Lib.typeName(row)), not an array or tuple")
                }
                guard cells.count == headers.count else {
                    throw ScriptRuntimeError("table: row \(i) has \(cells.count) cell\(cells.count == 1 ? "" : "s"), but there are \(headers.count) headers")
                }
                rows.append(cells.map { Lib.cell($0, context) })
            }
            context.host.display(.table(OutputTable(title: try args.optionalString("title"), headers: headers, rows: rows)))
            return .void
        }
    }
}

extension Lib {
    /// A table cell: strings as they are, everything else as `print` shows it.
    static func cell(_ value: Value, _ context: CallContext) -> String {
        if case .string(let s) = value { return s }
        return context.describe(value)
    }

    /// Numbers from an array of Ints/Doubles or a 1-D tensor.
    static func numbers(_ value: Value, _ function: String, what: String) throws -> [Double] {
        switch value {
        case .array(let items):
            return try items.map { v in
                guard let d = double(v) else { throw ScriptRuntimeError("\(function): \(what) must be numbers, got \(typeName(v))") }
                return d
            }
        case .tensor(let t):
            guard t.rank <= 1, !t.isMeta else { throw ScriptRuntimeError("\(function): \(what) must be a 1-D tensor, got \(shapeDescription(t.shape))") }
            return t.scalars.map(Double.init)
        case .range:
            return try elements(value, function).compactMap { double($0) }
        default:
            throw ScriptRuntimeError("\(function): \(what) must be an array of numbers, got \(typeName(value))")
        }
    }

    /// One plotted line; x defaults to 1, 2, 3, … (steps or epochs count from one).
    static func series(_ name: String, _ value: Value, x: [Double]?) throws -> OutputPlot.Series {
        let y = try numbers(value, "plot", what: "values")
        guard !y.isEmpty else { throw ScriptRuntimeError("plot: series '\(name)' has no values") }
        let xs = x ?? (1...y.count).map(Double.init)
        guard xs.count == y.count else {
            throw ScriptRuntimeError("plot: \(xs.count) x values for \(y.count) y values" + (name.isEmpty ? "" : " in series '\(name)'"))
        }
        return OutputPlot.Series(name: name, x: xs, y: y)
    }
}
