let l = DataLoader(TensorDataset(zeros(4, 2), tensor([0, 1, 0, 1])), batchSize: Int.max)
for (x, y) in l { print(x.shape) }
