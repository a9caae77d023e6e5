//! Go's JSON scanner (`encoding/json/scanner.go`), byte by byte.
//!
//! The writers in [`super`] drive it the way Go's `Compact` and `Indent`
//! drive Go's scanner, so they accept and reject exactly the same input
//! and see the same structure in it.

use crate::error::{Error, Result};

/// What one byte means to Go's scanner (`scanContinue` ... `scanError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Op {
    Continue,
    BeginLiteral,
    BeginObject,
    ObjectKey,
    ObjectValue,
    EndObject,
    BeginArray,
    ArrayValue,
    EndArray,
    SkipSpace,
    End,
    Error,
}

/// Where the scanner is, as Go's `scanner.step` function values.
#[derive(Debug, Clone, Copy)]
enum State {
    BeginValueOrEmpty,
    BeginValue,
    BeginStringOrEmpty,
    BeginString,
    EndValue,
    EndTop,
    InString,
    InStringEsc,
    /// Inside `\u`, with this many hex digits seen.
    InStringEscU(u8),
    Neg,
    One,
    Zero,
    Dot,
    Dot0,
    E,
    ESign,
    E0,
    /// Inside `true`, `false` or `null`, with this many bytes seen.
    Literal(&'static [u8], usize),
    Error,
}

/// What an open array or object expects next (Go's `parseState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parse {
    ObjectKey,
    ObjectValue,
    ArrayValue,
}

/// Go's nesting limit (`maxNestingDepth`).
const GO_MAX_NESTING_DEPTH: usize = 10_000;

/// A byte-at-a-time JSON validator that follows Go's `encoding/json`
/// scanner state for state, so compaction and indentation accept and
/// reject exactly what Go does.
pub(super) struct Scanner {
    state: State,
    stack: Vec<Parse>,
    end_top: bool,
    error: Option<String>,
    offset: usize,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

impl Scanner {
    pub(super) fn new() -> Self {
        Scanner {
            state: State::BeginValue,
            stack: Vec::new(),
            end_top: false,
            error: None,
            offset: 0,
        }
    }

    pub(super) fn step(&mut self, c: u8) -> Op {
        self.offset += 1;
        match self.state {
            State::BeginValueOrEmpty if is_space(c) => Op::SkipSpace,
            State::BeginValueOrEmpty if c == b']' => self.end_value(c),
            State::BeginValueOrEmpty | State::BeginValue => self.begin_value(c),
            State::BeginStringOrEmpty if is_space(c) => Op::SkipSpace,
            State::BeginStringOrEmpty if c == b'}' => {
                if let Some(top) = self.stack.last_mut() {
                    *top = Parse::ObjectValue;
                }
                self.end_value(c)
            }
            State::BeginStringOrEmpty | State::BeginString => self.begin_string(c),
            State::EndValue => self.end_value(c),
            State::EndTop => self.end_top(c),
            State::InString => match c {
                b'"' => self.go(State::EndValue),
                b'\\' => self.go(State::InStringEsc),
                0..=0x1f => self.fail(c, "in string literal"),
                _ => Op::Continue,
            },
            State::InStringEsc => match c {
                b'b' | b'f' | b'n' | b'r' | b't' | b'\\' | b'/' | b'"' => self.go(State::InString),
                b'u' => self.go(State::InStringEscU(0)),
                _ => self.fail(c, "in string escape code"),
            },
            State::InStringEscU(seen) if c.is_ascii_hexdigit() => self.go(if seen == 3 {
                State::InString
            } else {
                State::InStringEscU(seen + 1)
            }),
            State::InStringEscU(_) => self.fail(c, "in \\u hexadecimal character escape"),
            State::Neg => match c {
                b'0' => self.go(State::Zero),
                b'1'..=b'9' => self.go(State::One),
                _ => self.fail(c, "in numeric literal"),
            },
            State::One if c.is_ascii_digit() => Op::Continue,
            State::One | State::Zero => match c {
                b'.' => self.go(State::Dot),
                b'e' | b'E' => self.go(State::E),
                _ => self.end_value(c),
            },
            State::Dot if c.is_ascii_digit() => self.go(State::Dot0),
            State::Dot => self.fail(c, "after decimal point in numeric literal"),
            State::Dot0 => match c {
                b'0'..=b'9' => Op::Continue,
                b'e' | b'E' => self.go(State::E),
                _ => self.end_value(c),
            },
            State::E if c == b'+' || c == b'-' => self.go(State::ESign),
            State::E | State::ESign if c.is_ascii_digit() => self.go(State::E0),
            State::E | State::ESign => self.fail(c, "in exponent of numeric literal"),
            State::E0 if c.is_ascii_digit() => Op::Continue,
            State::E0 => self.end_value(c),
            State::Literal(word, seen) if word.get(seen) == Some(&c) => {
                self.go(if seen + 1 == word.len() {
                    State::EndValue
                } else {
                    State::Literal(word, seen + 1)
                })
            }
            State::Literal(word, seen) => {
                let word_text = String::from_utf8_lossy(word);
                let wanted = word.get(seen).map_or('?', |&b| b as char);
                self.fail(c, &format!("in literal {word_text} (expecting '{wanted}')"))
            }
            State::Error => Op::Error,
        }
    }

