//! The one declaration of each op enum whose codes cross the JavaScript boundary.
//!
//! `op_enum!` turns `Variant => "jsName"` lines into the enum, `ALL` (code order), `NAMES` (the
//! strings of `@wattformer/core`'s unions) and `from_code`. The code of a variant is its
//! position in the list. `packages/backend-wasm/scripts/gen-op-codes.mjs` reads these same
//! declarations and writes `packages/backend-wasm/src/op-codes.generated.ts`, so the TypeScript
//! table can never fall out of step with `from_code` (its test regenerates and compares).

/// Declares an op enum with its wire codes and JavaScript names (see the module docs).
#[macro_export]
macro_rules! op_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident => $js:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name {
            $($variant,)*
        }
        impl $name {
            /// Every variant, in code order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)*];
            /// The `@wattformer/core` name of each variant, in code order.
            pub const NAMES: &'static [&'static str] = &[$($js,)*];
            /// The variant whose code (position in `ALL`) is `code`.
            pub fn from_code(code: u32) -> Option<Self> {
                Self::ALL.get(code as usize).copied()
            }
            /// The `@wattformer/core` name of this variant.
            pub fn js_name(self) -> &'static str {
                Self::NAMES[self as usize]
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{elementwise::BinaryOp, elementwise::UnaryOp, reduce::ReduceOp};

    #[test]
    fn codes_round_trip_and_stop_at_the_end() {
        for (code, op) in UnaryOp::ALL.iter().enumerate() {
            assert_eq!(UnaryOp::from_code(code as u32), Some(*op));
            assert_eq!(*op as usize, code);
        }
        for (code, op) in BinaryOp::ALL.iter().enumerate() {
            assert_eq!(BinaryOp::from_code(code as u32), Some(*op));
        }
        assert_eq!(UnaryOp::from_code(UnaryOp::ALL.len() as u32), None);
        assert_eq!(BinaryOp::from_code(BinaryOp::ALL.len() as u32), None);
        assert_eq!(ReduceOp::from_code(2), None);
        assert_eq!(ReduceOp::Max.js_name(), "max");
        assert_eq!(UnaryOp::NAMES.len(), UnaryOp::ALL.len());
    }
}
