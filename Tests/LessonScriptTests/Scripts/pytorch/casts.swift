// `as?` gives nil when the value is not of the type; `as!` stops (issue 13, silently wrong item 2).
let layers: [Module] = [Conv2d(1, 2, kernelSize: 3), ReLU(), Linear(2, 1)]
for layer in layers {
    if let conv = layer as? Conv2d {
        print("conv", conv.outChannels)
    } else if let fc = layer as? Linear {
        print("linear", fc.inFeatures)
    } else {
        print("other", layer.typeName, layer is Conv2d)
    }
}
// expect: conv 2
// expect: other ReLU false
// expect: linear 2
print(ReLU() as? Conv2d == nil, ReLU() as? Module != nil)          // expect: true true
let anything: Any = 3
print(anything as? Int, anything as? String, anything as? Double)  // expect: 3 nil nil
class Animal { var name = "a" }
class Dog: Animal {}
let pet: Animal = Dog()
print(pet as? Dog != nil, pet as? Animal != nil, pet is Animal)    // expect: true true true
let n = anything as! Int
print(n + 1)                                                       // expect: 4
let s = anything as! String                                        // error: could not cast value of type 'Int' to 'String' @ 24:9
