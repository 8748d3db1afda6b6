/// Parses a cell's tokens into statements (recursive descent, with precedence climbing
/// for binary operators). Stops at the first error and reports it as a `SyntaxIssue`.
struct Parser {
    private var tokens: [Token]
    private var index = 0
    private let source: SourceText
    /// Inside `if`/`while`/`for`/`guard` conditions `{` starts the body, not a trailing closure.
    private var allowTrailingClosure = true
    private var depth = 0
    static let maximumDepth = 150

    init(tokens: [Token], source: SourceText) {
        self.tokens = tokens
        self.source = source
    }

    /// Parses a whole cell.
    static func parse(_ source: SourceText) throws -> [Stmt] {
        var lexer = Lexer(bytes: source.bytes)
        let tokens = lexer.tokenize()
        if let first = lexer.issues.first { throw first }
        var parser = Parser(tokens: tokens, source: source)
        let statements = try parser.parseStatements(inBlock: false)
        if parser.current.kind != .endOfFile {
            throw parser.error("unexpected '\(parser.current.text)'", suggestion: parser.current.isPunctuation("}") ? "remove the extra '}'" : nil)
        }
        return statements
    }

    // MARK: Tokens

    private var current: Token { tokens[index] }
    private var previous: Token { tokens[max(0, index - 1)] }
    private func peek(_ n: Int = 1) -> Token { tokens[min(index + n, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    private func isPunct(_ s: String) -> Bool { current.isPunctuation(s) }
    private func isKeyword(_ s: String) -> Bool { current.isKeyword(s) }

    private mutating func match(_ s: String) -> Bool {
        if isPunct(s) { advance(); return true }
        return false
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .endOfFile: return "end of cell"
        case .string: return "string literal"
        default: return "'\(t.text)'"
        }
    }

    func error(_ message: String, at range: SourceRange? = nil, suggestion: String? = nil) -> SyntaxIssue {
        // At the end of the cell, point just after the last token rather than at an empty line.
        var here = current.range
        if current.kind == .endOfFile && index > 0 { here = SourceRange(start: previous.range.end, end: previous.range.end) }
        return SyntaxIssue(.syntax, message, at: range ?? here, suggestion: suggestion)
    }

    func unsupported(_ what: String, at range: SourceRange? = nil) -> SyntaxIssue {
        SyntaxIssue(.unsupported, "not supported in lesson cells: \(what)", at: range ?? current.range)
    }

    private mutating func expect(_ s: String, _ context: String) throws {
        guard match(s) else { throw error("expected '\(s)' \(context), found \(describe(current))") }
    }

    /// Expects the closing bracket of something opened at `open`.
    private mutating func expectClosing(_ s: String, _ what: String, openedAt open: SourceRange) throws {
        guard match(s) else {
            throw error("expected '\(s)' to close the \(what) started at \(source.shortPosition(open.start)), found \(describe(current))")
        }
    }

    private mutating func identifier(_ context: String) throws -> Token {
        guard current.kind == .identifier else {
            if current.kind == .keyword {
                throw error("keyword '\(current.text)' cannot be used as \(context)",
                            suggestion: "write `\(current.text)` in backticks or choose another name")
            }
            throw error("expected \(context), found \(describe(current))")
        }
        return advance()
    }

    private mutating func nested<T>(_ body: (inout Parser) throws -> T) throws -> T {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maximumDepth { throw error("expression or block nested too deeply (more than \(Parser.maximumDepth) levels)") }
        return try body(&self)
    }

    // MARK: Statements

    /// Statements until `}` (in a block) or the end of the cell.
    mutating func parseStatements(inBlock: Bool) throws -> [Stmt] {
        var statements: [Stmt] = []
        while true {
            while match(";") {}
            if current.kind == .endOfFile || (isPunct("}") && (inBlock || true)) { break }
            let statement = try nested { try $0.parseStatement() }
            statements.append(statement)
            if isPunct(";") || isPunct("}") || current.kind == .endOfFile || current.newlineBefore { continue }
            throw error("consecutive statements on a line must be separated by ';'", suggestion: "start a new line or insert ';' before \(describe(current))")
        }
        return statements
    }

    /// `{ statements }`.
    private mutating func parseBlock(_ what: String) throws -> [Stmt] {
        let open = current.range
        guard match("{") else { throw error("expected '{' to start the \(what), found \(describe(current))") }
        let saved = allowTrailingClosure
        allowTrailingClosure = true
        defer { allowTrailingClosure = saved }
        let body = try parseStatements(inBlock: true)
        try expectClosing("}", what, openedAt: open)
        return body
    }

    private mutating func skipAttributes() throws {
        while isPunct("@") {
            advance()
            _ = try identifier("an attribute name")
            if isPunct("(") && !current.spaceBefore { try skipBalanced() }
        }
    }

    /// Skips a parenthesised group, e.g. an attribute's arguments.
    private mutating func skipBalanced() throws {
        let open = current.range
        var level = 0
        repeat {
            if isPunct("(") || isPunct("[") || isPunct("{") { level += 1 }
            if isPunct(")") || isPunct("]") || isPunct("}") { level -= 1 }
            if current.kind == .endOfFile { throw error("expected ')' to close the group started at \(source.shortPosition(open.start))") }
            advance()
        } while level > 0
    }

    private struct Modifiers {
        var isMutating = false
        var isStatic = false
        var start: SourceRange?
    }

    private mutating func parseModifiers() throws -> Modifiers {
        var modifiers = Modifiers()
        while true {
            try skipAttributes()
            let t = current
            if t.kind == .keyword && ["private", "public", "fileprivate", "internal"].contains(t.text) {
                modifiers.start = modifiers.start ?? t.range
                advance()
                if isPunct("(") { try skipBalanced() } // private(set)
                continue
            }
            if t.kind == .keyword && t.text == "static" {
                modifiers.start = modifiers.start ?? t.range
                modifiers.isStatic = true
                advance(); continue
            }
            if t.kind == .identifier && peek().kind == .keyword || t.kind == .identifier && peek().kind == .identifier && ["mutating", "weak", "unowned"].contains(t.text) {
                if ignoredModifiers.contains(t.text) || t.text == "weak" || t.text == "unowned" || t.text == "nonmutating" {
                    modifiers.start = modifiers.start ?? t.range
                    advance(); continue
                }
                if t.text == "mutating" {
                    modifiers.start = modifiers.start ?? t.range
                    modifiers.isMutating = true
                    advance(); continue
                }
                if t.text == "dynamic" { advance(); continue }
            }
            return modifiers
        }
    }

    private mutating func parseStatement() throws -> Stmt {
        let start = current.range
        let modifiers = try parseModifiers()
        if modifiers.isStatic && !isKeyword("func") && !isKeyword("let") && !isKeyword("var") {
            // `static` alone before something else.
        }
        let t = current
        if t.kind == .identifier {
            switch t.text {
            case "actor": if peek().kind == .identifier { throw unsupported("actors") }
            case "async": if peek().isKeyword("let") { throw unsupported("'async let'") }
            case "prefix", "postfix", "infix":
                if peek().isKeyword("operator") || peek().isKeyword("func") { throw unsupported("operator declarations") }
            case "macro": if peek().kind == .identifier { throw unsupported("macros") }
            default: break
            }
            // A label: `outer: for ...`.
            if peek().isPunctuation(":") && (peek(2).isKeyword("for") || peek(2).isKeyword("while") || peek(2).isKeyword("repeat")) {
                throw unsupported("labeled statements")
            }
        }
        if modifiers.isStatic {
            throw unsupported("static members", at: modifiers.start)
        }
        guard t.kind == .keyword else { return try parseExpressionStatement() }
        switch t.text {
        case "let", "var": return try parseVariables()
        case "func":
            let f = try parseFunction(isMutating: modifiers.isMutating)
            return Stmt(.function(f), start.to(previous.range))
        case "struct", "class":
            let decl = try parseTypeDecl()
            return Stmt(.type(decl), start.to(previous.range))
        case "if": return try parseIf()
        case "guard":
            advance()
            let conditions = try parseConditions()
            guard isKeyword("else") else { throw error("expected 'else' after 'guard' condition, found \(describe(current))") }
            advance()
            let body = try parseBlock("'guard' body")
            return Stmt(.guardStatement(conditions, body), start.to(previous.range))
        case "while":
            advance()
            let conditions = try parseConditions()
            let body = try parseBlock("'while' body")
            return Stmt(.whileLoop(conditions, body), start.to(previous.range))
        case "repeat":
            advance()
            let body = try parseBlock("'repeat' body")
            guard isKeyword("while") else { throw error("expected 'while' after 'repeat' body, found \(describe(current))") }
            advance()
            let condition = try parseConditionExpression()
            return Stmt(.repeatWhile(body, condition), start.to(previous.range))
        case "for": return try parseFor()
        case "break", "continue":
            advance()
            if current.kind == .identifier && !current.newlineBefore { throw unsupported("labeled statements") }
            return Stmt(t.text == "break" ? .breakStatement : .continueStatement, t.range)
        case "return":
            advance()
            if current.newlineBefore || isPunct("}") || isPunct(";") || current.kind == .endOfFile {
                return Stmt(.returnStatement(nil), t.range)
            }
            let value = try parseExpression()
            return Stmt(.returnStatement(value), t.range.to(value.range))
        case "import":
            advance()
            while !current.newlineBefore && current.kind != .endOfFile && !isPunct(";") { advance() }
            return Stmt(.importDeclaration, t.range.to(previous.range))
        case "typealias":
            throw unsupported("type aliases")
        case "do":
            advance()
            let body = try parseBlock("'do' block")
            if isKeyword("catch") { throw unsupported("'do'/'catch' error handling") }
            return Stmt(.block(body), start.to(previous.range))
        case "protocol": throw unsupported("protocol declarations")
        case "extension": throw unsupported("extensions")
        case "enum": throw unsupported("enum declarations")
        case "switch": throw unsupported("'switch' statements (use if/else if)")
        case "defer": throw unsupported("'defer'")
        case "throw": throw unsupported("'throw'")
        case "operator", "precedencegroup": throw unsupported("operator declarations")
        case "subscript": throw unsupported("subscript declarations")
        case "deinit": throw unsupported("deinitializers")
        case "associatedtype": throw unsupported("associated types")
        case "init": throw error("initializers may only be declared within a type")
        case "else": throw error("'else' without 'if'")
        case "case", "default": throw error("'\(t.text)' is only allowed inside a 'switch'")
        case "catch": throw error("'catch' without 'do'")
        case "fallthrough": throw error("'fallthrough' is only allowed inside a 'switch'")
        default: return try parseExpressionStatement()
        }
    }

    private mutating func parseExpressionStatement() throws -> Stmt {
        let expr = try parseExpression()
        let t = current
        if t.kind == .punctuation && ["=", "+=", "-=", "*=", "/=", "%="].contains(t.text) {
            try checkAssignable(expr, operatorText: t.text)
            advance()
            let value = try parseExpression()
            return Stmt(.assignment(expr, t.text, value, operatorRange: t.range), expr.range.to(value.range))
        }
        return Stmt(.expression(expr), expr.range)
    }

    private func checkAssignable(_ e: Expr, operatorText: String) throws {
        switch e.kind {
        case .name, .member, .subscripted, .tupleIndex: return
        case .tuple(let elements, _) where operatorText == "=":
            for element in elements { try checkAssignable(element, operatorText: operatorText) }
        default:
            throw error("cannot assign to this expression; the left side of '\(operatorText)' must be a variable, property or subscript", at: e.range)
        }
    }

    private mutating func parseVariables() throws -> Stmt {
        let keyword = advance()
        let isConstant = keyword.text == "let"
        var bindings: [VariableBinding] = []
        repeat {
            let pattern = try parsePattern(allowKeywords: false)
            var type: TypeAnnotation?
            if match(":") { type = try parseType() }
            var initializer: Expr?
            if match("=") {
                initializer = try parseExpression()
            } else if isPunct("{") {
                throw unsupported("computed or observed variables outside a type")
            }
            if initializer == nil && type == nil {
                throw error("type annotation missing in pattern; give '\(keyword.text)' a value or a type", at: pattern.range)
            }
            bindings.append(VariableBinding(pattern: pattern, type: type, initializer: initializer))
        } while match(",")
        return Stmt(.variables(isConstant: isConstant, bindings), keyword.range.to(previous.range))
    }

    /// A name, `_`, or a tuple of patterns.
    private mutating func parsePattern(allowKeywords: Bool) throws -> Pattern {
        if allowKeywords && (isKeyword("let") || isKeyword("var")) { advance() }
        if isPunct("(") {
            let open = advance().range
            var elements: [Pattern] = []
            if !isPunct(")") {
                repeat { elements.append(try parsePattern(allowKeywords: allowKeywords)) } while match(",")
            }
            try expectClosing(")", "tuple pattern", openedAt: open)
            return .tuple(elements, open.to(previous.range))
        }
        if isKeyword("case") { throw unsupported("'case' patterns") }
        let name = try identifier("a variable name")
        if name.text == "_" { return .wildcard(name.range) }
        return .name(PatternVariable(name: name.text, range: name.range))
    }

    private mutating func parseConditions() throws -> [Condition] {
        var conditions: [Condition] = []
        repeat {
            if isKeyword("let") || isKeyword("var") {
                let isConstant = advance().text == "let"
                let pattern = try parsePattern(allowKeywords: false)
                if match(":") { _ = try parseType() }
                let value: Expr
                if match("=") {
                    value = try parseConditionExpression()
                } else if case .name(let v) = pattern {
                    value = Expr(.name(NameReference(name: v.name, range: v.range)), v.range)
                } else {
                    throw error("expected '=' in optional binding")
                }
                conditions.append(.optionalBinding(pattern, value, isConstant: isConstant))
            } else if isKeyword("case") {
                throw unsupported("'case' patterns in conditions")
            } else {
                conditions.append(.expression(try parseConditionExpression()))
            }
        } while match(",")
        return conditions
    }

    private mutating func parseConditionExpression() throws -> Expr {
        let saved = allowTrailingClosure
        allowTrailingClosure = false
        defer { allowTrailingClosure = saved }
        return try parseExpression()
    }

    private mutating func parseIf() throws -> Stmt {
        let start = advance().range
        let conditions = try parseConditions()
        let body = try parseBlock("'if' body")
        var elseBranch: [Stmt]?
        if isKeyword("else") {
            advance()
            if isKeyword("if") {
                elseBranch = [try nested { try $0.parseIf() }]
            } else {
                elseBranch = try parseBlock("'else' body")
            }
        }
        return Stmt(.ifStatement(conditions, body, elseBranch: elseBranch), start.to(previous.range))
    }

    private mutating func parseFor() throws -> Stmt {
        let start = advance().range
        if isKeyword("case") { throw unsupported("'for case' patterns") }
        if current.kind == .identifier && current.text == "await" { throw unsupported("'for await'") }
        let pattern = try parsePattern(allowKeywords: true)
        if match(":") { _ = try parseType() }
        guard isKeyword("in") else { throw error("expected 'in' after the 'for' pattern, found \(describe(current))") }
        advance()
        let sequence = try parseConditionExpression()
        var whereClause: Expr?
        if isKeyword("where") {
            advance()
            whereClause = try parseConditionExpression()
        }
        let body = try parseBlock("'for' body")
        return Stmt(.forIn(pattern, sequence, whereClause: whereClause, body), start.to(previous.range))
    }

    // MARK: Declarations

    private mutating func parseFunction(isMutating: Bool) throws -> FunctionDecl {
        let start = advance().range // func
        if current.kind == .punctuation && !isPunct("(") { throw unsupported("operator functions") }
        let name = try identifier("a function name")
        if isPunct("<") { throw unsupported("generic functions") }
        let parameters = try parseParameters()
        let returnType = try parseEffectsAndReturnType()
        if isKeyword("where") { throw unsupported("generic 'where' clauses") }
        let body = try parseBlock("body of '\(name.text)'")
        let f = FunctionDecl(name: name.text, parameters: parameters, returnType: returnType, body: body,
                             range: start.to(previous.range), nameRange: name.range)
        f.isMutating = isMutating
        return f
    }

    private mutating func parseEffectsAndReturnType() throws -> TypeAnnotation? {
        if current.kind == .identifier && current.text == "async" { throw unsupported("async functions") }
        if isKeyword("throws") || isKeyword("rethrows") { advance() }
        if isPunct("(") && previous.isKeyword("throws") { throw unsupported("typed throws") }
        if match("->") { return try parseType() }
        return nil
    }

    /// `(label name: Type = default, ...)`.
    private mutating func parseParameters() throws -> [ParameterDecl] {
        let open = current.range
        guard match("(") else { throw error("expected '(' to start the parameter list, found \(describe(current))") }
        var parameters: [ParameterDecl] = []
        if !isPunct(")") {
            repeat {
                if isPunct(")") { break }
                try skipAttributes()
                let first = current
                guard first.kind == .identifier || first.kind == .keyword else {
                    throw error("expected a parameter name, found \(describe(first))")
                }
                advance()
                var label: String? = first.text == "_" ? nil : first.text
                var nameToken = first
                if current.kind == .identifier || current.kind == .keyword {
                    nameToken = advance()
                } else if first.kind == .keyword {
                    throw error("keyword '\(first.text)' cannot be used as a parameter name")
                }
                if nameToken.kind == .keyword { throw error("keyword '\(nameToken.text)' cannot be used as a parameter name") }
                if first.text == "_" && nameToken.text == "_" { label = nil }
                guard match(":") else {
                    throw error("expected ':' and a type after parameter '\(nameToken.text)', found \(describe(current))")
                }
                var isInout = false
                if isKeyword("inout") { isInout = true; advance() }
                let type = try parseType()
                var isVariadic = false
                if match("...") { isVariadic = true }
                var defaultValue: Expr?
                if match("=") { defaultValue = try parseExpression() }
                if isInout { throw unsupported("'inout' parameters", at: first.range) }
                parameters.append(ParameterDecl(label: label, name: nameToken.text, type: type, defaultValue: defaultValue,
                                                isInout: isInout, isVariadic: isVariadic, range: first.range.to(previous.range)))
            } while match(",")
        }
        try expectClosing(")", "parameter list", openedAt: open)
        return parameters
    }

    /// Reads a type and returns its text; the evaluator only uses a few (Double, [Double]).
    private mutating func parseType() throws -> TypeAnnotation {
        let start = current.range
        let text = try nested { try $0.parseTypeText() }
        return TypeAnnotation(text: text, range: start.to(previous.range))
    }

    /// `@escaping` and `@autoclosure` change nothing for the interpreter: accepted, ignored.
    private mutating func skipIgnoredTypeAttributes() {
        while isPunct("@"), peek().kind == .identifier, ["escaping", "autoclosure", "Sendable"].contains(peek().text) {
            advance()
            advance()
        }
    }

    private mutating func parseTypeText() throws -> String {
        var text = ""
        if current.kind == .identifier && (current.text == "some" || current.text == "any") && peek().kind == .identifier { advance() }
        if isKeyword("inout") { advance() }
        skipIgnoredTypeAttributes()
        if isPunct("(") {
            let open = advance().range
            var parts: [String] = []
            if !isPunct(")") {
                repeat {
                    if (current.kind == .identifier || current.kind == .keyword) && (peek().isPunctuation(":") || peek().kind == .identifier && peek(2).isPunctuation(":")) {
                        while !isPunct(":") { advance() }
                        advance()
                    }
                    parts.append(try nested { try $0.parseTypeText() })
                } while match(",")
            }
            try expectClosing(")", "tuple type", openedAt: open)
            text = "(" + parts.joined(separator: ", ") + ")"
            if isKeyword("throws") { advance() }
            if match("->") { text += " -> " + (try nested { try $0.parseTypeText() }) }
        } else if isPunct("[") {
            let open = advance().range
            let element = try nested { try $0.parseTypeText() }
            if match(":") {
                let value = try nested { try $0.parseTypeText() }
                text = "[\(element): \(value)]"
            } else {
                text = "[\(element)]"
            }
            try expectClosing("]", "collection type", openedAt: open)
        } else {
            guard current.kind == .identifier || isKeyword("Self") else {
                throw error("expected a type, found \(describe(current))")
            }
            text = advance().text
            while isPunct(".") && peek().kind == .identifier { advance(); text += "." + advance().text }
            if isPunct("<") && !current.spaceBefore {
                let open = advance().range
                var args: [String] = []
                repeat { args.append(try nested { try $0.parseTypeText() }) } while match(",")
                if isPunct(">>") {
                    // `Array<Array<Int>>`: split the token.
                    tokens[index].text = ">"
                    tokens[index].range.start += 1
                } else {
                    try expectClosing(">", "generic argument list", openedAt: open)
                }
                text += "<" + args.joined(separator: ", ") + ">"
            }
        }
        while !current.spaceBefore && (isPunct("?") || isPunct("!")) { text += advance().text }
        return text
    }

    private mutating func parseTypeDecl() throws -> TypeDecl {
        let keyword = advance()
        let isClass = keyword.text == "class"
        let name = try identifier("a type name")
        if isPunct("<") { throw unsupported("generic types") }
        var inherits: [String] = []
        if match(":") {
            repeat { inherits.append(try parseType().text) } while match(",")
        }
        if isKeyword("where") { throw unsupported("generic 'where' clauses") }
        let decl = TypeDecl(name: name.text, isClass: isClass, inherits: inherits, range: keyword.range, nameRange: name.range)
        let open = current.range
        guard match("{") else { throw error("expected '{' to start the body of '\(name.text)', found \(describe(current))") }
        while true {
            while match(";") {}
            if isPunct("}") || current.kind == .endOfFile { break }
            try nested { try $0.parseMember(of: decl) }
            if isPunct(";") || isPunct("}") || current.newlineBefore { continue }
            throw error("consecutive declarations on a line must be separated by ';'")
        }
        try expectClosing("}", "body of '\(name.text)'", openedAt: open)
        return decl
    }

    private mutating func parseMember(of decl: TypeDecl) throws {
        let modifiers = try parseModifiers()
        let t = current
        if modifiers.isStatic { throw unsupported("static members", at: modifiers.start) }
        switch t.kind == .keyword ? t.text : "" {
        case "let", "var":
            advance()
            repeat {
                let nameToken = try identifier("a property name")
                var type: TypeAnnotation?
                if match(":") { type = try parseType() }
                if isPunct("{") {
                    guard t.text == "var", let type else { throw error("computed properties need 'var' and a type") }
                    decl.computed.append(try parseComputedProperty(name: nameToken, type: type))
                    return
                }
                var value: Expr?
                if match("=") { value = try parseExpression() }
                decl.properties.append(PropertyDecl(isConstant: t.text == "let", name: nameToken.text, type: type,
                                                    defaultValue: value, range: nameToken.range))
            } while match(",")
        case "func":
            let f = try parseFunction(isMutating: modifiers.isMutating)
            if decl.isClass && f.isMutating { throw error("'mutating' is not valid on methods in classes", at: f.nameRange) }
            decl.methods.append(f)
        case "init":
            advance()
            if isPunct("?") || isPunct("!") { throw unsupported("failable initializers") }
            if isPunct("<") { throw unsupported("generic initializers") }
            let parameters = try parseParameters()
            _ = try parseEffectsAndReturnType()
            let body = try parseBlock("body of 'init'")
            let f = FunctionDecl(name: "init", parameters: parameters, returnType: nil, body: body,
                                 range: t.range.to(previous.range), nameRange: t.range)
            f.isInitializer = true
            f.isMutating = true
            decl.initializers.append(f)
        case "struct", "class": throw unsupported("nested types")
        case "enum": throw unsupported("enum declarations")
        case "subscript": throw unsupported("subscript declarations")
        case "deinit": throw unsupported("deinitializers")
        case "typealias": throw unsupported("type aliases")
        case "case": throw error("enum 'case' is not allowed in a \(decl.isClass ? "class" : "struct")")
        default:
            throw error("expected a property, method or 'init' in '\(decl.name)', found \(describe(t))")
        }
    }

    private mutating func parseComputedProperty(name: Token, type: TypeAnnotation) throws -> FunctionDecl {
        let open = current.range
        advance()
        var body: [Stmt]
        if current.kind == .identifier && current.text == "get" && peek().isPunctuation("{") {
            advance()
            body = try parseBlock("getter")
            if current.kind == .identifier && (current.text == "set") { throw unsupported("computed property setters") }
            try expectClosing("}", "computed property", openedAt: open)
        } else if current.kind == .identifier && ["willSet", "didSet", "set"].contains(current.text) && peek().isPunctuation("{") {
            throw unsupported("property observers and setters")
        } else {
            let saved = allowTrailingClosure
            allowTrailingClosure = true
            body = try parseStatements(inBlock: true)
            allowTrailingClosure = saved
            try expectClosing("}", "computed property", openedAt: open)
        }
        return FunctionDecl(name: name.text, parameters: [], returnType: type, body: body,
                            range: name.range.to(previous.range), nameRange: name.range)
    }

    // MARK: Expressions

    mutating func parseExpression() throws -> Expr {
        try nested { try $0.parseTernary() }
    }

    private mutating func parseTernary() throws -> Expr {
        let condition = try parseBinary(minimumPrecedence: 1)
        guard isPunct("?") else { return condition }
        if !current.spaceBefore { throw unsupported("optional chaining ('?.')") }
        advance()
        let whenTrue = try nested { try $0.parseTernary() }
        guard match(":") else { throw error("expected ':' after the '?' branch of the conditional expression, found \(describe(current))") }
        let whenFalse = try nested { try $0.parseTernary() }
        return Expr(.ternary(condition, whenTrue, whenFalse), condition.range.to(whenFalse.range))
    }

    /// Swift's precedence groups, lowest first: `||`, `&&`, comparison, `??`, casting,
    /// range formation, addition, multiplication, shifts.
    private static func precedence(_ op: String) -> Int? {
        switch op {
        case "||": return 1
        case "&&": return 2
        case "==", "!=", "<", "<=", ">", ">=", "===", "!==": return 3
        case "??": return 4
        case "..<", "...": return 6
        case "+", "-", "|", "^", "&+", "&-": return 7
        case "*", "/", "%", "&", "&*": return 8
        case "<<", ">>": return 9
        default: return nil
        }
    }

    /// `x ** 2` is Python's power; Swift has no such operator, so say what to write.
    private func rejectPythonPower(_ t: Token) throws {
        guard t.kind == .punctuation, t.text == "*" || t.text == "**" else { return }
        let next = peek()
        guard t.text == "**" || (next.isPunctuation("*") && !next.spaceBefore) else { return }
        throw error("'**' is not an operator in Swift", at: t.text == "**" ? t.range : t.range.to(next.range),
                    suggestion: "write x.pow(2) for a tensor, or pow(x, 2)")
    }

    private mutating func parseBinary(minimumPrecedence: Int) throws -> Expr {
        var left = try parsePrefix()
        while true {
            let t = current
            // Casting: `x as Double`, `x is Tensor` (between `??` and ranges).
            if t.kind == .keyword && (t.text == "as" || t.text == "is") && minimumPrecedence <= 5 {
                advance()
                var kind = CastKind.plain
                if t.text == "as" && (isPunct("?") || isPunct("!")) && !current.spaceBefore {
                    kind = isPunct("?") ? .conditional : .forced
                    advance()
                }
                let type = try parseType()
                left = Expr(t.text == "as" ? .cast(left, type, kind) : .typeCheck(left, type), left.range.to(type.range))
                continue
            }
            try rejectPythonPower(t)
            guard t.kind == .punctuation, let p = Parser.precedence(t.text), p >= minimumPrecedence else { break }
            // An operator starting a line without a space after it begins a new statement.
            if t.newlineBefore && !t.spaceAfter { break }
            if t.text == "..." || t.text == "..<" {
                let next = peek()
                if t.text == "..." && (next.isPunctuation("]") || next.isPunctuation(",") || next.isPunctuation(")")) {
                    advance()
                    left = Expr(.range(left, nil, closed: false), left.range.to(t.range))
                    continue
                }
            }
            advance()
            if ["|", "^", "&", "<<", ">>", "&+", "&-", "&*"].contains(t.text) {
                throw unsupported("the '\(t.text)' operator", at: t.range)
            }
            // Left-associative except `??` (right); ranges and comparisons do not chain.
            let rightMinimum = t.text == "??" ? p : p + 1
            let right = try nested { try $0.parseBinary(minimumPrecedence: rightMinimum) }
            let range = left.range.to(right.range)
            if t.text == "..<" || t.text == "..." {
                left = Expr(.range(left, right, closed: t.text == "..."), range)
            } else {
                left = Expr(.binary(t.text, left, right), range)
            }
            if (p == 3 || p == 6), let n = Parser.precedence(current.text), n == p, current.kind == .punctuation {
                if p == 6 { throw error("adjacent range operators are not allowed; add parentheses") }
            }
        }
        return left
    }

    private mutating func parsePrefix() throws -> Expr {
        let t = current
        if t.kind == .punctuation && ["+", "-", "*", "/", "%", "<", ">", "<=", ">=", "==", "!="].contains(t.text)
            && (peek().isPunctuation(")") || peek().isPunctuation(",")) {
            // An operator used as a function: `xs.reduce(0, +)`.
            advance()
            return Expr(.operatorFunction(t.text), t.range)
        }
        if t.kind == .punctuation {
            switch t.text {
            case "-", "+", "!":
                advance()
                let operand = try nested { try $0.parsePrefix() }
                if t.text == "+" { return operand }
                // Fold `-3` into a literal so that `Int.min` style literals work.
                if t.text == "-" {
                    if case .int(let v) = operand.kind, v >= 0 { return Expr(.int(-v), t.range.to(operand.range)) }
                    if case .double(let v) = operand.kind { return Expr(.double(-v), t.range.to(operand.range)) }
                }
                return Expr(.unary(t.text, operand), t.range.to(operand.range))
            case "..<", "...":
                advance()
                let next = current
                if t.text == "..." && (next.isPunctuation("]") || next.isPunctuation(",") || next.isPunctuation(")")) {
                    return Expr(.range(nil, nil, closed: false), t.range)
                }
                let operand = try nested { try $0.parseBinary(minimumPrecedence: 7) }
                return Expr(.range(nil, operand, closed: t.text == "..."), t.range.to(operand.range))
            case "&": throw unsupported("'&' (inout arguments)")
            case "~": throw unsupported("the '~' operator")
            default: break
            }
        }
        if t.kind == .keyword && t.text == "try" {
            advance()
            if (isPunct("?") || isPunct("!")) && !current.spaceBefore { advance() }
            return try nested { try $0.parsePrefix() }
        }
        if t.kind == .identifier && t.text == "await" && !peek().newlineBefore && peek().kind != .punctuation {
            throw unsupported("'await'")
        }
        let primary = try parsePrimary()
        return try parsePostfix(primary)
    }

    private mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var expr = start
        while true {
            let t = current
            if t.isPunctuation("(") && !t.newlineBefore {
                let (args, end) = try parseArguments(close: ")", what: "call")
                expr = Expr(.call(expr, args), expr.range.to(end))
            } else if t.isPunctuation("[") && !t.newlineBefore {
                let (args, end) = try parseArguments(close: "]", what: "subscript")
                if args.isEmpty { throw error("a subscript needs at least one index", at: t.range.to(end)) }
                expr = Expr(.subscripted(expr, args), expr.range.to(end))
            } else if t.isPunctuation(".") {
                advance()
                let member = current
                if member.kind == .integer || member.kind == .float {
                    // `t.0.1` lexes `0.1` as a number: two tuple indices. Only plain digits
                    // are indices: `t.1e0`, `t.0x1`, `t.1_0` are not.
                    let parts = member.text.split(separator: ".", omittingEmptySubsequences: false)
                    let indices = parts.map { part in !part.isEmpty && part.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(part) : nil }
                    guard parts.count <= 2, indices.allSatisfy({ $0 != nil }) else {
                        throw error("expected a tuple index (a whole number such as 0 or 1) after '.', found '\(member.text)'", at: member.range)
                    }
                    advance()
                    for index in indices { expr = Expr(.tupleIndex(expr, index!), expr.range.to(member.range)) }
                } else if member.kind == .identifier || member.kind == .keyword {
                    advance()
                    if member.text == "self" && member.kind == .keyword { continue }
                    if member.kind == .keyword && member.text == "init" {
                        throw unsupported("explicit '.init' references")
                    }
                    expr = Expr(.member(expr, member.text, nameRange: member.range), expr.range.to(member.range))
                } else {
                    throw error("expected a member name after '.', found \(describe(member))")
                }
            } else if t.isPunctuation("!") && !t.spaceBefore {
                advance()
                expr = Expr(.forceUnwrap(expr), expr.range.to(t.range))
            } else if t.isPunctuation("?") && !t.spaceBefore {
                throw unsupported("optional chaining ('?.')")
            } else if t.isPunctuation("{") && !t.newlineBefore && allowTrailingClosure {
                let closure = try parseClosure()
                let argument = CallArgument(label: nil, value: closure, range: closure.range)
                if case .call(let callee, var args) = expr.kind {
                    args.append(argument)
                    expr = Expr(.call(callee, args), expr.range.to(closure.range))
                } else {
                    expr = Expr(.call(expr, [argument]), expr.range.to(closure.range))
                }
            } else {
                return expr
            }
        }
    }

    /// `(a, label: b)` or `[i, j]`; returns the arguments and the closing bracket's range.
    private mutating func parseArguments(close: String, what: String) throws -> ([CallArgument], SourceRange) {
        let open = advance().range
        let saved = allowTrailingClosure
        allowTrailingClosure = true
        defer { allowTrailingClosure = saved }
        var args: [CallArgument] = []
        while !isPunct(close) {
            let start = current.range
            var label: String?
            if (current.kind == .identifier || current.kind == .keyword) && peek().isPunctuation(":") && current.text != "_" {
                label = advance().text
                advance()
            } else if current.text == "_" && peek().isPunctuation(":") {
                advance(); advance()
            }
            if current.kind == .endOfFile { break }
            let value = try parseExpression()
            args.append(CallArgument(label: label, value: value, range: start.to(value.range)))
            if !match(",") { break }
        }
        let end = current.range
        try expectClosing(close, what, openedAt: open)
        return (args, end)
    }

    private mutating func parsePrimary() throws -> Expr {
        let t = current
        switch t.kind {
        case .integer:
            advance()
            return Expr(.int(t.intValue), t.range)
        case .float:
            advance()
            return Expr(.double(t.doubleValue), t.range)
        case .string:
            advance()
            return try stringExpression(t)
        case .identifier:
            advance()
            return Expr(.name(NameReference(name: t.text, range: t.range)), t.range)
        case .keyword:
            switch t.text {
            case "true", "false":
                advance()
                return Expr(.bool(t.text == "true"), t.range)
            case "nil":
                advance()
                return Expr(.nil, t.range)
            case "self":
                advance()
                return Expr(.name(NameReference(name: "self", range: t.range)), t.range)
            case "super":
                advance()
                guard match("."), isKeyword("init") else { throw unsupported("'super' member access other than 'super.init(...)'") }
                advance()
                guard isPunct("(") else { throw error("expected '(' after 'super.init'") }
                let (args, end) = try parseArguments(close: ")", what: "call")
                return Expr(.superInit(args), t.range.to(end))
            case "Self": throw unsupported("'Self'")
            case "if", "switch": throw unsupported("'\(t.text)' expressions")
            default:
                throw error("expected an expression, found keyword '\(t.text)'")
            }
        case .punctuation:
            switch t.text {
            case "(":
                let (args, end) = try parseArguments(close: ")", what: "parenthesised expression")
                let range = t.range.to(end)
                if args.count == 1 && args[0].label == nil { return Expr(args[0].value.kind, range) }
                return Expr(.tuple(args.map(\.value), labels: args.map(\.label)), range)
            case "[": return try parseCollectionLiteral()
            case "{": return try parseClosure()
            case ".":
                advance()
                let name = try identifier("a member name after '.'")
                return Expr(.implicitMember(name.text), t.range.to(name.range))
            case "#": throw unsupported("'#' directives and literals")
            case "\\": throw unsupported("key paths")
            default: break
            }
            throw error("expected an expression, found \(describe(t))")
        case .endOfFile:
            throw error("expected an expression, found end of cell")
        }
    }

    private mutating func stringExpression(_ t: Token) throws -> Expr {
        var parts: [InterpolationPart] = []
        for segment in t.segments {
            switch segment {
            case .text(let s): parts.append(.text(s))
            case .interpolation(let inner, let range):
                var sub = Parser(tokens: inner, source: source)
                sub.depth = depth
                if sub.current.kind == .endOfFile { throw error("empty string interpolation", at: range) }
                let e = try sub.parseExpression()
                if sub.current.kind != .endOfFile {
                    throw sub.error("expected ')' to close the interpolation, found \(sub.describe(sub.current))")
                }
                parts.append(.expr(e))
            }
        }
        if parts.count == 1, case .text(let s) = parts[0] { return Expr(.string(s), t.range) }
        return Expr(.interpolated(parts), t.range)
    }

    private mutating func parseCollectionLiteral() throws -> Expr {
        let open = advance().range
        let saved = allowTrailingClosure
        allowTrailingClosure = true
        defer { allowTrailingClosure = saved }
        if match(":") {
            try expectClosing("]", "dictionary literal", openedAt: open)
            return Expr(.dictionary([]), open.to(previous.range))
        }
        if match("]") { return Expr(.array([]), open.to(previous.range)) }
        // `[Int]()` and `[String: Double]()`: empty collections written as a call of the type.
        if current.kind == .identifier, current.text.first?.isUppercase == true {
            let save = index
            if let type = try? parseType(), isPunct("]") || isPunct(":") {
                var isDictionary = false
                if match(":") { isDictionary = (try? parseType()) != nil }
                if match("]"), isPunct("("), peek().isPunctuation(")"), !current.spaceBefore {
                    advance(); advance()
                    _ = type
                    return Expr(isDictionary ? .dictionary([]) : .array([]), open.to(previous.range))
                }
            }
            index = save
        }
        let first = try parseExpression()
        if match(":") {
            var pairs = [(key: first, value: try parseExpression())]
            while match(",") {
                if isPunct("]") { break }
                let key = try parseExpression()
                try expect(":", "between a dictionary key and its value")
                pairs.append((key, try parseExpression()))
            }
            try expectClosing("]", "dictionary literal", openedAt: open)
            return Expr(.dictionary(pairs), open.to(previous.range))
        }
        var elements = [first]
        while match(",") {
            if isPunct("]") { break }
            elements.append(try parseExpression())
        }
        try expectClosing("]", "array literal", openedAt: open)
        return Expr(.array(elements), open.to(previous.range))
    }

    /// `{ params in body }` or `{ body using $0 }`.
    private mutating func parseClosure() throws -> Expr {
        let open = advance().range
        let saved = allowTrailingClosure
        allowTrailingClosure = true
        defer { allowTrailingClosure = saved }
        let parameters = try closureSignature() ?? []
        let body = try parseStatements(inBlock: true)
        try expectClosing("}", "closure", openedAt: open)
        let f = FunctionDecl(name: "closure", parameters: parameters, returnType: nil, body: body,
                             range: open.to(previous.range), nameRange: open)
        f.isClosure = true
        return Expr(.closure(f), f.range)
    }

    /// Reads `x, y in`, `(x: Int, y) -> T in`, `[weak self] x in`; nil (and no tokens
    /// consumed) when the closure has no signature.
    private mutating func closureSignature() throws -> [ParameterDecl]? {
        let start = index
        if isPunct("[") {
            // A capture list: captures are by reference anyway.
            var level = 0
            repeat {
                if isPunct("[") { level += 1 }
                if isPunct("]") { level -= 1 }
                if current.kind == .endOfFile { index = start; return nil }
                advance()
            } while level > 0
        }
        var parameters: [ParameterDecl] = []
        if isPunct("(") {
            advance()
            while !isPunct(")") {
                guard current.kind == .identifier else { index = start; return nil }
                let name = advance()
                var type: TypeAnnotation?
                if current.kind == .identifier { advance() } // `_ x` style internal names are rare; ignore labels
                if match(":") {
                    guard let parsed = try? parseType() else { index = start; return nil }
                    type = parsed
                }
                parameters.append(ParameterDecl(label: nil, name: name.text, type: type, defaultValue: nil,
                                                isInout: false, isVariadic: false, range: name.range))
                if !match(",") { break }
            }
            guard match(")") else { index = start; return nil }
        } else {
            while current.kind == .identifier {
                let name = advance()
                parameters.append(ParameterDecl(label: nil, name: name.text, type: nil, defaultValue: nil,
                                                isInout: false, isVariadic: false, range: name.range))
                if !match(",") { break }
            }
        }
        if isKeyword("throws") { advance() }
        if isPunct("->") {
            advance()
            guard (try? parseType()) != nil else { index = start; return nil }
        }
        guard isKeyword("in") else { index = start; return nil }
        advance()
        return parameters
    }
}
