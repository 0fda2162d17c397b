//! Zed runs language servers only through an extension: this one starts
//! `okr lsp` with the `okr` found on the worktree's `PATH`.

use zed_extension_api as zed;

struct Okr;

impl zed::Extension for Okr {
    fn new() -> Self {
        Okr
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &zed::LanguageServerId,
        worktree: &zed::Worktree,
    ) -> zed::Result<zed::Command> {
        let command = worktree.which("okr").ok_or_else(|| {
            "okr is not on PATH: install it with `cargo install --path .` from a clone of okr"
                .to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".into()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(Okr);
