// Regression (#15): converting infinity into an integer tensor is an error, not a value.
print(tensor([1.0, Double.infinity]).long())
// error: long: cannot convert inf to an integer @ 2:7
