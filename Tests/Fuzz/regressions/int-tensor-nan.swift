var t = tensor([1, 2])
t[0] = tensor(Double.nan)
print(tensor([Double.nan]).long())
