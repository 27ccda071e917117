//! Recursive descent over the tokens: one statement (SELECT, INSERT, UPDATE or DELETE), an
//! optional `;`, nothing after it. Conditions bind as SQL's do: OR, then AND, then NOT,
//! then a predicate; a value is a term with `+` and `-`.

use super::ast::{Action, CmpOp, Cond, Delete, Operand, Path, Returning, Select, Statement, Step, Update};
use super::lexer::{lex, Tok, Token};
use super::{syntax, syntax_at, values};
use crate::error::Result;

/// Parses one statement.
pub fn parse(text: &str) -> Result<Statement> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, at: 0, params: 0 };
    let statement = p.statement()?;
    p.eat_sym(";");
    if let Some(t) = p.peek() {
        let detail = format!("unexpected {} at {} after the end of the statement", describe(&t.tok), t.span.start);
        return Err(syntax_at(&detail, t.span));
    }
    Ok(statement)
}

/// How many `?` a statement has.
pub fn count_params(statement: &str) -> usize {
    lex(statement).map(|t| t.iter().filter(|t| t.tok == Tok::Param).count()).unwrap_or(0)
}

pub(super) struct Parser {
    tokens: Vec<Token>,
    at: usize,
    params: usize,
}

pub(super) fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Word(w) => format!("'{w}'"),
        Tok::Quoted(q) => format!("\"{q}\""),
        Tok::Str(s) => format!("'{s}' (a string)"),
        Tok::Num(n) => n.to_string(),
        Tok::Param => "?".into(),
        Tok::Sym(s) => format!("'{s}'"),
    }
}

