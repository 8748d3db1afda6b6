class Account {
    var balance: Int
    let owner: String
    init(owner: String, balance: Int = 0) {
        self.owner = owner
        self.balance = balance
    }
    func deposit(_ amount: Int) { balance += amount }
    func describe() -> String { "\(owner): \(balance)" }
}
let a = Account(owner: "Ada")
let b = a                      // reference semantics: same object
b.deposit(50)
print(a.balance)               // expect: 50
print(a.describe())            // expect: Ada: 50
print(a)                       // expect: Account
print(a === b)                 // expect: true
class Savings: Account {
    var rate = 0.5
    init(owner: String) {
        super.init(owner: owner, balance: 100)
    }
    func addInterest() { deposit(Int(Double(balance) * rate)) }
}
let s = Savings(owner: "Alan")
s.addInterest()
print(s.balance)               // expect: 150
class Node {
    var value: Int
    var next: Node? = nil
    init(_ value: Int) { self.value = value }
}
let n1 = Node(1)
n1.next = Node(2)
print(n1.next!.value)          // expect: 2
