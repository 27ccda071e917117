//! Structured expression errors: a kind with its data and the byte span it points at. The
//! AWS message is rendered in one place, [`ExprError::message`], so the web editor can
//! underline `span` while the wire layer sends AWS's exact words.

use super::syntax::{Span, SyntaxError};

/// Which request parameter an expression came from; AWS names it in every message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Condition,
    Filter,
    KeyCondition,
    Update,
    Projection,
}

impl ExprKind {
    pub fn param(self) -> &'static str {
        match self {
            ExprKind::Condition => "ConditionExpression",
            ExprKind::Filter => "FilterExpression",
            ExprKind::KeyCondition => "KeyConditionExpression",
            ExprKind::Update => "UpdateExpression",
            ExprKind::Projection => "ProjectionExpression",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprErrorKind {
    /// `a = = b`
    Syntax(SyntaxError),
    /// `((a = :v))`
    RedundantParens,
    /// `foo(a)`
    InvalidFunction(String),
    /// `begins_with(a, :v) = :w`, or `size(a)` standing as a condition.
    MisusedFunction(String),
    /// `if_not_exists(a, :v) = :v` in a condition.
    NotInCondition(String),
    /// `SET a = size(b)`
    NotInUpdate(String),
    /// `status = :v`
    Reserved(String),
    /// `#n = :v` without `#n` in ExpressionAttributeNames.
    UndefinedName(String),
    /// `a = :v` without `:v` in ExpressionAttributeValues.
    UndefinedValue(String),
    /// `begins_with(a)`
    OperandCount { function: String, count: usize },
    /// `attribute_exists(:v)`
    RequiresPath(String),
    /// `begins_with(a, :n)` with a number; `SET a = :s + :n`.
    OperandType { function: String, operand_type: String },
    /// `ADD a :s` with a string: AWS spells the type out (`STRING`).
    ActionOperandType { action: String, operand_type: String },
    /// `a = a`
    NotDistinct { operator: String, path: String },
    /// `a BETWEEN :n AND :s`
    BetweenTypes { low: String, high: String },
    /// `a BETWEEN :ten AND :one`
    BetweenOrder { low: String, high: String },
    /// `a IN (…)` with more than 99 values.
    TooManyInOperands(usize),
    /// `attribute_type(a, :t)` with `:t` = `"STRING"`.
    InvalidTypeName(String),
    /// `SET a = :v SET b = :w`
    SectionTwice(String),
    /// `SET a = :v, a.b = :w`
    Overlap { one: String, two: String },
    /// `SET a.b = :v, a[0] = :w`
    Conflict { one: String, two: String },
    /// Parentheses and NOTs nested deeper than [`super::syntax::MAX_NESTING`]: Dynaplay's
    /// own limit, so that no expression can exhaust a thread's stack. DynamoDB refuses
    /// such expressions too (over 300 operators, or redundant parentheses), in its words.
    TooDeep(usize),
}

/// What usually causes a syntax error: parentheses that do not pair up, or a comparison
/// with a bare value on its right (`price > 10` where DynamoDB wants `price > :p`).
fn syntax_hint(src: &str) -> Option<String> {
    let opens = src.matches('(').count();
    let closes = src.matches(')').count();
    if opens != closes {
        return Some(format!("The parentheses do not pair up: {opens} opening, {closes} closing."));
    }
    let bare = src.split_whitespace().zip(src.split_whitespace().skip(1)).find(|(op, value)| {
        ["=", "<>", "<", "<=", ">", ">="].contains(op)
            && value.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '"' || c == '\'')
    });
    bare.map(|(_, value)| {
        format!("Values go in ExpressionAttributeValues: write a placeholder such as :v instead of {value}, and add \":v\" there.")
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    pub kind: ExprErrorKind,
    pub span: Span,
}

impl ExprError {
    pub fn new(kind: ExprErrorKind, span: Span) -> ExprError {
        ExprError { kind, span }
    }

    /// The text after `Invalid <Param>: `.
    pub fn detail(&self) -> String {
        use ExprErrorKind::*;
        match &self.kind {
            Syntax(e) => e.detail(),
            RedundantParens => "The expression has redundant parentheses;".into(),
            InvalidFunction(f) => format!("Invalid function name; function: {f}"),
            MisusedFunction(f) => format!("The function is not allowed to be used this way in an expression; function: {f}"),
            NotInCondition(f) => format!("The function is not allowed in a condition expression; function: {f}"),
            NotInUpdate(f) => format!("The function is not allowed in an update expression; function: {f}"),
            Reserved(w) => format!("Attribute name is a reserved keyword; reserved keyword: {w}"),
            UndefinedName(n) => format!("An expression attribute name used in the document path is not defined; attribute name: {n}"),
            UndefinedValue(v) => format!("An expression attribute value used in expression is not defined; attribute value: {v}"),
            OperandCount { function, count } => format!(
                "Incorrect number of operands for operator or function; operator or function: {function}, number of operands: {count}"
            ),
            RequiresPath(f) => format!("Operator or function requires a document path; operator or function: {f}"),
            OperandType { function, operand_type } => format!(
                "Incorrect operand type for operator or function; operator or function: {function}, operand type: {operand_type}"
            ),
            ActionOperandType { action, operand_type } => format!(
                "Incorrect operand type for operator or function; operator: {action}, operand type: {operand_type}, typeSet: ALLOWED_FOR_{action}_OPERAND"
            ),
            NotDistinct { operator, path } => format!(
                "The first operand must be distinct from the remaining operands for this operator or function; operator: {operator}, first operand: {path}"
            ),
            BetweenTypes { low, high } => format!(
                "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
            ),
            BetweenOrder { low, high } => format!(
                "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {low}, upper bound operand: AttributeValue: {high}"
            ),
            TooManyInOperands(n) => format!("The IN operator is provided with too many operands; number of operands: {n}"),
            InvalidTypeName(t) => format!("Invalid attribute type name found; type: {t}, valid types: {{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}"),
            SectionTwice(s) => format!("The \"{s}\" section can only be used once in an update expression;"),
            Overlap { one, two } => format!(
                "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {one}, path two: {two}"
            ),
            Conflict { one, two } => format!(
                "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: {one}, path two: {two}"
            ),
            TooDeep(depth) => format!(
                "The expression is nested too deeply for Dynaplay; nesting depth: {depth}, limit: {}",
                super::syntax::MAX_NESTING
            ),
        }
    }

    /// A hint for the usual slips, said beside AWS's message (never instead of it): a
    /// reserved word that needs `#name`, a placeholder missing from its map, a value
    /// written without its `:`, unbalanced parentheses.
    pub fn hint(&self, src: &str) -> Option<String> {
        use ExprErrorKind::*;
        match &self.kind {
            Reserved(w) => Some(format!(
                "{w} is a DynamoDB reserved word: write #{w} in the expression and add \"#{w}\": \"{w}\" to ExpressionAttributeNames."
            )),
            UndefinedValue(v) => Some(format!("Add {v} to ExpressionAttributeValues, or fix its spelling.")),
            UndefinedName(n) => Some(format!("Add {n} to ExpressionAttributeNames, or fix its spelling.")),
            Syntax(_) => syntax_hint(src),
            _ => None,
        }
    }

    /// AWS's whole message: `Invalid ConditionExpression: …`.
    pub fn message(&self, kind: ExprKind) -> String {
        format!("Invalid {}: {}", kind.param(), self.detail())
    }
}
