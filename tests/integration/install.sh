#!/bin/bash
# install.sh: `make install` into a staging folder places the program, the
# shipped profiles, both manual pages and the bash completion; the pages
# render without warnings and name every command and option that --help
# names; the completion offers them; `make uninstall` removes it all.
. "$(dirname "$0")/../lib/testlib.sh"
builddir=${abs_top_builddir:-$srcdir}
command -v man >/dev/null || skip_or_fail "man is not installed"
dest=$T_TMP/dest
# A make of its own, not the jobserver of the `make check` that runs us.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s -C "$builddir" install DESTDIR="$dest" \
	>"$T_TMP/install.log" 2>&1
check "make install DESTDIR=... succeeds" [ $? -eq 0 ]

sbin=$(find "$dest" -path '*/sbin/ntpwiz' -type f)
man8=$(find "$dest" -path '*/man8/ntpwiz.8' -type f)
man5=$(find "$dest" -path '*/man5/ntpwiz-profile.5' -type f)
compl=$(find "$dest" -path '*/bash-completion/completions/ntpwiz' -type f)
profdir=$(find "$dest" -path '*/ntpwiz/profiles' -type d)
expect "the program is in sbin and runs" '[ -x "$sbin" ] && "$sbin" --version | grep -q "^ntpwiz [0-9]"'
expect "--version names the optional features" '"$sbin" --version | grep -q "Optional features: [+-]nls"'
for p in "$srcdir"/profiles/*.cfg; do
	expect "shipped profile $(basename "$p") installed as is" 'cmp -s "$p" "$profdir/$(basename "$p")"'
done
expect "ntpwiz(8) and ntpwiz-profile(5) installed" '[ -f "$man8" ] && [ -f "$man5" ]'
for lang in $(grep -v '^#' "$srcdir/po/LINGUAS"); do
	mo=$(find "$dest" -path "*/locale/$lang/LC_MESSAGES/ntpwiz.mo" -type f)
	expect "the $lang catalog is installed and used" \
		'[ -f "$mo" ] && NTPWIZ_LOCALEDIR=${mo%/$lang/LC_MESSAGES/ntpwiz.mo} LC_ALL=C.UTF-8 LANGUAGE=$lang "$sbin" --help | head -1 | grep -vq "^Usage:"'
done
expect "the bash completion is installed" '[ -f "$compl" ]'

# man -l with groff's warnings on: nothing on stderr.
for page in "$man8" "$man5"; do
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=w -l "$page" >"$T_TMP/page.txt" 2>"$T_TMP/page.err"
	expect "man -l $(basename "$page") renders without warnings" \
		'[ $? -eq 0 ] && [ ! -s "$T_TMP/page.err" ] && [ -s "$T_TMP/page.txt" ]'
done
expect "the pages name the installed profile folder, not a placeholder" \
	'! grep -q "@[A-Z]*@" "$man8" "$man5" "$compl" && grep -q "${profdir#"$dest"}" "$man8"'

# What --help lists: commands (two-space indent, a lowercase word) and options.
help=$(LC_ALL=C "$NTPWIZ" --help)
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' <<<"$help" | sort)
options=$(sed -n '/^Options:/,/^$/p' <<<"$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
expect "--help lists commands and options" '[ "$(wc -l <<<"$commands")" -ge 6 ] && [ "$(wc -l <<<"$options")" -ge 6 ]'
LC_ALL=C.UTF-8 MANWIDTH=200 man -l "$man8" 2>/dev/null | col -b >"$T_TMP/man8.txt"
missing=
for c in $commands; do grep -qE "^ {7}$c( |$)" "$T_TMP/man8.txt" || missing="$missing $c"; done
for o in $options; do grep -q -- "$o" "$T_TMP/man8.txt" || missing="$missing $o"; done
expect "ntpwiz(8) describes every command and option --help lists (missing:$missing)" '[ -z "$missing" ]'
mancmds=$(sed -n '/^COMMANDS/,/^OPTIONS/s/^ \{7\}\([a-z][a-z-]*\)\( .*\)\?$/\1/p' "$T_TMP/man8.txt" | sort)
expect "ntpwiz(8) describes no command the program lacks" '[ "$mancmds" = "$commands" ]'

# The completion, driven the way bash drives it.
complete_words() { # WORDS...: prints the candidates for the last word
	(
		cd "$T_TMP/cwd" || exit 1
		. "$compl"
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_ntpwiz ntpwiz "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf '%s\n' "${COMPREPLY[@]}" | sort
	)
}
mkdir -p "$T_TMP/cwd/sub" && touch "$T_TMP/cwd/site.cfg" "$T_TMP/cwd/notes.txt"
expect "completion: the commands are exactly --help's" '[ "$(complete_words ntpwiz "")" = "$commands" ]'
got=$(complete_words ntpwiz --)
missing=
for o in $options; do grep -qx -- "$o" <<<"$got" || missing="$missing $o"; done
expect "completion: every option --help lists (missing:$missing)" '[ -z "$missing" ]'
expect "completion: daemons after --daemon" \
	'[ "$(complete_words ntpwiz render --daemon "")" = "$(printf "%s\n" auto chrony ntp ntpsec openntpd timesyncd)" ]'
expect "completion: --daemon ch gives chrony" '[ "$(complete_words ntpwiz --daemon ch)" = chrony ]'
got=$(complete_words ntpwiz apply "")
expect "completion: apply offers profiles and folders, not other files" \
	'grep -qx site.cfg <<<"$got" && grep -qx sub <<<"$got" && ! grep -q notes.txt <<<"$got"'
expect "completion: the option value of --root is skipped when finding the command" \
	'grep -qx site.cfg <<<"$(complete_words ntpwiz --root / check "")"'

env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL ${MAKE:-make} -s -C "$builddir" uninstall DESTDIR="$dest" \
	>"$T_TMP/uninstall.log" 2>&1
check "make uninstall succeeds" [ $? -eq 0 ]
left=$(find "$dest" -type f)
expect "make uninstall leaves no file behind (left: $left)" '[ -z "$left" ]'
finish