    fn go(&mut self, state: State) -> Op {
        self.state = state;
        Op::Continue
    }

    fn begin_value(&mut self, c: u8) -> Op {
        let (state, op) = match c {
            _ if is_space(c) => return Op::SkipSpace,
            b'{' => {
                self.state = State::BeginStringOrEmpty;
                return self.push(c, Parse::ObjectKey, Op::BeginObject);
            }
            b'[' => {
                self.state = State::BeginValueOrEmpty;
                return self.push(c, Parse::ArrayValue, Op::BeginArray);
            }
            b'"' => (State::InString, Op::BeginLiteral),
            b'-' => (State::Neg, Op::BeginLiteral),
            b'0' => (State::Zero, Op::BeginLiteral),
            b'1'..=b'9' => (State::One, Op::BeginLiteral),
            b't' => (State::Literal(b"true", 1), Op::BeginLiteral),
            b'f' => (State::Literal(b"false", 1), Op::BeginLiteral),
            b'n' => (State::Literal(b"null", 1), Op::BeginLiteral),
            _ => return self.fail(c, "looking for beginning of value"),
        };
        self.state = state;
        op
    }

    fn begin_string(&mut self, c: u8) -> Op {
        match c {
            _ if is_space(c) => Op::SkipSpace,
            b'"' => {
                self.state = State::InString;
                Op::BeginLiteral
            }
            _ => self.fail(c, "looking for beginning of object key string"),
        }
    }

    fn push(&mut self, c: u8, parse: Parse, op: Op) -> Op {
        self.stack.push(parse);
        if self.stack.len() > GO_MAX_NESTING_DEPTH {
            return self.fail(c, "exceeded max depth");
        }
        op
    }

    fn pop(&mut self) {
        self.stack.pop();
        if self.stack.is_empty() {
            self.state = State::EndTop;
            self.end_top = true;
        } else {
            self.state = State::EndValue;
        }
    }

    fn end_value(&mut self, c: u8) -> Op {
        let Some(top) = self.stack.last().copied() else {
            self.state = State::EndTop;
            self.end_top = true;
            return self.end_top(c);
        };
        if is_space(c) {
            self.state = State::EndValue;
            return Op::SkipSpace;
        }
        match (top, c) {
            (Parse::ObjectKey, b':') => {
                self.set_top(Parse::ObjectValue);
                self.state = State::BeginValue;
                Op::ObjectKey
            }
            (Parse::ObjectKey, _) => self.fail(c, "after object key"),
            (Parse::ObjectValue, b',') => {
                self.set_top(Parse::ObjectKey);
                self.state = State::BeginString;
                Op::ObjectValue
            }
            (Parse::ObjectValue, b'}') => {
                self.pop();
                Op::EndObject
            }
            (Parse::ObjectValue, _) => self.fail(c, "after object key:value pair"),
            (Parse::ArrayValue, b',') => {
                self.state = State::BeginValue;
                Op::ArrayValue
            }
            (Parse::ArrayValue, b']') => {
                self.pop();
                Op::EndArray
            }
            (Parse::ArrayValue, _) => self.fail(c, "after array element"),
        }
    }

    fn set_top(&mut self, parse: Parse) {
        if let Some(top) = self.stack.last_mut() {
            *top = parse;
        }
    }

    fn end_top(&mut self, c: u8) -> Op {
        if is_space(c) {
            Op::End
        } else {
            self.fail(c, "after top-level value")
        }
    }

    fn fail(&mut self, c: u8, context: &str) -> Op {
        self.state = State::Error;
        let shown = match c {
            b'\'' => "'\\''".to_string(),
            0x20..=0x7e => format!("'{}'", c as char),
            _ => format!("byte 0x{c:02x}"),
        };
        self.error = Some(format!(
            "invalid character {shown} {context} (at byte {})",
            self.offset
        ));
        Op::Error
    }

    /// Ends the input: a number at the top level is complete now, anything
    /// else unfinished is an error.
    pub(super) fn eof(&mut self) -> Result<()> {
        if self.error.is_none() && !self.end_top {
            self.step(b' ');
            if !self.end_top && self.error.is_none() {
                self.error = Some("unexpected end of JSON input".to_string());
            }
        }
        match self.error.take() {
            Some(reason) => Err(Error::InvalidJson(reason)),
            None => Ok(()),
        }
    }
}
