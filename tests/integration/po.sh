#!/bin/bash
# po.sh: the translations are complete and used.
#  - every source file that marks strings with _() or N_() is in
#    po/POTFILES.in, and every file listed there exists;
#  - every catalog in po/LINGUAS translates every message of the current
#    sources (merged against a fresh template: no untranslated, no fuzzy);
#  - `LANGUAGE=<lang> ntpwiz --help` prints the catalog's text, while the
#    config text ntpwiz writes is never translated.
. "$(dirname "$0")/../lib/testlib.sh"
for t in xgettext msgmerge msgfmt; do
	command -v $t >/dev/null || skip_or_fail "$t not installed (gettext)"
done
cd "$srcdir" || exit 1

listed=$(grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort)
marking=$(grep -lE '\b_\("|\bN_\("' src/*.c ui/*.c 2>/dev/null | sort)
unlisted=$(comm -13 <(echo "$listed") <(echo "$marking") | tr '\n' ' ')
expect "every source file with _() or N_() is in po/POTFILES.in (missing: $unlisted)" '[ -z "$unlisted" ]'
gone=
for f in $listed; do [ -f "$f" ] || gone="$gone $f"; done
expect "every file in po/POTFILES.in exists (missing:$gone)" '[ -z "$gone" ]'

xgettext --default-domain=ntpwiz --keyword=_ --keyword=N_ --from-code=UTF-8 \
	--add-comments=TRANSLATORS: -o "$T_TMP/ntpwiz.pot" --files-from=po/POTFILES.in
expect "xgettext extracts the messages" '[ "$(grep -c "^msgid " "$T_TMP/ntpwiz.pot")" -gt 50 ]'

langs=$(grep -v '^#' po/LINGUAS | tr -s ' \n' ' ')
expect "German and French catalogs are listed in po/LINGUAS" \
	'[[ " $langs " == *" de "* && " $langs " == *" fr "* ]]'
help_c=$(LC_ALL=C "$NTPWIZ" --help)
render_c=$("$NTPWIZ" render --root "$T_TMP" 2>/dev/null)
for lang in $langs; do
	msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$T_TMP/ntpwiz.pot" -o "$T_TMP/$lang.po"
	stats=$(msgfmt --check --statistics -o "$T_TMP/$lang.mo" "$T_TMP/$lang.po" 2>&1)
	expect "$lang: every message of the current sources translated ($stats)" \
		'[ $? -eq 0 ] && ! grep -qE "untranslated|fuzzy" <<<"$stats"'
	stale=$(msgfmt --check --statistics -o /dev/null "po/$lang.po" 2>&1)
	expect "$lang: po/$lang.po itself has nothing fuzzy or untranslated ($stale)" \
		'! grep -qE "untranslated|fuzzy" <<<"$stale"'
	mkdir -p "$T_TMP/locale/$lang/LC_MESSAGES"
	cp "$T_TMP/$lang.mo" "$T_TMP/locale/$lang/LC_MESSAGES/ntpwiz.mo"
	# LANGUAGE is ignored in the plain C locale; C.UTF-8 is not "C".
	help=$(NTPWIZ_LOCALEDIR=$T_TMP/locale LC_ALL=C.UTF-8 LANGUAGE=$lang "$NTPWIZ" --help)
	# the first line of the catalog's "Usage: ntpwiz ..." text
	first=$(python3 - "$T_TMP/$lang.po" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for entry in text.split("\n\n"):
    parts = re.split(r"^msgstr ", entry, maxsplit=1, flags=re.M)
    if len(parts) == 2 and '"Usage: ntpwiz' in parts[0]:
        strs = re.findall(r'"((?:[^"\\]|\\.)*)"', parts[1])
        print("".join(strs).split("\\n")[0])
        break
PY
)
	expect "LANGUAGE=$lang ntpwiz --help is translated ('$first')" \
		'[ -n "$first" ] && [ "$help" != "$help_c" ] && [[ $help == "$first"* ]]'
	render=$(NTPWIZ_LOCALEDIR=$T_TMP/locale LC_ALL=C.UTF-8 LANGUAGE=$lang "$NTPWIZ" render --root "$T_TMP" 2>/dev/null)
	expect "LANGUAGE=$lang: the config text is not translated" '[ -n "$render" ] && [ "$render" = "$render_c" ]'
done
finish
