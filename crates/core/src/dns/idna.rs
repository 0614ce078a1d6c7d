//! Unicode domain names to A-labels (IDNA, RFC 5891), without Unicode tables of our own.
//!
//! The page's first load has a size budget, and the `url` crate's full UTS #46 back end (Unicode
//! mapping and normalisation tables) costs about 44 KB gzip in wasm. The workspace therefore pins
//! `idna_adapter` to its ASCII-only 1.0 release (see the root `Cargo.toml`), and the engine turns
//! the names people type into A-labels itself:
//!
//! - labels are split on `.` and on the dots UTS #46 maps to it (`。` U+3002, `．` U+FF0E, `｡` U+FF61);
//! - each character is lower-cased and full-width ASCII (`ｍａｉｌ`) is mapped to ASCII, as UTS #46
//!   does. Capitals are mapped by [`lower`] for the scripts whose capitals follow a pattern (Latin,
//!   Greek, Cyrillic, Armenian, Georgian: what domain names use); any other capital letter is
//!   refused with a message asking for the name in lower case. (Rust's `char::to_lowercase`
//!   would bring its 11.7 KB case table into the page for the rare rest.)
//! - a label that is then still not ASCII must consist of letters, digits and hyphens (Unicode
//!   `Alphabetic` or `Numeric`, which includes the vowel signs Indic scripts need); a
//!   character outside them, such as a combining accent typed after its letter (`u` + U+0308
//!   instead of `ü`), is refused with a message naming it, because turning it into the form
//!   receivers use needs Unicode normalisation (NFC), which is not built in;
//! - the label is encoded with Punycode (RFC 3492) and prefixed with `xn--` (RFC 5890 §2.3.2.1).
//!
//! For names in composed form, which is how keyboards and copy-paste produce them, the result is
//! the A-label that browsers and the `idna` crate produce; RFC 3492 §7.1's sample strings are the
//! test vectors.

/// Why a name could not be converted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IdnaError(pub String);

