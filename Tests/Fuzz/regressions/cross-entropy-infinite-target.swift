print(crossEntropy(zeros(2, 3), tensor([Double.infinity, 0.0])))
