# ttyaudit shell integration for fish 3.x (run by --init-command, after the user's config).
# Protocol: docs/SHELL-INTEGRATION.md. Names start with _ta_; nothing is exported.

# Every byte other than letters and digits becomes \xHH (fish's URL escaping with % turned into \x): a superset
# of what the protocol requires, so the recorder decodes it unchanged.
function _ta_esc
    string escape --style=url -- $argv[1] | string replace -a '%' '\\x'
end

function _ta_prompt_start --on-event fish_prompt
    printf '\e]133;A;ttyaudit=%s\a' $_ta_nonce
end

function _ta_preexec --on-event fish_preexec
    if test -n "$argv[1]"
        printf '\e]133;C;ttyaudit=%s;cmd=%s;cwd=%s\a' $_ta_nonce (_ta_esc $argv[1]) (_ta_esc $PWD)
    else
        printf '\e]133;C;ttyaudit=%s;cwd=%s\a' $_ta_nonce (_ta_esc $PWD)
    end
end

function _ta_postexec --on-event fish_postexec
    set -l ec $status
    printf '\e]133;D;ttyaudit=%s;exit=%s\a' $_ta_nonce $ec
end

# B follows whatever the user's prompt prints: wrap fish_prompt (the user's or the default one).
if functions -q fish_prompt
    functions -c fish_prompt _ta_user_fish_prompt
else
    function _ta_user_fish_prompt
        printf '%s> ' $PWD
    end
end
function fish_prompt
    _ta_user_fish_prompt
    printf '\e]133;B;ttyaudit=%s\a' $_ta_nonce
end
