# complete.bash COMPLETION_FILE LINE... - prints what bash completion offers
# for each LINE (the cursor at its end), one reply a line, "--" after each.
# Sourced by bash from test_completion.sh.
. /usr/share/bash-completion/bash_completion
. "$1"
shift
for line in "$@"; do
  COMP_LINE=$line
  COMP_POINT=${#line}
  # split as readline does (at spaces and COMP_WORDBREAKS), the way bash-completion expects
  read -r -a COMP_WORDS <<<"$line"
  [[ $line == *' ' ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  func=_${COMP_WORDS[0]##*/}
  [[ $func == _fundgrube || $func == _fundgrubed ]] || func=_fundgrube
  "$func" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
  printf '%s\n' "${COMPREPLY[@]}"
  echo --
done
