// Regression (#15): an int64 tensor could hold NaN, infinity and fractions.
var t = tensor([1, 2, 3])
t[0] = tensor(2.7)
t[1] = tensor(-2.7)
print(t) // expect: tensor([ 2, -2,  3])
print(tensor([1.9, -1.9]).long()) // expect: tensor([ 1, -1])
t[2] = tensor(Double.nan)
// error: index_put: cannot convert nan to an integer @ 7:1
