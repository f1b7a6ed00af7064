//! Numbers of days: a policy parameter that counts days holds from 1 to [`MAX_DAYS`], and
//! the number a quote of it states ("within thirty days"), when it states one.

use crate::diagnostic::Diagnostic;
use crate::load::schema::{ParamValue, Parameter, PolicyRecord, Spanned};
use crate::load::{Content, DataFile};

/// The longest wait or other number of days a policy parameter may hold: ten years. A larger
/// number (or one below 1) is a typo, or a value meant to break the pages.
pub const MAX_DAYS: i64 = 3650;

/// The policy parameters that count days: those `parameters.yaml` declares in calendar or
/// business days, and those a wait of a path or of the flowchart names.
pub(super) fn day_parameters(content: &Content) -> Vec<&str> {
    let steps = content.paths.records.iter().flat_map(|p| &p.steps);
    let nodes = &content.flowchart.records;
    let waits = steps
        .flat_map(|s| s.wait.iter().chain(&s.response))
        .chain(nodes.iter().filter_map(|n| n.wait.as_ref()))
        .chain(
            nodes
                .iter()
                .flat_map(|n| &n.options)
                .filter_map(|o| o.wait.as_ref()),
        )
        .map(|w| w.parameter.value.as_str());
    let declared = content
        .parameters
        .records
        .iter()
        .filter(|p| p.unit.value.is_days())
        .map(|p| p.id.value.as_str());
    let mut names: Vec<&str> = declared.chain(waits).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Checks the number of days `days` of a policy parameter (`what` names it): from 1 to
/// [`MAX_DAYS`], and, when a quote of the parameter states numbers, one of them.
pub(super) fn check_days(
    data: &DataFile<PolicyRecord>,
    what: &str,
    days: i64,
    value: &Spanned<ParamValue>,
    parameter: &Parameter,
) -> Option<Diagnostic> {
    let location = data.at(&value.referenced, days.to_string().len());
    if !(1..=MAX_DAYS).contains(&days) {
        return Some(
            Diagnostic::at(
                location,
                format!("{what} is {days} days; a number of days must be from 1 to {MAX_DAYS}"),
            )
            .with_label("not a possible number of days")
            .with_hint("write the number of days the source states, e.g. `value: 15`"),
        );
    }
    parameter.sources.iter().find_map(|citation| {
        let quote = citation.quote.as_ref()?;
        let said = numbers_said(&quote.value);
        if said.is_empty() || said.contains(&days) {
            return None;
        }
        let said: Vec<String> = said.iter().map(i64::to_string).collect();
        Some(
            Diagnostic::at(
                location.clone(),
                format!("the quote says {}, the value is {days}", said.join(" or ")),
            )
            .with_label(format!("the value of {what}"))
            .with_hint(format!(
                "the quote at line {} states this value in the source's words: write the \
                 number it gives, or quote the words that give this number",
                quote.referenced.line()
            )),
        )
    })
}

/// The numbers of days a quote states, in order, each once: numbers written in digits
/// (`1,000` is one number) or in English words (`ten`, `twenty-one`, `one hundred and
/// twenty`); a number of weeks counts seven days a week. Empty when it states none, and
/// when it counts in months or years, whose days vary.
pub fn numbers_said(quote: &str) -> Vec<i64> {
    let tokens = tokens(quote);
    let mut said = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let value = match &tokens[i] {
            Token::Number(n) => {
                i += 1;
                *n
            }
            Token::Word(w) if number_word(w).is_some() => number_in_words(&tokens, &mut i),
            Token::Word(_) => {
                i += 1;
                continue;
            }
        };
        let days = match tokens.get(i) {
            Some(Token::Word(unit)) if unit.starts_with("week") => value.saturating_mul(7),
            Some(Token::Word(unit)) if unit.starts_with("month") || unit.starts_with("year") => {
                return Vec::new();
            }
            _ => value,
        };
        if !said.contains(&days) {
            said.push(days);
        }
    }
    said
}

/// A word or a number of a quote.
enum Token {
    /// A number in digits.
    Number(i64),
    /// A word, in lower case.
    Word(String),
}

/// The words and numbers of a quote, in order; other characters only part them. A comma
/// between digits is part of the number (`1,000`); a number too large to read is left out.
fn tokens(quote: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = quote.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = String::from(c);
            while let Some(&next) = chars.peek() {
                if next.is_ascii_digit() {
                    digits.push(next);
                } else if next != ',' || !chars.clone().nth(1).is_some_and(|d| d.is_ascii_digit()) {
                    break;
                }
                chars.next();
            }
            tokens.extend(digits.parse().ok().map(Token::Number));
        } else if c.is_alphabetic() {
            let mut word = c.to_lowercase().collect::<String>();
            while let Some(next) = chars.next_if(|n| n.is_alphabetic()) {
                word.extend(next.to_lowercase());
            }
            tokens.push(Token::Word(word));
        }
    }
    tokens
}

/// The number written in words that starts at `tokens[*i]` (`one hundred and twenty`),
/// moving `i` past it.
fn number_in_words(tokens: &[Token], i: &mut usize) -> i64 {
    let word_value = |token: Option<&Token>| match token {
        Some(Token::Word(w)) => number_word(w),
        _ => None,
    };
    let (mut total, mut current) = (0i64, 0i64);
    loop {
        match word_value(tokens.get(*i)) {
            Some(100) => current = current.max(1) * 100,
            Some(1000) => {
                total += current.max(1) * 1000;
                current = 0;
            }
            Some(n) => current += n,
            None => match tokens.get(*i) {
                Some(Token::Word(and)) if and == "and" => {
                    if word_value(tokens.get(*i + 1)).is_none() {
                        break;
                    }
                }
                _ => break,
            },
        }
        *i += 1;
    }
    total + current
}

/// The value of an English number word: `one` to `nineteen`, the tens, `hundred`, `thousand`.
fn number_word(word: &str) -> Option<i64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(n) = UNITS.iter().position(|u| *u == word) {
        return Some(n as i64);
    }
    if let Some(n) = TENS.iter().position(|t| *t == word) {
        return Some(20 + 10 * n as i64);
    }
    match word {
        "hundred" => Some(100),
        "thousand" => Some(1000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_state_numbers_in_digits_and_words() {
        let said = numbers_said;
        assert_eq!(said("If more than 30 days have passed"), [30]);
        assert_eq!(said("a response within ten days."), [10]);
        assert_eq!(said("within twenty-one days, or 1,000 days"), [21, 1000]);
        assert_eq!(said("one hundred and twenty days"), [120]);
        assert_eq!(
            said("call 1-800-555-0100 after 15 days"),
            [1, 800, 555, 100, 15]
        );
        assert_eq!(said("within two weeks"), [14]);
        assert_eq!(said("within 3 months"), Vec::<i64>::new());
        assert_eq!(said("Often is nothing, and none; 15, 30"), [15, 30]);
        assert_eq!(said("no number at all"), Vec::<i64>::new());
        assert_eq!(said("99999999999999999999 days"), Vec::<i64>::new());
    }
}
