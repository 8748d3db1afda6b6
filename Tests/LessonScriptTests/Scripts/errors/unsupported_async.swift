func load() async -> Int { 1 }
// error: not supported in lesson cells: async functions @ 1:13
