//! Entity-name normalisation: the one place that decides when two ways of
//! writing a company name are the same name.
//!
//! SBOMs name Kaspersky in many ways: `AO Kaspersky Lab`, `Kaspersky Lab
//! ZAO`, `Kaspersky Labs Limited`, `АО «Лаборатория Касперского»`. The
//! normal form makes these meet while keeping look-alikes apart:
//!
//! 1. Unicode NFKC (full-width letters, ligatures and compatibility forms
//!    become plain letters);
//! 2. lowercase;
//! 3. Cyrillic transliterated to Latin with a fixed table (so a Russian
//!    legal name meets its Latin spelling, and `АО` becomes the legal form
//!    `ao`);
//! 4. every character that is not a letter or digit (quotes, `«»`,
//!    punctuation, dashes, dots) becomes a space;
//! 5. legal-form tokens (`ao`, `zao`, `ltd`, `gmbh`, ...) are dropped;
//! 6. tokens are joined by single spaces.
//!
//! Matching is on whole tokens only, never on substrings: `kasper` and
//! `kasperskyfan` are different tokens from `kaspersky`.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Legal-form tokens, already in normal form (lowercase Latin). Dropped
/// wherever they stand: they say what kind of company, not which.
const LEGAL_FORMS: &[&str] = &[
    "ab",
    "ag",
    "ao",
    "bv",
    "cjsc",
    "co",
    "company",
    "corp",
    "corporation",
    "gmbh",
    "inc",
    "incorporated",
    "jsc",
    "kft",
    "kg",
    "kk",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "nv",
    "oao",
    "ojsc",
    "ooo",
    "oy",
    "pao",
    "pjsc",
    "plc",
    "pte",
    "pty",
    "sa",
    "sarl",
    "sas",
    "spa",
    "srl",
    "zao",
];

/// Longest legal form, in bytes.
const LEGAL_FORM_MAX_LEN: usize = 12;

/// `LEGAL_FIRST[len]` has bit `b - b'a'` set when some legal form of `len`
/// bytes starts with byte `b`.
const LEGAL_FIRST: [u32; LEGAL_FORM_MAX_LEN + 1] = {
    let mut masks = [0u32; LEGAL_FORM_MAX_LEN + 1];
    let mut i = 0;
    while i < LEGAL_FORMS.len() {
        let form = LEGAL_FORMS[i].as_bytes();
        masks[form.len()] |= 1 << (form[0] - b'a');
        i += 1;
    }
    masks
};

/// Whether `token` (in normal form) is a legal form such as `ltd` or `ao`.
///
/// Asked once per token of every name the matcher sees, so a mask by
/// length and first letter turns almost every other token away before the
/// search.
pub fn is_legal_form(token: &str) -> bool {
    let mask = LEGAL_FIRST.get(token.len()).copied().unwrap_or(0);
    let first = token
        .as_bytes()
        .first()
        .map_or(u32::MAX, |b| u32::from(b.wrapping_sub(b'a')));
    first < 26 && mask & (1 << first) != 0 && LEGAL_FORMS.binary_search(&token).is_ok()
}

/// Latin for one lowercase Cyrillic letter (Russian, with the Ukrainian
/// and Belarusian extras), or `None` when `c` is not Cyrillic. The table
/// follows the common passport-style romanisation (`я` → `ya`, `х` →
/// `kh`), which is how Russian company names are usually written in
/// Latin script.
fn translit(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        'і' => "i",
        'ї' => "yi",
        'є' => "ye",
        'ґ' => "g",
        'ў' => "u",
        _ => return None,
    })
}

/// The normal form of `s` (see the module docs). May be empty.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// Writes the normal form of `s` into `out` (cleared first), so a caller
/// that normalises many values can reuse one buffer.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        normalize_ascii(s, out);
    } else {
        normalize_unicode(s, out);
    }
}

/// The normal form of any text, into an empty `out`.
///
/// Text already in NFKC (`©` in a copyright line, most Cyrillic names) is
/// only lowercased: the quick check is a scan with a table look-up per
/// character, where the `nfkc()` iterator decomposes and recomposes each
/// one, and the result is the same (NFKC of a string already in NFKC is
/// the string). On the 10k-component synthetic CycloneDX file, whose
/// copyright lines carry a `©`, `normalize_into` went from 39.0 M to
/// 33.9 M instructions (callgrind, docs/performance.md).
fn normalize_unicode(s: &str, out: &mut String) {
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        normalize_chars(s.chars(), out);
    } else {
        normalize_chars(s.nfkc(), out);
    }
}

