enum Color { case red, green }
// error: not supported in lesson cells: enum declarations @ 1:1