impl Parser {
    pub(super) fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += usize::from(t.is_some());
        t
    }

    /// An error at the next token: "expected X, found Y at N".
    pub(super) fn expected(&self, what: &str) -> crate::error::Error {
        match self.peek() {
            Some(t) => syntax_at(&format!("expected {what}, found {} at {}", describe(&t.tok), t.span.start), t.span),
            None => syntax(&format!("expected {what}, found the end of the statement")),
        }
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Word(w), .. }) if w.eq_ignore_ascii_case(word))
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let yes = self.is_word(word);
        self.at += usize::from(yes);
        yes
    }

    fn word(&mut self, word: &str) -> Result<()> {
        if self.eat_word(word) {
            Ok(())
        } else {
            Err(self.expected(word))
        }
    }

    fn is_sym(&self, sym: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Sym(s), .. }) if *s == sym)
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        let yes = self.is_sym(sym);
        self.at += usize::from(yes);
        yes
    }

    fn sym(&mut self, sym: &str) -> Result<()> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            Err(self.expected(&format!("'{sym}'")))
        }
    }

    fn statement(&mut self) -> Result<Statement> {
        if self.eat_word("SELECT") {
            return self.select().map(Statement::Select);
        }
        if self.eat_word("INSERT") {
            self.word("INTO")?;
            let table = self.name()?;
            self.word("VALUE")?;
            return Ok(Statement::Insert { table, item: self.term()? });
        }
        if self.eat_word("UPDATE") {
            return self.update().map(Statement::Update);
        }
        if self.eat_word("DELETE") {
            self.word("FROM")?;
            let table = self.name()?;
            let filter = self.filter()?;
            let returning = self.returning()?;
            return Ok(Statement::Delete(Delete { table, filter, returning }));
        }
        if self.is_word("EXISTS") {
            return Err(crate::error::Error::validation(
                "EXISTS(SELECT …) conditions in transactions are not built in Dynaplay yet.",
            ));
        }
        // DynamoDB's own words for a statement that is not one of the four.
        Err(syntax("Expected data manipulation"))
    }

    /// A table or index name, quoted or bare.
    fn name(&mut self) -> Result<String> {
        match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Quoted(n) | Tok::Word(n)) if !n.is_empty() => {
                self.at += 1;
                Ok(n)
            }
            _ => Err(self.expected("a table name")),
        }
    }

    fn select(&mut self) -> Result<Select> {
        let projection = if self.eat_sym("*") {
            None
        } else {
            let mut paths = vec![self.path()?];
            while self.eat_sym(",") {
                paths.push(self.path()?);
            }
            Some(paths)
        };
        self.word("FROM")?;
        let table = self.name()?;
        let index = if self.eat_sym(".") { Some(self.name()?) } else { None };
        let filter = self.filter()?;
        let order = if self.eat_word("ORDER") {
            self.word("BY")?;
            let path = self.path()?;
            let desc = self.eat_word("DESC");
            if !desc {
                self.eat_word("ASC");
            }
            Some((path, desc))
        } else {
            None
        };
        Ok(Select { projection, table, index, filter, order })
    }

    fn filter(&mut self) -> Result<Option<Cond>> {
        if self.eat_word("WHERE") {
            self.cond().map(Some)
        } else {
            Ok(None)
        }
    }

    fn update(&mut self) -> Result<Update> {
        let table = self.name()?;
        let mut actions = Vec::new();
        loop {
            if self.eat_word("SET") {
                loop {
                    let path = self.path()?;
                    self.sym("=")?;
                    actions.push(Action::Set(path, self.operand()?));
                    if !self.eat_sym(",") {
                        break;
                    }
                }
            } else if self.eat_word("REMOVE") {
                loop {
                    actions.push(Action::Remove(self.path()?));
                    if !self.eat_sym(",") {
                        break;
                    }
                }
            } else {
                break;
            }
        }
        if actions.is_empty() {
            return Err(self.expected("SET or REMOVE"));
        }
        let filter = self.filter()?;
        let returning = self.returning()?;
        Ok(Update { table, actions, filter, returning })
    }

    fn returning(&mut self) -> Result<Option<Returning>> {
        if !self.eat_word("RETURNING") {
            return Ok(None);
        }
        let all = if self.eat_word("ALL") {
            true
        } else {
            self.word("MODIFIED")?;
            false
        };
        let old = if self.eat_word("OLD") {
            true
        } else {
            self.word("NEW")?;
            false
        };
        self.sym("*")?;
        Ok(Some(match (all, old) {
            (true, true) => Returning::AllOld,
            (false, true) => Returning::ModifiedOld,
            (true, false) => Returning::AllNew,
            (false, false) => Returning::ModifiedNew,
        }))
    }

    /// `a`, `"a"`, `a.b`, `a[0]`.
    pub(super) fn path(&mut self) -> Result<Path> {
        let mut steps = vec![Step::Name(self.attribute()?)];
        loop {
            if self.eat_sym(".") {
                steps.push(Step::Name(self.attribute()?));
            } else if self.eat_sym("[") {
                let index = match self.peek() {
                    Some(Token { tok: Tok::Num(n), .. }) => n.parse::<u32>().ok(),
                    _ => None,
                };
                let Some(index) = index else { return Err(self.expected("a list index")) };
                self.at += 1;
                steps.push(Step::Index(index));
                self.sym("]")?;
            } else {
                return Ok(Path(steps));
            }
        }
    }

    fn attribute(&mut self) -> Result<String> {
        match self.peek().map(|t| t.tok.clone()) {
            Some(Tok::Word(n) | Tok::Quoted(n)) if !n.is_empty() => {
                self.at += 1;
                Ok(n)
            }
            _ => Err(self.expected("an attribute name")),
        }
    }

    fn cond(&mut self) -> Result<Cond> {
        let mut left = self.and()?;
        while self.eat_word("OR") {
            left = Cond::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Cond> {
        let mut left = self.not()?;
        while self.eat_word("AND") {
            left = Cond::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Cond> {
        if self.eat_word("NOT") {
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Cond> {
        if self.eat_sym("(") {
            let inner = self.cond()?;
            self.sym(")")?;
            return Ok(inner);
        }
        if let Some(name) = self.condition_function() {
            self.at += 2;
            let args = self.arguments()?;
            return Ok(Cond::Func(name, args));
        }
        let left = self.operand()?;
        self.comparison(left)
    }

    /// The name of the condition function the next tokens call, if they call one.
    fn condition_function(&self) -> Option<String> {
        let Some(Token { tok: Tok::Word(w), .. }) = self.peek() else { return None };
        let call = matches!(self.tokens.get(self.at + 1), Some(Token { tok: Tok::Sym("("), .. }));
        let name = w.to_ascii_lowercase();
        (call && ["begins_with", "contains", "attribute_type", "exists"].contains(&name.as_str())).then_some(name)
    }

    /// `(a, b, …)` after a function's name.
    fn arguments(&mut self) -> Result<Vec<Operand>> {
        let mut args = Vec::new();
        if self.eat_sym(")") {
            return Ok(args);
        }
        loop {
            args.push(self.operand()?);
            if self.eat_sym(")") {
                return Ok(args);
            }
            self.sym(",")?;
        }
    }

    fn comparison(&mut self, left: Operand) -> Result<Cond> {
        let ops = [
            ("=", CmpOp::Eq),
            ("<>", CmpOp::Ne),
            ("!=", CmpOp::Ne),
            ("<=", CmpOp::Le),
            ("<", CmpOp::Lt),
            (">=", CmpOp::Ge),
            (">", CmpOp::Gt),
        ];
        if let Some((_, op)) = ops.iter().find(|(s, _)| self.is_sym(s)) {
            self.at += 1;
            return Ok(Cond::Cmp(*op, left, self.operand()?));
        }
        if self.eat_word("BETWEEN") {
            let low = self.operand()?;
            self.word("AND")?;
            return Ok(Cond::Between(left, low, self.operand()?));
        }
        if self.eat_word("IN") {
            return Ok(Cond::In(left, self.in_list()?));
        }
        if self.eat_word("IS") {
            let negated = self.eat_word("NOT");
            let Operand::Path(path) = left else { return Err(syntax("IS applies to an attribute path")) };
            if self.eat_word("MISSING") {
                return Ok(Cond::Missing(path, negated));
            }
            self.word("NULL")?;
            return Ok(Cond::Null(path, negated));
        }
        Err(self.expected("a comparison"))
    }

    /// `[a, b]` or `(a, b)` after IN.
    fn in_list(&mut self) -> Result<Vec<Operand>> {
        let close = if self.eat_sym("[") {
            "]"
        } else {
            self.sym("(")?;
            ")"
        };
        let mut items = vec![self.operand()?];
        while self.eat_sym(",") {
            items.push(self.operand()?);
        }
        self.sym(close)?;
        Ok(items)
    }

    /// A term, with `+` and `-` (left to right).
    pub(super) fn operand(&mut self) -> Result<Operand> {
        let mut left = self.term()?;
        loop {
            if self.eat_sym("+") {
                left = Operand::Add(Box::new(left), Box::new(self.term()?));
            } else if self.is_sym("-") && !matches!(left, Operand::Value(_)) {
                self.at += 1;
                left = Operand::Sub(Box::new(left), Box::new(self.term()?));
            } else {
                return Ok(left);
            }
        }
    }

    /// A path, a literal, a `?`, or a function of a value.
    fn term(&mut self) -> Result<Operand> {
        if let Some(n) = self.take_param() {
            return Ok(Operand::Param(n));
        }
        if let Some(v) = values::literal(self)? {
            return Ok(Operand::Value(v));
        }
        let function = match (self.peek(), self.tokens.get(self.at + 1)) {
            (Some(Token { tok: Tok::Word(w), .. }), Some(Token { tok: Tok::Sym("("), .. })) => {
                Some(w.to_ascii_lowercase())
            }
            _ => None,
        };
        match function.as_deref() {
            Some("size") => {
                self.at += 2;
                let path = self.path()?;
                self.sym(")")?;
                Ok(Operand::Size(path))
            }
            Some(name @ ("list_append" | "set_add" | "set_delete" | "if_not_exists")) => {
                let name = name.to_string();
                self.at += 2;
                Ok(Operand::Call(name, self.arguments()?))
            }
            Some(other) => Err(syntax(&format!("unknown function {other}"))),
            None if matches!(self.peek(), Some(Token { tok: Tok::Word(_) | Tok::Quoted(_), .. })) => {
                self.path().map(Operand::Path)
            }
            None => Err(self.expected("a value or an attribute path")),
        }
    }

    /// The next `?`'s number (from 0), if a `?` is next.
    pub(super) fn take_param(&mut self) -> Option<usize> {
        let Some(Token { tok: Tok::Param, .. }) = self.peek() else { return None };
        self.at += 1;
        self.params += 1;
        Some(self.params - 1)
    }

    pub(super) fn next_token(&mut self) -> Option<Token> {
        self.next()
    }

    pub(super) fn back(&mut self) {
        self.at = self.at.saturating_sub(1);
    }

    pub(super) fn peek_sym(&self, sym: &str) -> bool {
        self.is_sym(sym)
    }

    pub(super) fn take_sym(&mut self, sym: &str) -> bool {
        self.eat_sym(sym)
    }

    pub(super) fn need_sym(&mut self, sym: &str) -> Result<()> {
        self.sym(sym)
    }
}

/// A literal value as DynamoDB JSON, for the tests.
#[cfg(test)]
pub fn literal_value(text: &str) -> Result<serde_json::Value> {
    let mut p = Parser { tokens: lex(text)?, at: 0, params: 0 };
    values::literal(&mut p)?.ok_or_else(|| syntax("not a literal"))
}
