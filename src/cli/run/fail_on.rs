//! The words of `--fail-on` (`any`, `new`, `warnings`, combined as `new,warnings`).

use crate::run::baseline::FailOn;

/// The words of `--fail-on`: which failing cases count, and whether warnings are failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FailOnArg {
    pub(super) cases: FailOn,
    pub(super) warnings: bool,
}

impl std::str::FromStr for FailOnArg {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let mut out = FailOnArg {
            cases: FailOn::Any,
            warnings: false,
        };
        let mut cases = None;
        for word in s.split(',').map(str::trim) {
            match word {
                "warnings" if !out.warnings => out.warnings = true,
                "any" | "new" if cases.is_none() => cases = Some(word.parse::<FailOn>()?),
                "any" | "new" if cases != Some(word.parse::<FailOn>()?) => {
                    return Err("`any` and `new` exclude each other".into());
                }
                "warnings" | "any" | "new" => return Err(format!("`{word}` is given twice")),
                other => {
                    return Err(format!(
                        "`{other}` is not `any`, `new` or `warnings` (combine them as `new,warnings`)"
                    ));
                }
            }
        }
        out.cases = cases.unwrap_or(FailOn::Any);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_combines_warnings_with_either_case_rule() {
        let parse = |s: &str| s.parse::<FailOnArg>();
        assert_eq!(
            parse("any"),
            Ok(FailOnArg {
                cases: FailOn::Any,
                warnings: false
            })
        );
        assert_eq!(
            parse("warnings"),
            Ok(FailOnArg {
                cases: FailOn::Any,
                warnings: true
            })
        );
        assert_eq!(
            parse("new,warnings"),
            Ok(FailOnArg {
                cases: FailOn::New,
                warnings: true
            })
        );
        assert_eq!(
            parse("new,any"),
            Err("`any` and `new` exclude each other".into())
        );
        assert_eq!(
            parse("warnings,warnings"),
            Err("`warnings` is given twice".into())
        );
        assert!(
            parse("all")
                .unwrap_err()
                .contains("not `any`, `new` or `warnings`")
        );
    }
}
