infix operator ** : MultiplicationPrecedence
// error: not supported in lesson cells: operator declarations @ 1:1
