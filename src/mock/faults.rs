//! The scaffolding every mock's fault switches share: [`fault_switches!`] turns one list of
//! `Variant => "name", "summary";` entries into the mock's public `FAULTS` table, its `Switch`
//! enum and its `Faults` set, so the table and the enum cannot drift apart.
//!
//! The tests here hold every mock's table to the same rules: kebab-case names that are unique
//! per mock and spell their switch, one-sentence summaries, and table order equal to switch order.

/// Declares a mock's fault switches in the module it is called from.
///
/// Given `api: "<mock name>";` and one `Variant => "name", "summary";` entry per switch, it
/// generates:
/// - `pub const FAULTS: &[Fault]`, the public table in list order (the order of
///   `accord mock --list-faults` and the fault tables of docs/builtin-apis.md);
/// - `pub(crate) enum Switch`, one variant per entry in the same order, so a switch's
///   discriminant is its index in `FAULTS`;
/// - `pub(crate) struct Faults`, the switches turned on for one mock instance, with
///   `Faults::parse(names)` and `Faults::on(switch)`.
macro_rules! fault_switches {
    (
        api: $api:literal;
        $($variant:ident => $name:literal, $summary:literal;)+
    ) => {
        /// Every fault this mock can simulate, in the order of `Switch`.
        pub const FAULTS: &[$crate::mock::Fault] = &[
            $($crate::mock::Fault {
                name: $name,
                summary: $summary,
                #[cfg(test)]
                switch_index: Switch::$variant as usize,
                #[cfg(test)]
                switch_name: stringify!($variant),
            },)+
        ];

        /// One fault switch; its discriminant is its index in [`FAULTS`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Switch {
            $($variant,)+
        }

        // `Faults` is a 64-bit set.
        const _: () = assert!(FAULTS.len() <= 64, "a mock has at most 64 fault switches");

        /// The set of switches turned on for one mock instance.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub(crate) struct Faults($crate::mock::FaultSet);

        impl Faults {
            /// Turns on the named switches; an unknown name is an error listing the known ones.
            pub(crate) fn parse(names: &[String]) -> Result<Self, String> {
                $crate::mock::FaultSet::parse($api, FAULTS, names).map(Faults)
            }

            /// Whether `switch` is on.
            pub(crate) fn on(self, switch: Switch) -> bool {
                self.0.has(switch as usize)
            }
        }
    };
}

pub(crate) use fault_switches;

#[cfg(test)]
mod tests {
    use crate::mock::{Fault, FaultSet, apis};

    /// Whether `name` is lowercase words of letters and digits joined by single hyphens.
    fn is_kebab_case(name: &str) -> bool {
        name.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
    }

    /// The switch variant a fault name spells: `unknown-url-500` is `UnknownUrl500`.
    fn pascal_case(name: &str) -> String {
        name.split('-')
            .map(|word| word[..1].to_ascii_uppercase() + &word[1..])
            .collect()
    }

    fn check_table(api: &str, faults: &[Fault]) {
        assert!(!faults.is_empty(), "{api} has no fault switches");
        for (i, fault) in faults.iter().enumerate() {
            let at = format!("{api} fault `{}`", fault.name);
            assert!(is_kebab_case(fault.name), "{at}: name is not kebab-case");
            assert!(
                faults[i + 1..].iter().all(|f| f.name != fault.name),
                "{at}: name used twice"
            );
            let summary = fault.summary;
            assert!(summary.len() > 1, "{at}: empty summary");
            assert!(
                summary.ends_with('.'),
                "{at}: summary does not end in a period"
            );
            assert_eq!(summary.trim(), summary, "{at}: summary has outer spaces");
            assert!(!summary.contains('\n'), "{at}: summary is not one line");
            assert_eq!(fault.switch_index, i, "{at}: table and switch order differ");
            assert_eq!(
                pascal_case(fault.name),
                fault.switch_name,
                "{at}: name does not spell its switch"
            );
            let set = FaultSet::parse(api, faults, &[fault.name.to_string()]).unwrap();
            assert!(
                (0..faults.len()).all(|j| set.has(j) == (j == i)),
                "{at}: name does not turn on its own switch alone"
            );
        }
    }

    #[test]
    fn every_mock_fault_table_is_consistent() {
        assert!(!apis().is_empty());
        for api in apis() {
            check_table(api.name, api.faults);
            let err = FaultSet::parse(api.name, api.faults, &["no-such-fault".into()])
                .expect_err("an unknown name");
            let known: Vec<&str> = api.faults.iter().map(|f| f.name).collect();
            assert!(
                err.contains("`no-such-fault`")
                    && err.contains(&format!("the {} mock", api.name))
                    && err.ends_with(&known.join(", ")),
                "{err}"
            );
            assert_eq!(
                FaultSet::parse(api.name, api.faults, &[]).unwrap(),
                FaultSet::default()
            );
        }
    }

    /// Every registered mock refuses an unknown fault, both building its router and serving.
    #[tokio::test]
    async fn every_mock_refuses_unknown_faults_by_name() {
        for api in apis() {
            assert!(std::ptr::eq(crate::mock::find(api.name).unwrap(), api));
            let opts = crate::mock::MockOptions {
                faults: vec!["no-such".into()],
                ..crate::mock::MockOptions::default()
            };
            let err = (api.app)(&opts).unwrap_err();
            assert!(
                err.contains("`no-such`") && err.contains(api.faults[0].name),
                "{}: {err}",
                api.name
            );
            let served = crate::mock::serve(api, &opts, "127.0.0.1:0".parse().unwrap()).await;
            assert!(served.is_err(), "{} served with an unknown fault", api.name);
        }
    }

    mod generated {
        crate::mock::faults::fault_switches! {
            api: "sample";
            NoAuth => "no-auth", "The bearer token is not checked.";
            WrongType => "wrong-type", "A number is sent as a string.";
            SkipGaps => "skip-gaps", "A page is left out.";
        }

        /// The generated set turns on exactly the named switches, through the generated enum.
        #[test]
        fn parse_turns_on_only_the_named_switches() {
            let faults = Faults::parse(&["skip-gaps".into(), "no-auth".into()]).unwrap();
            assert!(faults.on(Switch::SkipGaps));
            assert!(faults.on(Switch::NoAuth));
            assert!(!faults.on(Switch::WrongType));
            assert_eq!(Faults::parse(&[]).unwrap(), Faults::default());
            let err = Faults::parse(&["nope".into()]).unwrap_err();
            assert!(err.contains("the sample mock"), "{err}");
            assert_eq!(FAULTS[2].name, "skip-gaps");
        }
    }

    #[test]
    fn an_inconsistent_table_is_caught() {
        let good = Fault {
            name: "no-auth",
            summary: "The bearer token is not checked.",
            switch_index: 0,
            switch_name: "NoAuth",
        };
        check_table("good", &[good]);
        let bad = [
            Fault {
                name: "No_Auth",
                ..good
            },
            Fault {
                summary: "",
                ..good
            },
            Fault {
                summary: "No period",
                ..good
            },
            Fault {
                switch_index: 1,
                ..good
            },
            Fault {
                switch_name: "Auth",
                ..good
            },
        ];
        for fault in bad {
            let result = std::panic::catch_unwind(|| check_table("bad", &[fault]));
            assert!(result.is_err(), "{fault:?} passed");
        }
        let twice = std::panic::catch_unwind(|| check_table("bad", &[good, good]));
        assert!(twice.is_err(), "a repeated name passed");
    }
}
