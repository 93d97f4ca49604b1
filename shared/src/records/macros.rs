//! `closed_enum!`: the closed vocabularies of the records (kinds, statuses,
//! categories) with one spelling each, shared by serde, `as_str` and `FromStr`.

/// Declares a closed enum whose wire spelling is the snake_case variant name.
///
/// Generates `ALL`, `as_str`, `from_name`, `FromStr` (the error names
/// `field`), `Display`, `ToJson`, `Serialize`, a `Deserialize` whose error lists the
/// allowed values, and (with feature `openapi`) `utoipa::ToSchema`.
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident (field = $field:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            /// The wire spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The value spelled `name` on the wire, if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $( $text => Some($name::$variant), )+
                    _ => None,
                }
            }

            /// "one of `a`, `b`, `c`", for error messages.
            fn one_of() -> &'static str {
                concat!("one of ", $crate::records::macros::closed_enum!(@list $($text),+))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::records::FieldError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::from_name(s).ok_or_else(|| {
                    $crate::records::FieldError::new($field, format!("must be {}", $name::one_of()))
                })
            }
        }

        impl $crate::records::fields::ToJson for $name {
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::String(self.as_str().to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str($name::one_of())
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::from_name(v)
                            .ok_or_else(|| E::custom(format!("must be {}", $name::one_of())))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
    (@list $first:literal $(, $rest:literal)*) => {
        concat!("`", $first, "`" $(, ", `", $rest, "`")*)
    };
}

pub(crate) use closed_enum;
