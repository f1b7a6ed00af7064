//! The guide's own words (names, summaries, step titles, fact texts, labels and notes, and
//! the Markdown pages) aim at a US school grade of 8 or lower on the Flesch-Kincaid scale.
//! Quotes and source texts are not ours and are not measured.

use std::path::Path;

use casepath::load::schema::Fact;

/// Syllables in a word, by the usual vowel-group rule.
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if w.is_empty() {
        return 0;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut previous = false;
    for &c in &w {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    if w.len() > 2 && w[w.len() - 1] == 'e' && !vowel(w[w.len() - 2]) && w[w.len() - 2] != 'l' {
        count -= 1;
    }
    count.max(1)
}

/// Words, sentences and syllables of a text.
fn counts(text: &str) -> (usize, usize, usize) {
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    // Acronyms and form names (USCIS, I-730) are read as one unit, not spelled out.
    let syllables: usize = words
        .iter()
        .map(|w| {
            if w.chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase())
            {
                1
            } else {
                syllables(w)
            }
        })
        .sum();
    let sentences = text.matches(['.', '?', '!']).count().max(1);
    (words.len(), sentences, syllables)
}

fn grade(words: usize, sentences: usize, syllables: usize) -> f64 {
    0.39 * words as f64 / sentences as f64 + 11.8 * syllables as f64 / words as f64 - 15.59
}

/// Every text of the guide written in its own words.
fn own_words() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (content, errors) = casepath::load::load(root).expect("content loads");
    assert!(errors.is_empty(), "{errors}");
    let mut texts = Vec::new();
    let facts = |texts: &mut Vec<String>, list: &[Fact]| {
        texts.extend(list.iter().map(|f| f.text.value.clone()));
    };
    for o in &content.offices.records {
        texts.push(o.summary.clone());
        for list in [&o.hours, &o.jurisdiction, &o.facts] {
            facts(&mut texts, list);
        }
        for t in &o.tiers {
            facts(&mut texts, &t.can);
            facts(&mut texts, &t.cannot);
        }
        texts.extend(o.contacts.iter().flat_map(|c| c.note.clone()));
    }
    for c in &content.channels.records {
        texts.push(c.summary.clone());
        for list in [&c.who, &c.response_time, &c.hours, &c.limits, &c.facts] {
            facts(&mut texts, list);
        }
        texts.extend(c.contacts.iter().flat_map(|c| c.note.clone()));
    }
    for p in &content.paths.records {
        texts.push(p.summary.clone());
        texts.push(p.for_whom.clone());
        facts(&mut texts, &p.facts);
        for s in &p.steps {
            texts.push(format!("{}.", s.title));
            for list in [&s.text, &s.have_ready, &s.record] {
                facts(&mut texts, list);
            }
        }
    }
    for node in &content.flowchart.records {
        texts.push(node.text.value.replace("{wait}", "15 days"));
        texts.extend(
            node.options
                .iter()
                .map(|o| format!("{}.", o.label.value.replace("{wait}", "15 days"))),
        );
        facts(&mut texts, &node.facts);
    }
    for page in &content.pages {
        texts.push(casepath::markdown::plain_text(page.body()));
    }
    texts
}

#[test]
fn the_guide_reads_at_grade_8_or_lower() {
    let texts = own_words();
    let (mut words, mut sentences, mut syllables) = (0, 0, 0);
    for text in &texts {
        let (w, s, y) = counts(text);
        words += w;
        sentences += s;
        syllables += y;
    }
    let overall = grade(words, sentences, syllables);
    println!("Flesch-Kincaid grade of the guide's own words: {overall:.1} ({words} words)");
    assert!(overall <= 8.0, "grade {overall:.1} is above 8");
}

#[test]
fn the_syllable_rule_counts_common_words() {
    assert_eq!(syllables("call"), 1);
    assert_eq!(syllables("service"), 2);
    assert_eq!(syllables("email"), 2);
    assert_eq!(syllables("immigration"), 4);
    assert!(grade(10, 1, 12) < 3.0);
}
