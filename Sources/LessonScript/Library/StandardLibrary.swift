extension BuiltinLibrary {
    /// A library with every built-in of the language: the Swift-like standard library,
    /// the tensor engine's functions and layers, and the rich outputs. Each call returns
    /// a fresh library, so a test can add to it without affecting others.
    public static func standard() -> BuiltinLibrary {
        let library = BuiltinLibrary()
        for register in standardRegistrations { register(library) }
        return library
    }

    /// The registration functions of `Library/`, one per file; each adds its built-ins.
    static var standardRegistrations: [(BuiltinLibrary) -> Void] {
        [
            registerPrinting,
            registerAssertions,
            registerMath,
            registerStrings,
            registerCollections,
            registerTensorFunctions,
            registerTensorMembers,
            registerLayers,
            registerModuleMembers,
            registerTraining,
            registerTrainingUtilities,
            registerData,
            registerRichOutput,
            registerClock,
            registerDiagrams,
        ]
    }
}