/// [`normalize_unicode`] of text already in NFKC, given as its characters.
fn normalize_chars(chars: impl Iterator<Item = char>, out: &mut String) {
    // Start of the token being written, if one is open.
    let mut token_start: Option<usize> = None;
    for c in chars.flat_map(char::to_lowercase) {
        if let Some(latin) = translit(c) {
            if token_start.is_none() {
                token_start = Some(begin_token(out));
            }
            out.push_str(latin);
        } else if c.is_alphanumeric() {
            if token_start.is_none() {
                token_start = Some(begin_token(out));
            }
            out.push(c);
        } else if let Some(start) = token_start.take() {
            end_token(out, start);
        }
    }
    if let Some(start) = token_start {
        end_token(out, start);
    }
}

/// [`normalize_unicode`] for ASCII text (most SBOM values), without the
/// Unicode machinery: ASCII is already in NFKC, lowercases to ASCII and
/// holds no Cyrillic, so the same steps reduce to byte tests.
fn normalize_ascii(s: &str, out: &mut String) {
    let mut token_start: Option<usize> = None;
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            if token_start.is_none() {
                token_start = Some(begin_token(out));
            }
            out.push(char::from(b.to_ascii_lowercase()));
        } else if let Some(start) = token_start.take() {
            end_token(out, start);
        }
    }
    if let Some(start) = token_start {
        end_token(out, start);
    }
}

/// Whether `test` holds for some token of the normal form of `text`;
/// `true` for text that is not ASCII, whose tokens are not looked for.
///
/// The tokens of ASCII text are its runs of ASCII letters and digits,
/// lowercased (see [`normalize_ascii`]). `test` is given each run as
/// written, to lowercase as far as it needs (the bytes a filter reads,
/// and the rest only when the filter lets it through), so this reads the
/// text twice (the ASCII test, then the split) and writes nothing. The runs that are legal forms, which
/// normalising drops, are tested too: a test that holds for one says
/// `true` when the normal form may have no such token, never the other
/// way round.
pub(crate) fn some_ascii_token(text: &str, mut test: impl FnMut(&[u8]) -> bool) -> bool {
    if !text.is_ascii() {
        return true;
    }
    (text.as_bytes().split(|&b| !IN_TOKEN[usize::from(b)])).any(|run| !run.is_empty() && test(run))
}

/// `IN_TOKEN[b]`: whether byte `b` is an ASCII letter or digit (one load,
/// where `u8::is_ascii_alphanumeric` makes three range tests).
const IN_TOKEN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Opens a token: a separating space unless `out` is empty. Returns where
/// the separator (or the token) starts, so the token can be taken back.
fn begin_token(out: &mut String) -> usize {
    let start = out.len();
    if !out.is_empty() {
        out.push(' ');
    }
    start
}

/// Closes a token; drops it again (with its separator) when it is a legal
/// form or came out empty (`ъ` alone).
fn end_token(out: &mut String, start: usize) {
    let token = out.get(start..).unwrap_or("").trim_start_matches(' ');
    if token.is_empty() || is_legal_form(token) {
        out.truncate(start);
    }
}

/// The tokens of an already normalised string.
pub fn tokens(normalized: &str) -> impl Iterator<Item = &str> {
    normalized.split(' ').filter(|t| !t.is_empty())
}

/// The number of tokens of an already normalised string.
pub fn token_count(normalized: &str) -> usize {
    tokens(normalized).count()
}

/// Every run of 1..=`max` consecutive tokens of a normalised string, as a
/// slice of it (no allocation): `"a b c"` with `max = 2` gives `a`, `a b`,
/// `b`, `b c`, `c`.
pub fn ngrams(normalized: &str, max: usize) -> Ngrams<'_> {
    Ngrams {
        s: normalized,
        max,
        start: 0,
        end: None,
        n: 0,
    }
}

/// The iterator of [`ngrams`].
#[derive(Clone, Debug)]
pub struct Ngrams<'a> {
    s: &'a str,
    max: usize,
    /// Byte offset of the first token of the current run.
    start: usize,
    /// End of the run last yielded from `start`.
    end: Option<usize>,
    /// Tokens in that run.
    n: usize,
}

impl<'a> Ngrams<'a> {
    /// End of the token that begins at `from`.
    fn token_end(&self, from: usize) -> usize {
        self.s
            .get(from..)
            .and_then(|t| t.find(' '))
            .map_or(self.s.len(), |i| from + i)
    }
}

impl<'a> Iterator for Ngrams<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.max == 0 {
            return None;
        }
        while self.start < self.s.len() {
            let can_grow = self.n < self.max && self.end.is_none_or(|e| e < self.s.len());
            if can_grow {
                let from = self.end.map_or(self.start, |e| e + 1);
                let end = self.token_end(from);
                self.end = Some(end);
                self.n += 1;
                return self.s.get(self.start..end);
            }
            self.start = self.token_end(self.start) + 1;
            self.end = None;
            self.n = 0;
        }
        None
    }
}

