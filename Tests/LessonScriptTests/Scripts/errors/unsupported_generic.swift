func first<T>(_ xs: [T]) -> T { xs[0] }
// error: not supported in lesson cells: generic functions @ 1:11
