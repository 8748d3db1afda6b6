let v: Int? = nil
print(v!)
// error: unexpectedly found nil while unwrapping an Optional value @ 2:7
