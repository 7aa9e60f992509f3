//! Path globs for the waiver `document` selector: `*`, `?` and `**`.
//!
//! `*` and `?` stay inside one path segment (they never match `/`); `**`
//! matches across segments, and `**/` matches zero or more whole
//! directories, so `**/*.cdx.json` matches `a.cdx.json` and `x/y/a.cdx.json`.
//! Backslashes count as `/` and a leading `./` is ignored on both sides,
//! so a pattern written on one platform matches paths given on another.
//!
//! Matching is a dynamic programme over (pattern token, path character):
//! O(pattern × path) time and O(path) memory, with no backtracking that a
//! hostile pattern could make exponential.

/// A compiled glob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Glob {
    pattern: String,
    tokens: Vec<Token>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`: one character other than `/`.
    Any,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**` not followed by `/`: any run of characters.
    GlobStar,
    /// `**/`: nothing, or any run of characters ending in `/`.
    GlobStarDir,
}

impl Glob {
    pub fn new(pattern: &str) -> Glob {
        let normal = normalize(pattern);
        let mut tokens = Vec::with_capacity(normal.len());
        let mut chars = normal.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '?' => tokens.push(Token::Any),
                '*' => {
                    let mut stars = 1;
                    while chars.next_if_eq(&'*').is_some() {
                        stars += 1;
                    }
                    if stars == 1 {
                        tokens.push(Token::Star);
                    } else if chars.next_if_eq(&'/').is_some() {
                        tokens.push(Token::GlobStarDir);
                    } else {
                        tokens.push(Token::GlobStar);
                    }
                }
                c => tokens.push(Token::Char(c)),
            }
        }
        Glob {
            pattern: pattern.to_owned(),
            tokens,
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Does the whole `path` match?
    pub fn matches(&self, path: &str) -> bool {
        let text: Vec<char> = normalize(path).chars().collect();
        let m = text.len();
        // `next[j]`: do the tokens after the current one match text[j..]?
        let mut next = vec![false; m + 1];
        next[m] = true;
        let mut row = vec![false; m + 1];
        for token in self.tokens.iter().rev() {
            let mut tail_dir = false;
            for j in (0..=m).rev() {
                let here = text.get(j).copied();
                let after = next.get(j + 1).copied().unwrap_or(false);
                let right = row.get(j + 1).copied().unwrap_or(false);
                row[j] = match *token {
                    Token::Char(c) => here == Some(c) && after,
                    Token::Any => here.is_some_and(|h| h != '/') && after,
                    Token::Star => next[j] || (here.is_some_and(|h| h != '/') && right),
                    Token::GlobStar => next[j] || (here.is_some() && right),
                    Token::GlobStarDir => {
                        tail_dir = tail_dir || (here == Some('/') && after);
                        next[j] || tail_dir
                    }
                };
            }
            std::mem::swap(&mut next, &mut row);
        }
        next[0]
    }
}

/// `\` as `/`, without leading `./`.
fn normalize(path: &str) -> String {
    let mut s = path.replace('\\', "/");
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.to_owned();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::Glob;

    fn m(pattern: &str, path: &str) -> bool {
        Glob::new(pattern).matches(path)
    }

    #[test]
    fn literal_patterns_match_only_themselves() {
        assert!(m("fixtures/a.json", "fixtures/a.json"));
        assert!(!m("fixtures/a.json", "fixtures/a.jso"));
        assert!(!m("fixtures/a.json", "fixtures/a.json5"));
        assert!(m("", ""));
        assert!(!m("", "a"));
    }

    #[test]
    fn star_and_question_mark_stay_in_one_segment() {
        assert!(m("vendor-x/*.json", "vendor-x/router.cdx.json"));
        assert!(!m("vendor-x/*.json", "vendor-x/sub/router.cdx.json"));
        assert!(!m("vendor-x/*.json", "vendor-y/router.json"));
        assert!(m("*", "anything"));
        assert!(!m("*", "a/b"));
        assert!(m("v?.json", "v1.json"));
        assert!(!m("v?.json", "v12.json"));
        assert!(!m("a?b", "a/b"));
    }

    #[test]
    fn double_star_crosses_directories() {
        assert!(m("**/*.cdx.json", "a.cdx.json"));
        assert!(m("**/*.cdx.json", "x/y/a.cdx.json"));
        assert!(!m("**/*.cdx.json", "x/y/a.spdx.json"));
        assert!(m("fixtures/**", "fixtures/malformed/truncated.cdx.json"));
        assert!(m(
            "fixtures/**/t*.json",
            "fixtures/malformed/truncated.cdx.json"
        ));
        assert!(m("fixtures/**/t*.json", "fixtures/t.json"));
        assert!(!m("fixtures/**/t*.json", "other/t.json"));
        assert!(m("a/**b", "a/x/yb"));
    }

    #[test]
    fn separators_and_dot_prefixes_are_normalized() {
        assert!(m("vendor-x/*.json", r"vendor-x\router.json"));
        assert!(m("./vendor-x/*.json", "vendor-x/router.json"));
        assert!(m("vendor-x/*.json", "././vendor-x/router.json"));
    }

    #[test]
    fn many_stars_do_not_blow_up() {
        let pattern = "a*".repeat(40) + "b";
        let path = "a".repeat(2_000);
        assert!(!m(&pattern, &path));
        let pattern = "**/".repeat(30) + "x";
        assert!(m(&pattern, &("d/".repeat(500) + "x")));
        assert!(!m(&pattern, &("d/".repeat(500) + "y")));
    }
}
