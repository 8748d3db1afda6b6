let losses = [0.9, 0.7, 0.8]
assert(losses[1] < losses[0], "should not fail")
print("first step down") // expect: first step down
assert(losses[2] < losses[1], "the loss went up at epoch 3")
// error: assertion failed: the loss went up at epoch 3 @ 4:1
