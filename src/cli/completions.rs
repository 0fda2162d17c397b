//! `okr completions SHELL`: the shell's completion script, from the command
//! line's own definition (`clap_complete`). Static scripts, plus for bash
//! and zsh a hook completing references (`team/objective.kr`) after
//! `okr checkin` and `okr log`, listed by the hidden `okr __complete-refs
//! PREFIX` from the goals under the folder the shell is in.

use super::{write_stdout, Cli, Error, Outcome};
use crate::workspace::Workspace;
use clap::CommandFactory;
use clap_complete::Shell;

/// The bash hook: the generated `_okr`, then references for the commands
/// that take one, registered in place of `_okr`.
const BASH_REFERENCES: &str = r#"
# okr: references (team/objective.kr) after `okr checkin` and `okr log`,
# from the goals under the current folder.
_okr_references() {
    _okr "$@"
    local cur="$2"
    case "${COMP_WORDS[1]}" in
        checkin|log)
            # The reference is the command's first argument.
            if [[ "$cur" != -* && ( $COMP_CWORD -eq 2 || "$cur" == */* ) ]]; then
                local IFS=$'\n'
                COMPREPLY+=($(compgen -W "$(okr __complete-refs -- "$cur" 2>/dev/null)" -- "$cur"))
            fi
            ;;
    esac
}
complete -F _okr_references -o bashdefault -o default okr
"#;

/// The zsh hook, the same for zsh's completion system.
const ZSH_REFERENCES: &str = r#"
# okr: references (team/objective.kr) after `okr checkin` and `okr log`,
# from the goals under the current folder.
_okr_references() {
    # The reference is the command's first argument.
    if [[ ${words[2]} == (checkin|log) && ${words[CURRENT]} != -* &&
        ( $CURRENT -eq 3 || ${words[CURRENT]} == */* ) ]]; then
        local -a references
        references=(${(f)"$(okr __complete-refs -- "${words[CURRENT]}" 2>/dev/null)"})
        compadd -a references
    fi
    _okr "$@"
}
(( $+functions[compdef] )) && compdef _okr_references okr
"#;

#[derive(clap::Args)]
pub(super) struct Args {
    /// The shell: `source <(okr completions bash)` in ~/.bashrc, `okr completions zsh > ~/.zfunc/_okr`, `okr completions fish > ~/.config/fish/completions/okr.fish`.
    #[arg(value_enum)]
    shell: Shell,
}

pub(super) fn run(args: Args) -> Result<Outcome, Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "okr", &mut script);
    match args.shell {
        Shell::Bash => script.extend_from_slice(BASH_REFERENCES.as_bytes()),
        Shell::Zsh => script.extend_from_slice(ZSH_REFERENCES.as_bytes()),
        _ => {}
    }
    write_stdout(script)?;
    Ok(Outcome::Clean)
}

/// The command the scripts run for references: not a clap subcommand, so
/// no script, help or manual page offers it (`clap_complete` lists hidden
/// subcommands too).
const REFERENCES: &str = "__complete-refs";

/// The prefix when okr runs as `okr __complete-refs [--] [PREFIX]`.
pub(super) fn references_asked() -> Option<String> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != REFERENCES {
        return None;
    }
    let prefix = args
        .find(|arg| arg != "--")
        .map(|arg| arg.to_string_lossy().into_owned());
    Some(prefix.unwrap_or_default())
}

/// Lists the objectives and KRs under the current folder whose reference
/// starts with `prefix`: `team/objective` and `team/objective.kr`, one a line.
pub(super) fn references(prefix: &str) -> Result<Outcome, Error> {
    let workspace = Workspace::load(&[])?;
    let mut listed = String::new();
    for goals in &workspace.goals {
        let team = goals
            .team_id()
            .map_or(String::new(), |team| format!("{team}/"));
        for objective in &goals.objectives {
            let objective_ref = format!("{team}{}", objective.id.value);
            let krs = objective
                .key_results
                .iter()
                .map(|kr| format!("{objective_ref}.{}", kr.id.value));
            for reference in std::iter::once(objective_ref.clone()).chain(krs) {
                if reference.starts_with(prefix) {
                    listed.push_str(&reference);
                    listed.push('\n');
                }
            }
        }
    }
    write_stdout(listed)?;
    Ok(Outcome::Clean)
}
