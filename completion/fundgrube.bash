# bash completion for fundgrube(1) and fundgrubed(1).
# Installed as /usr/share/bash-completion/completions/fundgrube (and a link
# named fundgrubed); bash-completion loads it on the first <Tab>.
#
# Completes the commands, each command's options, folders and files where an
# option takes one, the keys of `fundgrube config SECTION.KEY` (from the
# program itself, so they never go stale), and in a query the field names
# (title:, dir:, ext:, date:, author:, ...) with the values that can be
# listed: folders after dir:, the document types after ext:.

# The keys of the configuration as SECTION.KEY, from `fundgrube config`.
_fundgrube_config_keys() {
  "${1:-fundgrube}" config 2>/dev/null | awk '
    /^\[/ { s = substr($0, 2, length($0) - 2); next }
    /^[a-z_0-9]+ = / { if (!seen[s "." $1]++) print s "." $1 }'
}

_fundgrube() {
  local cur prev words cword
  _init_completion -n =: || return

  local commands="index search analyze config status serve"
  local common="--config --index --help"
  local fields="title: titel: dir: path: pfad: ordner: ext: type: typ: author: autor: date: datum:"
  local types="txt md html pdf odt ods odp docx xlsx pptx epub rtf"

  # the command is the first word that is not an option
  local cmd="" i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
    -*) ;;
    *)
      cmd=${words[i]}
      break
      ;;
    esac
  done

  case $prev in
  --config | --batch)
    _filedir
    return
    ;;
  --index)
    _filedir -d
    return
    ;;
  --sort)
    COMPREPLY=($(compgen -W "relevance date" -- "$cur"))
    return
    ;;
  --listen)
    COMPREPLY=($(compgen -W "127.0.0.1:8080 127.0.0.1:0 unix:" -- "$cur"))
    return
    ;;
  --limit | --offset | --similar | --max-wildcard | --markers | --time-limit)
    return
    ;;
  esac
  if [[ $cur == --sort=* ]]; then
    COMPREPLY=($(compgen -W "relevance date" -- "${cur#--sort=}"))
    return
  fi

  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$commands help" -- "$cur"))
    fi
    return
  fi

  local opts
  case $cmd in
  index) opts="$common --force --quiet" ;;
  search) opts="$common --limit --offset --sort= --json --html --markers --facets
                --all-duplicates --similar --batch --max-wildcard --no-snippets --time-limit" ;;
  analyze) opts="--config --json --help" ;;
  config | status) opts="$common" ;;
  serve) opts="$common --listen --version" ;;
  *) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
    return
  fi

  case $cmd in
  index) _filedir ;;
  config) COMPREPLY=($(compgen -W "$(_fundgrube_config_keys "${words[0]}")" -- "$cur")) ;;
  search)
    # a field's value, or a field name
    case $cur in
    dir:* | path:* | pfad:* | ordner:*)
      local field=${cur%%:*}
      local IFS=$'\n'
      COMPREPLY=($(compgen -d -- "${cur#*:}"))
      COMPREPLY=("${COMPREPLY[@]/#/$field:}")
      compopt -o nospace -o filenames 2>/dev/null
      ;;
    ext:* | type:* | typ:*)
      local field=${cur%%:*}
      COMPREPLY=($(compgen -W "$types" -P "$field:" -- "${cur#*:}"))
      ;;
    *)
      COMPREPLY=($(compgen -W "$fields" -- "$cur"))
      [[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace
      ;;
    esac
    # bash splits words at ':' (COMP_WORDBREAKS); hand back what follows it
    __ltrim_colon_completions "$cur"
    ;;
  esac
}
complete -F _fundgrube fundgrube

_fundgrubed() {
  local cur prev words cword
  _init_completion || return
  case $prev in
  -c | --config)
    _filedir
    return
    ;;
  -w | --watch | -i | --index)
    _filedir -d
    return
    ;;
  --commit-interval | --commit-max-age | --rescan-interval)
    return
    ;;
  esac
  COMPREPLY=($(compgen -W "--config --watch --index --foreground --verbose --commit-interval
    --commit-max-age --rescan-interval --help --version" -- "$cur"))
}
complete -F _fundgrubed fundgrubed
