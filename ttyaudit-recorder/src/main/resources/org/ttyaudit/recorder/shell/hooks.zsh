# ttyaudit hooks for zsh, installed after all of the user's startup files.
typeset -g _ta_ran=0
typeset -g _ta_B=$'%{\e]133;B;ttyaudit='"$_ta_nonce"$'\a%}'
typeset -ga _ta_cc _ta_cx
() {
    local i h
    for i in {0..31} 127; do
        printf -v h '%02x' $i
        _ta_cc+=("${(#)i}")
        _ta_cx+=("\\x$h")
    done
}

# Escapes $1 into _ta_e: \ ; and control characters (NUL too) become \xHH; other bytes stay.
_ta_esc() {
    local bs='\x5c' sc='\x3b' i
    _ta_e=${1//\\/$bs}
    _ta_e=${_ta_e//;/$sc}
    if [[ $_ta_e == *[[:cntrl:]]* || $_ta_e == *$'\0'* ]]; then
        for (( i = 1; i <= ${#_ta_cc}; i++ )); do
            [[ $_ta_e == *${_ta_cc[i]}* ]] && _ta_e=${_ta_e//${_ta_cc[i]}/${_ta_cx[i]}}
        done
    fi
}

# First precmd hook: how the last command line ended, then the prompt start.
_ta_precmd() {
    local ec=$?
    if (( _ta_ran )); then
        _ta_ran=0
        printf '\e]133;D;ttyaudit=%s;exit=%s\a' $_ta_nonce $ec >&2
    fi
    printf '\e]133;A;ttyaudit=%s\a' $_ta_nonce >&2
    return ec
}

# Last precmd hook: after the user's hooks have built the prompt, end it with B.
_ta_prompt_end() {
    local ec=$?
    PS1=${PS1//$_ta_B/}$_ta_B
    return ec
}

# First preexec hook: $1 is the line exactly as typed (multi-line commands with their newlines).
_ta_preexec() {
    _ta_ran=1
    local cwd
    _ta_esc $PWD; cwd=$_ta_e
    if [[ -n $1 ]]; then
        _ta_esc $1
        printf '\e]133;C;ttyaudit=%s;cmd=%s;cwd=%s\a' $_ta_nonce $_ta_e $cwd >&2
    else
        printf '\e]133;C;ttyaudit=%s;cwd=%s\a' $_ta_nonce $cwd >&2
    fi
    # Re-install if the user replaced the hook arrays since the last command.
    _ta_install_hooks
}

_ta_install_hooks() {
    (( ${precmd_functions[(Ie)_ta_precmd]} == 1 )) ||
        precmd_functions=(_ta_precmd ${precmd_functions:#_ta_precmd})
    (( ${precmd_functions[(Ie)_ta_prompt_end]} == ${#precmd_functions} )) ||
        precmd_functions=(${precmd_functions:#_ta_prompt_end} _ta_prompt_end)
    (( ${preexec_functions[(Ie)_ta_preexec]} == 1 )) ||
        preexec_functions=(_ta_preexec ${preexec_functions:#_ta_preexec})
}
typeset -ga precmd_functions preexec_functions
_ta_install_hooks
# If a startup file turned on allexport, our assignments were exported: take them back out.
typeset +x ${(k)parameters[(I)_ta_*]}
