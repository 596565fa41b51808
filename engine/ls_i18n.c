/*
 * ls_i18n.c - translated messages (see ls_i18n.h).
 */
#include "ls_i18n.h"

#include <libintl.h>
#include <locale.h>
#include <string.h>

#ifndef LS_LOCALE_DIR
#define LS_LOCALE_DIR "/usr/local/share/locale"
#endif

/* Whether messages are translated at all: not under the C (POSIX)
 * message locale, where gettext gives every message back as it is (and
 * ignores LANGUAGE).  Messages are looked up in hot paths (data values,
 * rule calls), and a lookup that finds nothing still costs a gettext
 * call and its lock, which the scoring threads share. */
static int translating;

void ls_i18n_init(void)
{
    const char *loc = setlocale(LC_MESSAGES, "");
    bindtextdomain("lawscore", LS_LOCALE_DIR);
    bind_textdomain_codeset("lawscore", "UTF-8");
    textdomain("lawscore");
    loc = setlocale(LC_MESSAGES, NULL);
    translating = loc && strcmp(loc, "C") && strcmp(loc, "POSIX");
}

const char *ls_i18n(const char *msg)
{
    if (!msg || !*msg || !translating) return msg;
    return dgettext("lawscore", msg);
}