/// The name in A-label form: lower case ASCII; each non-ASCII label as `xn--` + Punycode.
pub(crate) fn to_ascii(name: &str) -> Result<String, IdnaError> {
    let mut out = String::with_capacity(name.len());
    for (i, label) in name
        .split(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'])
        .enumerate()
    {
        if i > 0 {
            out.push('.');
        }
        let mut mapped = String::with_capacity(label.len());
        for c in label.chars() {
            match c {
                // Full-width ASCII (UTS #46 maps it to ASCII).
                '\u{FF01}'..='\u{FF5E}' => mapped.push(
                    char::from_u32(c as u32 - 0xFEE0)
                        .unwrap_or(c)
                        .to_ascii_lowercase(),
                ),
                c if c.is_ascii() => mapped.push(c.to_ascii_lowercase()),
                c => match lower(c) {
                    Some(l) => mapped.push(l),
                    None => {
                        return Err(IdnaError(format!(
                            "the label `{label}` has the capital letter `{c}` (U+{:04X}); type the name in lower case",
                            c as u32
                        )))
                    }
                },
            }
        }
        if mapped.is_ascii() {
            out.push_str(&mapped);
            continue;
        }
        if let Some(c) = mapped.chars().find(|c| !(c.is_alphanumeric() || *c == '-')) {
            return Err(IdnaError(format!(
                "the label `{label}` contains U+{:04X}, which is not a letter or digit; \
                 if it is an accent typed after its letter, type the accented letter itself, \
                 or give the name in its `xn--` form",
                c as u32
            )));
        }
        out.push_str("xn--");
        punycode(&mapped, &mut out);
    }
    Ok(out)
}

/// The lower-case form of `c` (which is not ASCII), or `None` for a capital letter outside the
/// patterned ranges. The ranges follow the Unicode case mappings (UnicodeData.txt): Latin-1
/// Supplement and Greek/Cyrillic capitals 0x20 below their small letters, Latin Extended-A and
/// Extended Additional, Cyrillic Supplement and Greek extras in capital/small pairs, Armenian and
/// Georgian by fixed offsets.
pub(crate) fn lower(c: char) -> Option<char> {
    let u = c as u32;
    let pair = |from: u32, to: u32| (from..=to).contains(&u) && u % 2 == from % 2;
    let l = match u {
        // À–Þ except ×
        0xC0..=0xDE if u != 0xD7 => u + 0x20,
        // Latin Extended-A: Ā ā … except the odd stretch Ĺ–ň and Ź–ž (capital odd there), and İ,
        // whose small form is two characters
        0x130 => return None,
        0x100..=0x137 | 0x14A..=0x177 if u % 2 == 0 => u + 1,
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        0x178 => 0xFF,
        // Greek: Ά Έ Ή Ί Ό Ύ Ώ, and Α–Ω except the reserved U+03A2
        0x386 => 0x3AC,
        0x388..=0x38A => u + 37,
        0x38C => 0x3CC,
        0x38E | 0x38F => u + 63,
        0x391..=0x3AB if u != 0x3A2 => u + 0x20,
        // Cyrillic: Ѐ–Џ, А–Я, and the paired supplements
        0x400..=0x40F => u + 0x50,
        0x410..=0x42F => u + 0x20,
        _ if pair(0x460, 0x481) || pair(0x48A, 0x4BF) || pair(0x4D0, 0x52F) => u + 1,
        0x4C0 => 0x4CF,
        _ if pair(0x4C1, 0x4CE) => u + 1,
        // Armenian Ա–Ֆ
        0x531..=0x556 => u + 0x30,
        // Georgian Ⴀ–Ⴥ, Ⴧ, Ⴭ
        0x10A0..=0x10C5 | 0x10C7 | 0x10CD => u + 0x1C60,
        // Latin Extended Additional (Vietnamese): Ḁ ḁ … Ỿ ỿ, except ẖ–ẟ
        _ if pair(0x1E00, 0x1E94) || pair(0x1EA0, 0x1EFE) => u + 1,
        0x1E9E => 0xDF,
        // Titlecase digraphs ǅ ǈ ǋ ǲ
        0x1C5 | 0x1C8 | 0x1CB | 0x1F2 => u + 1,
        // Greek Extended mixes capitals, titlecase and letters without a simple pair
        0x1F00..=0x1FFF if !c.is_lowercase() && c.is_alphabetic() => return None,
        _ if c.is_uppercase() => return None,
        _ => u,
    };
    char::from_u32(l)
}

/// RFC 3492 §6.3, the encoding procedure, with the parameters of §5.
fn punycode(input: &str, out: &mut String) {
    const BASE: u32 = 36;
    const TMIN: u32 = 1;
    const TMAX: u32 = 26;
    let code_points: Vec<u32> = input.chars().map(|c| c as u32).collect();
    let basic = code_points.iter().filter(|&&c| c < 0x80).count() as u32;
    for &c in code_points.iter().filter(|&&c| c < 0x80) {
        out.push(c as u8 as char);
    }
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (0x80u32, 0u32, 72u32, basic);
    let total = code_points.len() as u32;
    while handled < total {
        // The smallest code point not yet handled; every label here is at most 253 characters,
        // so none of the sums below can overflow a u32.
        let m = code_points
            .iter()
            .copied()
            .filter(|&c| c >= n)
            .min()
            .unwrap_or(n);
        delta += (m - n) * (handled + 1);
        n = m;
        for &c in &code_points {
            if c < n {
                delta += 1;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    out.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                out.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
}

fn digit(d: u32) -> char {
    (if d < 26 {
        b'a' + d as u8
    } else {
        b'0' + (d - 26) as u8
    }) as char
}

/// RFC 3492 §6.1, bias adaptation.
fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
    delta /= if first { 700 } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((36 - 1) * 26) / 2 {
        delta /= 36 - 1;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn puny(s: &str) -> String {
        let mut out = String::new();
        punycode(s, &mut out);
        out
    }

    /// RFC 3492 §7.1 sample strings (lower-cased, as IDNA uses them), with their encodings.
    #[test]
    fn rfc3492_samples() {
        let samples: [(&[u32], &str); 12] = [
            // (A) Arabic (Egyptian)
            (
                &[
                    0x0644, 0x064A, 0x0647, 0x0645, 0x0627, 0x0628, 0x062A, 0x0643, 0x0644, 0x0645,
                    0x0648, 0x0634, 0x0639, 0x0631, 0x0628, 0x064A, 0x061F,
                ],
                "egbpdaj6bu4bxfgehfvwxn",
            ),
            // (B) Chinese (simplified)
            (
                &[
                    0x4ED6, 0x4EEC, 0x4E3A, 0x4EC0, 0x4E48, 0x4E0D, 0x8BF4, 0x4E2D, 0x6587,
                ],
                "ihqwcrb4cv8a8dqg056pqjye",
            ),
            // (C) Chinese (traditional)
            (
                &[
                    0x4ED6, 0x5011, 0x7232, 0x4EC0, 0x9EBD, 0x4E0D, 0x8AAA, 0x4E2D, 0x6587,
                ],
                "ihqwctvzc91f659drss3x8bo0yb",
            ),
            // (D) Czech
            (
                &[
                    0x0050, 0x0072, 0x006F, 0x010D, 0x0070, 0x0072, 0x006F, 0x0073, 0x0074, 0x011B,
                    0x006E, 0x0065, 0x006D, 0x006C, 0x0075, 0x0076, 0x00ED, 0x010D, 0x0065, 0x0073,
                    0x006B, 0x0079,
                ],
                "Proprostnemluvesky-uyb24dma41a",
            ),
            // (E) Hebrew
            (
                &[
                    0x05DC, 0x05DE, 0x05D4, 0x05D4, 0x05DD, 0x05E4, 0x05E9, 0x05D5, 0x05D8, 0x05DC,
                    0x05D0, 0x05DE, 0x05D3, 0x05D1, 0x05E8, 0x05D9, 0x05DD, 0x05E2, 0x05D1, 0x05E8,
                    0x05D9, 0x05EA,
                ],
                "4dbcagdahymbxekheh6e0a7fei0b",
            ),
            // (F) Hindi (Devanagari)
            (
                &[
                    0x092F, 0x0939, 0x0932, 0x094B, 0x0917, 0x0939, 0x093F, 0x0928, 0x094D, 0x0926,
                    0x0940, 0x0915, 0x094D, 0x092F, 0x094B, 0x0902, 0x0928, 0x0939, 0x0940, 0x0902,
                    0x092C, 0x094B, 0x0932, 0x0938, 0x0915, 0x0924, 0x0947, 0x0939, 0x0948, 0x0902,
                ],
                "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd",
            ),
            // (G) Japanese (kanji and hiragana)
            (
                &[
                    0x306A, 0x305C, 0x307F, 0x3093, 0x306A, 0x65E5, 0x672C, 0x8A9E, 0x3092, 0x8A71,
                    0x3057, 0x3066, 0x304F, 0x308C, 0x306A, 0x3044, 0x306E, 0x304B,
                ],
                "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa",
            ),
            // (I) Russian (Cyrillic), lower case
            (
                &[
                    0x043F, 0x043E, 0x0447, 0x0435, 0x043C, 0x0443, 0x0436, 0x0435, 0x043E, 0x043D,
                    0x0438, 0x043D, 0x0435, 0x0433, 0x043E, 0x0432, 0x043E, 0x0440, 0x044F, 0x0442,
                    0x043F, 0x043E, 0x0440, 0x0443, 0x0441, 0x0441, 0x043A, 0x0438,
                ],
                "b1abfaaepdrnnbgefbadotcwatmq2g4l",
            ),
            // (J) Spanish
            (
                &[
                    0x0050, 0x006F, 0x0072, 0x0071, 0x0075, 0x00E9, 0x006E, 0x006F, 0x0070, 0x0075,
                    0x0065, 0x0064, 0x0065, 0x006E, 0x0073, 0x0069, 0x006D, 0x0070, 0x006C, 0x0065,
                    0x006D, 0x0065, 0x006E, 0x0074, 0x0065, 0x0068, 0x0061, 0x0062, 0x006C, 0x0061,
                    0x0072, 0x0065, 0x006E, 0x0045, 0x0073, 0x0070, 0x0061, 0x00F1, 0x006F, 0x006C,
                ],
                "PorqunopuedensimplementehablarenEspaol-fmd56a",
            ),
            // (K) Vietnamese
            (
                &[
                    0x0054, 0x1EA1, 0x0069, 0x0073, 0x0061, 0x006F, 0x0068, 0x1ECD, 0x006B, 0x0068,
                    0x00F4, 0x006E, 0x0067, 0x0074, 0x0068, 0x1EC3, 0x0063, 0x0068, 0x1EC9, 0x006E,
                    0x00F3, 0x0069, 0x0074, 0x0069, 0x1EBF, 0x006E, 0x0067, 0x0056, 0x0069, 0x1EC7,
                    0x0074,
                ],
                "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g",
            ),
            // (L) 3<nen>B<gumi><kinpachi><sensei>
            (
                &[
                    0x0033, 0x5E74, 0x0042, 0x7D44, 0x91D1, 0x516B, 0x5148, 0x751F,
                ],
                "3B-ww4c5e180e575a65lsy2b",
            ),
            // (R) <sono><supiido><de>
            (
                &[0x305D, 0x306E, 0x30B9, 0x30D4, 0x30FC, 0x30C9, 0x3067],
                "d9juau41awczczp",
            ),
        ];
        for (points, expected) in samples {
            let text: String = points.iter().map(|&c| char::from_u32(c).unwrap()).collect();
            assert_eq!(puny(&text), expected, "{text}");
        }
    }

    #[test]
    fn names_become_a_labels() {
        let a = |s: &str| to_ascii(s).unwrap();
        assert_eq!(a("mail.bücher.example"), "mail.xn--bcher-kva.example");
        assert_eq!(a("MAIL.BÜCHER.example"), "mail.xn--bcher-kva.example");
        assert_eq!(a("münchen.example"), "xn--mnchen-3ya.example");
        assert_eq!(a("straße.example"), "xn--strae-oqa.example");
        assert_eq!(a("пример.испытание"), "xn--e1afmkfd.xn--80akhbyknj4f");
        assert_eq!(a("例え.テスト"), "xn--r8jz45g.xn--zckzah");
        assert_eq!(a("ｍａｉｌ。example．com"), "mail.example.com");
    }

    /// The patterned ranges agree with Rust's own Unicode case mapping, character by character.
    #[test]
    fn lower_matches_the_unicode_mapping() {
        let mut mapped = 0;
        for u in 0x80..0x2000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let unicode: Vec<char> = c.to_lowercase().collect();
            match lower(c) {
                Some(l) => {
                    assert_eq!(vec![l], unicode, "U+{u:04X}");
                    mapped += usize::from(l != c);
                }
                None => assert!(
                    unicode != vec![c] || c.is_uppercase(),
                    "U+{u:04X} refused but neither a capital nor changed by lower-casing"
                ),
            }
        }
        assert!(mapped > 400, "{mapped}");
        assert_eq!(
            to_ascii("Mail.ĐÀNẴNG.Example").unwrap(),
            format!("mail.xn--{}.example", {
                let mut o = String::new();
                punycode("đànẵng", &mut o);
                o
            })
        );
        let err = to_ascii("mail.\u{3D2}x.example").unwrap_err();
        assert!(err.0.contains("lower case"), "{}", err.0);
    }

    #[test]
    fn decomposed_input_is_refused_with_the_character() {
        let err = to_ascii("mail.bu\u{308}cher.example").unwrap_err();
        assert!(err.0.contains("U+0308"), "{}", err.0);
        assert!(err.0.contains("xn--"), "{}", err.0);
    }
}
