/*
 * i18n: what translated text needs beyond gettext (see i18n.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"

int i18n_text_width(const char *s)
{
	size_t n = mbstowcs(NULL, s, 0);
	wchar_t *w;
	int cols;

	if (n == (size_t)-1 || !(w = malloc((n + 1) * sizeof(*w))))
		return (int)strlen(s);
	mbstowcs(w, s, n + 1);
	cols = wcswidth(w, n);
	free(w);
	return cols < 0 ? (int)n : cols;
}
