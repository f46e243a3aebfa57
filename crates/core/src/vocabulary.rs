//! Closed sets of words (stages, categories, roles ...) that people pick from.

/// Declares an enum whose values are stored and shown as fixed snake_case words.
///
/// Each gets `ALL`, `as_str`, `label` (for people), `parse(field, text)` that names the field
/// and lists the allowed words on a bad value, and serde as the word itself.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($word:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value for `text`, or an error naming `field` and the allowed words.
            pub fn parse(field: &str, text: &str) -> Result<Self, $crate::error::FieldError> {
                let t = text.trim();
                $(if t == $word { return Ok($name::$variant); })+
                let allowed: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                Err($crate::error::FieldError::new(
                    field,
                    format!("unknown value '{}'; expected one of: {}", t, allowed.join(", ")),
                ))
            }

            /// Every word, for documentation and form selects.
            pub fn words() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                Self::parse(stringify!($name), &text).map_err(|e| serde::de::Error::custom(e.reason))
            }
        }
    };
}

/// Parses a list of words into a sorted set, naming `field` on the first bad one.
pub fn parse_set<T: Ord>(
    field: &str,
    words: &[String],
    parse: impl Fn(&str, &str) -> Result<T, crate::error::FieldError>,
) -> Result<std::collections::BTreeSet<T>, crate::error::FieldError> {
    words
        .iter()
        .filter(|w| !w.trim().is_empty())
        .map(|w| parse(field, w))
        .collect()
}