/// The answer for the last text asked for, kept: a component's name and
/// its purl's name are nearly always the same text (`log4j-core`,
/// `pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1`), and the
/// matcher looks at both. Asked for the same text again, it gives the
/// kept answer instead of working it out again: normalising the text
/// again was 8.0 M of the matcher's 20.4 M instructions of normalising
/// (callgrind, the 10k CycloneDX audit), and asking the guard again
/// (whether the text may name anything) about 3.4 M.
///
#[derive(Default)]
pub(crate) struct LastNormalized {
    /// Whether `text` holds a text asked for (at first it holds none).
    asked: bool,
    text: String,
    /// Whether `text` may name something; `normal` is its normal form
    /// then, and empty otherwise.
    named: bool,
    normal: String,
}

impl LastNormalized {
    /// Writes the normal form of `s` into `out` and returns `true` if
    /// `may_name(s)`; returns `false` and leaves `out` alone otherwise.
    /// `may_name` is asked only about a text other than the last.
    pub(crate) fn normalized(
        &mut self,
        s: &str,
        may_name: impl FnOnce(&str) -> bool,
        out: &mut String,
    ) -> bool {
        if !self.asked || self.text != s {
            self.asked = true;
            self.named = may_name(s);
            self.normal.clear();
            if self.named {
                normalize_into(s, &mut self.normal);
            }
            self.text.clear();
            self.text.push_str(s);
        }
        if self.named {
            out.clear();
            out.push_str(&self.normal);
        }
        self.named
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kept_form_is_the_normal_form_whatever_came_before() {
        let texts = [
            "",
            "Kaspersky Lab",
            "Kaspersky Lab",
            "kaspersky-lab",
            "",
            "ЛАБОРАТОРИЯ Касперского",
            "ЛАБОРАТОРИЯ Касперского",
            "log4j-core",
            "Kaspersky Lab",
        ];
        let mut last = LastNormalized::default();
        let mut out = String::from("left over");
        for t in texts {
            assert!(last.normalized(t, |_| true, &mut out));
            assert_eq!(out, normalize(t), "{t:?}");
        }
    }

    #[test]
    fn the_guard_is_asked_once_for_a_text_asked_for_twice() {
        let mut last = LastNormalized::default();
        let mut out = String::from("left over");
        let mut asked = 0;
        for t in [
            "sable-iris-4",
            "sable-iris-4",
            "Kaspersky Lab",
            "sable-iris-4",
        ] {
            let guard = |t: &str| {
                asked += 1;
                t.starts_with('K')
            };
            let named = last.normalized(t, guard, &mut out);
            assert_eq!(named, t.starts_with('K'), "{t:?}");
            if named {
                assert_eq!(out, normalize(t));
            }
        }
        // The second `sable-iris-4` comes straight after the first.
        assert_eq!(asked, 3);
        assert_eq!(
            out, "kaspersky lab",
            "a text that names nothing leaves `out` alone"
        );
    }

    #[test]
    fn legal_forms_are_sorted_for_binary_search() {
        let mut sorted = LEGAL_FORMS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, LEGAL_FORMS);
        // The mask in `is_legal_form` holds lowercase ASCII forms of at
        // most LEGAL_FORM_MAX_LEN bytes, and lets each of them through.
        assert!(LEGAL_FORMS.iter().all(|f| f.len() <= LEGAL_FORM_MAX_LEN
            && f.bytes().all(|b| b.is_ascii_lowercase())
            && is_legal_form(f)));
        for other in [
            "",
            "a",
            "kaspersky",
            "lab",
            "123",
            "ltdx",
            "zz",
            "é",
            "incorporatedx",
        ] {
            assert!(!is_legal_form(other), "{other}");
        }
    }

    #[test]
    fn every_kaspersky_variant_meets_its_peers() {
        let lab = [
            "AO Kaspersky Lab",
            "Kaspersky Lab ZAO",
            "Kaspersky Lab Ltd.",
            "Kaspersky Lab Ltd",
            "Kaspersky Lab JSC",
            "Kaspersky Lab, Inc.",
            "Kaspersky Lab",
            "KASPERSKY LAB",
            "  kaspersky   lab  ",
            "\"Kaspersky Lab\"",
            "Ｋａｓｐｅｒｓｋｙ Ｌａｂ",
        ];
        for v in lab {
            assert_eq!(normalize(v), "kaspersky lab", "{v}");
        }
        assert_eq!(normalize("Kaspersky Labs Limited"), "kaspersky labs");
        assert_eq!(normalize("Kaspersky Labs"), "kaspersky labs");
        assert_eq!(normalize("OOO Kaspersky Group"), "kaspersky group");
        assert_eq!(normalize("Kaspersky"), "kaspersky");
    }

