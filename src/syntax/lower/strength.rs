//! Lowering of `auth_strength "<name>" { ... }`: a custom authentication strength and its
//! allowed combinations.

use super::{Lowering, P};
use crate::model::strength::{mode_names, AuthMode, Combination};
use crate::model::*;
use crate::syntax::Rule;

impl Lowering<'_> {
    pub(super) fn strength(&mut self, pair: P<'_>) -> StrengthDef {
        let span = self.span(&pair);
        let mut s = StrengthDef {
            name: Spanned::new(String::new(), span),
            id: None,
            description: None,
            combinations: Vec::new(),
            extensions: Vec::new(),
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::k_auth_strength => {}
                Rule::name => s.name = self.name(p),
                Rule::tenant_id => self.string_once(p, &mut s.id, "id"),
                Rule::st_description => self.string_once(p, &mut s.description, "description"),
                Rule::st_allow => {
                    let cs = self.span(&p);
                    let mut modes = Vec::new();
                    for m in p.into_inner().filter(|x| x.as_rule() == Rule::ident) {
                        if let Some(mode) = self.mode(&m) {
                            if !modes.contains(&mode) {
                                modes.push(mode);
                            }
                        }
                    }
                    s.combinations.push(Combination { modes, span: cs });
                }
                Rule::extension => s.extensions.extend(self.extension(p)),
                _ => self.unexpected(&p),
            }
        }
        s
    }

    /// `id = "..."` / `description = "..."`, with `E0004` when written twice.
    fn string_once(&mut self, p: P<'_>, slot: &mut Option<Spanned<String>>, what: &str) {
        let s = self.span(&p);
        if let Some(v) = p.into_inner().find(|x| x.as_rule() == Rule::string) {
            if let Some(first) = slot {
                let first = first.span;
                self.duplicate(what, s, first);
            }
            *slot = Some(self.string(&v));
        }
    }

    fn mode(&mut self, pair: &P<'_>) -> Option<AuthMode> {
        let options: Vec<(&str, AuthMode)> = AuthMode::ALL.iter().map(|m| (m.name(), *m)).collect();
        debug_assert_eq!(options.len(), mode_names().count());
        self.choice(pair, "authentication method", &options)
            .map(|m| m.value)
    }
}