    #[test]
    fn cyrillic_is_transliterated_and_its_legal_form_dropped() {
        assert_eq!(
            normalize("АО «Лаборатория Касперского»"),
            "laboratoriya kasperskogo"
        );
        assert_eq!(
            normalize("Лаборатория Касперского"),
            "laboratoriya kasperskogo"
        );
        assert_eq!(
            normalize("ЗАО \"Лаборатория Касперского\""),
            "laboratoriya kasperskogo"
        );
        assert_eq!(normalize("ООО Касперский"), "kasperskiy");
        assert_eq!(normalize("Щука, Ёж и Объём"), "shchuka ezh i obem");
    }

    #[test]
    fn decoys_stay_apart() {
        assert_eq!(normalize("Kasper Systems GmbH"), "kasper systems");
        assert_eq!(normalize("Casper Labs"), "casper labs");
        assert_eq!(normalize("kasper-client"), "kasper client");
        assert_eq!(normalize("kasperskyfan-utils"), "kasperskyfan utils");
    }

    #[test]
    fn punctuation_and_only_legal_forms() {
        assert_eq!(normalize("Ltd."), "");
        assert_eq!(normalize("AO, ZAO & Co."), "");
        assert_eq!(normalize("a.b-c_d/e"), "a b c d e");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("«»—…"), "");
        assert_eq!(normalize("Ltd Kaspersky Inc"), "kaspersky");
    }

    /// Both paths on the same ASCII text.
    fn both(s: &str) -> (String, String) {
        let (mut fast, mut general) = (String::new(), String::new());
        normalize_ascii(s, &mut fast);
        normalize_unicode(s, &mut general);
        (fast, general)
    }

    proptest::proptest! {
        /// The runs `some_ascii_token` tests are those of a plain split.
        #[test]
        fn the_runs_tested_are_the_runs_of_letters_and_digits(
            s in "([a-zA-Z0-9]{0,20}|[ .,_-]{0,3}|é){0,12}"
        ) {
            let mut seen = Vec::new();
            let answer = some_ascii_token(&s, |run| {
                seen.push(run.to_vec());
                false
            });
            if s.is_ascii() {
                let split: Vec<Vec<u8>> = (s.as_bytes().split(|b| !b.is_ascii_alphanumeric()))
                    .filter(|run| !run.is_empty())
                    .map(<[u8]>::to_vec)
                    .collect();
                proptest::prop_assert_eq!(seen, split);
                proptest::prop_assert!(!answer);
            } else {
                proptest::prop_assert!(answer);
            }
        }

        #[test]
        fn ascii_fast_path_agrees_with_the_unicode_path(s in "[ -~\t\n]{0,40}") {
            let (fast, general) = both(&s);
            proptest::prop_assert_eq!(fast, general);
        }

        /// Skipping `nfkc()` for text the quick check calls NFKC already
        /// changes nothing: any text, with combining marks, compatibility
        /// forms (fullwidth, ligatures, `™`), Cyrillic and `©`.
        #[test]
        fn the_nfkc_quick_path_agrees_with_full_nfkc(
            s in "([a-zA-Z0-9 .,©™ﬁ]|[а-яА-ЯёЁ]|[Ａ-Ｚａ-ｚ]|[\u{300}-\u{36f}]|\\PC){0,30}"
        ) {
            let mut quick = String::new();
            normalize_unicode(&s, &mut quick);
            let mut full = String::new();
            normalize_chars(s.nfkc(), &mut full);
            proptest::prop_assert_eq!(quick, full);
        }

        #[test]
        fn legal_forms_in_any_case_and_punctuation(
            words in proptest::collection::vec("(ao|Ltd|GMBH|inc|co|x|Kaspersky|lab|[a-z]{1,13})", 0..6),
            seps in proptest::collection::vec("[ .,&\"()-]{1,3}", 6),
        ) {
            let mut s = String::new();
            for (w, sep) in words.iter().zip(&seps) {
                s.push_str(w);
                s.push_str(sep);
            }
            let (fast, general) = both(&s);
            proptest::prop_assert_eq!(fast, general);
        }
    }

    #[test]
    fn buffer_is_reused_and_cleared() {
        let mut buf = String::from("junk");
        normalize_into("Kaspersky Lab", &mut buf);
        assert_eq!(buf, "kaspersky lab");
        normalize_into("x", &mut buf);
        assert_eq!(buf, "x");
    }

    #[test]
    fn tokens_and_ngrams() {
        let n = normalize("Kaspersky Anti-Virus SDK");
        assert_eq!(
            tokens(&n).collect::<Vec<_>>(),
            ["kaspersky", "anti", "virus", "sdk"]
        );
        assert_eq!(token_count(&n), 4);
        let g: Vec<&str> = ngrams("a b c", 2).collect();
        assert_eq!(g, ["a", "a b", "b", "b c", "c"]);
        assert_eq!(ngrams("", 3).count(), 0);
        assert_eq!(ngrams("one", 3).collect::<Vec<_>>(), ["one"]);
    }
}
